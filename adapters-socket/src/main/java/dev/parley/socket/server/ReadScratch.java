package dev.parley.socket.server;

import dev.parley.core.session.Input;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * A read's bytes as the session's input: the buffer's own array when it has one, else one byte
 * array per event-loop thread into which they are copied (the session copies what it keeps), so no
 * allocation per read.
 */
final class ReadScratch {

    private static final FastThreadLocal<byte[]> ARRAYS = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[8192];
        }
    };

    private ReadScratch() {}

    /** {@code bytes} (which the caller still releases) as the peer's bytes, valid until this thread's next read. */
    static Input.PeerBytes peerBytes(ByteBuf bytes) {
        int n = bytes.readableBytes();
        if (bytes.hasArray()) {
            return new Input.PeerBytes(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), n);
        }
        byte[] array = get(n);
        bytes.getBytes(bytes.readerIndex(), array, 0, n);
        return new Input.PeerBytes(array, 0, n);
    }

    /** This thread's array, at least {@code size} long. */
    private static byte[] get(int size) {
        byte[] array = ARRAYS.get();
        if (array.length < size) {
            array = new byte[Math.max(size, array.length * 2)];
            ARRAYS.set(array);
        }
        return array;
    }
}
