package dev.parley.socket.client;

import dev.parley.core.port.Actions;
import dev.parley.core.port.Operator;
import dev.parley.core.port.Transcript;
import dev.parley.core.session.Input;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Session;
import dev.parley.core.session.State;
import dev.parley.socket.Addresses;
import dev.parley.socket.NetworkException;
import dev.parley.socket.Wire;
import dev.parley.socket.tls.ClientTls;
import dev.parley.socket.tls.TlsReasons;
import dev.parley.socket.tls.TlsWire;
import dev.parley.socket.tls.UntrustedServerException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The client's driver: one JDK socket and one thread, the caller's, which alone touches the
 * session. It waits in a selector for the server's bytes, the socket's room to write, the next
 * deadline, and what other threads {@link #post} (the console's lines, a signal's stop), so a server
 * that leaves is seen at once, even while the person is still typing. A JDK socket rather than
 * Netty: the client has one connection, and starts in a fraction of the time (docs/BENCHMARKS.md).
 *
 * <p>With TLS, the handshake is part of connecting, within the same timeout, and nothing of the
 * conversation is sent before it has finished and the server is trusted ({@link ClientTls}).
 */
public final class TcpClient {

    private final SocketChannel channel;
    private final Wire wire;
    private final String remote;
    private final Selector selector;
    private final SocketPeer peer;
    private final ConcurrentLinkedQueue<Input> posted = new ConcurrentLinkedQueue<>();
    private final ByteBuffer readBuffer;
    private final CountDownLatch lastWordsWritten = new CountDownLatch(1);
    private boolean inputEnded;
    private volatile Thread driver;

    private TcpClient(Wire wire, Selector selector, String remote, int readSize) {
        this.channel = wire.channel();
        this.wire = wire;
        this.remote = remote;
        this.selector = selector;
        this.peer = new SocketPeer(wire);
        this.readBuffer = ByteBuffer.allocate(readSize);
    }

    /**
     * Connects to {@code host:port} within {@code timeout} (zero: the system's own limit); reads of
     * at most {@code readSize} bytes (the framing's).
     *
     * @throws NetworkException with a one-line message naming host, port and reason
     */
    public static TcpClient connect(String host, int port, Duration timeout, int readSize) throws NetworkException {
        return connect(host, port, timeout, readSize, null);
    }

    /**
     * Connects to {@code host:port} and, with {@code tls}, finishes the TLS handshake, all within
     * {@code timeout} ({@link Dialer#dial}); reads of at most {@code readSize} bytes (the framing's).
     *
     * @throws UntrustedServerException when the server is not trusted (nothing was sent)
     * @throws NetworkException with a one-line message naming host, port and reason
     */
    public static TcpClient connect(String host, int port, Duration timeout, int readSize, ClientTls tls) throws NetworkException {
        Dialer.Dialed dialed = Dialer.dial(host, port, timeout, tls);
        return new TcpClient(dialed.wire(), dialed.selector(), dialed.remote(), readSize);
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
        boolean tls = wire instanceof TlsWire;
        handle(session, new Input.Open(), operator, transcript);
        while (channel.isOpen()) {
            Input next;
            while ((next = posted.poll()) != null) {
                handle(session, next, operator, transcript);
            }
            if (!channel.isOpen()) {
                break;
            }
            if (peer.closing() && System.nanoTime() - peer.giveUpAt() >= 0) {
                break; // the server takes nothing: what is still queued cannot be delivered
            }
            key.interestOps((wantsRead(session) ? SelectionKey.OP_READ : 0) | (peer.hasQueued() ? SelectionKey.OP_WRITE : 0));
            OptionalLong deadline = peer.closing() ? OptionalLong.of(peer.giveUpAt()) : session.deadline();
            long wait = deadline.isEmpty() ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline.getAsLong() - System.nanoTime()) + 1);
            boolean buffered = tls && wantsRead(session) && wire.readable();
            if (buffered) {
                selector.selectNow(); // decrypted bytes wait here, not in the socket
            } else {
                selector.select(wait);
            }
            selector.selectedKeys().clear();
            if (key.isValid() && key.isWritable()) {
                flush(session, operator, transcript);
            }
            if (key.isValid() && (buffered || key.isReadable()) && wantsRead(session)) {
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
            n = wire.read(readBuffer);
        } catch (IOException e) {
            inputEnded = true;
            handle(session, new Input.PeerFailed(wire instanceof TlsWire ? TlsReasons.clientSide(e, null) : Addresses.reason(e)),
                    operator, transcript);
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
        Actions.carryOut(session.handle(System.nanoTime(), input), peer, operator, transcript);
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
