package dev.parley.bench;

import dev.parley.core.wire.LineFraming;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The benchmarks' input: chat-like messages and their line-framed bytes, the same for every codec.
 *
 * <p>Exactly {@code lineCount} lines of exactly {@link #TOTAL_BYTES} bytes in all, so that one
 * pass over the bytes is a known number of messages and a known number of bytes (bytes per second
 * = messages per second x {@link #bytesPerLine()}). Half the lines are ASCII, half mix in
 * multi-byte UTF-8 (accents, Cyrillic, CJK, emoji); one in 64 messages starts with {@code !}, so
 * it travels escaped as {@code !!}. Lines end with {@code \n}. The text is generated from a fixed
 * seed: every run and every fork decodes the same bytes.
 */
final class ChatText {

    /** Bytes in one pass over the input. */
    static final int TOTAL_BYTES = 64 * 1024;

    /** Bytes handed to a decoder at a time, as one socket read gives them (Parley reads 8 KiB). */
    static final int READ_SIZE = 8192;

    /** The longest line the decoders accept, Parley's default: no input line comes near it. */
    static final int MAX_LINE_BYTES = LineFraming.DEFAULT_MAX_LINE_BYTES;

    private static final String[] ASCII_WORDS = {
        "hello", "there", "how", "are", "you", "fine", "thanks", "the", "meeting", "is", "at",
        "noon", "see", "ok", "sure", "lunch", "tomorrow", "sounds", "good", "what", "about",
        "coffee", "later", "yes", "no", "maybe", "great", "idea", "let's", "go", "I", "think",
        "so", "we", "should", "ship", "it", "on", "Friday", "did", "build", "pass?", "lol"
    };

    private static final String[] MULTI_BYTE_WORDS = {
        "caf\u00e9", "na\u00efve", "d\u00e9j\u00e0", "\u20ac5", "\u00fcber", "\uD83D\uDE00",
        "\uD83D\uDC4D", "\u4f60\u597d", "\u8c22\u8c22", "\u043f\u0440\u0438\u0432\u0435\u0442",
        "\u0441\u043f\u0430\u0441\u0438\u0431\u043e", "\u00e7a", "se\u00f1or", "ma\u00f1ana",
        "\u65e5\u672c\u8a9e", "stra\u00dfe"
    };

    private final byte[] bytes;
    private final List<String> messages;
    private final List<String> wireLines;

    private ChatText(byte[] bytes, List<String> messages, List<String> wireLines) {
        this.bytes = bytes;
        this.messages = messages;
        this.wireLines = wireLines;
    }

    /** Short chat lines: about 41 bytes each on average, from 11 to 71. */
    static ChatText chat(int lineCount) {
        return generate(lineCount, 30, 42);
    }

    /** Long lines: about 4 KiB each, give or take 1 KiB. */
    static ChatText longLines(int lineCount) {
        return generate(lineCount, 1024, 4242);
    }

    /** The line-framed bytes: {@link #TOTAL_BYTES} of them, ending with a line feed. */
    byte[] bytes() {
        return bytes;
    }

    /** The messages, as a Parley peer sent them (before the {@code !} escape). */
    List<String> messages() {
        return messages;
    }

    /** The lines as they are on the wire, terminator excluded (after the {@code !} escape). */
    List<String> wireLines() {
        return wireLines;
    }

    /** Average bytes per line, terminator included. */
    double bytesPerLine() {
        return (double) TOTAL_BYTES / wireLines.size();
    }

    /**
     * Line lengths are the mean plus or minus a random spread, in pairs that cancel, so the total
     * is exact; each line is filled with words to exactly its length.
     */
    private static ChatText generate(int lineCount, int spread, long seed) {
        if (lineCount % 2 != 0 || TOTAL_BYTES / lineCount <= spread + 3) {
            throw new IllegalArgumentException("need an even line count with room for the spread");
        }
        Random random = new Random(seed);
        int base = TOTAL_BYTES / lineCount;
        int extra = TOTAL_BYTES % lineCount;
        List<Integer> lengths = new ArrayList<>(lineCount);
        for (int i = 0; i < lineCount; i += 2) {
            int delta = random.nextInt(2 * spread + 1) - spread;
            lengths.add(base + delta);
            lengths.add(base - delta);
        }
        for (int i = 0; i < extra; i++) {
            lengths.set(i, lengths.get(i) + 1);
        }
        Collections.shuffle(lengths, random);

        ByteArrayOutputStream out = new ByteArrayOutputStream(TOTAL_BYTES);
        List<String> messages = new ArrayList<>(lineCount);
        List<String> wireLines = new ArrayList<>(lineCount);
        for (int i = 0; i < lineCount; i++) {
            boolean escaped = i % 64 == 7;
            boolean multiByte = i % 2 == 1;
            String wire = (escaped ? "!!" : "") + words(lengths.get(i) - 1 - (escaped ? 2 : 0), multiByte, random);
            wireLines.add(wire);
            messages.add(escaped ? wire.substring(1) : wire);
            out.writeBytes(wire.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
        byte[] bytes = out.toByteArray();
        if (bytes.length != TOTAL_BYTES) {
            throw new IllegalStateException("generated " + bytes.length + " bytes, not " + TOTAL_BYTES);
        }
        return new ChatText(bytes, List.copyOf(messages), List.copyOf(wireLines));
    }

    /** Words separated by spaces, exactly {@code size} bytes of UTF-8. */
    private static String words(int size, boolean multiByte, Random random) {
        StringBuilder text = new StringBuilder(size);
        int left = size;
        while (left > 0) {
            String word = multiByte && random.nextInt(5) < 2
                    ? MULTI_BYTE_WORDS[random.nextInt(MULTI_BYTE_WORDS.length)]
                    : ASCII_WORDS[random.nextInt(ASCII_WORDS.length)];
            String next = text.length() == 0 ? word : " " + word;
            int cost = next.getBytes(StandardCharsets.UTF_8).length;
            if (cost <= left) {
                text.append(next);
                left -= cost;
            } else {
                text.append(".".repeat(left)); // an ellipsis of the right length ends the line
                left = 0;
            }
        }
        return text.toString();
    }
}
