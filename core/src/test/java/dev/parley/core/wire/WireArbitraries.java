package dev.parley.core.wire;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/** Generators shared by the codec properties: text, messages, raw bytes and ways to cut them. */
public final class WireArbitraries {

    private WireArbitraries() {}

    /**
     * Valid Unicode code points, weighted towards what codecs get wrong: 1- to 4-byte UTF-8, the
     * {@code !} escape, {@code \r}, NUL, white space and U+FFFD itself. Never {@code \n} and never
     * a surrogate (a lone surrogate is not text: Java encodes it as {@code ?}).
     */
    public static Arbitrary<Integer> codePoints() {
        return Arbitraries.frequencyOf(List.of(
                weighted(4, Arbitraries.of((int) '!', (int) '\r', 0, (int) ' ', (int) '\t', 0xFFFD)),
                weighted(6, Arbitraries.integers().between(0x20, 0x7E)),
                weighted(1, Arbitraries.integers().between(0x01, 0x1F).filter(c -> c != '\n')),
                weighted(3, Arbitraries.integers().between(0x80, 0x7FF)),
                weighted(3, Arbitraries.integers().between(0x800, 0xFFFF)
                        .filter(c -> c < 0xD800 || c > 0xDFFF)),
                weighted(3, Arbitraries.integers().between(0x10000, 0x10FFFF))));
    }

    /** Any text without {@code \n}, possibly empty. */
    public static Arbitrary<String> text() {
        return codePoints().list().ofMaxSize(24).map(WireArbitraries::string);
    }

    /** Messages line framing can carry: no {@code \n}, not ending in {@code \r}; often a {@code !} first. */
    public static Arbitrary<String> lineMessages() {
        Arbitrary<String> prefix = Arbitraries.of("", "", "", "!", "!!", "bye");
        return Combinators.combine(prefix, text())
                .as((p, t) -> p + t)
                .filter(m -> !m.endsWith("\r"));
    }

    /** Messages raw framing can carry: anything but the empty message. */
    public static Arbitrary<String> rawMessages() {
        return codePoints().list().ofMinSize(1).ofMaxSize(24).map(WireArbitraries::string);
    }

    /** Bytes weighted towards line structure and broken UTF-8: LF, CR, NUL, lone continuation and lead bytes. */
    public static Arbitrary<Byte> bytes() {
        return Arbitraries.frequencyOf(List.of(
                weighted(3, Arbitraries.of((byte) '\n', (byte) '\r', (byte) '!', (byte) 0)),
                weighted(3, Arbitraries.of((byte) 'x', (byte) ' ')),
                weighted(3, Arbitraries.of(
                        (byte) 0x80, (byte) 0xBF, (byte) 0xC0, (byte) 0xC3, (byte) 0xA9, (byte) 0xE2,
                        (byte) 0x82, (byte) 0xAC, (byte) 0xED, (byte) 0xA0, (byte) 0xF0, (byte) 0x9F,
                        (byte) 0x98, (byte) 0xF4, (byte) 0x90, (byte) 0xF5, (byte) 0xFF)),
                weighted(2, Arbitraries.bytes())));
    }

    /** Arbitrary input, up to a few hundred bytes. */
    public static Arbitrary<byte[]> input() {
        return bytes().list().ofMaxSize(300).map(WireArbitraries::toArray);
    }

    /** Read sizes, used round and round by {@link Chunks#cut}; 0 is an empty read. */
    public static Arbitrary<List<Integer>> readSizes() {
        return Arbitraries.frequencyOf(List.of(
                weighted(4, Arbitraries.integers().between(0, 9)),
                weighted(1, Arbitraries.integers().between(10, 400))))
                .list().ofMinSize(1).ofMaxSize(12);
    }

    /** One choice of a {@code frequencyOf}: {@code arbitrary}, {@code weight} times as often as a weight of 1. */
    public static <T> Tuple2<Integer, Arbitrary<T>> weighted(int weight, Arbitrary<T> arbitrary) {
        return Tuple.of(weight, arbitrary);
    }

    static String string(List<Integer> codePoints) {
        StringBuilder s = new StringBuilder();
        codePoints.forEach(s::appendCodePoint);
        return s.toString();
    }

    static byte[] toArray(List<Byte> bytes) {
        byte[] array = new byte[bytes.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = bytes.get(i);
        }
        return array;
    }
}
