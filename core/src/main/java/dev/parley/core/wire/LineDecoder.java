package dev.parley.core.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Splits bytes into UTF-8 lines: {@code \n} ends a line, and every {@code \r} just before it is
 * part of the line ending, dropped with it ({@code \r\n}, {@code \r\r\n}). So no line handed out
 * ends with {@code \r}: whatever this decoder delivers, {@link LineFraming} can send back.
 *
 * <p>Lines are split on bytes, before decoding, so a multi-byte character split across reads
 * decodes correctly (a UTF-8 continuation byte is never {@code \n}); invalid UTF-8 becomes U+FFFD.
 * A line whose content exceeds {@code maxLineBytes} is reported as {@link FrameTooLongException}
 * in its place in the order, and its bytes are discarded up to the next {@code \n} without being
 * buffered: memory stays bounded by the limit whatever the peer sends. An unterminated last line
 * is delivered at the end of input.
 */
public final class LineDecoder implements FrameDecoder {

    private static final Object TOO_LONG = new Object();

    /** Reads eight bytes of an array as one little-endian long (lowest address, lowest byte). */
    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final int maxLineBytes;
    private final ArrayDeque<Object> ready = new ArrayDeque<>();
    private byte[] line;
    private int length;
    private boolean discarding;
    private boolean ended;

    /** A decoder that accepts lines of at most {@code maxLineBytes} bytes, terminator excluded. */
    public LineDecoder(int maxLineBytes) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be at least 1, was " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
        this.line = new byte[Math.min(256, maxLineBytes + 1)];
    }

    /** The configured maximum line length in bytes. */
    public int maxLineBytes() {
        return maxLineBytes;
    }

    @Override
    public void feed(byte[] bytes, int offset, int count) {
        if (ended) {
            throw new IllegalStateException("bytes fed after the end of input");
        }
        int end = offset + count;
        int pos = offset;
        while (pos < end) {
            int newline = indexOfNewline(bytes, pos, end);
            int stop = newline < 0 ? end : newline;
            if (!discarding) {
                append(bytes, pos, stop - pos);
            }
            if (newline < 0) {
                return;
            }
            if (discarding) {
                discarding = false;
            } else {
                ready.add(completeLine());
            }
            length = 0;
            pos = newline + 1;
        }
    }

    private void append(byte[] bytes, int from, int count) {
        if (count == 0) {
            return; // nothing new: what is buffered already fits (and the \r check below needs a byte)
        }
        int total = length + count;
        // The content may hold maxLineBytes, plus one trailing \r that a \n may yet follow.
        boolean fits = total <= maxLineBytes
                || (total == maxLineBytes + 1 && bytes[from + count - 1] == '\r');
        if (!fits) {
            discarding = true;
            length = 0;
            ready.add(TOO_LONG);
            return;
        }
        if (total > line.length) {
            line = Arrays.copyOf(line, Math.min(Math.max(total, line.length * 2), maxLineBytes + 1));
        }
        System.arraycopy(bytes, from, line, length, count);
        length = total;
    }

    private String completeLine() {
        return new String(line, 0, contentEnd(line, 0, length), StandardCharsets.UTF_8);
    }

    /**
     * Where the content of the line {@code bytes[start, end)} ends: the carriage returns it ends
     * with belong to its line ending. The one rule for a line's end, shared by everything that
     * splits lines (the wire, and responder scripts read from a file).
     */
    public static int contentEnd(byte[] bytes, int start, int end) {
        int stop = end;
        while (stop > start && bytes[stop - 1] == '\r') {
            stop--;
        }
        return stop;
    }

    /**
     * The first {@code \n} in {@code bytes[from, to)}, or -1. Eight bytes at a time: XOR with
     * {@code \n} in every byte turns a line feed into a zero byte, and the classic "has a zero
     * byte" test flags the lowest one exactly (a borrow can only flag bytes above a real zero).
     */
    private static int indexOfNewline(byte[] bytes, int from, int to) {
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long word = (long) LONGS.get(bytes, i) ^ 0x0A0A0A0A0A0A0A0AL;
            long zeros = (word - 0x0101010101010101L) & ~word & 0x8080808080808080L;
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

    @Override
    public void endOfInput() {
        if (ended) {
            return;
        }
        ended = true;
        if (!discarding && length > 0) {
            ready.add(completeLine());
        }
        discarding = false;
        length = 0;
    }

    /** The next line as {@link Frame.Message}, or {@link Frame#NEED_DATA} / {@link Frame#END}. */
    @Override
    public Frame next() {
        Object item = ready.poll();
        if (item == TOO_LONG) {
            throw new FrameTooLongException(maxLineBytes);
        }
        if (item != null) {
            return new Frame.Message((String) item);
        }
        return ended ? Frame.END : Frame.NEED_DATA;
    }

    /** How many bytes the line buffer can hold now; never more than the limit plus one. */
    int bufferCapacity() {
        return line.length;
    }

    @Override
    public boolean hasPartialFrame() {
        return length > 0 || discarding;
    }
}
