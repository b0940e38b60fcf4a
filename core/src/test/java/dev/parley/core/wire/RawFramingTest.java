package dev.parley.core.wire;

import static dev.parley.core.wire.Decoding.decode;
import static dev.parley.core.wire.Decoding.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RawFramingTest {

    private final RawFraming framing = new RawFraming();

    @Test
    void eachReadIsOneMessageAndNothingIsAdded() {
        assertArrayEquals(utf8("hi there"), framing.encode("hi there"));
        assertEquals(List.of("hi", "there\n"), decode(framing.newDecoder(), utf8("hithere\n"), 2));
    }

    @Test
    void aCharacterSplitAcrossReadsIsHeldBackAndCompleted() {
        byte[] input = utf8("\u00e9\u20ac\uD83D\uDE00");
        for (int cut = 1; cut < input.length; cut++) {
            String joined = String.join("", decode(framing.newDecoder(), input, cut));
            assertEquals("\u00e9\u20ac\uD83D\uDE00", joined, "cut at " + cut);
            for (String piece : decode(framing.newDecoder(), input, cut)) {
                assertFalse(piece.contains("\uFFFD"), "cut at " + cut + " mangled " + piece);
            }
        }
    }

    @Test
    void aReadHoldingOnlyPartOfACharacterYieldsNoMessageYet() {
        FrameDecoder decoder = framing.newDecoder();
        decoder.feed(new byte[] {(byte) 0xE2, (byte) 0x82});
        assertTrue(decoder.hasPartialFrame());
        assertSame(Frame.NEED_DATA, decoder.next());
        decoder.feed(new byte[] {(byte) 0xAC, 'x'});
        assertEquals(new Frame.Message("\u20acx"), decoder.next());
        assertFalse(decoder.hasPartialFrame());
    }

    @Test
    void invalidBytesBecomeReplacementCharacters() {
        assertEquals(List.of("a\uFFFDb"), decode(framing.newDecoder(), new byte[] {'a', (byte) 0xFF, 'b'}));
        assertEquals(List.of("a", "\uFFFD"), decode(framing.newDecoder(), new byte[] {'a', (byte) 0xF0, (byte) 0x9F}));
        assertEquals(List.of("\uFFFD\uFFFD\uFFFD"), decode(framing.newDecoder(), new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80}));
    }

    @Test
    void incompleteTailFindsOnlyUnfinishedCharacters() {
        assertEquals(0, RawDecoder.incompleteTail(utf8("abc")));
        assertEquals(0, RawDecoder.incompleteTail(utf8("\u20ac")));
        assertEquals(1, RawDecoder.incompleteTail(new byte[] {'a', (byte) 0xC3}));
        assertEquals(2, RawDecoder.incompleteTail(new byte[] {(byte) 0xE2, (byte) 0x82}));
        assertEquals(3, RawDecoder.incompleteTail(new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}));
        assertEquals(0, RawDecoder.incompleteTail(new byte[] {(byte) 0xFF}));
        assertEquals(0, RawDecoder.incompleteTail(new byte[0]));
    }

    @Test
    void thereIsNoByeOrFailureOnTheWireAndNoEmptyMessage() {
        assertTrue(framing.farewell().isEmpty());
        assertTrue(framing.failure("busy").isEmpty());
        assertThrows(UnsendableMessageException.class, () -> framing.encode(""));
        assertEquals(1024, framing.readSize());
        assertEquals("raw", framing.name());
    }

    @Test
    void endIsReportedAfterTheInputEnds() {
        FrameDecoder decoder = framing.newDecoder();
        decoder.endOfInput();
        assertSame(Frame.END, decoder.next());
        assertThrows(IllegalStateException.class, () -> decoder.feed(utf8("x")));
    }

    @Test
    void aRawDecoderReportsWhatItHoldsUntilItIsTaken() {
        FrameDecoder decoder = new RawFraming().newDecoder();
        assertEquals(0, decoder.bufferedBytes());
        decoder.feed("abc".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        decoder.feed(new byte[] {'d', (byte) 0xC3});
        int held = decoder.bufferedBytes();
        assertTrue(held >= 4, "two messages and the start of a character: " + held);
        decoder.next();
        assertTrue(decoder.bufferedBytes() < held, "taking a message frees what it held");
        decoder.next();
        assertEquals(1, decoder.bufferedBytes(), "only the half character is left");
    }
}
