package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The person at the terminal, in real terminals (tmux): the line editor, whose turn it is, what is
 * refused, and how each side leaves. What was really sent is read from the server's transcript.
 */
class TerminalIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    private Map<String, String> env() {
        return Map.of("PARLEY_CONFIG_DIR", dir.resolve("config").toString());
    }

    private Tmux terminal(String shellCommand) throws IOException, InterruptedException {
        Tmux tmux = Tmux.start(env(), shellCommand);
        open.add(tmux);
        return tmux;
    }

    private OsProcess echoServer() throws IOException {
        OsProcess server = OsProcess.parley("server", "--responder", "echo", "--port", "0", "--transcript",
                dir.resolve("server.jsonl").toString());
        open.add(server);
        return server;
    }

    /** A console server in a terminal of its own, its log on the same screen. */
    private Tmux operator(String... options) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("server", "--port", "0"));
        args.addAll(List.of(options));
        return terminal(Tmux.parley(args.toArray(new String[0])) + " 2>&1");
    }

    /** A client in a terminal of its own that has said hello to {@code operator}, whose turn it now is. */
    private Tmux saidHello(String port, Tmux operator) throws IOException, InterruptedException {
        Tmux client = terminal(Tmux.parley("client", "--port", port));
        client.await("^you>$");
        client.type("hello").press("Enter");
        operator.await("^you>$");
        return client;
    }

    /** The port a server in a terminal listens on, once it says so. */
    private static String port(Tmux server) throws IOException, InterruptedException {
        Matcher listening = Pattern.compile("listening on \\S+:(\\d+)").matcher(server.await("listening on \\S+:\\d+"));
        listening.find();
        return listening.group(1);
    }

    /** The messages the clients sent, as the server's transcript recorded them. */
    private List<String> sentByClients() throws IOException {
        List<String> sent = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("server.jsonl"), StandardCharsets.UTF_8)) {
            JsonNode event = JSON.readTree(line);
            if (event.get("from").asText().equals("client") && event.get("kind").asText().equals("message")) {
                sent.add(event.get("text").asText());
            }
        }
        return sent;
    }

    @Test
    void arrowsEditTheLineUpRecallsItAndWhatIsSentIsWhatTheScreenShowed() throws Exception {
        OsProcess server = echoServer();
        Tmux client = terminal(Tmux.parley("client", "--port", String.valueOf(server.port())));
        client.await("^you>$");
        client.type("helo").press("Left").type("l").press("End").type(" world").press("Enter");
        client.await("^server> hello world$");
        client.press("Up").await("^you> hello world$");
        client.type("!").press("Enter").await("^server> hello world!$");
        client.type("!! stays !!, 'quotes\" and a backslash\\").press("Enter");
        client.await("^server> !! stays !!, 'quotes\" and a backslash\\\\$");
        assertEquals(List.of("hello world", "hello world!", "!! stays !!, 'quotes\" and a backslash\\"), sentByClients(),
                "no history expansion, no quoting, no continuation lines: the line as typed");

        Path history = dir.resolve("config").resolve("client.history");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(history)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(history.getParent())));
        assertTrue(Files.readString(history).contains("hello world!"));
    }

    @Test
    void aLongLineIsSentWholeBeyondTheTerminalsOwnLineLimit() throws Exception {
        OsProcess server = echoServer();
        Tmux client = terminal(Tmux.parley("client", "--port", String.valueOf(server.port())));
        client.await("^you>$");
        client.type("y".repeat(5_000)).press("Enter");
        // The echo, fifty lines long, ends in y; the prompt after it (not the one the keys went to) is back.
        client.await("y$[\\s\\S]*^you>$");
        client.type("bye").press("Enter");
        assertEquals(0, client.awaitExit());
        assertEquals(List.of("y".repeat(5_000)), sentByClients(), "5,000 typed characters, not 4,095");
    }

    @Test
    void typingDuringTheServersTurnIsRefusedVisiblyAndNeverSent() throws Exception {
        Path transcript = dir.resolve("server.jsonl");
        Tmux operator = operator("--transcript", transcript.toString());
        String port = port(operator);
        operator.await("^\\(no client\\)$");
        operator.type("typed with no one there").press("Enter");
        operator.await("^parley: not sent \\(no client\\)$");

        Tmux client = terminal(Tmux.parley("client", "--port", port));
        client.await("^you>$");
        operator.await("^\\(client's turn\\)$");
        client.type("hi").press("Enter");
        client.await("^\\(server's turn\\)$");
        client.type("too soon").press("Enter");
        client.await("^parley: not sent \\(server's turn\\): 'too soon'$");
        operator.await("^client> hi$");
        operator.await("^you>$");
        operator.type("welcome").press("Enter");
        client.await("^server> welcome$");
        client.await("^you>$");

        List<String> said = new ArrayList<>();
        for (String line : Files.readAllLines(transcript, StandardCharsets.UTF_8)) {
            JsonNode event = JSON.readTree(line);
            if (event.get("kind").asText().equals("message")) {
                said.add(event.get("from").asText() + ": " + event.get("text").asText());
            }
        }
        assertEquals(List.of("client: hi", "server: welcome"), said, "the refused lines went nowhere, then or later");
    }

    @Test
    void theOperatorSeesAtOnceThatTheClientLeftEvenMidLineAndWhatTheyTypedIsSetAside() throws Exception {
        Tmux operator = operator();
        String port = port(operator);
        Tmux client = saidHello(port, operator);
        operator.type("half a rep");
        client.press("C-c");
        assertEquals(0, client.awaitExit());
        String screen = operator.await("ended: client said bye");
        operator.await("^parley: the conversation in front changed; what you were typing was not sent \\(Up recalls it\\)$");
        operator.await("^\\(no client\\)$");
        assertFalse(screen.contains("you> half"), "no longer asked to answer:\n" + screen);
        operator.press("Up").await("^\\(no client\\) half a rep$"); // kept in the history
    }

    @Test
    void aHalfTypedAnswerNeverGoesToTheNextClient() throws Exception {
        // Issue 20: the operator had typed this when client 1 left; Enter sent it to client 2.
        Path transcript = dir.resolve("server.jsonl");
        Tmux operator = operator("--transcript", transcript.toString());
        String port = port(operator);
        Tmux first = saidHello(port, operator);
        Tmux second = terminal(Tmux.parley("client", "--port", port));
        second.await("parley: server: waiting for the operator");
        operator.type("I was just about to say");
        operator.await("^you> I was just about to say$");
        first.press("C-c");
        assertEquals(0, first.awaitExit());
        operator.await("now with conversation 2 \\(\\S+\\)");
        second.await("^you>$");
        second.type("anyone there?").press("Enter");
        operator.await("^client> anyone there\\?$");
        operator.await("^you>");
        operator.press("Enter");
        operator.type("welcome, second").press("Enter");
        second.await("^server> welcome, second$");
        assertFalse(second.screen().contains("just about"), second.screen());

        List<String> said = new ArrayList<>();
        for (String line : Files.readAllLines(transcript, StandardCharsets.UTF_8)) {
            JsonNode event = JSON.readTree(line);
            if (event.get("from").asText().equals("server") && event.get("kind").asText().equals("message")) {
                said.add(event.get("text").asText());
            }
        }
        assertEquals(List.of("welcome, second"), said, "nothing typed for client 1 reached client 2");
    }

    @Test
    void theOperatorsByeEndsTheConversationInFrontInOrOutOfTurnAndTheNextIsTaken() throws Exception {
        // Issue 20: bye in the client's turn was 'not sent (client's turn)', with a hint to press Ctrl-D, which stops the server.
        Tmux operator = operator();
        String port = port(operator);
        Tmux first = terminal(Tmux.parley("client", "--port", port));
        first.await("^you>$");
        operator.await("^\\(client's turn\\)$");
        Tmux second = terminal(Tmux.parley("client", "--port", port));
        second.await("parley: server: waiting for the operator");
        operator.type("bye").press("Enter"); // the client's turn
        first.await("^parley: server said bye$");
        assertEquals(0, first.awaitExit());
        operator.await("ended: you said bye");
        operator.await("now with conversation 2 \\(\\S+\\)");
        second.await("^you>$");
        second.type("hello").press("Enter");
        operator.await("^client> hello$");
        operator.await("^you>$");
        operator.type("bye").press("Enter"); // in turn
        second.await("^parley: server said bye$");
        assertEquals(0, second.awaitExit());
        assertFalse(operator.screen().contains("not sent"), operator.screen());
        assertFalse(operator.screen().contains("[exit"), "the server goes on:\n" + operator.screen());
        operator.await("^parley: answer each client at the you> prompt; bye ends that conversation; /who /pass /away /back\n"
                + "parley: Ctrl-D stops the server, ending every conversation\\.$"); // what Ctrl-D does, said plainly, to a person
    }

    @Test
    void ctrlDStopsAnIdleServerAndCtrlCOneInAConversationPromptly() throws Exception {
        Tmux idle = operator();
        idle.await("^\\(no client\\)$");
        idle.press("C-d");
        assertEquals(0, idle.awaitExit());

        Tmux operator = operator();
        String port = port(operator);
        Tmux client = saidHello(port, operator);
        long start = System.nanoTime();
        operator.press("C-c");
        assertEquals(0, operator.awaitExit());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 2_000, "Ctrl-C took " + millis + " ms");
        client.await("parley: server said bye");
        assertEquals(0, client.awaitExit());
        assertTrue(operator.screen().contains("ended: stopped; told the client"), operator.screen());
    }

    @Test
    void ctrlDLeavesAtOnceAndTheShellPromptStartsOnItsOwnLine() throws Exception {
        Tmux operator = operator();
        String port = port(operator);
        Tmux client = terminal(Tmux.parley("client", "--port", port));
        client.await("^you>$");
        client.type("hello").press("Enter");
        client.await("^\\(server's turn\\)$");
        client.press("C-d");
        assertEquals(0, client.awaitExit());
        operator.await("ended: client said bye");

        Tmux typing = terminal(Tmux.parley("client", "--port", port));
        typing.await("^you>$");
        typing.type("typed half");
        typing.press("C-c");
        assertEquals(0, typing.awaitExit());
        assertTrue(typing.screen().lines().anyMatch(line -> line.equals("[exit 0]")), "after Ctrl-C:\n" + typing.screen());
    }

    @Test
    void aWaitingClientSeesItsPlaceAndTheOperatorHowManyWait() throws Exception {
        Tmux operator = operator();
        String port = port(operator);
        Tmux first = terminal(Tmux.parley("client", "--port", port));
        first.await("^you>$");
        first.type("first").press("Enter");
        operator.await("^client> first$");
        Tmux second = terminal(Tmux.parley("client", "--port", port));
        second.await("parley: server: waiting for the operator; you are number 1 in line");
        operator.await("^parley: conversation 2 \\(\\S+\\) waits; number 1 in line$");
        second.await("^you>$");
        second.type("second").press("Enter");
        first.type("bye").press("Enter"); // in the server's turn: bye leaves all the same
        first.await("^parley: you said bye$");
        assertEquals(0, first.awaitExit());
        operator.await("now with conversation 2 \\(\\S+\\)");
        operator.await("^client> second$");
        operator.await("^you>$");
    }

    @Test
    void withStdoutInAPipeTheBannerAndPromptsStayOnTheTerminalAndThePipeGetsExactLines() throws Exception {
        OsProcess server = echoServer();
        Path log = dir.resolve("log");
        Tmux client = terminal(Tmux.parley("client", "--port", String.valueOf(server.port())) + " > " + Tmux.quote(log.toString()));
        client.await("parley: connected to localhost:\\d+; you speak first");
        client.await("^you>$");
        client.type("into the file").press("Enter");
        client.await("^you> into the file$[\\s\\S]*^you>$"); // the next prompt, once the echo went to the file
        client.type("bye").press("Enter");
        assertEquals(0, client.awaitExit());
        assertEquals("into the file\n", Files.readString(log), "stdout has the messages and nothing else");
    }

    @Test
    void aPasteOfSeveralLinesIsNotSentAsOne() throws Exception {
        OsProcess server = echoServer();
        Tmux client = terminal(Tmux.parley("client", "--port", String.valueOf(server.port())));
        client.await("^you>$");
        client.paste("one\ntwo");
        client.press("Enter");
        client.await("not sent: a message is one line, and that was 2; press Up to edit it");
        client.await("^you>$");
        client.type("single").press("Enter");
        client.await("^server> single$");
        assertEquals(List.of("single"), sentByClients());
    }
}
