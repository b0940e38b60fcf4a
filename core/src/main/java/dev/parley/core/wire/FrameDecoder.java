package dev.parley.core.wire;

/**
 * Turns a stream of bytes into frames, without doing any I/O (bring your own bytes).
 *
 * <p>Feed whatever each read returned (the bytes are copied: the caller may reuse its buffer), then
 * call {@link #next()} until it answers {@link Frame#NEED_DATA}. When the input ends, call
 * {@link #endOfInput()}: an unterminated last message is then delivered, followed by
 * {@link Frame#END}.
 */
public interface FrameDecoder {

    /** Takes the bytes one read returned. */
    void feed(byte[] bytes, int offset, int length);

    /** Takes the bytes one read returned. */
    default void feed(byte[] bytes) {
        feed(bytes, 0, bytes.length);
    }

    /** Signals that no more bytes will come. */
    void endOfInput();

    /**
     * The next frame, in arrival order.
     *
     * @throws FrameTooLongException when the next frame was longer than the configured limit; its
     *     bytes were discarded and decoding goes on with the frame after it
     */
    Frame next();

    /** True while part of a frame has arrived and the rest has not (used for the line deadline). */
    boolean hasPartialFrame();

    /** The memory this decoder holds for bytes not yet handed out, in bytes (about). */
    int bufferedBytes();

    /** Drops everything held and ends the input: nothing more is handed out but {@link Frame#END}. */
    void clear();
}
