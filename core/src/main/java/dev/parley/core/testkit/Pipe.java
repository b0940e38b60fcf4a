package dev.parley.core.testkit;

import dev.parley.core.port.Peer;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * One direction of an in-memory connection: what the writer sends through the {@link Peer} port,
 * the reader takes with {@link #take}, in order, then sees the end once the writer ended its output
 * or closed. No thread, no blocking: a test reads when it likes.
 */
public final class Pipe implements Peer {

    private final ArrayDeque<byte[]> bytes = new ArrayDeque<>();
    private boolean ended;
    private boolean closed;
    private boolean readerGone;

    /** An empty pipe, open at both ends. */
    public Pipe() {
        // the fields start empty
    }

    @Override
    public void send(byte[] data) {
        if (ended) {
            throw new IllegalStateException("bytes sent after the output ended");
        }
        if (!readerGone && data.length > 0) {
            bytes.add(data.clone());
        }
    }

    @Override
    public void endOutput() {
        ended = true;
    }

    @Override
    public void close() {
        ended = true;
        closed = true;
    }

    /**
     * True when the writer released its end.
     *
     * @return whether {@link #close()} was called
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * True when bytes are waiting to be taken.
     *
     * @return whether {@link #take} would return bytes
     */
    public boolean hasBytes() {
        return !bytes.isEmpty();
    }

    /**
     * The next bytes in order, at most {@code max} of them; empty when none are waiting. Bytes
     * are handed out as they were sent, never two sends' bytes in one take.
     *
     * @param max the most bytes to take
     * @return the bytes taken
     */
    public byte[] take(int max) {
        byte[] head = bytes.poll();
        if (head == null) {
            return new byte[0];
        }
        if (head.length > max) {
            bytes.addFirst(Arrays.copyOfRange(head, max, head.length));
            return Arrays.copyOf(head, max);
        }
        return head;
    }

    /**
     * True once every byte was taken and the writer's output has ended: the reader sees the end of input.
     *
     * @return whether the reader is at the end of its input
     */
    public boolean atEnd() {
        return ended && bytes.isEmpty();
    }

    /**
     * The reader is gone (its side closed): what is sent from now on is dropped, as by a closed
     * socket. The {@link Link} says so when the other side closes; not public: a test that holds a
     * pipe alone has no reader to lose.
     */
    void readerGone() {
        readerGone = true;
        bytes.clear();
    }
}
