package dev.parley.socket;

import dev.parley.core.Incoming;
import dev.parley.core.Peer;
import dev.parley.core.PeerLostException;
import dev.parley.core.wire.FrameDecoder;
import dev.parley.core.wire.Framing;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/** The {@link Peer} port over a TCP socket, framed by a core codec, with idle and line timeouts. */
public final class SocketPeer implements Peer {

    private final Socket socket;
    private final Framing framing;
    private final FrameDecoder decoder;
    private final Limits limits;
    private final LongSupplier nanoClock;
    private final byte[] buffer;
    private final InputStream in;
    private final OutputStream out;
    private final Object sending = new Object();
    private boolean outputShut;
    private long partialSince = -1;

    public SocketPeer(Socket socket, Framing framing, Limits limits) throws IOException {
        this(socket, framing, limits, System::nanoTime);
    }

    SocketPeer(Socket socket, Framing framing, Limits limits, LongSupplier nanoClock) throws IOException {
        this.socket = socket;
        this.framing = framing;
        this.decoder = framing.newDecoder();
        this.limits = limits;
        this.nanoClock = nanoClock;
        this.buffer = new byte[framing.readSize()];
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        socket.setTcpNoDelay(true);
    }

    /** The remote address as {@code host:port}, for logs. */
    public String remote() {
        return Addresses.format(socket.getRemoteSocketAddress());
    }

    @Override
    public Incoming receive() {
        while (true) {
            Optional<Incoming> next = Incoming.next(decoder);
            if (next.isPresent()) {
                return next.get();
            }
            Optional<Incoming> failed = read();
            if (failed.isPresent()) {
                return failed.get();
            }
        }
    }

    /** Reads once into the decoder; a failure or timeout comes back as the Incoming to return. */
    private Optional<Incoming> read() {
        Duration idle = limits.idleTimeout();
        boolean midLine = partialSince >= 0 && !limits.lineTimeout().isZero();
        Duration lineLeft = midLine ? remainingLineTime() : Duration.ZERO;
        if (midLine && lineLeft.isZero()) {
            return Optional.of(new Incoming.Lost(limits.lineReason()));
        }
        boolean lineGoverns = midLine && (idle.isZero() || lineLeft.compareTo(idle) <= 0);
        Duration wait = lineGoverns ? lineLeft : idle;
        try {
            socket.setSoTimeout(wait.isZero() ? 0 : (int) Math.min(Integer.MAX_VALUE, ceilMillis(wait)));
            int n = in.read(buffer);
            if (n < 0) {
                decoder.endOfInput();
            } else {
                decoder.feed(buffer, 0, n);
                if (!decoder.hasPartialFrame()) {
                    partialSince = -1;
                } else if (partialSince < 0) {
                    partialSince = nanoClock.getAsLong();
                }
            }
            return Optional.empty();
        } catch (SocketTimeoutException e) {
            return Optional.of(new Incoming.Lost(lineGoverns ? limits.lineReason() : limits.idleReason()));
        } catch (IOException e) {
            return Optional.of(new Incoming.Lost(Addresses.reason(e)));
        }
    }

    private static long ceilMillis(Duration d) {
        return Math.max(1, (d.toNanos() + 999_999) / 1_000_000);
    }

    /** Time left for the line in progress; zero once it has passed. */
    private Duration remainingLineTime() {
        Duration left = limits.lineTimeout().minusNanos(nanoClock.getAsLong() - partialSince);
        return left.isNegative() ? Duration.ZERO : left;
    }

    @Override
    public void send(String message) {
        write(framing.encode(message));
    }

    private void write(byte[] bytes) {
        synchronized (sending) {
            if (outputShut) {
                throw new PeerLostException("this side already stopped sending");
            }
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                throw new PeerLostException(Addresses.reason(e), e);
            }
        }
    }

    @Override
    public void leave() {
        stopSending(framing.farewell());
    }

    @Override
    public void fail(String reason) {
        stopSending(framing.failure(reason));
    }

    /** Writes {@code last}, if any, then half-closes: the peer sees the end of our output. */
    private void stopSending(Optional<byte[]> last) {
        synchronized (sending) {
            if (outputShut) {
                return;
            }
            try {
                if (last.isPresent()) {
                    out.write(last.get());
                    out.flush();
                }
                socket.shutdownOutput();
            } catch (IOException e) {
                // The peer is gone already; there is no one left to tell.
            } finally {
                outputShut = true;
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing a socket that failed leaves nothing to release.
        }
    }
}
