package dev.parley.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.Conversation;
import dev.parley.core.EchoOperator;
import dev.parley.core.Operator;
import dev.parley.core.Outcome;
import dev.parley.core.Outcome.Ending;
import dev.parley.core.Role;
import dev.parley.core.ScriptedOperator;
import dev.parley.core.testkit.RecordingTranscript;
import dev.parley.core.wire.LineFraming;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every conversation server must do, over loopback: concurrency, limits, timeouts and hostile
 * peers. Run against each implementation.
 */
@Timeout(30)
abstract class ServerContract {

    /** The implementation under test. */
    abstract ConversationServer create(ServerSettings settings, ConversationFactory factory, ServerEvents events);

    final RecordingEvents events = new RecordingEvents();
    final List<ConversationServer> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(s -> s.stop(Duration.ofSeconds(1)));
    }

    private ConversationServer echoServer(int maxConversations, Limits limits, int maxLineBytes) throws NetworkException {
        return server(maxConversations, limits, maxLineBytes, false, new EchoOperator());
    }

    ConversationServer server(int max, Limits limits, int maxLineBytes, boolean serial, Operator operator)
            throws NetworkException {
        ServerSettings settings = new ServerSettings("127.0.0.1", 0, new LineFraming(maxLineBytes), max, limits, serial);
        ConversationServer server = create(settings,
                (id, peer) -> new Conversation(Role.SERVER, peer, operator, new RecordingTranscript()), events);
        server.start();
        servers.add(server);
        return server;
    }

    private ConversationServer echoServer() throws NetworkException {
        return echoServer(100, new Limits(Duration.ofSeconds(10), Duration.ofSeconds(10)), 1024);
    }

    @Test
    void reportsTheRealPortWhenAskedForPortZero() throws Exception {
        ConversationServer server = echoServer();
        assertTrue(server.port() > 0);
        assertEquals("127.0.0.1:" + server.port(), server.address());
        assertEquals(List.of("listening 127.0.0.1:" + server.port()), events.lines());
    }

    @Test
    void runsConversationsConcurrentlyAndKeepsThemApart() throws Exception {
        ConversationServer server = echoServer();
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
        ConversationServer server = echoServer(2, new Limits(Duration.ofSeconds(10), Duration.ofSeconds(10)), 1024);
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
        assertTrue(events.lines().contains("busy 2"));
    }

    @Test
    void anIdlePeerIsDisconnectedAndTheServerGoesOn() throws Exception {
        ConversationServer server = echoServer(10, new Limits(Duration.ofMillis(300), Duration.ofSeconds(10)), 1024);
        try (WireClient idle = new WireClient(server.port())) {
            assertTrue(idle.serverClosed());
        }
        Outcome outcome = events.awaitEnded(1).get(0);
        assertEquals(Ending.PEER_LOST, outcome.ending());
        assertEquals("no message for 300ms (idle timeout)", outcome.detail());
        try (WireClient next = new WireClient(server.port())) {
            assertEquals("served", next.ask("served"));
        }
    }

    @Test
    void aSlowSenderCannotHoldAConversationAndOthersAreServedMeanwhile() throws Exception {
        ConversationServer server = echoServer(10, new Limits(Duration.ofSeconds(5), Duration.ofMillis(600)), 1024);
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
            assertTrue(slow.serverClosed());
        }
        Outcome outcome = events.awaitEnded(1).get(0);
        assertEquals(Ending.PEER_LOST, outcome.ending());
        assertEquals("message not finished within 600ms (line timeout)", outcome.detail());
    }

    @Test
    void aPeerThatHalfClosesAfterItsLastMessageStillGetsItsReply() throws Exception {
        ConversationServer server = echoServer();
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
    void anUnterminatedLastMessageBeforeTheEndIsAnsweredToo() throws Exception {
        ConversationServer server = echoServer();
        try (WireClient client = new WireClient(server.port())) {
            client.send("no newline");
            client.socket.shutdownOutput();
            assertEquals("no newline", client.readLine());
        }
    }

    @Test
    void aResetEndsOnlyThatConversation() throws Exception {
        ConversationServer server = echoServer();
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
        ConversationServer server = echoServer(10, new Limits(Duration.ofSeconds(10), Duration.ofSeconds(10)), 64);
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
        ConversationServer server = echoServer();
        try (WireClient client = new WireClient(server.port())) {
            client.sendBytes(new byte[] {'a', (byte) 0xFF, 0, 0x1B, '[', '2', 'J', '\n'});
            assertEquals("a\uFFFD\u0000\u001B[2J", client.readLine());
            assertEquals("ok", client.ask("ok"));
        }
    }

    @Test
    void aConnectionClosedAtOnceHarmsNoOne() throws Exception {
        ConversationServer server = echoServer();
        new WireClient(server.port()).close();
        assertEquals(Ending.PEER_CLOSED, events.awaitEnded(1).get(0).ending());
        try (WireClient next = new WireClient(server.port())) {
            assertEquals("fine", next.ask("fine"));
        }
    }

    @Test
    void aCrashInOneConversationIsReportedAndTheServerGoesOn() throws Exception {
        Operator crashing = heard -> {
            if (heard.orElse("").equals("crash")) {
                throw new IllegalStateException("operator exploded");
            }
            return heard;
        };
        ConversationServer server = server(10, new Limits(Duration.ofSeconds(10), Duration.ofSeconds(10)), 1024, false, crashing);
        try (WireClient client = new WireClient(server.port())) {
            client.send("crash\n");
            assertTrue(client.serverClosed());
        }
        events.awaitEnded(1);
        assertTrue(events.lines().contains("crashed 1 operator exploded"), events.lines().toString());
        try (WireClient next = new WireClient(server.port())) {
            assertEquals("fine", next.ask("fine"));
        }
    }

    @Test
    void stoppingSaysByeToEveryOpenConversation() throws Exception {
        ConversationServer server = echoServer();
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
        ConversationServer server = echoServer();
        ServerSettings same = new ServerSettings("127.0.0.1", server.port(), new LineFraming(), 1, Limits.NONE, false);
        NetworkException e = assertThrows(NetworkException.class,
                () -> create(same, (id, peer) -> null, events).start());
        assertEquals("cannot listen on 127.0.0.1:" + server.port() + ": address already in use", e.getMessage());
    }

    @Test
    void connectingReportsRefusedAndUnknownHostsInOneLine() throws Exception {
        ConversationServer server = echoServer();
        int port = server.port();
        server.stop(Duration.ZERO);
        server.awaitStopped();
        NetworkException refused = assertThrows(NetworkException.class,
                () -> SocketConnector.connect("127.0.0.1", port, Duration.ofSeconds(2), new LineFraming(), Limits.NONE));
        assertEquals("cannot connect to 127.0.0.1:" + port + ": connection refused", refused.getMessage());
        NetworkException unknown = assertThrows(NetworkException.class,
                () -> SocketConnector.connect("no-such-host.invalid", 1234, Duration.ofSeconds(2), new LineFraming(), Limits.NONE));
        assertEquals("cannot connect to no-such-host.invalid:1234: unknown host", unknown.getMessage());
    }

    @Test
    void servesOverIpv6() throws Exception {
        ServerSettings settings = new ServerSettings("::1", 0, new LineFraming(), 10, Limits.NONE, false);
        ConversationServer server = create(settings,
                (id, peer) -> new Conversation(Role.SERVER, peer, new EchoOperator(), new RecordingTranscript()), events);
        server.start();
        servers.add(server);
        assertEquals("[::1]:" + server.port(), server.address());
        SocketPeer peer = SocketConnector.connect("::1", server.port(), Duration.ofSeconds(2), new LineFraming(), Limits.NONE);
        RecordingTranscript transcript = new RecordingTranscript();
        new Conversation(Role.CLIENT, peer, ScriptedOperator.saying("over six", "bye"), transcript).run();
        assertEquals(List.of("over six"), transcript.heard());
    }

    @Test
    void theClientConnectorCarriesAConversation() throws Exception {
        ConversationServer server = echoServer();
        SocketPeer peer = SocketConnector.connect("localhost", server.port(), Duration.ofSeconds(2), new LineFraming(), Limits.NONE);
        RecordingTranscript transcript = new RecordingTranscript();
        Outcome outcome = new Conversation(Role.CLIENT, peer,
                heard -> heard.isEmpty() ? Optional.of("h\u00e9llo") : Optional.of("bye"), transcript).run();
        assertEquals(Ending.SAID_BYE, outcome.ending());
        assertEquals(List.of("h\u00e9llo"), transcript.heard());
        assertEquals(Ending.PEER_SAID_BYE, events.awaitEnded(1).get(0).ending());
    }
}
