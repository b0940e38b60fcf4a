package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.app.wiring.ParleyServer;
import dev.parley.app.wiring.ResponderChoice;
import dev.parley.app.wiring.Streams;
import dev.parley.core.session.Limits;
import dev.parley.core.wire.LineFraming;
import dev.parley.socket.server.ServerSettings;
import java.io.ByteArrayInputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The whole program in-process: real server and client over loopback through the app's wiring. */
@Timeout(60)
class InProcessEndToEndIT {

    private static InProcess server(String operatorInput, String... extra) {
        List<String> args = new ArrayList<>(List.of("server", "--port", "0"));
        args.addAll(List.of(extra));
        return InProcess.start(operatorInput, args.toArray(String[]::new));
    }

    private static InProcess client(String input, int port, String... extra) {
        List<String> args = new ArrayList<>(List.of("client", "--port", String.valueOf(port)));
        args.addAll(List.of(extra));
        return InProcess.start(input, args.toArray(String[]::new));
    }

    @Test
    void aPipedConversationPrintsExactlyTheMessagesOnEachSide() throws Exception {
        InProcess server = server("hi\nfine, and you?\n", "--once");
        InProcess client = client("hello\nh\u00e9, \u2603 how are you?\nbye\n", server.port());

        assertEquals(0, client.exitCode());
        assertEquals(0, server.exitCode());
        assertEquals("hi\nfine, and you?\n", client.out.text(), "each reply is one line, nothing added");
        assertEquals("hello\nh\u00e9, \u2603 how are you?\n", server.out.text(), "each message is one line, nothing added");
        assertEquals("parley: you said bye\n", client.err.text());
        assertTrue(server.err.text().contains("ended: client said bye"), server.err.text());
    }

    @Test
    void theClientsEndOfInputSaysBye() throws Exception {
        InProcess server = server("hi\n", "--once");
        InProcess client = client("hello\n", server.port());

        assertEquals(0, client.exitCode());
        assertEquals(0, server.exitCode());
        assertEquals("hi\n", client.out.text());
        assertEquals("parley: your input ended; left the conversation\n", client.err.text());
        assertTrue(server.err.text().contains("ended: client said bye"), server.err.text());
    }

    @Test
    void theServersOperatorMaySayByeFirst() throws Exception {
        InProcess server = server("hi\nbye\n", "--once");
        InProcess client = client("one\ntwo\nthree\n", server.port());

        assertEquals(0, client.exitCode());
        assertEquals(0, server.exitCode());
        assertEquals("hi\n", client.out.text());
        assertEquals("parley: server said bye\n", client.err.text());
        assertEquals("one\ntwo\n", server.out.text());
    }

    @Test
    void theOperatorsEndOfInputEndsTheConversationAndStopsTheServer() throws Exception {
        InProcess server = server("only reply\n");
        InProcess client = client("one\ntwo\nthree\n", server.port());

        assertEquals(0, client.exitCode());
        assertEquals(0, server.exitCode(), "the console server stops when its operator's input ends");
        assertEquals("only reply\n", client.out.text());
        assertEquals("parley: server said bye\n", client.err.text());
    }

    @Test
    void withoutOnceAConsoleServerTakesTheNextClient() throws Exception {
        InProcess server = server("first reply\nsecond reply\n");
        int port = server.port();
        InProcess first = client("a\nbye\n", port);
        assertEquals(0, first.exitCode());
        InProcess second = client("b\nbye\n", port);
        assertEquals(0, second.exitCode());

        assertEquals("first reply\n", first.out.text());
        assertEquals("second reply\n", second.out.text());
        assertEquals("a\nb\n", server.out.text());
        assertTrue(!server.isDone(), "still serving");
        client("c\n", port).exitCode(); // the operator's input has ended: this one ends the server
        assertEquals(0, server.exitCode());
    }

    @Test
    void peerTextIsRenderedTerminalSafeOnBothSides() throws Exception {
        InProcess server = server("\u001B[2J\u202Eevil\n", "--once");
        InProcess client = client("\u001B]0;title\u0007\nbye\n", server.port());

        assertEquals(0, client.exitCode());
        assertEquals(0, server.exitCode());
        assertEquals("^[[2J\\u202Eevil\n", client.out.text());
        assertEquals("^[]0;title^G\n", server.out.text());
    }

    @Test
    void aFileResponderAnswersWithItsLinesThenSaysBye(@TempDir Path dir) throws Exception {
        Path replies = dir.resolve("replies.txt");
        Files.writeString(replies, "first\nsecond\n");
        InProcess server = server("", "--responder", "file:" + replies, "--once");
        InProcess client = client("a\nb\nc\nd\n", server.port());

        assertEquals(0, client.exitCode());
        assertEquals(0, server.exitCode());
        assertEquals("first\nsecond\n", client.out.text());
        assertEquals("parley: server said bye\n", client.err.text());
    }

    @Test
    void anEchoServerServesManyClientsAtOnceAndStopsCleanly() throws Exception {
        Capture err = new Capture();
        Streams streams = new Streams(new ByteArrayInputStream(new byte[0]),
                new PrintStream(new Capture(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        ParleyServer server = new ParleyServer(new ParleyServer.Options(new ServerSettings("127.0.0.1", 0, new LineFraming(),
                new Limits(Duration.ofSeconds(10), Duration.ofSeconds(10)), 50), new ResponderChoice.Echo(), false, false, Optional.empty(), false, false), streams);
        server.start();
        try {
            List<InProcess> clients = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                clients.add(client("client " + i + "\nsecond " + i + "\nbye\n", server.port()));
            }
            for (int i = 0; i < clients.size(); i++) {
                assertEquals(0, clients.get(i).exitCode());
                assertEquals("client " + i + "\nsecond " + i + "\n", clients.get(i).out.text());
            }
        } finally {
            server.stop();
        }
        assertEquals(0, server.awaitExit());
    }

    @Test
    void aStoppingServerReachesAClientWhosePersonIsStillTyping() throws Exception {
        Capture err = new Capture();
        Streams streams = new Streams(new ByteArrayInputStream(new byte[0]),
                new PrintStream(new Capture(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        ParleyServer server = new ParleyServer(new ParleyServer.Options(new ServerSettings("127.0.0.1", 0, new LineFraming(),
                new Limits(Duration.ofSeconds(10), Duration.ofSeconds(10)), 50), new ResponderChoice.Echo(), false, false, Optional.empty(), false, false), streams);
        server.start();
        PipedOutputStream keyboard = new PipedOutputStream();
        InProcess client = InProcess.start(new PipedInputStream(keyboard), "client", "--port", String.valueOf(server.port()));
        keyboard.write("hello\n".getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
        client.out.await("hello\n");

        server.stop();

        assertEquals(0, client.exitCode(), "ends without waiting for another line");
        assertEquals("parley: server said bye\n", client.err.text());
        assertEquals(0, server.awaitExit());
    }

    @Test
    void aBusyServerIsAFailureForTheClient() throws Exception {
        InProcess server = server("", "--responder", "echo", "--max-conversations", "1");
        int port = server.port();
        InProcess holder = InProcess.start(new PipedInputStream(new PipedOutputStream()),
                "client", "--port", String.valueOf(port));
        server.err.await("conversation 1 with \\S+ opened");
        InProcess extra = client("hello\n", port);

        assertEquals(1, extra.exitCode());
        assertEquals("parley: server says: busy: 1 conversation open, the most this server takes; try again later\n",
                extra.err.text());
        assertTrue(!holder.isDone());
    }

    @Test
    void laterClientsOfAConsoleServerWaitTheirTurnAndAreToldTheirPlace() throws Exception {
        PipedOutputStream operator = new PipedOutputStream();
        InProcess server = InProcess.start(new PipedInputStream(operator), "server", "--port", "0");
        int port = server.port();
        PipedOutputStream firstKeyboard = new PipedOutputStream();
        InProcess first = InProcess.start(new PipedInputStream(firstKeyboard), "client", "--port", String.valueOf(port));
        firstKeyboard.write("first here\n".getBytes(StandardCharsets.UTF_8));
        firstKeyboard.flush();
        server.out.await("first here\n");

        InProcess second = client("second here\nbye\n", port);
        second.err.await("parley: server: waiting for the operator; you are number 1 in line");
        server.err.await("conversation 2 \\(\\S+\\) waits; number 1 in line");
        assertEquals("first here\n", server.out.text(), "the waiting client's message is not shown before its turn");

        operator.write("to the first\n".getBytes(StandardCharsets.UTF_8));
        operator.flush();
        first.out.await("to the first\n");
        firstKeyboard.write("bye\n".getBytes(StandardCharsets.UTF_8));
        firstKeyboard.close();
        assertEquals(0, first.exitCode());

        server.err.await("now with conversation 2");
        server.out.await("second here\n");
        operator.write("to the second\n".getBytes(StandardCharsets.UTF_8));
        operator.flush();
        assertEquals(0, second.exitCode());
        assertEquals("to the second\n", second.out.text());
        operator.close(); // the operator's input ends: the next question ends the server
    }
}
