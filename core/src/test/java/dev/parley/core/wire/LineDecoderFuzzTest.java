package dev.parley.core.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzz target (Jazzer) for the line decoder: arbitrary bytes, cut into arbitrary
 * reads, under an arbitrary limit. A normal test run replays only the inputs in
 * {@code src/test/resources/dev/parley/core/wire/LineDecoderFuzzTestInputs/decodesAnyBytesTheSameHoweverRead}
 * (seeds and past findings); {@code JAZZER_FUZZ=1} fuzzes (docs/VERIFICATION.md).
 *
 * <p>Input layout, so that the fuzzer steers every choice: byte 0 sets the limit (1 to 64), the low
 * four bits of byte 1 say how many read sizes follow (0 to 15; 0 means one read), each of those
 * bytes is a read size (0 to 63, used round and round), and the rest is what the peer sent.
 */
class LineDecoderFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void decodesAnyBytesTheSameHoweverRead(byte[] data) {
        if (data.length < 2) {
            return;
        }
        int limit = 1 + (data[0] & 0x3F);
        int sizeCount = Math.min(data[1] & 0x0F, data.length - 2);
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < sizeCount; i++) {
            sizes.add(data[2 + i] & 0x3F);
        }
        byte[] input = Arrays.copyOfRange(data, 2 + sizeCount, data.length);
        Chunks reads = Chunks.cut(input, sizes.isEmpty() ? List.of(input.length) : sizes);
        Chunks bytes = Chunks.byteByByte(input);

        List<String> expected = LineModel.lines(input, limit);
        assertEquals(expected, Chunks.whole(input).decode(new LineDecoder(limit)));
        assertEquals(expected, decodeWatchingTheBuffer(reads, limit));
        assertEquals(LineModel.framed(input, limit), reads.decode(new LineFraming(limit).newDecoder()));
        assertEquals(expected, decodeWatchingTheBuffer(bytes, limit));
    }

    /** Decodes read by read, checking after each read that the buffer stays within the limit. */
    private static List<String> decodeWatchingTheBuffer(Chunks chunks, int limit) {
        LineDecoder decoder = new LineDecoder(limit);
        List<String> out = new ArrayList<>();
        int largestRead = 0;
        for (byte[] read : chunks.reads()) {
            decoder.feed(read);
            largestRead = Math.max(largestRead, read.length);
            // The unfinished line (cut to a marker of limit + 2 bytes) and at most one read's complete lines.
            assertTrue(decoder.bufferedBytes() <= limit + 2 + largestRead,
                    "buffer of " + decoder.bufferedBytes() + " for limit " + limit);
            Decoding.drain(decoder, out);
        }
        decoder.endOfInput();
        Decoding.drain(decoder, out);
        return out;
    }
}
