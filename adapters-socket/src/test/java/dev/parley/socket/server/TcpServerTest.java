package dev.parley.socket.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.responder.Responder;
import dev.parley.core.session.Limits;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Outcome.Ending;
import dev.parley.core.session.Session;
import dev.parley.core.wire.LineFraming;
import dev.parley.socket.NetworkException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Netty server over loopback, as clients on the network see it: real sockets, real event loops. */
@Timeout(30)
class TcpServerTest {

    final RecordingEvents events = new RecordingEvents();
    final List<TcpServer> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(s -> s.stop(Duration.ofSeconds(1)));
    }

    private TcpServer echoServer(int maxConversations, Limits limits, int maxLineBytes) throws NetworkException {
        return server("127.0.0.1", maxConversations, limits, maxLineBytes, Responder.echo());
    }

    TcpServer server(String bind, int max, Limits limits, int maxLineBytes, Responder responder) throws NetworkException {
        LineFraming framing = new LineFraming(maxLineBytes);
        ServerSettings settings = new ServerSettings(bind, 0, framing, limits, max);
        TcpServer server = new TcpServer(settings, handle -> new Conversation(Session.server(framing, limits, responder),
                Conversation.NO_OPERATOR, events.transcript(handle.id())), events);
        server.start();
        servers.add(server);
        return server;
    }

    private TcpServer echoServer() throws NetworkException {
        return echoServer(100, new Limits(Duration.ofSeconds(10), Duration.ofSeconds(10)), 1024);
    }

    @Test
    void reportsTheRealPortWhenAskedForPortZero() throws Exception {
        TcpServer server = echoServer();
        assertTrue(server.port() > 0);
        assertEquals("127.0.0.1:" + server.port(), server.address());
        assertEquals(List.of("listening 127.0.0.1:" + server.port()), events.lines());
    }

    @Test
    void runsConversationsConcurrentlyAndKeepsThemApart() throws Exception {
        TcpServer server = echoServer();
        List<WireClient> clients = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            clients.add(new WireClient(server.port()));
        }
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < clients.size(); i++) {
                assertEquals("client " + i + " round " + round, clients.get(i).ask("client " + i + " round " + round));
            }
        }
        assertEquals(8, server.openConversations(), "all eight are open at once");
        for (WireClient client : clients) {
            client.send("bye\n");
            assertTrue(client.serverClosed());
            client.close();
        }
        assertTrue(events.awaitEnded(8).stream().allMatch(o -> o.ending() == Ending.PEER_SAID_BYE));
    }

    @Test
    void aClientOverTheLimitIsToldItIsBusyAndTheOthersGoOn() throws Exception {
        TcpServer server = echoServer(2, new Limits(Duration.ofSeconds(10), Duration.ofSeconds(10)), 1024);
        try (WireClient a = new WireClient(server.port()); WireClient b = new WireClient(server.port())) {
            assertEquals("a", a.ask("a"));
            assertEquals("b", b.ask("b"));
            try (WireClient extra = new WireClient(server.port())) {
                assertEquals("!busy: 2 conversations open, the most this server takes; try again later", extra.readLine());
                assertTrue(extra.serverClosed());
            }
            assertEquals("a again", a.ask("a again"));
            assertEquals("b again", b.ask("b again"));
        }
        assertTrue(events.lines().contains("refused busy: 2 conversations open, the most this server takes; try again later"),
                events.lines().toString());
    }

    @Test
    void anIdlePeerIsDisconnectedAndTheServerGoesOn() throws Exception {
        TcpServer server = echoServer(10, new Limits(Duration.ofMillis(300), Duration.ofSeconds(10)), 1024);
        try (WireClient idle = new WireClient(server.port())) {
            assertEquals("!idle: no message for 300ms (idle timeout)", idle.readLine(), "told why, not just closed");
            assertTrue(idle.serverClosed());
        }
        Outcome outcome = events.awaitEnded(1).get(0);
        assertEquals(Ending.IDLE_TIMEOUT, outcome.ending());
        assertEquals("idle: no message for 300ms (idle timeout)", outcome.detail());
        try (WireClient next = new WireClient(server.port())) {
            assertEquals("served", next.ask("served"));
        }
    }

    @Test
    void aSlowSenderCannotHoldAConversationAndOthersAreServedMeanwhile() throws Exception {
        TcpServer server = echoServer(10, new Limits(Duration.ofSeconds(5), Duration.ofMillis(600)), 1024);
        try (WireClient slow = new WireClient(server.port()); WireClient normal = new WireClient(server.port())) {
            boolean cut = false;
            for (int i = 0; i < 30 && !cut; i++) {
                try {
                    slow.send("x");
                    assertEquals("meanwhile " + i, normal.ask("meanwhile " + i));
                    Thread.sleep(100);
                } catch (IOException e) {
                    cut = true;
                }
            }
            assertEquals("!too slow: a message not finished within 600ms (line timeout)", slow.readLine(), "told why");
            assertTrue(slow.serverClosed());
        }
        Outcome outcome = events.awaitEnded(1).get(0);
        assertEquals(Ending.LINE_TIMEOUT, outcome.ending());
        assertEquals("too slow: a message not finished within 600ms (line timeout)", outcome.detail());
    }

    @Test
    void aPeerThatHalfClosesAfterItsLastMessageStillGetsItsReply() throws Exception {
        TcpServer server = echoServer();
        try (WireClient client = new WireClient(server.port())) {
            client.send("first\nlast\n");
            client.socket.shutdownOutput();
            assertEquals("first", client.readLine());
            assertEquals("last", client.readLine());
            assertNull(client.readLine());
        }
        assertEquals(Ending.PEER_CLOSED, events.awaitEnded(1).get(0).ending());
    }

    @Test
    void anUnterminatedLastLineBeforeTheEndIsCutOffNotAnswered() throws Exception {
        TcpServer server = echoServer();
        try (WireClient client = new WireClient(server.port())) {
            client.send("no newline");
            client.socket.shutdownOutput();
            assertNull(client.readLine());
        }
        Outcome outcome = events.awaitEnded(1).get(0);
        assertEquals(Ending.PEER_CUT_OFF, outcome.ending());
        assertEquals("no newline", outcome.detail());
    }

    @Test
    void aResetEndsOnlyThatConversation() throws Exception {
        TcpServer server = echoServer();
        try (WireClient other = new WireClient(server.port())) {
            assertEquals("before", other.ask("before"));
            WireClient rude = new WireClient(server.port());
            assertEquals("hi", rude.ask("hi"));
            rude.send("half a li");
            rude.reset();
            Outcome outcome = events.awaitEnded(1).get(0);
            assertEquals(Ending.PEER_LOST, outcome.ending());
            assertEquals("connection reset by peer", outcome.detail());
            assertEquals("after", other.ask("after"));
        }
    }

    @Test
    void anOverlongLineIsAnsweredWithAnErrorLineAndTheConnectionClosed() throws Exception {
        TcpServer server = echoServer(10, new Limits(Duration.ofSeconds(10), Duration.ofSeconds(10)), 64);
        try (WireClient client = new WireClient(server.port())) {
            assertEquals("fits", client.ask("fits"));
            client.send("y".repeat(65) + "\n");
            assertEquals("!line longer than 64 bytes", client.readLine());
            assertTrue(client.serverClosed());
        }
        assertEquals(Ending.PEER_LINE_TOO_LONG, events.awaitEnded(1).get(0).ending());
        try (WireClient next = new WireClient(server.port())) {
            assertEquals("still serving", next.ask("still serving"));
        }
    }

    @Test
    void invalidUtf8AndControlBytesAreCarriedNotFatal() throws Exception {
        TcpServer server = echoServer();
        try (WireClient client = new WireClient(server.port())) {
            client.sendBytes(new byte[] {'a', (byte) 0xFF, 0, 0x1B, '[', '2', 'J', '\n'});
            assertEquals("a\uFFFD\u0000\u001B[2J", client.readLine());
            assertEquals("ok", client.ask("ok"));
        }
    }

    @Test
    void aConnectionClosedAtOnceHarmsNoOne() throws Exception {
        TcpServer server = echoServer();
        new WireClient(server.port()).close();
        assertEquals(Ending.PEER_CLOSED, events.awaitEnded(1).get(0).ending());
        try (WireClient next = new WireClient(server.port())) {
            assertEquals("fine", next.ask("fine"));
        }
    }

    @Test
    void aCrashInOneConversationIsReportedAndTheServerGoesOn() throws Exception {
        Responder crashing = (turn, heard) -> {
            if (heard.equals("crash")) {
                throw new IllegalStateException("responder exploded");
            }
            return heard;
        };
        TcpServer server = server("127.0.0.1", 10, new Limits(Duration.ofSeconds(10), Duration.ofSeconds(10)), 1024, crashing);
        try (WireClient client = new WireClient(server.port())) {
            client.send("crash\n");
            assertTrue(client.serverClosed());
        }
        events.await("crashed 1 responder exploded");
        try (WireClient next = new WireClient(server.port())) {
            assertEquals("fine", next.ask("fine"));
            // The crashed connection's slot comes back when its channel is inactive, which the event
            // loop may run just after the client saw the close: wait for it, then count.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.openConversations() > 1 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(1, server.openConversations(), "the crashed one gave its slot back; only the next is open");
        }
    }

    @Test
    void stoppingSaysByeToEveryOpenConversation() throws Exception {
        TcpServer server = echoServer();
        try (WireClient a = new WireClient(server.port()); WireClient b = new WireClient(server.port())) {
            assertEquals("a", a.ask("a"));
            assertEquals("b", b.ask("b"));
            server.stop(Duration.ofSeconds(2));
            assertEquals("bye", a.readLine());
            assertEquals("bye", b.readLine());
            assertTrue(a.serverClosed());
            assertTrue(b.serverClosed());
        }
        server.awaitStopped();
        assertEquals(0, server.openConversations());
        assertTrue(events.awaitEnded(2).stream().allMatch(o -> o.ending() == Ending.STOPPED));
        assertThrows(IOException.class, () -> new WireClient(server.port()).ask("anyone?"));
    }

    @Test
    void aPortInUseIsOneClearError() throws Exception {
        TcpServer server = echoServer();
        ServerSettings same = new ServerSettings("127.0.0.1", server.port(), new LineFraming(), Limits.NONE, 1);
        NetworkException e = assertThrows(NetworkException.class, () -> new TcpServer(same, handle -> null, events).start());
        assertEquals("cannot listen on 127.0.0.1:" + server.port() + ": address already in use", e.getMessage());
    }

    @Test
    void servesOverIpv6() throws Exception {
        TcpServer server = server("::1", 10, Limits.NONE, 1024, Responder.echo());
        assertEquals("[::1]:" + server.port(), server.address());
        try (java.net.Socket socket = new java.net.Socket("::1", server.port())) {
            socket.getOutputStream().write("over six\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            byte[] reply = socket.getInputStream().readNBytes(9);
            assertEquals("over six\n", new String(reply, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void aConversationsEndingMayStopTheServerFromItsOwnEventLoopAndStoppingAgainIsHarmless() throws Exception {
        TcpServer[] self = new TcpServer[1];
        LineFraming framing = new LineFraming();
        Limits limits = new Limits(Duration.ofSeconds(10), Duration.ofSeconds(10));
        self[0] = new TcpServer(new ServerSettings("127.0.0.1", 0, framing, limits, 10),
                handle -> new Conversation(Session.server(framing, limits, Responder.echo()), Conversation.NO_OPERATOR,
                        dev.parley.core.port.Transcript.endingOnly(outcome -> {
                            events.transcript(handle.id()).ended(outcome);
                            self[0].stop(Duration.ofSeconds(1)); // from the conversation's own event loop
                        })), events);
        TcpServer server = self[0];
        server.start();
        servers.add(server);
        try (WireClient client = new WireClient(server.port())) {
            assertEquals("once", client.ask("once"));
            client.send("bye\n");
            assertTrue(client.serverClosed());
        }
        server.awaitStopped(); // as --once: the ending stopped the server without deadlocking its loop
        server.stop(Duration.ZERO);
        server.stop(Duration.ZERO);
        assertThrows(IOException.class, () -> new WireClient(server.port()).ask("anyone?"));
    }
}
