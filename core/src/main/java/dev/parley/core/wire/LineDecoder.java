package dev.parley.core.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Splits bytes into UTF-8 lines: {@code \n} ends a line, and every {@code \r} just before it is
 * part of the line ending, dropped with it ({@code \r\n}, {@code \r\r\n}). So no line handed out
 * ends with {@code \r}: whatever this decoder delivers, {@link LineFraming} can send back.
 *
 * <p>Lines are split on bytes, before decoding, so a multi-byte character split across reads
 * decodes correctly (a UTF-8 continuation byte is never {@code \n}); invalid UTF-8 becomes U+FFFD.
 *
 * <p>Decoding is lazy: {@link #feed} only keeps the bytes, and each {@link #next()} decodes one
 * line. A reader that stops reading while it holds an undecoded line therefore holds at most one
 * read's bytes, never a queue of decoded strings.
 *
 * <p>A line whose bytes exceed {@code maxLineBytes} (one {@code \r} before its {@code \n} not
 * counted, so the limit followed by {@code \r\n} still fits) is reported as
 * {@link FrameTooLongException} in its place in the order. Only its first {@code maxLineBytes + 2}
 * bytes are kept, as a marker; the rest is discarded as it arrives, up to the next {@code \n}:
 * memory stays bounded by the limit and the size of one read, whatever the peer sends. An
 * unterminated last line is handed out at the end of input as {@link Frame.CutOff}, not as a
 * message: the peer's closing cut it off, and what it would have said is unknown.
 */
public final class LineDecoder implements FrameDecoder {

    private static final byte[] EMPTY = new byte[0];
    /** A buffer this small is kept when it empties; a larger one is given back. */
    private static final int KEPT_CAPACITY = 1024;

    /** Reads eight bytes of an array as one little-endian long (lowest address, lowest byte). */
    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW_SEVEN_BITS = 0x7F7F7F7F7F7F7F7FL;
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

    private final int maxLineBytes;
    /** The bytes kept: {@code buffer[start, end)}; {@code [start, scanned)} holds no {@code \n}. */
    private byte[] buffer = EMPTY;
    private int start;
    private int scanned;
    private int end;
    /** Bytes of the last line kept, after the last {@code \n} in the buffer. */
    private int partial;
    /** The last line is too long: its marker is kept, its other bytes dropped up to the next {@code \n}. */
    private boolean discarding;
    /** The too-long last line was reported (and its marker dropped) before its {@code \n} arrived. */
    private boolean reported;
    private boolean ended;

    /**
     * A decoder that accepts lines of at most {@code maxLineBytes} bytes, terminator excluded.
     *
     * @param maxLineBytes the longest line accepted, in bytes, at least 1
     * @throws IllegalArgumentException if {@code maxLineBytes} is out of range
     */
    public LineDecoder(int maxLineBytes) {
        if (maxLineBytes < 1 || maxLineBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxLineBytes must be between 1 and " + (Integer.MAX_VALUE - 16)
                    + ", was " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * The configured maximum line length in bytes.
     *
     * @return the longest line accepted
     */
    public int maxLineBytes() {
        return maxLineBytes;
    }

    @Override
    public void feed(byte[] bytes, int offset, int count) {
        if (ended) {
            throw new IllegalStateException("bytes fed after the end of input");
        }
        int pos = offset;
        int to = offset + count;
        if (discarding) {
            int newline = indexOfNewline(bytes, pos, to);
            if (newline < 0) {
                return;
            }
            if (!reported) {
                append(bytes, newline, 1); // ends the too-long line's marker
            }
            discarding = false;
            reported = false;
            partial = 0;
            pos = newline + 1;
        }
        if (pos == to) {
            return;
        }
        // Complete lines are kept whole (they are bounded by this read); only the last, unfinished
        // line carries over from read to read, and it is cut once it can no longer fit.
        int lastNewline = lastIndexOfNewline(bytes, pos, to);
        if (lastNewline >= 0) {
            append(bytes, pos, lastNewline + 1 - pos);
            partial = 0;
            pos = lastNewline + 1;
        }
        int rest = to - pos;
        int marker = maxLineBytes + 2 - partial;
        if (rest > marker) {
            append(bytes, pos, marker);
            partial += marker;
            discarding = true;
        } else {
            append(bytes, pos, rest);
            partial += rest;
            // One byte over the limit may still be a \r before the \n; anything else over it is too long.
            discarding = partial > maxLineBytes + 1 || (partial == maxLineBytes + 1 && buffer[end - 1] != '\r');
        }
    }

    private void append(byte[] bytes, int from, int count) {
        if (count == 0) {
            return;
        }
        if (end + count > buffer.length) {
            int kept = end - start;
            int needed = kept + count;
            // Doubling keeps byte-at-a-time reading linear; the cap keeps memory to a line and a read.
            int grown = Math.min(Math.max(256, buffer.length * 2), maxLineBytes + 2 + count);
            byte[] target = needed <= buffer.length ? buffer : new byte[Math.max(needed, grown)];
            System.arraycopy(buffer, start, target, 0, kept);
            buffer = target;
            scanned -= start;
            start = 0;
            end = kept;
        }
        System.arraycopy(bytes, from, buffer, end, count);
        end += count;
    }

    @Override
    public void endOfInput() {
        ended = true;
        if (reported) {
            partial = 0;
        }
        discarding = false;
        reported = false;
    }

    /**
     * The next line as {@link Frame.Message}; an unterminated last line, once the input has ended,
     * as {@link Frame.CutOff}; or {@link Frame#NEED_DATA} / {@link Frame#END}.
     *
     * @throws FrameTooLongException in place of a line longer than the limit
     */
    @Override
    public Frame next() {
        int newline = indexOfNewline(buffer, scanned, end);
        int lineEnd;
        if (newline >= 0) {
            lineEnd = newline;
        } else if (discarding && !reported) {
            // All that is left is the unfinished last line, and it is already too long: say so now,
            // in its place, rather than when (if ever) its line feed comes.
            start = scanned = end;
            reported = true;
            release();
            throw new FrameTooLongException(maxLineBytes);
        } else if (ended && start < end) {
            lineEnd = end; // an unterminated last line
        } else {
            scanned = end;
            release();
            return ended ? Frame.END : Frame.NEED_DATA;
        }
        int lineStart = start;
        start = scanned = Math.min(lineEnd + 1, end);
        if (newline < 0 || start == end) {
            partial = 0;
        }
        int length = lineEnd - lineStart;
        boolean fits = length <= maxLineBytes || (length == maxLineBytes + 1 && buffer[lineEnd - 1] == '\r');
        if (!fits) {
            release();
            throw new FrameTooLongException(maxLineBytes);
        }
        String text = new String(buffer, lineStart, contentEnd(buffer, lineStart, lineEnd) - lineStart, StandardCharsets.UTF_8);
        release();
        return newline < 0 ? new Frame.CutOff(text) : new Frame.Message(text);
    }

    /** Once every kept byte is decoded, starts over at the front, and gives back a large buffer. */
    private void release() {
        if (start == end) {
            start = scanned = end = 0;
            if (buffer.length > KEPT_CAPACITY) {
                buffer = EMPTY;
            }
        }
    }

    /**
     * Where the content of the line {@code bytes[start, end)} ends: the carriage returns it ends
     * with belong to its line ending. The one rule for a line's end, shared by everything that
     * splits lines (the wire, and responder scripts read from a file).
     *
     * @param bytes the bytes that hold the line
     * @param start where the line starts
     * @param end where it ends: at its {@code \n}, or the end of the input
     * @return the index after the line's last content byte, between {@code start} and {@code end}
     */
    public static int contentEnd(byte[] bytes, int start, int end) {
        int stop = end;
        while (stop > start && bytes[stop - 1] == '\r') {
            stop--;
        }
        return stop;
    }

    @Override
    public boolean hasPartialFrame() {
        return partial > 0 || discarding;
    }

    @Override
    public void clear() {
        buffer = EMPTY;
        start = scanned = end = partial = 0;
        discarding = false;
        reported = false;
        ended = true;
    }

    @Override
    public int bufferedBytes() {
        return buffer.length;
    }

    /**
     * The first {@code \n} in {@code bytes[from, to)}, or -1. Eight bytes at a time: XOR with
     * {@code \n} turns a line feed into a zero byte, and {@link #zeroBytes} marks those exactly.
     */
    private static int indexOfNewline(byte[] bytes, int from, int to) {
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long zeros = zeroBytes((long) LONGS.get(bytes, i) ^ NEWLINES);
            if (zeros != 0) {
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The last {@code \n} in {@code bytes[from, to)}, or -1; eight bytes at a time from the end. */
    private static int lastIndexOfNewline(byte[] bytes, int from, int to) {
        int i = to;
        for (; i - Long.BYTES >= from; i -= Long.BYTES) {
            long zeros = zeroBytes((long) LONGS.get(bytes, i - Long.BYTES) ^ NEWLINES);
            if (zeros != 0) {
                return i - 1 - (Long.numberOfLeadingZeros(zeros) >>> 3);
            }
        }
        for (i--; i >= from; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * The high bit of each byte of {@code word} that is zero, and of no other: adding 0x7F to the
     * low seven bits carries into the high bit unless they are all zero, and OR-ing in the word's
     * own high bits leaves only bytes that were zero throughout. Exact, with no borrow between
     * bytes, so the lowest and the highest mark can both be trusted.
     */
    private static long zeroBytes(long word) {
        return ~(((word & LOW_SEVEN_BITS) + LOW_SEVEN_BITS) | word | LOW_SEVEN_BITS);
    }
}
