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

/** The line buffer: it starts small, grows with a long line up to the limit, and no further. */
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
            assertTrue(decoder.bufferCapacity() <= limit + 1, "grew to " + decoder.bufferCapacity());
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
        assertTrue(decoder.bufferCapacity() >= 300, "300 pending bytes in " + decoder.bufferCapacity());
        decoder.feed(utf8("y".repeat(300)));
        assertTrue(decoder.bufferCapacity() >= 600, "600 pending bytes in " + decoder.bufferCapacity());
        assertTrue(decoder.bufferCapacity() <= 4097);
    }

    @Test
    void theBufferGrowsGeometricallySoByteAtATimeReadingStaysLinear() {
        // A peer may dribble a line of the default 64 KiB limit one byte per read.
        LineDecoder decoder = new LineDecoder(LineFraming.DEFAULT_MAX_LINE_BYTES);
        Set<Integer> capacities = new HashSet<>();
        byte[] one = {'x'};
        for (int i = 0; i < LineFraming.DEFAULT_MAX_LINE_BYTES; i++) {
            decoder.feed(one);
            capacities.add(decoder.bufferCapacity());
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
