package dev.parley.core.wire;

import static dev.parley.core.wire.Decoding.decode;
import static dev.parley.core.wire.Decoding.decodeByteByByte;
import static dev.parley.core.wire.Decoding.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LineFramingTest {

    private final LineFraming framing = new LineFraming(64);

    @ParameterizedTest
    @ValueSource(strings = {"hello", "", "!", "!!", "!bang", "!!double", "a!b", " !x", "h\u00e9 \uD83D\uDE00", "a\rb", "\u0000"})
    void everyCarriableMessageRoundTrips(String message) {
        byte[] wire = framing.encode(message);
        assertEquals(List.of(message), decode(framing.newDecoder(), wire));
        assertEquals(List.of(message), decodeByteByByte(framing.newDecoder(), wire));
    }

    @Test
    void messagesAreOneLineEach() {
        assertArrayEquals(utf8("hi\n"), framing.encode("hi"));
        assertArrayEquals(utf8("!!bang\n"), framing.encode("!bang"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb", "\n", "trailing\r"})
    void aMessageThatWouldBreakTheLineIsUnsendable(String message) {
        assertThrows(UnsendableMessageException.class, () -> framing.encode(message));
    }

    @Test
    void byeAndFailuresHaveTheirOwnLines() {
        assertArrayEquals(utf8("bye\n"), framing.farewell().orElseThrow());
        assertArrayEquals(utf8("!busy: try later\n"), framing.failure("busy: try later").orElseThrow());
        assertArrayEquals(utf8("!a b\n"), framing.failure("a\nb").orElseThrow());
    }

    @Test
    void aFailureWhoseReasonStartsWithABangStaysAFailure() {
        assertEquals(List.of("<failure: !oops>"), decode(framing.newDecoder(), framing.failure("!oops").orElseThrow()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lone high \uD83D", "lone low \uDE00 here", "\uDE00\uD83D"})
    void aLoneSurrogateIsUnsendableRatherThanSentAsAQuestionMark(String message) {
        UnsendableMessageException e = assertThrows(UnsendableMessageException.class, () -> framing.encode(message));
        assertTrue(e.getMessage().startsWith("a message cannot hold a lone UTF-16 surrogate (U+D"), e.getMessage());
        assertThrows(UnsendableMessageException.class, () -> new RawFraming().encode(message));
    }

    @Test
    void aSingleBangLineIsAFailureReport() {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(framing.encode("hi"));
        wire.writeBytes(framing.failure("busy").orElseThrow());
        wire.writeBytes(utf8("!!escaped\n"));
        assertEquals(List.of("hi", "<failure:busy>", "!escaped"), decode(framing.newDecoder(), wire.toByteArray()));
    }

    @Test
    void aNoticeIsAControlLineThatEndsNothing() {
        assertArrayEquals(utf8("!notice: you are next\n"), framing.notice("you are next").orElseThrow());
        assertEquals(List.of("<notice:you are next>", "hi"),
                decode(framing.newDecoder(), utf8("!notice: you are next\nhi\n")));
        assertEquals(List.of("!notice: not one"), decode(framing.newDecoder(), framing.encode("!notice: not one")),
                "a message that looks like a notice is escaped like any message starting with !");
    }

    @Test
    void aFailureWhoseReasonLooksLikeANoticeStaysAFailure() {
        assertEquals(List.of("<failure: notice: x>"), decode(framing.newDecoder(), framing.failure("notice: x").orElseThrow()));
    }

    @Test
    void controlTextIsAlwaysSendable() {
        assertArrayEquals(utf8("!a \uFFFD b\n"), framing.failure("a \uD800 b").orElseThrow(), "a lone surrogate is replaced, not refused");
        assertArrayEquals(utf8("!notice: x y\n"), framing.notice("x\ry").orElseThrow());
    }

    @Test
    void theLimitAppliesToTheDecoder() {
        assertEquals(List.of(Decoding.TOO_LONG, "ok"), decode(new LineFraming(3).newDecoder(), utf8("abcd\nok\n")));
        assertEquals(LineFraming.DEFAULT_MAX_LINE_BYTES, new LineFraming().maxLineBytes());
        assertThrows(IllegalArgumentException.class, () -> new LineFraming(0));
    }

    @Test
    void controlTextKeepsCharactersOutsideTheBasicPlane() {
        assertArrayEquals(utf8("!sad \uD83D\uDE22 face\n"), framing.failure("sad \uD83D\uDE22 face").orElseThrow());
        assertArrayEquals(utf8("!\uFFFD\n"), framing.failure("\uDE22").orElseThrow(), "a lone low surrogate too is replaced");
        assertArrayEquals(utf8("!x\uFFFD\n"), framing.failure("x\uD83D").orElseThrow(), "and a high one at the very end");
    }

    @Test
    void theLimitMustBeAtLeastOne() {
        assertThrows(IllegalArgumentException.class, () -> new LineFraming(0));
        assertEquals(1, new LineFraming(1).maxLineBytes());
        assertThrows(IllegalArgumentException.class, () -> new LineFraming(Integer.MAX_VALUE - 15));
    }

    @Test
    void itsDecoderReportsWhatItHolds() {
        FrameDecoder decoder = framing.newDecoder();
        decoder.feed(utf8("holding"));
        assertTrue(decoder.bufferedBytes() >= 7);
    }

    @Test
    void describesItself() {
        assertEquals("line", framing.name());
        assertEquals(8192, framing.readSize());
    }
}
