package dev.parley.core.wire;

import static dev.parley.core.wire.Decoding.TOO_LONG;
import static dev.parley.core.wire.Decoding.decode;
import static dev.parley.core.wire.Decoding.decodeByteByByte;
import static dev.parley.core.wire.Decoding.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LineDecoderTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("one line", utf8("hello\n"), List.of("hello")),
                Arguments.of("pipelined lines in order", utf8("a\nbb\nccc\n"), List.of("a", "bb", "ccc")),
                Arguments.of("CRLF", utf8("hi\r\nthere\r\n"), List.of("hi", "there")),
                Arguments.of("lone CR kept", utf8("a\rb\n"), List.of("a\rb")),
                Arguments.of("every CR before the LF is dropped", utf8("a\r\r\n"), List.of("a")),
                Arguments.of("CRs inside stay, CRs at the end go", utf8("\ra\rb\r\r\r\n"), List.of("\ra\rb")),
                Arguments.of("empty lines", utf8("\n\r\n\n"), List.of("", "", "")),
                Arguments.of("an unterminated last line is cut off, not a message", utf8("a\nlast"),
                        List.of("a", Decoding.cutOff("last"))),
                Arguments.of("an unterminated last line of nothing but CR is cut off too", utf8("a\n\r"),
                        List.of("a", Decoding.cutOff(""))),
                Arguments.of("multi-byte UTF-8", utf8("h\u00e9llo \u20ac \uD83D\uDE00 \u4f60\u597d\n"),
                        List.of("h\u00e9llo \u20ac \uD83D\uDE00 \u4f60\u597d")),
                Arguments.of("invalid UTF-8 becomes U+FFFD",
                        new byte[] {'a', (byte) 0xFF, 'b', (byte) 0xC3, '\n', (byte) 0xE2, (byte) 0x82, '\n'},
                        List.of("a\uFFFDb\uFFFD", "\uFFFD")),
                Arguments.of("NUL bytes kept", new byte[] {'a', 0, 'b', '\n'}, List.of("a\u0000b")),
                Arguments.of("no input", new byte[0], List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decodesWholeInput(String name, byte[] input, List<String> expected) {
        assertEquals(expected, decode(new LineDecoder(64), input));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decodesTheSameWhenSplitAtEveryBytePosition(String name, byte[] input, List<String> expected) {
        for (int cut = 0; cut <= input.length; cut++) {
            assertEquals(expected, decode(new LineDecoder(64), input, cut), "cut at " + cut);
        }
        for (int first = 0; first <= input.length; first++) {
            for (int second = first; second <= input.length; second++) {
                assertEquals(expected, decode(new LineDecoder(64), input, first, second),
                        "cuts at " + first + " and " + second);
            }
        }
        assertEquals(expected, decodeByteByByte(new LineDecoder(64), input));
    }

    @Test
    void aLineOfExactlyTheLimitIsAccepted() {
        String max = "x".repeat(8);
        assertEquals(List.of(max, max), decode(new LineDecoder(8), utf8(max + "\n" + max + "\r\n")));
        assertEquals(List.of(max), decodeByteByByte(new LineDecoder(8), utf8(max + "\r\n")));
    }

    @Test
    void aLongerLineIsANamedErrorInItsPlaceAndDecodingGoesOn() {
        byte[] input = utf8("ok\n" + "x".repeat(9) + "\nafter\n");
        List<String> expected = List.of("ok", TOO_LONG, "after");
        assertEquals(expected, decode(new LineDecoder(8), input));
        for (int cut = 0; cut <= input.length; cut++) {
            assertEquals(expected, decode(new LineDecoder(8), input, cut), "cut at " + cut);
        }
        assertEquals(expected, decodeByteByByte(new LineDecoder(8), input));
    }

    @Test
    void aFullLineWhoseCrAndLfArriveInDifferentReadsIsAccepted() {
        // Found by the properties and the fuzzer: a read starting with the \n of a line of exactly
        // the limit ended by \r\n once read bytes[-1] (ArrayIndexOutOfBoundsException).
        LineDecoder decoder = new LineDecoder(8);
        List<String> out = new ArrayList<>();
        decoder.feed(utf8("xxxxxxxx\r"));
        Decoding.drain(decoder, out);
        decoder.feed(utf8("\nnext\n"));
        Decoding.drain(decoder, out);
        assertEquals(List.of("xxxxxxxx", "next"), out);
    }

    @Test
    void aTrailingCarriageReturnIsDroppedFromAnUnterminatedLastLineToo() {
        assertEquals(List.of("a", Decoding.cutOff("b")), decode(new LineDecoder(8), utf8("a\r\nb\r")));
    }

    @Test
    void aCarriageReturnPastTheLimitNotFollowedByLineFeedIsTooLong() {
        assertEquals(List.of(TOO_LONG, "z"), decode(new LineDecoder(8), utf8("x".repeat(8) + "\ry\nz\n"), 9));
    }

    @Test
    void theTooLongErrorNamesTheLimit() {
        LineDecoder decoder = new LineDecoder(4);
        decoder.feed(utf8("12345"));
        FrameTooLongException e = assertThrows(FrameTooLongException.class, decoder::next);
        assertEquals(4, e.limit());
        assertEquals("line longer than 4 bytes", e.getMessage());
        assertSame(Frame.NEED_DATA, decoder.next());
    }

    @Test
    void anOverlongLineIsDiscardedWithoutBeingBuffered() {
        LineDecoder decoder = new LineDecoder(1024);
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        for (int i = 0; i < 160; i++) { // 10 MiB with no newline
            decoder.feed(chunk);
            assertTrue(decoder.hasPartialFrame());
            assertTrue(decoder.bufferedBytes() <= 1026, "only a marker of the limit + 2 is kept: " + decoder.bufferedBytes());
        }
        assertThrows(FrameTooLongException.class, decoder::next);
        assertSame(Frame.NEED_DATA, decoder.next(), "one error per overlong line, not per read");
        decoder.feed(utf8("tail\nnext\n"));
        assertEquals(new Frame.Message("next"), decoder.next());
        assertFalse(decoder.hasPartialFrame());
    }

    @Test
    void anOverlongUnterminatedLastLineIsNotDelivered() {
        assertEquals(List.of(TOO_LONG), decode(new LineDecoder(4), utf8("123456")));
    }

    @Test
    void needDataUntilALineIsCompleteThenEndAfterTheInputEnds() {
        LineDecoder decoder = new LineDecoder(16);
        assertSame(Frame.NEED_DATA, decoder.next());
        assertFalse(decoder.hasPartialFrame());
        decoder.feed(utf8("ab"));
        assertTrue(decoder.hasPartialFrame());
        assertSame(Frame.NEED_DATA, decoder.next());
        decoder.feed(utf8("c\n"));
        assertEquals(new Frame.Message("abc"), decoder.next());
        assertFalse(decoder.hasPartialFrame());
        decoder.endOfInput();
        assertSame(Frame.END, decoder.next());
        assertSame(Frame.END, decoder.next());
        decoder.endOfInput();
        assertSame(Frame.END, decoder.next());
        assertThrows(IllegalStateException.class, () -> decoder.feed(utf8("late\n")));
    }

    @Test
    void feedsHonourOffsetAndLength() {
        LineDecoder decoder = new LineDecoder(16);
        decoder.feed(utf8("xxhi\nyy"), 2, 3);
        assertEquals(new Frame.Message("hi"), decoder.next());
        assertSame(Frame.NEED_DATA, decoder.next());
    }

    @Test
    void findsEachLineFeedWhereverItFallsInAnEightByteWord() {
        // Lines of 0 to 24 characters made of bytes close to \n (0x0B, 0x08, and 0x8A inside the
        // UTF-8 of \u00ca), read at every alignment, with line feeds before the read's offset.
        List<String> lines = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int n = 0; n <= 24; n++) {
            String line = "\u000b\b\u00ca".repeat(n).substring(0, n);
            lines.add(line);
            text.append(line).append('\n');
        }
        byte[] input = utf8(text.toString());
        for (int shift = 0; shift < 8; shift++) {
            byte[] shifted = new byte[shift + input.length];
            Arrays.fill(shifted, 0, shift, (byte) '\n');
            System.arraycopy(input, 0, shifted, shift, input.length);
            LineDecoder decoder = new LineDecoder(64);
            decoder.feed(shifted, shift, input.length);
            List<String> out = new ArrayList<>();
            Decoding.drain(decoder, out);
            assertEquals(lines, out, "read at offset " + shift);
        }
    }

    @Test
    void rejectsANonPositiveLimit() {
        assertThrows(IllegalArgumentException.class, () -> new LineDecoder(0));
        assertEquals(5, new LineDecoder(5).maxLineBytes());
    }

    @Test
    void theLimitMustBeAtLeastOneAndLeaveRoomForTheMarker() {
        assertThrows(IllegalArgumentException.class, () -> new LineDecoder(0));
        assertEquals(1, new LineDecoder(1).maxLineBytes());
        assertEquals(Integer.MAX_VALUE - 16, new LineDecoder(Integer.MAX_VALUE - 16).maxLineBytes());
        assertThrows(IllegalArgumentException.class, () -> new LineDecoder(Integer.MAX_VALUE - 15));
    }

    @Test
    void aLineTooLongIsReportedAsSoonAsItIsKnownAndItsRestIsDropped() {
        LineDecoder decoder = new LineDecoder(8);
        decoder.feed(utf8("ok\n123456789"));
        assertEquals(new Frame.Message("ok"), decoder.next());
        assertThrows(FrameTooLongException.class, decoder::next, "nine bytes without a \\r: too long already");
        assertSame(Frame.NEED_DATA, decoder.next());
        assertTrue(decoder.hasPartialFrame(), "the peer is still in the middle of that line");
        int held = decoder.bufferedBytes();
        decoder.feed(utf8("more of it, and more, and more still"));
        assertEquals(held, decoder.bufferedBytes(), "dropped as it comes: the buffer does not grow");
        decoder.feed(utf8(" and its end\nnext\n"));
        assertEquals(new Frame.Message("next"), decoder.next(), "the too-long line is not reported twice");
        assertFalse(decoder.hasPartialFrame());
    }

    @Test
    void aLineOfTheLimitAndACarriageReturnWaitsToSeeWhatComesNext() {
        LineDecoder decoder = new LineDecoder(8);
        decoder.feed(utf8("12345678\r"));
        assertSame(Frame.NEED_DATA, decoder.next(), "a \\n may follow");
        decoder.feed(utf8("\n"));
        assertEquals(new Frame.Message("12345678"), decoder.next());
        decoder.feed(utf8("12345678\r"));
        decoder.endOfInput();
        assertEquals(new Frame.CutOff("12345678"), decoder.next(), "an unterminated last line loses its \\r too");
    }

    @Test
    void theEndOfInputAfterAReportedLineLeavesNothingPartial() {
        LineDecoder decoder = new LineDecoder(4);
        decoder.feed(utf8("123456"));
        assertThrows(FrameTooLongException.class, decoder::next);
        decoder.endOfInput();
        assertFalse(decoder.hasPartialFrame());
        assertSame(Frame.END, decoder.next());
    }

    @Test
    void aTooLongUnterminatedLineAtTheEndIsReportedOnce() {
        LineDecoder decoder = new LineDecoder(4);
        decoder.feed(utf8("ok\n"));
        decoder.feed(utf8("123456"));
        decoder.endOfInput();
        assertEquals(new Frame.Message("ok"), decoder.next());
        assertThrows(FrameTooLongException.class, decoder::next);
        assertSame(Frame.END, decoder.next());
    }

    @Test
    void everyWayOfRunningDryGivesALargeBufferBack() {
        byte[] big = utf8("y".repeat(5000) + "\n");
        LineDecoder afterNeedData = new LineDecoder(10_000);
        afterNeedData.feed(big);
        afterNeedData.next();
        assertSame(Frame.NEED_DATA, afterNeedData.next());
        assertEquals(0, afterNeedData.bufferedBytes());

        LineDecoder afterTooLong = new LineDecoder(10);
        afterTooLong.feed(utf8("z".repeat(4000) + "\n"));
        assertThrows(FrameTooLongException.class, afterTooLong::next);
        assertEquals(0, afterTooLong.bufferedBytes());

        LineDecoder afterTheEnd = new LineDecoder(10_000);
        afterTheEnd.feed(utf8("w".repeat(5000)));
        afterTheEnd.endOfInput();
        afterTheEnd.next();
        assertSame(Frame.END, afterTheEnd.next());
        assertEquals(0, afterTheEnd.bufferedBytes());
    }

    @Test
    void linesAroundEightByteBoundariesAreFoundFromBothEnds() {
        for (int length = 0; length < 40; length++) {
            LineDecoder decoder = new LineDecoder(64);
            String line = "a".repeat(length);
            decoder.feed(utf8(line + "\n" + line + "\n" + "b".repeat(length)));
            assertEquals(new Frame.Message(line), decoder.next(), "length " + length);
            assertEquals(new Frame.Message(line), decoder.next(), "length " + length);
            assertSame(Frame.NEED_DATA, decoder.next());
            assertEquals(length > 0, decoder.hasPartialFrame(), "length " + length);
        }
    }
}
