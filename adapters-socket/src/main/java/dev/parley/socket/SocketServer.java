package dev.parley.socket;

import dev.parley.core.Conversation;
import dev.parley.core.Outcome;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Accepts TCP connections and runs one {@link Conversation} per connection, each on its own
 * thread (or one after another when serial). A failure in one conversation never reaches another
 * or the accept loop. {@link #stop} says bye to every open conversation and waits a grace period.
 */
public final class SocketServer implements ConversationServer {

    /** How long a conversation may take to finish once its connection is closed under it. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(1);

    private final ServerSettings settings;
    private final ConversationFactory factory;
    private final ServerEvents events;
    private final Map<Integer, Running> open = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;
    private ServerSocket listener;
    private Thread acceptor;

    private record Running(Conversation conversation, SocketPeer peer, Thread thread) {}

    public SocketServer(ServerSettings settings, ConversationFactory factory, ServerEvents events) {
        this.settings = settings;
        this.factory = factory;
        this.events = events;
    }

    /**
     * Binds and starts accepting.
     *
     * @throws NetworkException with a one-line message when the address cannot be bound
     */
    @Override
    public synchronized void start() throws NetworkException {
        InetSocketAddress address = settings.listenAddress();
        try {
            listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(address, settings.backlog());
        } catch (IOException e) {
            closeListener();
            throw settings.bindFailed(e);
        }
        acceptor = new Thread(this::acceptLoop, "parley-accept");
        acceptor.start();
        events.listening(address());
    }

    /** The address actually bound, as {@code host:port} (the real port when 0 was asked). */
    @Override
    public String address() {
        return Addresses.format(listener.getLocalSocketAddress());
    }

    /** The port actually bound. */
    @Override
    public int port() {
        return listener.getLocalPort();
    }

    /** How many conversations are open now. */
    @Override
    public int openConversations() {
        return open.size();
    }

    private void acceptLoop() {
        try {
            while (!stopping) {
                Socket socket;
                try {
                    socket = listener.accept();
                } catch (IOException e) {
                    if (stopping) {
                        return;
                    }
                    continue; // a failed accept (e.g. the client reset first) harms no one else
                }
                admit(socket);
            }
        } finally {
            stopped.countDown();
        }
    }

    private void admit(Socket socket) {
        SocketPeer peer;
        try {
            peer = new SocketPeer(socket, settings.framing(), settings.limits());
        } catch (IOException e) {
            closeQuietly(socket);
            return;
        }
        if (!settings.serial() && open.size() >= settings.maxConversations()) {
            events.refusedBusy(peer.remote(), open.size());
            peer.fail("busy: " + open.size() + " conversations open, the most this server takes; try again later");
            peer.close();
            return;
        }
        int id = ids.incrementAndGet();
        if (settings.serial()) {
            converse(id, peer);
        } else {
            Thread thread = new Thread(() -> converse(id, peer), "parley-conversation-" + id);
            thread.start();
        }
    }

    private void converse(int id, SocketPeer peer) {
        String remote = peer.remote();
        Conversation conversation;
        try {
            conversation = factory.create(id, peer);
        } catch (RuntimeException e) {
            peer.close();
            events.crashed(id, remote, e);
            return;
        }
        open.put(id, new Running(conversation, peer, Thread.currentThread()));
        events.opened(id, remote);
        try {
            if (stopping) {
                conversation.stop();
            }
            Outcome outcome = conversation.run();
            events.ended(id, remote, outcome);
        } catch (RuntimeException e) {
            peer.close();
            events.crashed(id, remote, e);
        } finally {
            open.remove(id);
        }
    }

    /**
     * Stops accepting, says bye to every open conversation and waits up to {@code grace} for them
     * to end; the connections still open then are closed. Safe to call more than once.
     */
    @Override
    public void stop(Duration grace) {
        stopping = true;
        closeListener();
        for (Running running : open.values()) {
            // Each bye on its own thread: one peer that stopped reading cannot hold up the others.
            Thread bye = new Thread(running.conversation()::stop, "parley-stop-" + running.thread().getName());
            bye.setDaemon(true);
            bye.start();
        }
        awaitConversations(grace);
        for (Running running : open.values()) {
            running.peer().close();
        }
        awaitConversations(CLOSE_GRACE);
    }

    /** Waits up to {@code limit} for the open conversations' threads to finish. */
    private void awaitConversations(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        for (Running running : open.values()) {
            if (running.thread() == Thread.currentThread()) {
                continue;
            }
            try {
                long left = deadline - System.nanoTime();
                running.thread().join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Blocks until the accept loop has ended (after {@link #stop}). */
    @Override
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    private synchronized void closeListener() {
        if (listener != null) {
            try {
                listener.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to release
        }
    }
}
