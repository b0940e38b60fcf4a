package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * A hostile network against one running server (the real jar, echo responder, a 64 MiB heap), over
 * loopback. After each hostile case a normal client must be served correctly, and at the end the
 * server's resident memory must not have grown beyond what its limits allow.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileNetworkIT {

    /** The most the server's RSS may grow over the whole suite (its heap alone is capped at 64 MiB). */
    private static final long RSS_GROWTH_LIMIT_KIB = 48 * 1024;

    private static OsProcess server;
    private static int port;
    private static long rssBefore;
    private static int served;

    @BeforeAll
    static void startServer() throws Exception {
        server = OsProcess.parley(List.of("-Xms64m", "-Xmx64m"), "server", "--port", "0", "--responder", "echo",
                "--max-line-bytes", "65536", "--max-conversations", "100", "--line-timeout", "30s");
        port = server.port();
        normalClientIsServed(); // warm up before the baseline
        rssBefore = server.rssKib();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            System.out.println("hostile suite: what the server said\n" + server.err.text());
            server.signal("TERM");
            server.exitCode();
        }
    }

    @AfterEach
    void aNormalClientIsServedAfterEachCase() throws Exception {
        normalClientIsServed();
    }

    /** The pattern of the log's name for {@code wire}'s conversation: {@code conversation N with 127.0.0.1:PORT}. */
    private static String conversation(Wire wire) {
        return "conversation \\d+ with 127\\.0\\.0\\.1:" + wire.socket.getLocalPort();
    }

    private static void normalClientIsServed() throws IOException {
        try (Wire client = new Wire(port)) {
            String text = "normal client " + (++served) + " h\u00e9llo";
            assertEquals(text, client.ask(text));
            client.send("bye\n");
            assertTrue(client.closedByServer());
        }
    }

    @Test
    @Order(1)
    void aTenMebibyteLineWithNoNewlineIsRefusedWithoutBeingBuffered() throws Exception {
        try (Wire hostile = new Wire(port)) {
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'x');
            try {
                for (int i = 0; i < 160; i++) {
                    hostile.out.write(chunk);
                }
            } catch (IOException e) {
                // the server gave up on this connection while we were still sending: expected
            }
            String answer = hostile.readLineOrNull();
            assertEquals("!line longer than 65536 bytes", answer, "told why: the server drains the rest before it closes");
        }
        server.err.await("ended: line longer than 65536 bytes; told the client and closed the connection");
    }

    @Test
    @Order(2)
    void invalidUtf8BecomesReplacementCharacters() throws Exception {
        try (Wire hostile = new Wire(port)) {
            hostile.out.write(new byte[] {'a', (byte) 0xC3, '(', (byte) 0xFF, (byte) 0xF0, (byte) 0x9F, '\n'});
            assertArrayEquals("a\uFFFD(\uFFFD\uFFFD\n".getBytes(StandardCharsets.UTF_8), hostile.readLineBytes());
        }
    }

    @Test
    @Order(3)
    void nulBytesAreCarried() throws Exception {
        try (Wire hostile = new Wire(port)) {
            assertEquals("a\u0000b\u0000", hostile.ask("a\u0000b\u0000"));
        }
    }

    @Test
    @Order(4)
    void terminalEscapeSequencesNeverReachTheServersTerminal() throws Exception {
        String attack = "\u001B[2J\u001B]0;pwned\u0007\u009B31m\u202Eevil";
        try (Wire hostile = new Wire(port)) {
            assertEquals(attack, hostile.ask(attack), "an echo gives back what it got; the client renders it");
        }
        assertFalse(server.err.text().contains("\u001B"), "nothing raw on the server's terminal");
        assertFalse(server.out.text().contains("\u001B"));
    }

    @Test
    @Order(5)
    void aLoneCarriageReturnIsContent() throws Exception {
        try (Wire hostile = new Wire(port)) {
            assertEquals("a\rb", hostile.ask("a\rb"));
            hostile.send("\r\n");
            assertEquals("", hostile.readLineOrNull());
        }
    }

    @Test
    @Order(6)
    void sixtyFourKibibytesOfRandomBytesEndOnlyThatConversation() throws Exception {
        byte[] noise = new byte[64 * 1024];
        new Random(20261125).nextBytes(noise);
        try (Wire hostile = new Wire(port)) {
            String conversation = conversation(hostile);
            hostile.out.write(noise);
            hostile.socket.shutdownOutput();
            hostile.drain(); // to the server's close: a read that waits past Wire's timeout (20 s) fails the test
            String ending = server.err.await(conversation + " ended: ([^\n]*)");
            System.out.println("hostile suite: 64 KiB of noise: " + ending);
            String log = server.err.text();
            long endings = log.lines().filter(line -> line.matches(conversation + " ended: .*")).count();
            assertEquals(1, endings, "one ending, for this conversation alone:\n" + log);
            assertFalse(log.contains("a bug: please report it"), "no crash:\n" + log);
        }
    }

    @Test
    @Order(7)
    void aSlowSenderHoldsNothingUpWhileOthersAreServed() throws Exception {
        try (Wire slow = new Wire(port)) {
            byte[] line = "slow but steady\n".getBytes(StandardCharsets.UTF_8);
            for (byte b : line) {
                slow.out.write(b);
                slow.out.flush();
                normalClientIsServed();
                Thread.sleep(100); // the sender's pace, not a synchronisation: a byte every normal exchange and then some
            }
            assertEquals("slow but steady", slow.readLineOrNull());
        }
    }

    @Test
    @Order(8)
    void aPeerThatHalfClosesAfterAMessageStillGetsItsReply() throws Exception {
        try (Wire hostile = new Wire(port)) {
            hostile.send("last words\n");
            hostile.socket.shutdownOutput();
            assertEquals("last words", hostile.readLineOrNull());
            assertTrue(hostile.closedByServer());
        }
    }

    @Test
    @Order(9)
    void aResetInTheMiddleOfALineEndsOnlyThatConversation() throws Exception {
        Wire hostile = new Wire(port);
        hostile.send("half a li");
        hostile.reset();
        server.err.await("ended: connection to client lost: connection reset by peer");
    }

    @Test
    @Order(10)
    void aConnectionClosedAtOnceHarmsNoOne() throws Exception {
        String conversation;
        try (Wire closed = new Wire(port)) {
            conversation = conversation(closed);
        }
        server.err.await(conversation + " ended: client closed the connection without bye\n");
    }

    @Test
    @Order(11)
    void memoryStaysBoundedOverTheWholeSuite() throws Exception {
        long rssAfter = server.rssKib();
        System.out.println("hostile suite: server RSS before " + rssBefore + " KiB, after " + rssAfter + " KiB");
        assertTrue(rssAfter - rssBefore < RSS_GROWTH_LIMIT_KIB,
                "RSS grew from " + rssBefore + " to " + rssAfter + " KiB");
    }

    @Test
    @Order(12)
    void aFloodOfTenTimesTheLimitIsToldBusyAndEveryAdmittedConversationCompletes() throws Exception {
        int limit = 20;
        try (OsProcess flooded = OsProcess.parley("server", "--port", "0", "--responder", "echo",
                "--max-conversations", String.valueOf(limit), "--max-per-address", "1000")) {
            int floodPort = flooded.port();
            List<Wire> wires = new ArrayList<>();
            for (int i = 0; i < 10 * limit; i++) {
                wires.add(new Wire(floodPort));
            }
            List<Wire> admitted = new ArrayList<>();
            int busy = 0;
            for (Wire wire : wires) {
                wire.send("hello\n");
                String first = wire.readLineOrNull();
                if (first != null && first.startsWith("!busy: ")) {
                    busy++;
                    assertTrue(wire.closedByServer());
                } else {
                    assertEquals("hello", first);
                    admitted.add(wire);
                }
            }
            assertEquals(limit, admitted.size());
            assertEquals(9 * limit, busy);
            for (int i = 0; i < admitted.size(); i++) {
                Wire wire = admitted.get(i);
                for (int m = 0; m < 5; m++) {
                    assertEquals("conversation " + i + " message " + m, wire.ask("conversation " + i + " message " + m));
                }
                wire.send("bye\n");
                assertTrue(wire.closedByServer());
            }
            for (Wire wire : wires) {
                wire.close();
            }
            flooded.signal("TERM");
            assertEquals(0, flooded.exitCode());
        }
    }
}
