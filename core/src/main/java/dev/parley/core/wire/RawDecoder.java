package dev.parley.core.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Each {@link #feed} is one message, decoded from UTF-8. A character split across two reads is
 * held back (at most three bytes) and completed by the next read, so it is never mangled; bytes
 * that can never form a character become U+FFFD.
 */
public final class RawDecoder implements FrameDecoder {

    private final ArrayDeque<String> ready = new ArrayDeque<>();
    private byte[] held = new byte[0];
    private int readyChars;
    private boolean ended;

    /** A decoder holding nothing yet. */
    public RawDecoder() {
        // the fields start empty
    }

    @Override
    public void feed(byte[] bytes, int offset, int length) {
        if (ended) {
            throw new IllegalStateException("bytes fed after the end of input");
        }
        byte[] all = new byte[held.length + length];
        System.arraycopy(held, 0, all, 0, held.length);
        System.arraycopy(bytes, offset, all, held.length, length);
        int keep = incompleteTail(all);
        int complete = all.length - keep;
        held = Arrays.copyOfRange(all, complete, all.length);
        if (complete > 0) {
            add(new String(all, 0, complete, StandardCharsets.UTF_8));
        }
    }

    /** How many bytes at the end of {@code bytes} start a character that is not complete yet. */
    static int incompleteTail(byte[] bytes) {
        int n = bytes.length;
        for (int back = 1; back <= Math.min(3, n); back++) {
            int b = bytes[n - back] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue; // continuation byte: keep looking for the lead byte
            }
            int needed = (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 1;
            return needed > back ? back : 0;
        }
        return 0;
    }

    @Override
    public void endOfInput() {
        if (ended) {
            return;
        }
        ended = true;
        if (held.length > 0) {
            add(new String(held, StandardCharsets.UTF_8));
            held = new byte[0];
        }
    }

    private void add(String message) {
        ready.add(message);
        readyChars += message.length();
    }

    @Override
    public Frame next() {
        String text = ready.poll();
        if (text != null) {
            readyChars -= text.length();
            return new Frame.Message(text);
        }
        return ended ? Frame.END : Frame.NEED_DATA;
    }

    @Override
    public boolean hasPartialFrame() {
        return held.length > 0;
    }

    @Override
    public void clear() {
        ready.clear();
        readyChars = 0;
        held = new byte[0];
        ended = true;
    }

    @Override
    public int bufferedBytes() {
        return held.length + 2 * readyChars;
    }
}
