package dev.parley.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.port.Transcript;
import dev.parley.core.responder.Responder;
import dev.parley.core.session.Limits;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Refusal;
import dev.parley.core.session.Session;
import dev.parley.core.wire.LineFraming;
import dev.parley.socket.server.Conversation;
import dev.parley.socket.server.ConversationHandle;
import dev.parley.socket.server.ServerEvents;
import dev.parley.socket.server.ServerSettings;
import dev.parley.socket.server.TcpServer;
import dev.parley.socket.tls.ClientTls;
import dev.parley.socket.tls.Identity;
import dev.parley.socket.tls.ServerTls;
import dev.parley.socket.tls.TlsProvider;
import dev.parley.socket.tls.ServerTrust;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The load generator of {@code parley bench} against an in-process {@link TcpServer} on loopback
 * (an echo, or a responder that answers wrong or leaves early) and against sockets that refuse or
 * never answer: what it counts, and each way a run fails, in one line.
 */
@Timeout(60)
class LoadGeneratorTest {

    private static final TlsProvider PROVIDER = chosen();

    private static final LineFraming FRAMING = new LineFraming();
    private static final Limits LIMITS = new Limits(Duration.ofSeconds(30), Duration.ofSeconds(30));
    private static final Identity SERVER = Identity.generate("server");
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    /** Every message a server's responder heard, in the order it heard them (across conversations). */
    private final Queue<String> heard = new ConcurrentLinkedQueue<>();
    private final Queue<Outcome> endings = new ConcurrentLinkedQueue<>();
    /** The client address of each conversation the server opened, as {@code host:port}. */
    private final Queue<String> remotes = new ConcurrentLinkedQueue<>();
    private CountDownLatch ended;
    private TcpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(Duration.ofSeconds(1));
        }
    }

    /** A server on loopback whose conversations answer with {@code responder}; {@code conversations} of them are expected to end. */
    private int serve(Responder responder, ServerTls tls, int conversations) throws Exception {
        return serve(responder, tls, conversations, new ServerSettings("127.0.0.1", 0, FRAMING, LIMITS, 100));
    }

    private int serve(Responder responder, ServerTls tls, int conversations, ServerSettings settings) throws Exception {
        ended = new CountDownLatch(conversations);
        Responder recording = (turn, message) -> {
            heard.add(message);
            return responder.reply(turn, message);
        };
        server = new TcpServer(settings,
                handle -> {
                    remotes.add(handle.remote());
                    return new Conversation(Session.server(FRAMING, LIMITS, recording), Conversation.NO_OPERATOR,
                        Transcript.endingOnly(outcome -> {
                            endings.add(outcome);
                            ended.countDown();
                        }));
                }, QUIET, tls);
        server.start();
        return server.port();
    }

    private static LoadGenerator.Plan plan(int port, int conversations, int messages, int bytes) {
        return new LoadGenerator.Plan("127.0.0.1", port, conversations, messages, bytes, PATIENCE, PATIENCE);
    }

    private static ClientTls pinned(String fingerprint) {
        return new ClientTls(new ServerTrust("127.0.0.1:1", Optional.of(fingerprint), null, hostPort -> List.of(), false), () -> {
            throw new IllegalStateException("this server asks no client for its identity");
        }, PROVIDER);
    }

    /** Both sides on the provider the program would choose, as parley bench and the server do (CI runs both). */
    private static TlsProvider chosen() {
        try {
            return TlsProvider.choose(System.getenv(TlsProvider.VARIABLE)).provider();
        } catch (TlsProvider.UnknownException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Test
    void everyConversationSaysEachOfItsMessagesOnceAndEveryReplyIsTimed() throws Exception {
        int port = serve(Responder.echo(), null, 6);
        LoadGenerator.Plan plan = plan(port, 6, 7, 50);
        LoadGenerator.Result result = new LoadGenerator(plan).run();

        assertEquals(plan, result.plan());
        assertFalse(result.tls());
        assertEquals(42, result.roundTrips());
        assertEquals(42, result.latencyNanos().getTotalCount(), "one latency for each reply");
        assertTrue(result.latencyNanos().getMinValue() > 0);
        assertEquals(42, heard.size(), "the server heard each message once, and no bye as a message");
        assertEquals(42, new HashSet<>(heard).size(), "every message differs from every other");
        assertTrue(heard.stream().allMatch(m -> m.length() == 50), "each of the size asked: " + heard);
        assertTrue(heard.contains("5.6 efghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwx"), "conversation 5's last message: " + heard);

        assertTrue(ended.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), "every conversation ended on the server: " + endings);
        assertTrue(endings.stream().allMatch(o -> o.ending() == Outcome.Ending.PEER_SAID_BYE), "each said bye: " + endings);
    }

    @Test
    void overTlsEachConversationHandshakesWithThePinnedServer() throws Exception {
        int port = serve(Responder.echo(), ServerTls.create(SERVER, Optional.empty(), Duration.ofSeconds(10), PROVIDER), 3);
        LoadGenerator.Result result = new LoadGenerator(plan(port, 3, 4, 20), pinned(SERVER.fingerprint()), LoadGenerator.Watcher.NONE).run();
        assertTrue(result.tls());
        assertEquals(12, result.roundTrips());
        assertEquals(12, result.latencyNanos().getTotalCount());
        assertEquals(12, heard.size());
        assertTrue(ended.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), "every conversation ended on the server: " + endings);
    }

    @Test
    void aServerWithAnotherKeyIsRefusedBeforeAnythingIsSent() throws Exception {
        int port = serve(Responder.echo(), ServerTls.create(SERVER, Optional.empty(), Duration.ofSeconds(10), PROVIDER), 0);
        String other = Identity.generate("other").fingerprint();
        LoadGenerator.BenchFailure e = assertThrows(LoadGenerator.BenchFailure.class,
                () -> new LoadGenerator(plan(port, 2, 3, 10), pinned(other), LoadGenerator.Watcher.NONE).run());
        assertEquals("cannot connect to 127.0.0.1:" + port + ": the server's key is " + SERVER.fingerprint()
                + ", not the one given with --fingerprint", e.getMessage());
        assertTrue(heard.isEmpty());
    }

    @Test
    void aRefusedConnectionFailsTheRunSayingWhereAndHowFarItGot() throws Exception {
        try (SocketChannel bound = SocketChannel.open()) {
            bound.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)); // a port held, where no one listens
            int port = ((InetSocketAddress) bound.getLocalAddress()).getPort();
            LoadGenerator.BenchFailure e = assertThrows(LoadGenerator.BenchFailure.class,
                    () -> new LoadGenerator(plan(port, 3, 1, 10)).run());
            assertEquals("cannot connect to 127.0.0.1:" + port + ": connection refused (after 0 connections)", e.getMessage());
        }
    }

    @Test
    void aWrongReplyFailsTheRunNamingTheConversationAndDescribingTheReply() throws Exception {
        int port = serve((turn, message) -> turn == 2 ? message.toUpperCase(java.util.Locale.ROOT) : message, null, 1);
        LoadGenerator generator = new LoadGenerator(plan(port, 1, 5, 60));
        LoadGenerator.BenchFailure e = assertThrows(LoadGenerator.BenchFailure.class, generator::run);
        String expected = generator.message(0, 2);
        // The server's reply is described, never quoted: its text is the server's, and goes nowhere raw.
        assertEquals("conversation 0: reply 3 was not '" + expected.substring(0, 40) + "...', the message sent: it has 60 characters"
                + " and differs from character 5 (is the server an echo server?)", e.getMessage());
        assertEquals(3, heard.size(), "nothing is said after the wrong reply");
    }

    @Test
    void aServerThatLeavesBeforeTheLastReplyFailsTheRun() throws Exception {
        int port = serve((turn, message) -> turn < 2 ? message : "bye", null, 1);
        LoadGenerator.BenchFailure e = assertThrows(LoadGenerator.BenchFailure.class,
                () -> new LoadGenerator(plan(port, 1, 5, 10)).run());
        assertEquals("conversation 0: the server ended the conversation before reply 3: server said bye", e.getMessage());
    }

    @Test
    void aServerThatNeverAnswersIsAStallNamedWithItsOption() throws Exception {
        try (ServerSocketChannel mute = ServerSocketChannel.open()) {
            mute.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10); // connections wait in its backlog, never accepted
            int port = ((InetSocketAddress) mute.getLocalAddress()).getPort();
            LoadGenerator.Plan plan = new LoadGenerator.Plan("127.0.0.1", port, 2, 3, 10, PATIENCE, Duration.ofMillis(300));
            LoadGenerator.BenchFailure e = assertThrows(LoadGenerator.BenchFailure.class, () -> new LoadGenerator(plan).run());
            assertEquals("no reply for 300ms (--reply-timeout); 0 of 2 conversations finished; is it an echo server?", e.getMessage());
        }
    }

    @Test
    void againstLoopbackTheConversationsComeFrom254AddressesInTurn() throws Exception {
        // One conversation from each address at most: a server that takes one from an address takes them all.
        int port = serve(Responder.echo(), null, 254, new ServerSettings("127.0.0.1", 0, FRAMING, LIMITS, 254, 1, 1 << 30, 300));
        LoadGenerator.Result result = new LoadGenerator(plan(port, 254, 2, 10)).run();
        assertEquals(508, result.roundTrips());
        Set<String> hosts = new HashSet<>();
        remotes.forEach(remote -> hosts.add(remote.substring(0, remote.lastIndexOf(':'))));
        assertEquals(254, remotes.size());
        assertEquals(254, hosts.size(), "each from an address of its own: " + hosts);
        assertTrue(hosts.contains("127.0.0.1") && hosts.contains("127.0.0.254"), hosts.toString());
    }

    @Test
    void oneConversationComesFromTheAddressTheSystemPicks() throws Exception {
        int port = serve(Responder.echo(), null, 1);
        new LoadGenerator(plan(port, 1, 1, 10)).run();
        assertEquals("127.0.0.1", remotes.peek().substring(0, remotes.peek().lastIndexOf(':')));
    }

    @Test
    void theSourceAddressesOfARun() throws Exception {
        InetAddress v4 = InetAddress.getByName("127.0.0.1");
        SourceAddresses spread = SourceAddresses.towards(v4, 1000);
        assertEquals(254, spread.count());
        assertEquals("127.0.0.1", spread.of(0).orElseThrow().getAddress().getHostAddress());
        assertEquals("127.0.0.254", spread.of(253).orElseThrow().getAddress().getHostAddress());
        assertEquals("127.0.0.1", spread.of(254).orElseThrow().getAddress().getHostAddress());
        assertEquals(0, spread.of(7).orElseThrow().getPort(), "any port the system picks");
        assertEquals(4, spread.mostFromOne(1000));
        assertEquals(1, spread.mostFromOne(254));
        assertEquals(Optional.empty(), spread.notice(1000));
        assertEquals(3, SourceAddresses.towards(v4, 3).count(), "as many as there are conversations");

        SourceAddresses v6 = SourceAddresses.towards(InetAddress.getByName("::1"), 40);
        assertEquals(Optional.empty(), v6.of(0));
        assertEquals(40, v6.mostFromOne(40));
        assertEquals(Optional.of("all 40 conversations come from one address (IPv6 has one loopback address): "
                + "the server's --max-per-address must be 40 or more"), v6.notice(40));

        SourceAddresses remote = SourceAddresses.towards(InetAddress.getByName("192.0.2.1"), 40);
        assertEquals(Optional.empty(), remote.of(0), "another machine: the system picks the address its route needs");
        assertEquals(Optional.empty(), remote.notice(40));
        assertEquals(Optional.empty(), SourceAddresses.towards(v4, 1).of(0), "one conversation needs no spreading");
    }

    /** A server that refuses every connection with {@code refusal}, as a Parley server does: the report, then the close. */
    private static ServerSocketChannel refusing(Refusal refusal) throws Exception {
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 300);
        Thread thread = new Thread(() -> {
            while (listener.isOpen()) {
                try (SocketChannel client = listener.accept()) {
                    client.write(java.nio.ByteBuffer.wrap(("!" + refusal.reason() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                } catch (java.io.IOException e) {
                    return; // closed by the test
                }
            }
        });
        thread.setDaemon(true);
        thread.start();
        return listener;
    }

    private static String refusedRun(Refusal refusal, int conversations) throws Exception {
        try (ServerSocketChannel server = refusing(refusal)) {
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            return assertThrows(LoadGenerator.BenchFailure.class, () -> new LoadGenerator(plan(port, conversations, 3, 10)).run()).getMessage();
        }
    }

    @Test
    void aRefusalNamesTheServerOptionThatWouldLetTheRunThrough() throws Exception {
        assertEquals("conversation 0: the server ended the conversation before reply 1: server says: "
                + new Refusal.TooManyFromAddress(10).reason() + " (start the server with --max-per-address 4 or more: this run opens that many"
                + " from one address; or bench fewer --conversations); 1000 of 1000 conversations failed",
                refusedRun(new Refusal.TooManyFromAddress(10), 1000).replaceFirst("^conversation \\d+:", "conversation 0:"));
        assertEquals("conversation 0: the server ended the conversation before reply 1: server says: " + new Refusal.Busy(100).reason()
                + " (start the server with --max-conversations 1 or more, or bench fewer --conversations)",
                refusedRun(new Refusal.Busy(100), 1));
        assertEquals("conversation 0: the server ended the conversation before reply 1: server says: " + new Refusal.ShortOfMemory().reason()
                + " (give the server a larger --memory-budget, or bench fewer --conversations or smaller --message-bytes)",
                refusedRun(new Refusal.ShortOfMemory(), 1));
    }

    @Test
    void theOthersGoOnWhenOneFailsAndTheRunSaysHowManyFailed() throws Exception {
        int port = serve((turn, message) -> message.startsWith("3.") && turn == 1 ? "not " + message : message, null, 5);
        LoadGenerator.BenchFailure e = assertThrows(LoadGenerator.BenchFailure.class, () -> new LoadGenerator(plan(port, 5, 4, 10)).run());
        assertTrue(e.getMessage().startsWith("conversation 3: reply 2 was not '3.1 "), e.getMessage());
        assertEquals(2 + 4 * 4, heard.size(), "the other four said all their messages: " + heard);
    }

    @Test
    void theWatcherIsToldHowFarTheRunHasGot() throws Exception {
        int port = serve(Responder.echo(), null, 4);
        List<LoadGenerator.Progress> told = new java.util.ArrayList<>();
        LoadGenerator.Watcher watcher = new LoadGenerator.Watcher() {
            @Override
            public void notice(String text) {
                throw new AssertionError("nothing to tell before a run on loopback: " + text);
            }

            @Override
            public void progress(LoadGenerator.Progress progress) {
                told.add(progress);
            }
        };
        new LoadGenerator(plan(port, 4, 50, 10), null, watcher, 0).run(); // told at every turn of its loop
        assertFalse(told.isEmpty());
        for (int i = 0; i < told.size(); i++) {
            LoadGenerator.Progress p = told.get(i);
            assertTrue(p.open() >= 0 && p.open() <= 4 && p.roundTrips() <= 200 && p.errors() == 0, told.toString());
            assertTrue(i == 0 || p.roundTrips() >= told.get(i - 1).roundTrips(), "round trips only grow: " + told);
        }
        assertTrue(told.stream().anyMatch(p -> p.open() == 4), "all four open at once: " + told);
    }

    @Test
    void theMessagesOfARunAreUniqueAndOfTheSizeAsked() {
        LoadGenerator generator = new LoadGenerator(plan(1, 3, 40, 12));
        Set<String> messages = new HashSet<>();
        for (int id = 0; id < 3; id++) {
            for (int index = 0; index < 40; index++) {
                String message = generator.message(id, index);
                assertEquals(12, message.length(), message);
                messages.add(message);
            }
        }
        assertEquals(120, messages.size());
        assertEquals("7", new LoadGenerator(plan(1, 1, 1, 0)).message(7, 3), "never empty: an empty line is no message");
    }

    /** A server that reports nothing: the conversations' endings are what is checked. */
    private static final ServerEvents QUIET = new ServerEvents() {
        @Override
        public void listening(String address) {}

        @Override
        public void opened(ConversationHandle conversation) {}

        @Override
        public void refused(String remote, String reason) {}

        @Override
        public void acceptFailed(String reason) {}

        @Override
        public void acceptingAgain() {}

        @Override
        public void crashed(ConversationHandle conversation, Throwable e) {}
    };
}
