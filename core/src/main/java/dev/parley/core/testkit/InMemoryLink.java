package dev.parley.core.testkit;

import dev.parley.core.Incoming;
import dev.parley.core.Peer;
import dev.parley.core.PeerLostException;
import dev.parley.core.wire.FrameDecoder;
import dev.parley.core.wire.Framing;
import dev.parley.core.wire.LineFraming;
import java.util.Optional;

/**
 * Two peers joined by an in-memory wire that carries real framed bytes: what one end sends, the
 * other receives, through the same codec as a socket. {@link Peer#receive()} waits while nothing
 * has arrived, so two conversations can talk from two threads; in a single thread, send first.
 */
public final class InMemoryLink {

    private final End client;
    private final End server;

    public InMemoryLink(Framing framing) {
        this.client = new End(framing);
        this.server = new End(framing);
        client.other = server;
        server.other = client;
    }

    /** A link in line framing with the default limit. */
    public InMemoryLink() {
        this(new LineFraming());
    }

    /** The client's end. */
    public Peer client() {
        return client;
    }

    /** The server's end. */
    public Peer server() {
        return server;
    }

    /** One end of the wire: receives what the other end sends. */
    private static final class End implements Peer {
        private final Framing framing;
        private final FrameDecoder decoder;
        private End other;
        private boolean outputShut;
        private boolean closed;

        End(Framing framing) {
            this.framing = framing;
            this.decoder = framing.newDecoder();
        }

        @Override
        public Incoming receive() {
            synchronized (this) {
                while (true) {
                    if (closed) {
                        return new Incoming.Lost("closed locally");
                    }
                    Optional<Incoming> next = Incoming.next(decoder);
                    if (next.isPresent()) {
                        return next.get();
                    }
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return new Incoming.Lost("interrupted");
                    }
                }
            }
        }

        @Override
        public void send(String message) {
            byte[] bytes = framing.encode(message);
            synchronized (this) {
                if (outputShut || closed) {
                    throw new PeerLostException("this end already stopped sending");
                }
            }
            if (!other.deliver(bytes)) {
                throw new PeerLostException("the other end is closed");
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

        @Override
        public void close() {
            stopSending(Optional.empty());
            synchronized (this) {
                closed = true;
                notifyAll();
            }
        }

        /** Sends {@code last}, if any, then ends the other side's input; only the first call acts. */
        private void stopSending(Optional<byte[]> last) {
            synchronized (this) {
                if (outputShut) {
                    return;
                }
                outputShut = true;
            }
            last.ifPresent(other::deliver);
            other.endOfInput();
        }

        private synchronized boolean deliver(byte[] bytes) {
            if (closed) {
                return false;
            }
            decoder.feed(bytes);
            notifyAll();
            return true;
        }

        private synchronized void endOfInput() {
            decoder.endOfInput();
            notifyAll();
        }
    }
}
