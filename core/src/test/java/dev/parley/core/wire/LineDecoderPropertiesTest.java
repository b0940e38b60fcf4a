package dev.parley.core.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The line decoder on any bytes: limits, over-long lines, broken UTF-8, and any way of reading. */
class LineDecoderPropertiesTest {

    /** A limit and the input to decode under it. */
    record Input(int limit, byte[] bytes) {}

    @Property
    void overlongLinesAreOneErrorEachInTheirPlaceAndNeverBuffered(
            @ForAll("linesAroundTheLimit") Input input, @ForAll("readSizes") List<Integer> sizes) {
        Chunks chunks = Chunks.cut(input.bytes(), sizes);
        LineDecoder decoder = new LineDecoder(input.limit());
        FrameDecoder framed = new LineFraming(input.limit()).newDecoder();
        List<String> out = new ArrayList<>();
        int fed = 0;
        int lastNewline = -1;
        int largestRead = 0;
        for (byte[] read : chunks.reads()) {
            decoder.feed(read);
            framed.feed(read);
            largestRead = Math.max(largestRead, read.length);
            for (int i = 0; i < read.length; i++) {
                lastNewline = read[i] == '\n' ? fed + i : lastNewline;
            }
            fed += read.length;
            int pending = fed - lastNewline - 1;
            assertTrue(decoder.bufferedBytes() <= input.limit() + 2 + largestRead,
                    "buffer of " + decoder.bufferedBytes() + " bytes for a limit of " + input.limit());
            assertTrue(pending > input.limit() || decoder.bufferedBytes() >= pending,
                    pending + " pending bytes in a buffer of " + decoder.bufferedBytes());
            assertEquals(pending > 0, decoder.hasPartialFrame(), "a partial frame after " + fed + " bytes");
            assertEquals(pending > 0, framed.hasPartialFrame(), "the same through LineFraming");
            Decoding.drain(decoder, out);
            Decoding.drain(framed, new ArrayList<>());
        }
        decoder.endOfInput();
        Decoding.drain(decoder, out);

        assertEquals(LineModel.lines(input.bytes(), input.limit()), out);
    }

    @Property
    void anyBytesDecodeTheSameHoweverTheyAreReadAndOnlyTooLongIsRaised(
            @ForAll("arbitraryInput") byte[] bytes,
            @ForAll @IntRange(min = 1, max = 24) int limit,
            @ForAll("readSizes") List<Integer> oneWay,
            @ForAll("readSizes") List<Integer> anotherWay) {
        Chunks first = Chunks.cut(bytes, oneWay);
        Chunks second = Chunks.cut(bytes, anotherWay);
        Chunks single = Chunks.byteByByte(bytes);

        // Any exception but FrameTooLongException (which Decoding lists in place) fails the try.
        List<String> expected = LineModel.lines(bytes, limit);
        assertEquals(expected, Chunks.whole(bytes).decode(new LineDecoder(limit)));
        assertEquals(expected, first.decode(new LineDecoder(limit)));
        assertEquals(expected, second.decode(new LineDecoder(limit)));
        assertEquals(expected, single.decode(new LineDecoder(limit)));

        List<String> framed = LineModel.framed(bytes, limit);
        assertEquals(framed, first.decode(new LineFraming(limit).newDecoder()));
        assertEquals(framed, second.decode(new LineFraming(limit).newDecoder()));
    }

    @Provide
    Arbitrary<Input> linesAroundTheLimit() {
        // Mostly small limits (every boundary is hit often), sometimes past the buffer's initial 256 bytes.
        Arbitrary<Integer> limits = Arbitraries.frequencyOf(List.of(
                WireArbitraries.weighted(5, Arbitraries.integers().between(1, 12)),
                WireArbitraries.weighted(1, Arbitraries.integers().between(250, 600))));
        return limits.flatMap(limit -> {
            Arbitrary<Byte> content = Arbitraries.of((byte) 'x', (byte) 'x', (byte) '\r', (byte) 0xC3, (byte) 0xA9, (byte) '!');
            Arbitrary<Integer> length = Arbitraries.frequencyOf(List.of(
                    WireArbitraries.weighted(3, Arbitraries.integers().between(Math.max(0, limit - 2), limit + 2)),
                    WireArbitraries.weighted(1, Arbitraries.integers().between(0, 4 * limit + 10))));
            Arbitrary<byte[]> line = length.flatMap(n -> content.list().ofSize(n)).map(WireArbitraries::toArray);
            Arbitrary<String> terminator = Arbitraries.of("\n", "\n", "\r\n");
            Arbitrary<byte[]> terminated = Combinators.combine(line, terminator).as((l, t) -> concat(l, t.getBytes()));
            return Combinators.combine(terminated.list().ofMaxSize(6), line, Arbitraries.of(true, false))
                    .as((lines, tail, withTail) -> {
                        ByteArrayOutputStream all = new ByteArrayOutputStream();
                        lines.forEach(all::writeBytes);
                        if (withTail) {
                            all.writeBytes(tail); // an unterminated last line
                        }
                        return new Input(limit, all.toByteArray());
                    });
        });
    }

    @Provide
    Arbitrary<byte[]> arbitraryInput() {
        return WireArbitraries.input();
    }

    @Provide
    Arbitrary<List<Integer>> readSizes() {
        return WireArbitraries.readSizes();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
