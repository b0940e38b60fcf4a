package dev.parley.core.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * What a decoder can deliver, its encoder can send back: an echo never meets a message it cannot
 * answer with (issue 8: {@code x\r\r\n} once decoded to {@code x\r}, which line framing refuses to
 * send, and the echo retried it for ever). Any bytes, read in any pieces, in both framings.
 */
class EchoIsSendablePropertiesTest {

    @Property
    void everyMessageALineDecoderDeliversEchoesBackAsItself(
            @ForAll("arbitraryInput") byte[] input, @ForAll("readSizes") List<Integer> sizes,
            @ForAll @IntRange(min = 1, max = 40) int limit) {
        // Read back without the limit: invalid UTF-8 becomes U+FFFD, which takes more bytes to send.
        assertEchoesBack(new LineFraming(limit), new LineFraming(), input, sizes);
    }

    @Property
    void everyMessageARawDecoderDeliversEchoesBackAsItself(
            @ForAll("arbitraryInput") byte[] input, @ForAll("readSizes") List<Integer> sizes) {
        assertEchoesBack(new RawFraming(), new RawFraming(), input, sizes);
    }

    private static void assertEchoesBack(Framing framing, Framing readBack, byte[] input, List<Integer> sizes) {
        for (String message : messages(framing, Chunks.cut(input, sizes))) {
            byte[] echo = framing.encode(message); // throws UnsendableMessageException if it cannot be sent
            FrameDecoder back = readBack.newDecoder();
            back.feed(echo);
            back.endOfInput();
            assertEquals(new Frame.Message(message), back.next(), "the echo reads back as the same message");
        }
    }

    /** The messages (not failures, not over-long lines) decoded from {@code chunks}. */
    private static List<String> messages(Framing framing, Chunks chunks) {
        FrameDecoder decoder = framing.newDecoder();
        List<String> out = new ArrayList<>();
        for (byte[] read : chunks.reads()) {
            decoder.feed(read);
            drainMessages(decoder, out);
        }
        decoder.endOfInput();
        drainMessages(decoder, out);
        return out;
    }

    private static void drainMessages(FrameDecoder decoder, List<String> out) {
        while (true) {
            Frame frame;
            try {
                frame = decoder.next();
            } catch (FrameTooLongException e) {
                continue;
            }
            if (frame instanceof Frame.Message) {
                out.add(((Frame.Message) frame).text());
            } else if (!(frame instanceof Frame.Failure) && !(frame instanceof Frame.Notice)) {
                return;
            }
        }
    }

    @Provide
    Arbitrary<byte[]> arbitraryInput() {
        return WireArbitraries.input();
    }

    @Provide
    Arbitrary<List<Integer>> readSizes() {
        return WireArbitraries.readSizes();
    }
}
