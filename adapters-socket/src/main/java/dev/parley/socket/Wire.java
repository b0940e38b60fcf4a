package dev.parley.socket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The byte stream a client's session talks over, on a non-blocking socket driven by one thread:
 * the socket itself ({@link Plain}) or TLS over it ({@link dev.parley.socket.tls.TlsWire}). Nothing here blocks.
 */
public interface Wire {

    /** Reads what has arrived into {@code dst}: the number of bytes, 0 for none yet, -1 at the end of the peer's output. */
    int read(ByteBuffer dst) throws IOException;

    /** Takes what it can of {@code src} now and writes it; returns how many bytes it took. */
    int write(ByteBuffer src) throws IOException;

    /** Writes what is pending to the socket; then ends the output if that was asked for. */
    void flush() throws IOException;

    /** Bytes are pending that the socket has not taken yet. */
    boolean pendingOutput();

    /** Bytes can be read now without waiting for the socket (TLS: decrypted, or a record not looked at yet). */
    boolean readable();

    /** Ends this side's output once what is pending is written (TLS: close_notify first, then the TCP half-close). */
    void shutdownOutput() throws IOException;

    SocketChannel channel();

    /** The socket itself. */
    final class Plain implements Wire {
        private final SocketChannel channel;

        public Plain(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return channel.read(dst);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return channel.write(src);
        }

        @Override
        public void flush() {
            // nothing is held here
        }

        @Override
        public boolean pendingOutput() {
            return false;
        }

        @Override
        public boolean readable() {
            return false;
        }

        @Override
        public void shutdownOutput() throws IOException {
            channel.shutdownOutput();
        }

        @Override
        public SocketChannel channel() {
            return channel;
        }
    }
}
