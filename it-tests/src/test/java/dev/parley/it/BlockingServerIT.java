package dev.parley.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.session.Limits;
import dev.parley.examples.BlockingServer;
import dev.parley.examples.Shouter;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A library user's driver against the real client: the examples' blocking-socket server
 * ({@link BlockingServer}, plain {@code java.net} sockets, a thread per conversation) serves
 * {@code parley client} in its own process: several lines in UTF-8, two clients at once, the idle
 * timeout, and a client killed mid-conversation.
 */
@Timeout(60)
class BlockingServerIT {

    /** The server's transcripts, every conversation's lines, as they are printed. */
    private final Capture transcript = new Capture();
    private ServerSocket listener;

    /** Starts the example's accept loop on a free loopback port; returns the port. */
    private String start(Limits limits) throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        PrintStream out = new PrintStream(transcript, true, UTF_8);
        Thread acceptor = new Thread(() -> {
            try {
                BlockingServer.acceptForever(listener, limits, new Shouter(), out);
            } catch (IOException e) {
                // the listener was closed: the test is over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return String.valueOf(listener.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        if (listener != null) {
            listener.close();
        }
    }

    private static OsProcess client(String port) throws IOException {
        return OsProcess.parley("client", "--host", "127.0.0.1", "--port", port);
    }

    @Test
    void severalLinesInUtf8AreAnsweredUntilBye() throws Exception {
        String port = start(Limits.idle(Duration.ofSeconds(30)));
        try (OsProcess client = client(port)) {
            client.type("hello\n");
            client.out.await("HELLO!\n");
            client.type("caf\u00e9 \u4f60\u597d \uD83D\uDE00\n");
            client.out.await("CAF\u00c9 \u4f60\u597d \uD83D\uDE00!\n");
            client.type("bye\n");
            assertEquals(0, client.exitCode(), client.err.text());
            assertEquals("HELLO!\nCAF\u00c9 \u4f60\u597d \uD83D\uDE00!\n", client.out.text());
        }
        transcript.await("server ended: client said bye");
        assertTrue(transcript.text().contains("server heard: caf\u00e9 \u4f60\u597d \uD83D\uDE00\n"), transcript.text());
    }

    @Test
    void twoClientsAreServedAtOnceEachOnItsOwnThread() throws Exception {
        String port = start(Limits.idle(Duration.ofSeconds(30)));
        try (OsProcess first = client(port); OsProcess second = client(port)) {
            first.type("first\n");
            first.out.await("FIRST!\n");
            second.type("second\n");
            second.out.await("SECOND!\n");
            second.type("bye\n");
            assertEquals(0, second.exitCode(), second.err.text());
            first.type("still here\n");
            first.out.await("STILL HERE!\n");
            first.endInput();
            assertEquals(0, first.exitCode(), first.err.text());
        }
        transcript.awaitCount("server ended: client said bye", 2);
    }

    @Test
    void aSilentClientIsToldItWasIdle() throws Exception {
        String port = start(Limits.idle(Duration.ofSeconds(1)));
        try (OsProcess client = client(port)) {
            client.type("hello\n");
            client.out.await("HELLO!\n");
            assertEquals(1, client.exitCode(), "a failure ending; stderr: " + client.err.text());
            assertTrue(client.err.text().contains("idle: no message for 1s (idle timeout)"), client.err.text());
        }
        transcript.await("server ended: idle: no message for 1s \\(idle timeout\\); told the client");
    }

    @Test
    void aKilledClientEndsItsConversationAndTheServerGoesOn() throws Exception {
        String port = start(Limits.idle(Duration.ofSeconds(30)));
        try (OsProcess client = client(port)) {
            client.type("hello\n");
            client.out.await("HELLO!\n");
            client.process.destroyForcibly().waitFor();
        }
        String ending = transcript.await("server ended: (.*)\n");
        assertTrue(ending.equals("client closed the connection without bye") || ending.startsWith("connection to client lost"), ending);
        try (OsProcess next = client(port)) {
            next.type("next\n");
            next.out.await("NEXT!\n");
            next.type("bye\n");
            assertEquals(0, next.exitCode(), next.err.text());
        }
    }
}
