package dev.parley.socket.client;

import dev.parley.core.session.Session;
import dev.parley.core.wire.Frame;
import dev.parley.core.wire.FrameTooLongException;
import dev.parley.core.wire.LineDecoder;
import dev.parley.socket.Addresses;
import dev.parley.socket.NetworkException;
import dev.parley.socket.Wire;
import dev.parley.socket.tls.ClientTls;
import dev.parley.socket.tls.TlsReasons;
import dev.parley.socket.tls.TlsWire;
import dev.parley.socket.tls.UntrustedServerException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * An operator's connection to a server's operators' port, driven as the client's is: one JDK
 * socket (plain or TLS, {@link Dialer}) and one thread, the caller's, waiting in a selector for
 * the server's bytes, room to write, and what other threads hand it ({@link #send}, {@link #leave}).
 * It carries lines and decides nothing: each complete line from the server (at most
 * {@code maxLineBytes}, split by the core's {@link LineDecoder}) goes to a {@link Receiver} on
 * that thread; the program reads them with the operators' protocol.
 */
public final class OperatorConnection implements RemoteDesk.Link {

    /** What the server sent, on the connection's thread. */
    public interface Receiver {

        /** One line from the server, without its line ending (never longer than the limit). */
        void line(String line);
    }

    /** How the connection ended. */
    public enum Ending {
        /** This side left ({@link #leave}): what it had queued was written, then the connection closed. */
        LEFT,
        /** The server closed the connection. */
        CLOSED,
        /** The server closed the connection in the middle of a line (the detail holds it, raw). */
        CUT_OFF,
        /** The server sent a line over the limit (the detail says the limit); the connection was closed. */
        TOO_LONG,
        /** The connection failed: reset, or unreachable (the detail says how). */
        LOST
    }

    /** How the connection ended, and its detail (empty when there is none). */
    public record End(Ending ending, String detail) {}

    private final Wire wire;
    private final Selector selector;
    private final String remote;
    private final SocketPeer peer;
    private final LineDecoder lines;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(16 * 1024);
    private final ConcurrentLinkedQueue<Runnable> posted = new ConcurrentLinkedQueue<>();
    private volatile Thread driver;
    private boolean leaving;

    private OperatorConnection(Dialer.Dialed dialed, int maxLineBytes) {
        this.wire = dialed.wire();
        this.selector = dialed.selector();
        this.remote = dialed.remote();
        this.peer = new SocketPeer(wire);
        this.lines = new LineDecoder(maxLineBytes);
    }

    /**
     * Connects to the operators' port at {@code host:port} ({@link Dialer#dial}: with {@code tls},
     * the server trusted and the handshake finished within {@code timeout}); the server's lines may
     * be at most {@code maxLineBytes} long.
     *
     * @throws UntrustedServerException when the server is not trusted (nothing was sent)
     * @throws NetworkException with a one-line message naming host, port and reason
     */
    public static OperatorConnection connect(String host, int port, Duration timeout, ClientTls tls, int maxLineBytes)
            throws NetworkException {
        return new OperatorConnection(Dialer.dial(host, port, timeout, tls), maxLineBytes);
    }

    /** The server's address as it was given, {@code host:port}. */
    public String remote() {
        return remote;
    }

    /**
     * Runs the connection until it ends, handing each line from the server to {@code receiver};
     * blocks the calling thread, which becomes its only driver. Nothing is handed over once this
     * side has left.
     *
     * @return how it ended
     */
    public End run(Receiver receiver) {
        driver = Thread.currentThread();
        try {
            SelectionKey key = wire.channel().register(selector, SelectionKey.OP_READ);
            boolean tls = wire instanceof TlsWire;
            while (true) {
                Runnable next;
                while ((next = posted.poll()) != null) {
                    next.run();
                }
                End end = flush();
                if (end != null) {
                    return end;
                }
                if (!wire.channel().isOpen() || (leaving && System.nanoTime() - peer.giveUpAt() >= 0)) {
                    return new End(Ending.LEFT, ""); // left: what the server takes no longer is not waited for
                }
                key.interestOps((leaving ? 0 : SelectionKey.OP_READ) | (peer.hasQueued() ? SelectionKey.OP_WRITE : 0));
                boolean buffered = tls && !leaving && wire.readable();
                if (buffered) {
                    selector.selectNow(); // decrypted bytes wait here, not in the socket
                } else {
                    selector.select(leaving ? Math.max(1, TimeUnit.NANOSECONDS.toMillis(peer.giveUpAt() - System.nanoTime()) + 1) : 0);
                }
                selector.selectedKeys().clear();
                if (key.isValid() && key.isWritable()) {
                    end = flush();
                    if (end != null) {
                        return end;
                    }
                }
                if (key.isValid() && !leaving && (buffered || key.isReadable())) {
                    end = read(receiver);
                    if (end != null) {
                        return end;
                    }
                }
            }
        } catch (IOException e) {
            return lost(e);
        } finally {
            closeNow();
        }
    }

    @Override
    public void execute(Runnable task) {
        post(task);
    }

    /**
     * Sends {@code line} (a line feed is added). Safe from any thread; never blocks. Nothing is
     * sent once this side is leaving.
     */
    @Override
    public void send(String line) {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        post(() -> peer.send(bytes));
    }

    /**
     * Leaves: what was sent before is written (for at most {@link Session#LINGER}), then the
     * connection is closed and {@link #run} returns {@link Ending#LEFT}. Safe from any thread.
     */
    @Override
    public void leave() {
        post(() -> {
            if (!leaving) {
                leaving = true;
                peer.close();
            }
        });
    }

    /** Releases the socket at once, whatever is queued. Safe from any thread. */
    public void closeNow() {
        peer.closeNow();
        try {
            selector.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }

    /** Runs {@code task} on the connection's thread: now, if this is it (a receiver that answers or leaves). */
    private void post(Runnable task) {
        if (Thread.currentThread() == driver) {
            task.run();
            return;
        }
        posted.add(task);
        selector.wakeup();
    }

    /** Writes what the socket takes now; the end, if writing failed. */
    private End flush() {
        try {
            peer.flush();
            return null;
        } catch (IOException e) {
            return lost(e);
        }
    }

    /** Reads what has come and hands over its complete lines; the end, if the connection ended. */
    private End read(Receiver receiver) {
        readBuffer.clear();
        int n;
        try {
            n = wire.read(readBuffer);
        } catch (IOException e) {
            return lost(e);
        }
        if (n < 0) {
            lines.endOfInput();
        } else {
            lines.feed(readBuffer.array(), 0, n);
        }
        while (!leaving) {
            Frame frame;
            try {
                frame = lines.next();
            } catch (FrameTooLongException e) {
                return new End(Ending.TOO_LONG, e.getMessage());
            }
            if (frame instanceof Frame.Message message) {
                receiver.line(message.text());
            } else if (frame instanceof Frame.CutOff cut) {
                return new End(Ending.CUT_OFF, cut.text());
            } else if (frame instanceof Frame.End) {
                return new End(Ending.CLOSED, "");
            } else {
                return null;
            }
        }
        return null;
    }

    private End lost(IOException e) {
        return new End(Ending.LOST, wire instanceof TlsWire ? TlsReasons.clientSide(e, null) : Addresses.reason(e));
    }
}
