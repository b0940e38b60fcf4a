package dev.parley.socket.server;

import io.netty.util.concurrent.FastThreadLocal;

/**
 * One byte array per event-loop thread, into which a read's bytes are copied for the session (which
 * copies what it keeps): no allocation per read.
 */
final class ReadScratch {

    private static final FastThreadLocal<byte[]> ARRAYS = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[8192];
        }
    };

    private ReadScratch() {}

    /** This thread's array, at least {@code size} long. */
    static byte[] get(int size) {
        byte[] array = ARRAYS.get();
        if (array.length < size) {
            array = new byte[Math.max(size, array.length * 2)];
            ARRAYS.set(array);
        }
        return array;
    }
}
