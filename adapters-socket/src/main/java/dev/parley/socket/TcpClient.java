package dev.parley.socket;

import dev.parley.core.port.Actions;
import dev.parley.core.port.Operator;
import dev.parley.core.port.Transcript;
import dev.parley.core.session.Durations;
import dev.parley.core.session.Input;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Session;
import dev.parley.core.session.State;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The client's driver: one JDK socket and one thread, the caller's, which alone touches the
 * session. It waits in a selector for the server's bytes, the socket's room to write, the next
 * deadline, and what other threads {@link #post} (the console's lines, a signal's stop), so a server
 * that leaves is seen at once, even while the person is still typing. A JDK socket rather than
 * Netty: the client has one connection, and starts in a fraction of the time (docs/BENCHMARKS.md).
 */
public final class TcpClient {

    private final SocketChannel channel;
    private final String remote;
    private final Selector selector;
    private final SocketPeer peer;
    private final ConcurrentLinkedQueue<Input> posted = new ConcurrentLinkedQueue<>();
    private final ByteBuffer readBuffer;
    private final CountDownLatch lastWordsWritten = new CountDownLatch(1);
    private boolean inputEnded;
    private long closeBy;
    private volatile Thread driver;

    private TcpClient(SocketChannel channel, String remote, int readSize) throws IOException {
        this.channel = channel;
        this.remote = remote;
        this.selector = Selector.open();
        this.peer = new SocketPeer(channel);
        this.readBuffer = ByteBuffer.allocate(readSize);
    }

    /**
     * Connects to {@code host:port} within {@code timeout} (zero: the system's own limit); reads of
     * at most {@code readSize} bytes (the framing's).
     *
     * @throws NetworkException with a one-line message naming host, port and reason
     */
    public static TcpClient connect(String host, int port, Duration timeout, int readSize) throws NetworkException {
        String where = Addresses.format(host, port);
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new NetworkException("cannot connect to " + where + ": unknown host", null);
        }
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            channel.socket().connect(address, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
            return new TcpClient(channel, where, readSize);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing was opened
                }
            }
            String reason = e instanceof SocketTimeoutException
                    ? "no answer within " + Durations.format(timeout) + " (connect timeout)"
                    : Addresses.reason(e);
            throw new NetworkException("cannot connect to " + where + ": " + reason, e);
        }
    }

    /** The server's address as it was given, {@code host:port}. */
    public String remote() {
        return remote;
    }

    /**
     * Runs {@code session} over this connection until it closes; returns how it ended. Blocks the
     * calling thread, which becomes the session's only driver.
     */
    public Outcome converse(Session session, Operator operator, Transcript transcript) throws IOException {
        driver = Thread.currentThread();
        SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
        handle(session, new Input.Open(), operator, transcript);
        while (channel.isOpen()) {
            Input next;
            while ((next = posted.poll()) != null) {
                handle(session, next, operator, transcript);
            }
            if (!channel.isOpen()) {
                break;
            }
            if (peer.closing() && System.nanoTime() - closeBy >= 0) {
                break; // the server takes nothing: what is still queued cannot be delivered
            }
            key.interestOps((wantsRead(session) ? SelectionKey.OP_READ : 0) | (peer.hasQueued() ? SelectionKey.OP_WRITE : 0));
            OptionalLong deadline = peer.closing() ? OptionalLong.of(closeBy) : session.deadline();
            long wait = deadline.isEmpty() ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline.getAsLong() - System.nanoTime()) + 1);
            selector.select(wait);
            selector.selectedKeys().clear();
            if (key.isValid() && key.isWritable()) {
                flush(session, operator, transcript);
            }
            if (key.isValid() && key.isReadable() && wantsRead(session)) {
                read(session, operator, transcript);
            }
            if (!peer.closing() && deadline.isPresent() && System.nanoTime() - deadline.getAsLong() >= 0) {
                handle(session, new Input.Tick(), operator, transcript);
            }
        }
        closeNow();
        return session.outcome().orElseThrow();
    }

    private boolean wantsRead(Session session) {
        return !inputEnded && session.wantsPeerBytes();
    }

    private void read(Session session, Operator operator, Transcript transcript) {
        readBuffer.clear();
        int n;
        try {
            n = channel.read(readBuffer);
        } catch (IOException e) {
            inputEnded = true;
            handle(session, new Input.PeerFailed(Addresses.reason(e)), operator, transcript);
            return;
        }
        if (n < 0) {
            inputEnded = true;
            handle(session, new Input.PeerClosed(), operator, transcript);
        } else if (n > 0) {
            handle(session, new Input.PeerBytes(readBuffer.array(), 0, n), operator, transcript);
        }
    }

    private void handle(Session session, Input input, Operator operator, Transcript transcript) {
        if (session.state() == State.CLOSED) {
            return; // nothing after Close: a late line or stop has no one to go to
        }
        boolean closing = peer.closing();
        Actions.carryOut(session.handle(System.nanoTime(), input), peer, operator, transcript);
        if (!closing && peer.closing()) {
            closeBy = System.nanoTime() + Session.LINGER.toNanos();
        }
        flush(session, operator, transcript);
    }

    private void flush(Session session, Operator operator, Transcript transcript) {
        try {
            peer.flush();
        } catch (IOException e) {
            handle(session, new Input.PeerFailed(Addresses.reason(e)), operator, transcript);
        }
        if (session.outcome().isPresent() && !peer.hasQueued()) {
            lastWordsWritten.countDown();
        }
    }

    /**
     * Hands {@code input} to the session's thread (an operator's line, a stop). Safe from any
     * thread; never blocks.
     */
    public void post(Input input) {
        posted.add(input);
        if (Thread.currentThread() != driver) {
            selector.wakeup(); // the driver itself (an answer ready at once) drains the queue before it selects
        }
    }

    /**
     * Waits up to {@code wait} for the conversation to have ended and its last words (a bye, a
     * failure report) to be written to the socket; true when they were.
     */
    public boolean awaitLastWordsWritten(Duration wait) throws InterruptedException {
        return lastWordsWritten.await(wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Releases the socket at once, whatever is still queued (for a stop that cannot wait). Safe from any thread. */
    public void closeNow() {
        peer.closeNow();
        try {
            selector.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
