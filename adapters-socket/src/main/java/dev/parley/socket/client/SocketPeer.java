package dev.parley.socket.client;

import dev.parley.core.port.Peer;
import dev.parley.core.session.Session;
import dev.parley.socket.Wire;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The {@link Peer} port on a non-blocking JDK socket channel (plain, or TLS over it), for a single-threaded driver: sends
 * are queued, and {@link #flush} writes what the socket takes now, then ends the output or closes
 * once everything is written. Nothing here blocks. A close waits for the last bytes at most
 * {@link Session#LINGER} ({@link #giveUpAt}), as the server's does: a server that reads nothing
 * would hold it for ever.
 */
final class SocketPeer implements Peer {

    private final Wire wire;
    private final ArrayDeque<ByteBuffer> queued = new ArrayDeque<>();
    private boolean toEnd;
    private boolean ended;
    private boolean toClose;
    private long giveUpAt;

    SocketPeer(Wire wire) {
        this.wire = wire;
    }

    @Override
    public void send(byte[] bytes) {
        if (!toEnd && wire.channel().isOpen()) {
            queued.add(ByteBuffer.wrap(bytes));
        }
    }

    @Override
    public void endOutput() {
        toEnd = true;
    }

    @Override
    public void close() {
        if (!toClose) {
            giveUpAt = System.nanoTime() + Session.LINGER.toNanos();
        }
        toEnd = true;
        toClose = true;
    }

    /** Bytes are queued that the socket has not taken yet. */
    boolean hasQueued() {
        return !queued.isEmpty() || wire.pendingOutput();
    }

    /** A close was asked for (it happens once everything queued is written). */
    boolean closing() {
        return toClose;
    }

    /** When a close asked for stops waiting for the last bytes to be written ({@link System#nanoTime()}). */
    long giveUpAt() {
        return giveUpAt;
    }

    /**
     * Writes what the socket takes now; once everything queued is written, ends the output or
     * closes, as asked.
     *
     * @throws IOException when the connection fails; what is queued is dropped
     */
    void flush() throws IOException {
        try {
            wire.flush();
            while (!queued.isEmpty()) {
                ByteBuffer head = queued.peek();
                wire.write(head);
                if (head.hasRemaining()) {
                    return;
                }
                queued.poll();
            }
            if (toEnd && !ended && wire.channel().isOpen()) {
                ended = true;
                wire.shutdownOutput();
            }
            if (wire.pendingOutput()) {
                return; // the last records (close_notify) wait for room
            }
            if (toClose) {
                closeNow();
            }
        } catch (IOException e) {
            queued.clear();
            throw e;
        }
    }

    /** Releases the socket at once, whatever is queued. */
    void closeNow() {
        try {
            wire.channel().close();
        } catch (IOException e) {
            // closing a failed socket leaves nothing to release
        }
    }
}
