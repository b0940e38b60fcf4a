package dev.parley.socket.tls;

import dev.parley.socket.ProcessErrors;
import dev.parley.socket.Wire;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * TLS over a non-blocking socket, for one thread: an {@link SSLEngine} with its three buffers
 * (records read and not yet decrypted, decrypted bytes not yet taken, records not yet written).
 * The handshake advances with {@link #handshake()} as far as it can without waiting; afterwards
 * {@link #read} and {@link #write} carry application bytes, and {@link #shutdownOutput} sends
 * close_notify then half-closes the socket (TLS 1.3 lets the peer go on speaking). The peer's
 * close_notify is the end of its output; a TCP end without one is reported as a truncation.
 *
 * <p>The peer is hostile: an {@link Error} the engine raises on what it sent (a certificate nested
 * so deeply that the parser overflows its stack) is this connection's {@link SSLException}, unless
 * {@link ProcessErrors} says it ends the process; and after the handshake, no more than
 * {@link TlsRecords#CONTROL_LIMIT} records that carry no data are taken.
 */
public final class TlsWire implements Wire {

    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final SocketChannel channel;
    private final SSLEngine engine;
    /** Write mode: records read from the socket, not yet decrypted. */
    private ByteBuffer netIn;
    /** Read mode: decrypted bytes not yet taken. */
    private ByteBuffer appIn;
    /** Read mode: records not yet written to the socket. */
    private ByteBuffer netOut;
    /** Nothing has arrived since the last record found incomplete. */
    private boolean netInStale;
    private boolean inputEnded;
    private boolean shutdownPending;
    private boolean outputShut;
    private long recordsAfterHandshake;
    /** Records after the handshake that carried no application data (key updates, tickets, empty records). */
    private long controlRecords;
    /** The first bytes the peer sent, to tell a plaintext server when the handshake fails. */
    private final byte[] first = new byte[80];
    private int firstCount;

    public TlsWire(SocketChannel channel, SSLEngine engine) {
        this.channel = channel;
        this.engine = engine;
        SSLSession session = engine.getSession();
        netIn = ByteBuffer.allocate(session.getPacketBufferSize());
        appIn = ByteBuffer.allocate(session.getApplicationBufferSize());
        appIn.flip();
        netOut = ByteBuffer.allocate(session.getPacketBufferSize());
        netOut.flip();
    }

    private boolean begun;

    public SSLEngine engine() {
        return engine;
    }

    /** The first bytes the peer sent (at most 80). */
    public byte[] firstBytes() {
        return Arrays.copyOf(first, firstCount);
    }

    /** Records processed since the handshake finished (a session ticket, data, an alert). */
    public long recordsAfterHandshake() {
        return recordsAfterHandshake;
    }

    /**
     * Advances the handshake as far as it goes now; returns what to wait for ({@link
     * SelectionKey#OP_READ} or {@link SelectionKey#OP_WRITE}), or 0 once it has finished.
     *
     * @throws SSLException when the handshake fails (an alert for the peer is written if the socket takes it)
     * @throws EOFException when the peer closes the connection during the handshake
     */
    public int handshake() throws IOException {
        try {
            if (!begun) {
                begun = true;
                engine.beginHandshake();
            }
            while (true) {
                flushNet();
                if (netOut.hasRemaining()) {
                    return SelectionKey.OP_WRITE;
                }
                switch (engine.getHandshakeStatus()) {
                    case NEED_TASK:
                        runTasks();
                        break;
                    case NEED_WRAP:
                        wrap(NOTHING);
                        break;
                    case NEED_UNWRAP:
                    case NEED_UNWRAP_AGAIN:
                        SSLEngineResult result = netIn.position() > 0 && !netInStale ? unwrap() : null;
                        if (result == null || result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                            netInStale = true;
                            int n = readNet();
                            if (n < 0) {
                                pendingFailure();
                                throw new EOFException("the server closed the connection during the TLS handshake");
                            }
                            if (n == 0) {
                                return SelectionKey.OP_READ;
                            }
                        } else if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                            throw new EOFException("the server ended TLS during the handshake");
                        }
                        break;
                    default:
                        return netOut.hasRemaining() ? SelectionKey.OP_WRITE : 0;
                }
            }
        } catch (SSLException e) {
            sendAlert();
            throw e;
        }
    }

    /**
     * Throws the failure an engine holds back until its next step: BoringSSL's, once it has sent the
     * alert that refuses the server, which then closes (the JDK's engine throws at once, and has none).
     */
    private void pendingFailure() throws SSLException {
        engine.unwrap(NOTHING, ByteBuffer.allocate(0));
    }

    /** After a failed handshake: the alert the engine has for the peer, if the socket takes it now. */
    private void sendAlert() {
        try {
            engine.closeOutbound();
            for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                wrap(NOTHING);
            }
            flushNet();
        } catch (IOException | RuntimeException e) {
            // the peer is gone or the engine has nothing more: the connection is closed anyway
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!appIn.hasRemaining()) {
            int filled = fill();
            if (filled <= 0 && !appIn.hasRemaining()) {
                return filled;
            }
        }
        int n = Math.min(appIn.remaining(), dst.remaining());
        ByteBuffer slice = appIn.duplicate();
        slice.limit(slice.position() + n);
        dst.put(slice);
        appIn.position(appIn.position() + n);
        return n;
    }

    /**
     * Decrypts what has arrived until some application bytes are ready: 1 when they are, 0 when
     * more must arrive first, -1 at the end of the peer's output.
     */
    public int fill() throws IOException {
        while (!appIn.hasRemaining()) {
            if (inputEnded) {
                return -1;
            }
            if (netIn.position() > 0 && !netInStale) {
                SSLEngineResult result = unwrap();
                afterUnwrap();
                switch (result.getStatus()) {
                    case CLOSED:
                        inputEnded = true; // the peer's close_notify
                        recordsAfterHandshake++;
                        continue;
                    case BUFFER_UNDERFLOW:
                        netInStale = true;
                        break;
                    default:
                        if (result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
                            netInStale = true;
                        } else {
                            recordsAfterHandshake++;
                            if (result.bytesProduced() == 0 && ++controlRecords > TlsRecords.CONTROL_LIMIT) {
                                throw new SSLException("the server sent more than " + TlsRecords.CONTROL_LIMIT + " TLS records that "
                                        + "carry no data (key updates, empty records); is it hostile?");
                            }
                        }
                        continue;
                }
            }
            int n = readNet();
            if (n < 0) {
                inputEnded = true;
                try {
                    engine.closeInbound();
                } catch (SSLException e) {
                    throw new EOFException("closed without TLS close_notify (truncated)");
                }
                return -1;
            }
            if (n == 0) {
                return 0;
            }
        }
        return 1;
    }

    /** A post-handshake message (a key update, say) may want a task run or an answer written. */
    private void afterUnwrap() throws IOException {
        while (true) {
            SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
            if (status == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                runTasks();
            } else if (status == SSLEngineResult.HandshakeStatus.NEED_WRAP && !engine.isOutboundDone()) {
                wrap(NOTHING);
                flushNet();
            } else {
                return;
            }
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int taken = 0;
        while (src.hasRemaining()) {
            flushNet();
            if (netOut.hasRemaining()) {
                break; // the socket is full: the rest waits
            }
            int before = src.remaining();
            SSLEngineResult result = wrap(src);
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new IOException("TLS output already closed");
            }
            taken += before - src.remaining();
            if (result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
                throw new IOException("TLS cannot send now (" + result.getHandshakeStatus() + ")"); // never spin
            }
        }
        flushNet();
        return taken;
    }

    @Override
    public void flush() throws IOException {
        flushNet();
    }

    @Override
    public boolean pendingOutput() {
        return netOut.hasRemaining() || (shutdownPending && !outputShut);
    }

    @Override
    public boolean readable() {
        return appIn.hasRemaining() || (netIn.position() > 0 && !netInStale);
    }

    @Override
    public void shutdownOutput() throws IOException {
        if (shutdownPending) {
            return;
        }
        shutdownPending = true;
        engine.closeOutbound();
        for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
            flushNet();
            wrap(NOTHING);
        }
        flushNet();
    }

    @Override
    public SocketChannel channel() {
        return channel;
    }

    private void flushNet() throws IOException {
        while (netOut.hasRemaining()) {
            if (channel.write(netOut) == 0) {
                return;
            }
        }
        if (shutdownPending && !outputShut && engine.isOutboundDone() && channel.isOpen()) {
            outputShut = true;
            channel.shutdownOutput();
        }
    }

    private int readNet() throws IOException {
        if (!netIn.hasRemaining()) {
            netIn = grow(netIn, true);
        }
        int before = netIn.position();
        int n = channel.read(netIn);
        if (n > 0) {
            netInStale = false;
            for (int i = before; i < netIn.position() && firstCount < first.length; i++) {
                first[firstCount++] = netIn.get(i);
            }
        }
        return n;
    }

    private SSLEngineResult unwrap() throws SSLException {
        netIn.flip();
        appIn.compact();
        try {
            SSLEngineResult result = engine.unwrap(netIn, appIn);
            while (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                appIn = grow(appIn, true);
                result = engine.unwrap(netIn, appIn);
            }
            return result;
        } catch (Error e) {
            throw contained(e);
        } finally {
            netIn.compact();
            appIn.flip();
        }
    }

    private SSLEngineResult wrap(ByteBuffer src) throws SSLException {
        netOut.compact();
        try {
            SSLEngineResult result = engine.wrap(src, netOut);
            while (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW && netOut.position() == 0) {
                netOut = grow(netOut, true);
                result = engine.wrap(src, netOut);
            }
            return result;
        } finally {
            netOut.flip();
        }
    }

    private void runTasks() throws SSLException {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            try {
                task.run(); // where the engine parses what the peer sent: its certificate, above all
            } catch (Error e) {
                throw contained(e);
            }
        }
    }

    /** An {@link Error} raised by the peer's input, as this connection's failure; rethrown when it ends the process. */
    private static SSLException contained(Error e) {
        if (ProcessErrors.endProcess(e)) {
            throw e;
        }
        return new SSLException(ProcessErrors.describe("what the server sent", e), e);
    }

    /** A buffer twice as large holding what {@code buffer} (in write mode) holds. */
    private static ByteBuffer grow(ByteBuffer buffer, boolean writeMode) {
        ByteBuffer larger = ByteBuffer.allocate(buffer.capacity() * 2);
        buffer.flip();
        larger.put(buffer);
        return larger;
    }
}
