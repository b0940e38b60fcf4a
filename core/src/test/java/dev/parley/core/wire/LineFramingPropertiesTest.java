package dev.parley.core.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Line framing, message side: what one end encodes, the other decodes, however the bytes arrive. */
class LineFramingPropertiesTest {

    @Property
    void anyMessagesReadInAnyPiecesDecodeToTheSameMessages(
            @ForAll("messageLists") List<String> messages,
            @ForAll("readSizes") List<Integer> sizes,
            @ForAll @IntRange(max = 2) int slack) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        int longest = 0;
        for (String m : messages) {
            byte[] line = new LineFraming().encode(m);
            wire.writeBytes(line);
            longest = Math.max(longest, line.length - 1);
        }
        // A limit at (or just above) the longest line: exactly-the-limit lines must pass.
        LineFraming framing = new LineFraming(Math.max(1, longest + slack));
        byte[] input = wire.toByteArray();

        assertEquals(messages, Chunks.cut(input, sizes).decode(framing.newDecoder()));
        assertEquals(messages, Chunks.whole(input).decode(framing.newDecoder()));
    }

    @Property
    void everyCarriableMessageRoundTripsAsOneLine(@ForAll("lineMessages") String message) {
        LineFraming framing = new LineFraming();
        byte[] wire = framing.encode(message);

        assertEquals('\n', wire[wire.length - 1], "a message is one \\n-terminated line");
        assertEquals(1, countNewlines(wire), "and only one");
        String expectedBody = message.startsWith("!") ? "!" + message : message;
        assertEquals(expectedBody + "\n", new String(wire, StandardCharsets.UTF_8), "escaped with one more '!' and nothing else");
        assertEquals(List.of(message), Chunks.whole(wire).decode(framing.newDecoder()));
        assertEquals(List.of(message), Chunks.byteByByte(wire).decode(framing.newDecoder()));
    }

    @Property
    void aMessageWithALineFeedOrEndingInCarriageReturnIsAlwaysUnsendable(
            @ForAll("lineMessages") String message,
            @ForAll @IntRange(max = 100) int at,
            @ForAll boolean lineFeed) {
        String broken = lineFeed
                ? message.substring(0, Math.min(at, message.length())) + "\n" + message.substring(Math.min(at, message.length()))
                : message + "\r";
        assertThrows(UnsendableMessageException.class, () -> new LineFraming().encode(broken));
    }

    @Property
    void aFailureReportArrivesAsAFailureWithItsLineBreaksBlanked(
            @ForAll("reasons") String reason, @ForAll("readSizes") List<Integer> sizes) {
        LineFraming framing = new LineFraming();
        byte[] wire = framing.failure(reason).orElseThrow();

        String expected = "<failure:" + reason.replace('\n', ' ').replace('\r', ' ') + ">";
        assertEquals(List.of(expected), Chunks.cut(wire, sizes).decode(framing.newDecoder()));
    }

    @Provide
    Arbitrary<List<String>> messageLists() {
        return WireArbitraries.lineMessages().list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<String> lineMessages() {
        return WireArbitraries.lineMessages();
    }

    @Provide
    Arbitrary<List<Integer>> readSizes() {
        return WireArbitraries.readSizes();
    }

    /**
     * Failure reasons: any text, with line breaks anywhere, but not starting with {@code !}: a
     * reason that does is read back as a message (reported; see docs/VERIFICATION.md).
     */
    @Provide
    Arbitrary<String> reasons() {
        Arbitrary<String> breaks = Arbitraries.of("", "\n", "\r", "\r\n");
        return Combinators.combine(WireArbitraries.text(), breaks, WireArbitraries.text())
                .as((a, b, c) -> a + b + c)
                .filter(r -> !r.startsWith("!") && !r.startsWith("notice: "));
    }

    private static int countNewlines(byte[] bytes) {
        int n = 0;
        for (byte b : bytes) {
            n += b == '\n' ? 1 : 0;
        }
        return n;
    }
}
