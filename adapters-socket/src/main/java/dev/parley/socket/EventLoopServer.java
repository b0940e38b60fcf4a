package dev.parley.socket;

import dev.parley.core.Conversation;
import dev.parley.core.Incoming;
import dev.parley.core.Outcome;
import dev.parley.core.Peer;
import dev.parley.core.State;
import dev.parley.core.PeerLostException;
import dev.parley.core.wire.FrameDecoder;
import dev.parley.core.wire.Framing;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Serves many conversations on a few threads, for operators that answer at once (echo, file).
 *
 * <h2>Theory of operation</h2>
 *
 * <p>One event loop per core, each owning a {@link Selector} and the connections assigned to it;
 * loop 0 also accepts. A connection's bytes go through the core's {@link FrameDecoder}, and each
 * decoded {@link Incoming} is handed to the core's {@link Conversation#deliver} push-style: the
 * same turn rules and endings as a blocking conversation, without a thread or a stack per
 * conversation. Replies are written without blocking; what the socket cannot take yet is queued,
 * and the connection stops being read until the queue drains (back-pressure). Idle and line
 * deadlines are checked by a periodic scan. All state of a connection is touched only by its own
 * loop thread; other threads hand work to a loop through its task queue.
 */
public final class EventLoopServer implements ConversationServer {

    /** How often deadlines are checked: the resolution of the idle and line timeouts. */
    private static final long SCAN_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** How long a closed conversation may take to flush what it still has to send. */
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final ServerSettings settings;
    private final ConversationFactory factory;
    private final ServerEvents events;
    private final Loop[] loops;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger ids = new AtomicInteger();
    private final CountDownLatch stopped;
    private volatile boolean stopping;
    private ServerSocketChannel listener;

    public EventLoopServer(ServerSettings settings, ConversationFactory factory, ServerEvents events) {
        this(settings, factory, events, Runtime.getRuntime().availableProcessors());
    }

    public EventLoopServer(ServerSettings settings, ConversationFactory factory, ServerEvents events, int threads) {
        this.settings = settings;
        this.factory = factory;
        this.events = events;
        this.loops = new Loop[Math.max(1, threads)];
        this.stopped = new CountDownLatch(loops.length);
    }

    @Override
    public synchronized void start() throws NetworkException {
        InetSocketAddress address = settings.listenAddress();
        try {
            listener = ServerSocketChannel.open();
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(address, settings.backlog());
            listener.configureBlocking(false);
            for (int i = 0; i < loops.length; i++) {
                loops[i] = new Loop(i);
            }
            listener.register(loops[0].selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            closeQuietly(listener);
            for (Loop loop : loops) {
                if (loop != null) {
                    closeQuietly(loop.selector);
                }
            }
            throw settings.bindFailed(e);
        }
        for (Loop loop : loops) {
            loop.thread.start();
        }
        events.listening(address());
    }

    @Override
    public String address() {
        try {
            return Addresses.format(listener.getLocalAddress());
        } catch (IOException e) {
            return settings.where();
        }
    }

    @Override
    public int port() {
        return listener.socket().getLocalPort();
    }

    @Override
    public int openConversations() {
        return open.get();
    }

    @Override
    public void stop(Duration grace) {
        if (stopping) {
            awaitQuietly();
            return;
        }
        stopping = true;
        closeQuietly(listener);
        for (Loop loop : loops) {
            loop.submit(loop::stopConversations);
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (open.get() > 0 && System.nanoTime() < deadline) {
            sleepBriefly();
        }
        for (Loop loop : loops) {
            loop.submit(loop::shutDown);
        }
        awaitQuietly();
    }

    @Override
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    private void awaitQuietly() {
        for (Loop loop : loops) {
            try {
                loop.thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }

    /** One thread, one selector, and the connections it owns. */
    private final class Loop implements Runnable {
        final Selector selector;
        final Thread thread;
        final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        final Set<Connection> connections = new HashSet<>();
        final ByteBuffer readBuffer = ByteBuffer.allocate(settings.framing().readSize());
        long nextScan;
        boolean running = true;

        Loop(int index) throws IOException {
            selector = Selector.open();
            thread = new Thread(this, "parley-loop-" + index);
        }

        void submit(Runnable task) {
            tasks.add(task);
            selector.wakeup();
        }

        @Override
        public void run() {
            try {
                while (running) {
                    selector.select(TimeUnit.NANOSECONDS.toMillis(SCAN_NANOS));
                    Runnable task;
                    while ((task = tasks.poll()) != null) {
                        task.run();
                    }
                    Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                    while (keys.hasNext()) {
                        SelectionKey key = keys.next();
                        keys.remove();
                        handle(key);
                    }
                    long now = System.nanoTime();
                    if (now - nextScan >= 0) {
                        nextScan = now + SCAN_NANOS;
                        scanDeadlines(now);
                    }
                }
            } catch (IOException e) {
                // A loop that cannot select can serve no one: fail the thread, and with it (through the
                // app's uncaught-exception handler) the process, rather than live on half dead.
                throw new UncheckedIOException("event loop " + thread.getName() + ": " + e.getMessage(), e);
            } finally {
                for (Connection c : new ArrayList<>(connections)) {
                    c.forceClose();
                }
                closeQuietly(selector);
                stopped.countDown();
            }
        }

        private void handle(SelectionKey key) {
            if (!key.isValid()) {
                return;
            }
            if (key.isAcceptable()) {
                acceptAll();
                return;
            }
            Connection c = (Connection) key.attachment();
            if (key.isWritable()) {
                c.onWritable();
            }
            if (key.isValid() && key.isReadable()) {
                c.onReadable(readBuffer);
            }
        }

        private void acceptAll() {
            while (!stopping) {
                SocketChannel channel;
                try {
                    channel = listener.accept();
                } catch (IOException e) {
                    return; // a failed accept (the client reset first) harms no one else
                }
                if (channel == null) {
                    return;
                }
                admit(channel);
            }
        }

        private void admit(SocketChannel channel) {
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            } catch (IOException e) {
                closeQuietly(channel);
                return;
            }
            if (open.get() >= settings.maxConversations()) {
                refuseBusy(channel);
                return;
            }
            open.incrementAndGet();
            int id = ids.incrementAndGet();
            Loop owner = loops[id % loops.length];
            owner.submit(() -> owner.register(channel, id));
        }

        private void refuseBusy(SocketChannel channel) {
            String remote = remoteOf(channel);
            int count = open.get();
            events.refusedBusy(remote, count);
            settings.framing().failure("busy: " + count + " conversations open, the most this server takes; try again later")
                    .ifPresent(bytes -> {
                        try {
                            channel.write(ByteBuffer.wrap(bytes));
                            channel.shutdownOutput();
                        } catch (IOException e) {
                            // the client is gone already
                        }
                    });
            closeQuietly(channel);
        }

        private void register(SocketChannel channel, int id) {
            Connection c = new Connection(this, channel, id);
            try {
                c.key = channel.register(selector, SelectionKey.OP_READ, c);
            } catch (ClosedChannelException e) {
                open.decrementAndGet();
                return;
            }
            connections.add(c);
            try {
                c.conversation = factory.create(id, c);
            } catch (RuntimeException e) {
                c.crashed(e);
                return;
            }
            events.opened(id, c.remote);
            if (stopping) {
                c.conversation.stop();
            }
            c.run(() -> c.conversation.open());
        }

        private void scanDeadlines(long now) {
            Limits limits = settings.limits();
            for (Connection c : new ArrayList<>(connections)) {
                if (c.closing) {
                    if (now - c.closingSince > LINGER_NANOS) {
                        c.forceClose();
                    }
                } else if (!limits.lineTimeout().isZero() && c.partialSince >= 0
                        && now - c.partialSince > limits.lineTimeout().toNanos()) {
                    c.run(() -> c.conversation.deliver(new Incoming.Lost(limits.lineReason())));
                } else if (!limits.idleTimeout().isZero() && now - c.lastInput > limits.idleTimeout().toNanos()) {
                    c.run(() -> c.conversation.deliver(new Incoming.Lost(limits.idleReason())));
                }
            }
        }

        void stopConversations() {
            for (Connection c : new ArrayList<>(connections)) {
                if (c.conversation != null) {
                    c.run(() -> {
                        c.conversation.stop();
                        return Optional.empty();
                    });
                }
            }
        }

        void shutDown() {
            for (Connection c : new ArrayList<>(connections)) {
                if (c.conversation != null && !c.ended) {
                    c.run(() -> c.conversation.deliver(new Incoming.Lost("server stopped")));
                }
                c.forceClose();
            }
            running = false;
        }
    }

    private static String remoteOf(SocketChannel channel) {
        try {
            return Addresses.format(channel.getRemoteAddress());
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** One connection: the {@link Peer} its conversation talks to, driven by its loop. */
    private final class Connection implements Peer {
        final Loop loop;
        final SocketChannel channel;
        final int id;
        final String remote;
        final FrameDecoder decoder;
        final ArrayDeque<ByteBuffer> outbound = new ArrayDeque<>();
        SelectionKey key;
        Conversation conversation;
        long lastInput = System.nanoTime();
        long partialSince = -1;
        boolean outputShut;
        boolean shutAfterFlush;
        boolean closing;
        long closingSince;
        boolean ended;
        boolean closed;

        Connection(Loop loop, SocketChannel channel, int id) {
            this.loop = loop;
            this.channel = channel;
            this.id = id;
            this.remote = remoteOf(channel);
            this.decoder = settings.framing().newDecoder();
        }

        /** Runs one step of the conversation; reports its end, or a crash, once. */
        void run(Supplier<Optional<Outcome>> step) {
            if (ended) {
                return;
            }
            Optional<Outcome> outcome;
            try {
                outcome = step.get();
            } catch (RuntimeException e) {
                crashed(e);
                return;
            }
            outcome.ifPresent(this::finished);
        }

        private void finished(Outcome outcome) {
            ended = true;
            open.decrementAndGet();
            events.ended(id, remote, outcome);
        }

        void crashed(RuntimeException e) {
            if (!ended) {
                ended = true;
                open.decrementAndGet();
                events.crashed(id, remote, e);
            }
            forceClose();
        }

        void onReadable(ByteBuffer buffer) {
            buffer.clear();
            int n;
            try {
                n = channel.read(buffer);
            } catch (IOException e) {
                lost(Addresses.reason(e));
                return;
            }
            if (n == 0) {
                return;
            }
            if (n < 0) {
                decoder.endOfInput();
                key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
            } else {
                decoder.feed(buffer.array(), 0, n);
                long now = System.nanoTime();
                lastInput = now;
                partialSince = !decoder.hasPartialFrame() ? -1 : partialSince >= 0 ? partialSince : now;
            }
            while (!ended && !closed) {
                Optional<Incoming> incoming = Incoming.next(decoder);
                if (incoming.isEmpty()) {
                    break;
                }
                run(() -> conversation.deliver(incoming.get()));
            }
        }

        void onWritable() {
            try {
                while (!outbound.isEmpty()) {
                    ByteBuffer head = outbound.peek();
                    channel.write(head);
                    if (head.hasRemaining()) {
                        return;
                    }
                    outbound.poll();
                }
            } catch (IOException e) {
                lost(Addresses.reason(e)); // a reset while replies were queued: the slot is freed too
                return;
            }
            afterFlush();
        }

        private void afterFlush() {
            if (shutAfterFlush && !outputShut) {
                outputShut = true;
                try {
                    channel.shutdownOutput();
                } catch (IOException e) {
                    // the peer is gone already
                }
            }
            if (closing) {
                forceClose();
                return;
            }
            if (key.isValid()) {
                key.interestOps((key.interestOps() | SelectionKey.OP_READ) & ~SelectionKey.OP_WRITE);
            }
        }

        @Override
        public Incoming receive() {
            throw new UnsupportedOperationException("an event-loop connection is read by its loop, not by receive()");
        }

        @Override
        public void send(String message) {
            byte[] bytes = settings.framing().encode(message);
            if (closed || closing || shutAfterFlush) {
                throw new PeerLostException("this side already stopped sending");
            }
            write(ByteBuffer.wrap(bytes));
        }

        private void write(ByteBuffer bytes) {
            if (outbound.isEmpty()) {
                try {
                    channel.write(bytes);
                } catch (IOException e) {
                    throw new PeerLostException(Addresses.reason(e), e);
                }
                if (!bytes.hasRemaining()) {
                    return;
                }
            }
            outbound.add(bytes);
            // Back-pressure: read no more from a peer that does not read its replies.
            key.interestOps((key.interestOps() | SelectionKey.OP_WRITE) & ~SelectionKey.OP_READ);
        }

        @Override
        public void leave() {
            stopSending(settings.framing().farewell());
        }

        @Override
        public void fail(String reason) {
            stopSending(settings.framing().failure(reason));
        }

        private void stopSending(Optional<byte[]> last) {
            if (closed || shutAfterFlush) {
                return;
            }
            last.ifPresent(bytes -> {
                try {
                    write(ByteBuffer.wrap(bytes));
                } catch (PeerLostException e) {
                    // no one left to tell
                }
            });
            shutAfterFlush = true;
            if (outbound.isEmpty()) {
                afterFlush();
            }
        }

        /** Closes once everything queued is sent (bounded by the linger time). */
        @Override
        public void close() {
            if (closed || closing) {
                return;
            }
            if (outbound.isEmpty()) {
                forceClose();
            } else {
                closing = true;
                closingSince = System.nanoTime();
            }
        }

        /** The connection failed under its conversation: the conversation ends, then the socket closes. */
        void lost(String reason) {
            run(() -> conversation.deliver(new Incoming.Lost(reason)));
            forceClose();
        }

        /**
         * Closes the socket now. Every way out passes here, so a conversation that has not ended
         * yet is ended here: its slot is freed and its ending logged, whatever closed it.
         */
        void forceClose() {
            if (closed) {
                return;
            }
            closed = true;
            loop.connections.remove(this);
            if (key != null) {
                key.cancel();
            }
            closeQuietly(channel);
            // A conversation that is ending closes its peer on the way out (then run() records it): only
            // one that is still going on is ended from here.
            if (!ended && conversation != null && conversation.state() != State.ENDED) {
                run(() -> conversation.deliver(new Incoming.Lost("connection closed by the server")));
            }
        }
    }
}
