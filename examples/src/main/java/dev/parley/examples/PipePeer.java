package dev.parley.examples;

import dev.parley.core.port.Peer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.ArrayDeque;

/**
 * The {@link Peer} port on one direction of a {@link java.nio.channels.Pipe}: this side writes to
 * the sink, the other side reads the source. A pipe has no half-close, so ending the output closes
 * the sink (the reader sees the end of its input). Calls never block: what the pipe cannot take now
 * is queued, and the driver calls {@link #flush} when the sink is writable.
 */
public final class PipePeer implements Peer {

    private final Pipe.SinkChannel sink;
    private final ArrayDeque<ByteBuffer> unwritten = new ArrayDeque<>();
    private boolean ending;
    private boolean released;
    private boolean releaseDone;
    private Runnable onRelease = () -> { };

    /**
     * A peer that writes to {@code sink}, which it puts in non-blocking mode.
     *
     * @param sink the pipe's writing end
     * @throws IOException if the channel cannot be made non-blocking
     */
    public PipePeer(Pipe.SinkChannel sink) throws IOException {
        this.sink = sink;
        sink.configureBlocking(false);
    }

    /**
     * What to do once {@link #close} has taken effect, after everything was written: the driver
     * closes its reading end there.
     *
     * @param onRelease called once, on the driver's thread
     */
    void onRelease(Runnable onRelease) {
        this.onRelease = onRelease;
    }

    @Override
    public void send(byte[] bytes) {
        if (!ending) {
            unwritten.add(ByteBuffer.wrap(bytes));
        }
    }

    @Override
    public void endOutput() {
        ending = true;
    }

    @Override
    public void close() {
        ending = true;
        released = true;
    }

    /**
     * Writes what the pipe takes now; once everything is written, closes the sink if the output
     * was ended, and runs the release action if the peer was closed.
     *
     * @return true when nothing is left to write
     * @throws IOException when the reader is gone; what was queued is dropped
     */
    public boolean flush() throws IOException {
        try {
            while (!unwritten.isEmpty()) {
                ByteBuffer next = unwritten.peek();
                sink.write(next);
                if (next.hasRemaining()) {
                    return false;
                }
                unwritten.poll();
            }
        } catch (IOException e) {
            unwritten.clear();
            sink.close();
            throw e;
        }
        if (ending && sink.isOpen()) {
            sink.close();
        }
        if (released && !releaseDone) {
            releaseDone = true;
            onRelease.run();
        }
        return true;
    }

    /**
     * True while bytes wait to be written.
     *
     * @return whether {@link #flush} has work to do
     */
    public boolean hasUnwritten() {
        return !unwritten.isEmpty();
    }

    /**
     * True once the connection is released: closed, and everything sent was written.
     *
     * @return whether this side is done with the pipe
     */
    public boolean isReleased() {
        return releaseDone;
    }
}
