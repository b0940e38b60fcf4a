package dev.parley.core.wire;

/**
 * Turns a stream of bytes into frames, without doing any I/O (bring your own bytes).
 *
 * <p>Feed whatever each read returned (the bytes are copied: the caller may reuse its buffer), then
 * call {@link #next()} until it answers {@link Frame#NEED_DATA}. When the input ends, call
 * {@link #endOfInput()}: a frame the end cut off is then handed out as {@link Frame.CutOff}, never
 * as a message (a framing without terminators, such as raw, has none to cut, and hands out what it
 * holds as its last message), followed by {@link Frame#END}.
 */
public interface FrameDecoder {

    /**
     * Takes the bytes one read returned: {@code bytes[offset, offset + length)}.
     *
     * @param bytes the buffer read into (copied: the caller may reuse it)
     * @param offset where the bytes start
     * @param length how many there are
     * @throws IllegalStateException if the input has ended
     */
    void feed(byte[] bytes, int offset, int length);

    /**
     * Takes the bytes one read returned: all of {@code bytes}.
     *
     * @param bytes the bytes read (copied: the caller may reuse the array)
     * @throws IllegalStateException if the input has ended
     */
    default void feed(byte[] bytes) {
        feed(bytes, 0, bytes.length);
    }

    /** Signals that no more bytes will come. */
    void endOfInput();

    /**
     * The next frame, in arrival order.
     *
     * @return a {@link Frame.Message}, {@link Frame.Failure} or {@link Frame.Notice}; a
     *     {@link Frame.CutOff} once the input has ended in the middle of a frame; or
     *     {@link Frame#NEED_DATA} when no complete frame is held, {@link Frame#END} once the input
     *     has ended and everything was handed out
     * @throws FrameTooLongException when the next frame was longer than the configured limit; its
     *     bytes were discarded and decoding goes on with the frame after it
     */
    Frame next();

    /**
     * True while part of a frame has arrived and the rest has not (used for the line deadline).
     *
     * @return whether a frame is started and not finished
     */
    boolean hasPartialFrame();

    /**
     * The memory this decoder holds for bytes not yet handed out, in bytes (about).
     *
     * @return the size of what is held
     */
    int bufferedBytes();

    /** Drops everything held and ends the input: nothing more is handed out but {@link Frame#END}. */
    void clear();
}
