package dev.parley.core.wire;

import static dev.parley.core.wire.Decoding.TOO_LONG;
import static dev.parley.core.wire.Decoding.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The line buffer: it starts empty, grows with a long line up to the limit plus one read, no
 * further, and is given back once everything in it is decoded.
 */
class LineDecoderBufferTest {

    @Test
    void aLongLineGrowsTheBufferReadByReadUpToTheLimitAndArrivesWhole() {
        int limit = 1000;
        String line = "0123456789".repeat(100); // exactly the limit, past the first 256 bytes
        LineDecoder decoder = new LineDecoder(limit);
        List<String> out = new ArrayList<>();
        byte[] bytes = utf8(line + "\r\n" + line + "\n");
        for (int from = 0; from < bytes.length; from += 100) {
            byte[] read = Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + 100));
            decoder.feed(read);
            assertTrue(decoder.bufferedBytes() <= limit + 2 + 100, "grew to " + decoder.bufferedBytes());
            Decoding.drain(decoder, out);
        }
        decoder.endOfInput();
        Decoding.drain(decoder, out);

        assertEquals(List.of(line, line), out);
    }

    @Test
    void theBufferHoldsWhatIsPendingOnceItHasGrown() {
        LineDecoder decoder = new LineDecoder(4096);
        decoder.feed(utf8("y".repeat(300)));
        assertTrue(decoder.bufferedBytes() >= 300, "300 pending bytes in " + decoder.bufferedBytes());
        decoder.feed(utf8("y".repeat(300)));
        assertTrue(decoder.bufferedBytes() >= 600, "600 pending bytes in " + decoder.bufferedBytes());
        assertTrue(decoder.bufferedBytes() <= 4096 + 2 + 300);
    }

    @Test
    void aLargeBufferIsGivenBackOnceItsLinesAreDecodedAndASmallOneKept() {
        LineDecoder decoder = new LineDecoder(LineFraming.DEFAULT_MAX_LINE_BYTES);
        assertEquals(0, decoder.bufferedBytes(), "nothing held before the first byte");
        decoder.feed(utf8("z".repeat(10_000) + "\n"));
        assertTrue(decoder.bufferedBytes() >= 10_000);
        assertEquals(new Frame.Message("z".repeat(10_000)), decoder.next());
        assertEquals(Frame.NEED_DATA, decoder.next());
        assertEquals(0, decoder.bufferedBytes(), "an idle connection keeps no large buffer");

        decoder.feed(utf8("hi\n"));
        assertEquals(new Frame.Message("hi"), decoder.next());
        assertTrue(decoder.bufferedBytes() > 0 && decoder.bufferedBytes() <= 1024, "a small buffer is kept for the next line");
    }

    @Test
    void decodingIsLazyAndATooLongLineKeepsOnlyItsMarker() {
        LineDecoder decoder = new LineDecoder(8);
        decoder.feed(utf8("one\ntwo\n" + "x".repeat(100_000)));
        assertTrue(decoder.bufferedBytes() <= 8 + 16 + 256, "complete lines and a cut marker: " + decoder.bufferedBytes());
        assertEquals(new Frame.Message("one"), decoder.next());
        decoder.feed(utf8("x".repeat(100_000) + "\nthree\n"));
        assertEquals(new Frame.Message("two"), decoder.next());
        List<String> out = new ArrayList<>();
        Decoding.drain(decoder, out);
        assertEquals(List.of(TOO_LONG, "three"), out);
    }

    @Test
    void theBufferGrowsGeometricallySoByteAtATimeReadingStaysLinear() {
        // A peer may dribble a line of the default 64 KiB limit one byte per read.
        LineDecoder decoder = new LineDecoder(LineFraming.DEFAULT_MAX_LINE_BYTES);
        Set<Integer> capacities = new HashSet<>();
        byte[] one = {'x'};
        for (int i = 0; i < LineFraming.DEFAULT_MAX_LINE_BYTES; i++) {
            decoder.feed(one);
            capacities.add(decoder.bufferedBytes());
        }
        assertTrue(capacities.size() <= 10, "the buffer was reallocated " + capacities.size() + " times");
        decoder.feed(utf8("\n"));
        assertEquals(new Frame.Message("x".repeat(LineFraming.DEFAULT_MAX_LINE_BYTES)), decoder.next());
    }

    @Test
    void anEmptyReadChangesNothingEvenWithAFullLinePending() {
        // The limit is 8 and 8 bytes plus a \r are pending: the \r may yet be a terminator.
        LineDecoder decoder = new LineDecoder(8);
        List<String> out = new ArrayList<>();
        decoder.feed(utf8("xxxxxxxx\r"));
        decoder.feed(new byte[0]);
        decoder.feed(new byte[] {'a', 'b'}, 1, 0);
        Decoding.drain(decoder, out);
        assertEquals(List.of(), out);
        assertTrue(decoder.hasPartialFrame());

        decoder.feed(utf8("y\nok\n")); // not a terminator after all: the line is too long
        Decoding.drain(decoder, out);
        assertEquals(List.of(TOO_LONG, "ok"), out);
    }
}
