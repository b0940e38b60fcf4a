package dev.parley.load;

import dev.parley.core.port.Actions;
import dev.parley.core.port.Operator;
import dev.parley.core.port.Peer;
import dev.parley.core.session.Durations;
import dev.parley.core.session.Input;
import dev.parley.core.session.Limits;
import dev.parley.core.session.Refusal;
import dev.parley.core.session.Session;
import dev.parley.core.session.State;
import dev.parley.core.wire.LineFraming;
import dev.parley.socket.Addresses;
import dev.parley.socket.Wire;
import dev.parley.socket.tls.ClientTls;
import dev.parley.socket.tls.TlsReasons;
import dev.parley.socket.tls.TlsWire;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Drives many concurrent conversations against an echo server from one thread: connects them all,
 * then has each say {@code messages} messages in turn, checking that every reply is exactly the
 * message sent and timing each round trip into an HdrHistogram. A wrong or missing reply ends its
 * conversation and fails the run (the others go on, so that the failure says how many failed); it
 * is never averaged away. Against a server on IPv4 loopback the connections come from many source
 * addresses ({@link SourceAddresses}); a {@link Watcher} hears how the run goes once a second.
 */
public final class LoadGenerator {

    /** What to run. */
    public record Plan(String host, int port, int conversations, int messages, int messageBytes,
            Duration connectTimeout, Duration stallTimeout) {}

    /** What a run measured. */
    public record Result(Plan plan, long roundTrips, Duration connecting, Duration exchanging, Histogram latencyNanos, boolean tls) {
        public Result(Plan plan, long roundTrips, Duration connecting, Duration exchanging, Histogram latencyNanos) {
            this(plan, roundTrips, connecting, exchanging, latencyNanos, false);
        }

        public double roundTripsPerSecond() {
            return roundTrips / (exchanging.toNanos() / 1e9);
        }

        /** New conversations opened per second (TLS: each with its handshake), all being opened at once. */
        public double connectsPerSecond() {
            return plan.conversations() / Math.max(1e-9, connecting.toNanos() / 1e9);
        }
    }

    /** How far a run has got: conversations open now, round trips done, conversations failed. */
    public record Progress(int open, long roundTrips, int errors) {}

    /** Told how a run goes, on the run's thread: what to know before it starts, and its progress about once a second. */
    public interface Watcher {
        /** A watcher that is told nothing. */
        Watcher NONE = new Watcher() {
            @Override
            public void notice(String text) {}

            @Override
            public void progress(Progress progress) {}
        };

        /** Something a person should know before the run, e.g. that every connection comes from one address. */
        void notice(String text);

        /** How far the run has got; called about once a second while it runs. */
        void progress(Progress progress);
    }

    /** A run that could not complete: a wrong or missing reply, a refused connection, a stall. */
    public static final class BenchFailure extends Exception {
        private static final long serialVersionUID = 1L;

        BenchFailure(String message) {
            super(message);
        }
    }

    private static final int MAX_PENDING_CONNECTS = 256;
    private static final long PROGRESS_EVERY = TimeUnit.SECONDS.toNanos(1);

    private final Plan plan;
    private final ClientTls tls;
    private final Watcher watcher;
    private final long progressEvery;
    private final LineFraming framing = new LineFraming();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    private final Histogram latency = new Histogram(3_600_000_000_000L, 3);
    private SourceAddresses sources;
    private int open;
    private int errors;
    private BenchFailure firstFailure;
    private long lastProgress;

    public LoadGenerator(Plan plan) {
        this(plan, null, Watcher.NONE);
    }

    /**
     * A run whose conversations speak TLS with {@code tls} (null: plain text), told to
     * {@code watcher}. Each makes a full handshake: no session is resumed, as no Parley client,
     * started afresh, resumes one.
     */
    public LoadGenerator(Plan plan, ClientTls tls, Watcher watcher) {
        this(plan, tls, watcher, PROGRESS_EVERY);
    }

    /** The same, with the watcher told of the progress every {@code progressEvery} nanoseconds. */
    LoadGenerator(Plan plan, ClientTls tls, Watcher watcher, long progressEvery) {
        this.plan = plan;
        this.tls = tls;
        this.watcher = watcher;
        this.progressEvery = progressEvery;
    }

    public Result run() throws IOException, BenchFailure {
        InetSocketAddress address = new InetSocketAddress(plan.host(), plan.port());
        String where = Addresses.format(plan.host(), plan.port());
        if (address.isUnresolved()) {
            throw new BenchFailure("cannot connect to " + where + ": unknown host");
        }
        sources = SourceAddresses.towards(address.getAddress(), plan.conversations());
        sources.notice(plan.conversations()).ifPresent(watcher::notice);
        List<Talk> talks = new ArrayList<>(plan.conversations());
        try (Selector selector = Selector.open()) {
            long start = System.nanoTime();
            lastProgress = start;
            connectAll(selector, address, where, talks);
            long connected = System.nanoTime();
            int finished = 0;
            for (Talk talk : talks) {
                if (talk.attempt(talk::start)) {
                    finished++;
                }
            }
            exchange(selector, talks, finished);
            long done = System.nanoTime();
            if (firstFailure != null) {
                throw errors == 1 ? firstFailure
                        : new BenchFailure(firstFailure.getMessage() + "; " + errors + " of " + plan.conversations() + " conversations failed");
            }
            return new Result(plan, (long) plan.conversations() * plan.messages(),
                    Duration.ofNanos(connected - start), Duration.ofNanos(done - connected), latency, tls != null);
        } finally {
            for (Talk talk : talks) {
                talk.close();
            }
        }
    }

    private void connectAll(Selector selector, InetSocketAddress address, String where, List<Talk> talks)
            throws IOException, BenchFailure {
        int connected = 0;
        long deadline = System.nanoTime() + plan.connectTimeout().toNanos();
        while (connected < plan.conversations()) {
            while (talks.size() < plan.conversations() && talks.size() - connected < MAX_PENDING_CONNECTS) {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Optional<InetSocketAddress> source = sources.of(talks.size());
                if (source.isPresent()) {
                    channel.bind(source.get());
                }
                Talk talk = new Talk(talks.size(), channel);
                talks.add(talk);
                boolean now = channel.connect(address);
                talk.key = channel.register(selector, now ? 0 : SelectionKey.OP_CONNECT, talk);
                if (now && talk.connected(where)) {
                    connected++;
                    open++;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new BenchFailure("cannot connect to " + where + ": only " + connected + " of "
                        + plan.conversations() + " connections within the connect timeout");
            }
            List<Talk> ready = ready(selector);
            progress();
            for (Talk talk : ready) {
                if (talk.key.isValid() && talk.key.isConnectable()) {
                    try {
                        talk.channel.finishConnect();
                    } catch (IOException e) {
                        throw new BenchFailure("cannot connect to " + where + ": " + Addresses.reason(e)
                                + " (after " + connected + " connections)");
                    }
                    if (talk.connected(where)) {
                        connected++;
                        open++;
                    }
                } else if (talk.handshaking && talk.handshake(where)) {
                    connected++;
                    open++;
                }
            }
        }
        for (Talk talk : talks) {
            talk.key.interestOps(SelectionKey.OP_READ);
        }
    }

    /** Runs the conversations until each has said its bye or failed; {@code finished} of them already have. */
    private void exchange(Selector selector, List<Talk> talks, int finished) throws IOException, BenchFailure {
        long lastReply = System.nanoTime();
        while (finished < talks.size()) {
            List<Talk> ready = ready(selector);
            progress();
            for (Talk talk : ready) {
                if (talk.attempt(talk::onReadable)) {
                    finished++;
                }
                lastReply = System.nanoTime();
            }
            if (System.nanoTime() - lastReply > plan.stallTimeout().toNanos()) {
                throw new BenchFailure("no reply for " + Durations.format(plan.stallTimeout()) + " (--reply-timeout); "
                        + finished + " of " + talks.size() + " conversations finished; is it an echo server?");
            }
        }
    }

    /** Tells the watcher how far the run has got, if a second has passed since it was last told. */
    private void progress() {
        long now = System.nanoTime();
        if (now - lastProgress >= progressEvery) {
            lastProgress = now;
            watcher.progress(new Progress(open, latency.getTotalCount(), errors));
        }
    }

    /** Waits up to 100 ms and returns the conversations whose sockets are ready, clearing the ready set. */
    private static List<Talk> ready(Selector selector) throws IOException {
        selector.select(100);
        List<Talk> ready = new ArrayList<>(selector.selectedKeys().size());
        for (SelectionKey key : selector.selectedKeys()) {
            ready.add((Talk) key.attachment());
        }
        selector.selectedKeys().clear();
        return ready;
    }

    /** The text of message {@code index} of conversation {@code id}: unique, padded to size. */
    String message(int id, int index) {
        StringBuilder text = new StringBuilder(plan.messageBytes()).append(id).append('.').append(index).append(' ');
        while (text.length() < plan.messageBytes()) {
            text.append((char) ('a' + text.length() % 26));
        }
        text.setLength(Math.max(1, plan.messageBytes()));
        return text.toString();
    }

    /** A step of one conversation; true once it has finished. */
    private interface Step {
        boolean run() throws IOException, BenchFailure;
    }

    /**
     * One conversation: its socket and a real client session, whose person is this generator: it
     * says the next message each time it is asked, and bye after the last; its {@link ReplyCheck}
     * checks each reply.
     */
    private final class Talk implements Peer, Operator {
        final int id;
        final SocketChannel channel;
        Wire wire;
        boolean handshaking;
        final Session session = Session.client(framing, Limits.NONE);
        final ReplyCheck check;
        SelectionKey key;
        boolean asked;
        boolean over;
        BenchFailure failure;

        Talk(int id, SocketChannel channel) {
            this.id = id;
            this.channel = channel;
            this.wire = new Wire.Plain(channel);
            this.check = new ReplyCheck("conversation " + id, latency, LoadGenerator.this::advice);
        }

        /** The TCP connection is made; true when the conversation is ready (TLS: once its handshake is done). */
        boolean connected(String where) throws BenchFailure {
            key.interestOps(0);
            if (tls == null) {
                return true;
            }
            wire = new TlsWire(channel, tls.newEngine(plan.host(), plan.port()));
            handshaking = true;
            return handshake(where);
        }

        /** Advances the handshake; true once it is done. */
        boolean handshake(String where) throws BenchFailure {
            TlsWire secure = (TlsWire) wire;
            int wait;
            try {
                wait = secure.handshake();
            } catch (IOException e) {
                ServerTrustFailure.rethrow(e, where);
                throw new BenchFailure("cannot connect to " + where + ": " + TlsReasons.clientSide(e, secure.firstBytes()));
            }
            key.interestOps(wait);
            if (wait != 0) {
                return false;
            }
            handshaking = false;
            secure.engine().getSession().invalidate(); // the next handshake is a full one too
            return true;
        }

        /**
         * Runs {@code step}; true once this conversation is over: it said its last bye, or it failed,
         * which is counted, and its connection closed (the first failure is what the run reports).
         */
        boolean attempt(Step step) throws IOException {
            if (over) {
                return false; // counted once, when it ended
            }
            try {
                over = step.run();
            } catch (BenchFailure e) {
                errors++;
                if (firstFailure == null) {
                    firstFailure = e;
                }
                close();
                over = true;
            }
            if (over) {
                open--;
            }
            return over;
        }

        /** Opens the session: it asks for the first message at once. */
        boolean start() throws IOException, BenchFailure {
            step(new Input.Open());
            return check.finished();
        }

        /** Reads what arrived; true when this conversation has said its last message's bye. */
        boolean onReadable() throws IOException, BenchFailure {
            int n;
            do {
                readBuffer.clear();
                try {
                    n = wire.read(readBuffer);
                } catch (IOException e) {
                    throw failure("connection lost: " + (tls != null ? TlsReasons.clientSide(e, null) : Addresses.reason(e)));
                }
                if (n != 0) {
                    step(n < 0 ? new Input.PeerClosed() : new Input.PeerBytes(readBuffer.array(), 0, n));
                }
            } while (n > 0 && !check.finished() && wire.readable());
            if (n < 0 || check.finished()) {
                key.interestOps(0);
            }
            return check.finished();
        }

        /** Hands {@code input} to the session, and each answer it asks for, until it waits for the server. */
        private void step(Input input) throws BenchFailure {
            Input next = input;
            while (next != null && session.state() != State.CLOSED) {
                Actions.carryOut(session.handle(System.nanoTime(), next), this, this, check);
                if (failure != null) {
                    throw failure;
                }
                if (check.failure() != null) {
                    throw new BenchFailure(check.failure());
                }
                next = null;
                if (asked) {
                    asked = false;
                    next = new Input.OperatorLine(check.sent() == plan.messages() ? "bye" : nextMessage());
                }
            }
        }

        private String nextMessage() {
            String message = message(id, check.sent());
            check.expect(message, System.nanoTime());
            return message;
        }

        @Override
        public void ask() {
            asked = true;
        }

        @Override
        public void send(byte[] bytes) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            try {
                while (buffer.hasRemaining() || wire.pendingOutput()) {
                    wire.write(buffer); // small and one at a time: the socket buffer takes it
                    wire.flush();
                }
            } catch (IOException e) {
                failure = failure("connection lost: " + Addresses.reason(e));
            }
        }

        @Override
        public void endOutput() {
            try {
                wire.shutdownOutput();
            } catch (IOException e) {
                // the server is gone already; its ending is reported by the session
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }

        private BenchFailure failure(String what) {
            return new BenchFailure("conversation " + id + ": " + what);
        }
    }

    /**
     * For a server's refusal, the server option that would let this run through: the failure reports
     * of {@link Refusal}, known by the word before their colon.
     */
    private String advice(String report) {
        String kind = kind(report);
        if (kind.equals(kind(new Refusal.Busy(1).reason()))) {
            return " (start the server with --max-conversations " + plan.conversations() + " or more, or bench fewer --conversations)";
        }
        if (kind.equals(kind(new Refusal.TooManyFromAddress(1).reason()))) {
            return " (start the server with --max-per-address " + sources.mostFromOne(plan.conversations())
                    + " or more: this run opens that many from one address; or bench fewer --conversations)";
        }
        if (kind.equals(kind(new Refusal.ShortOfMemory().reason()))) {
            return " (give the server a larger --memory-budget, or bench fewer --conversations or smaller --message-bytes)";
        }
        return "";
    }

    private static String kind(String report) {
        int colon = report.indexOf(':');
        return colon < 0 ? report : report.substring(0, colon);
    }

}
