package dev.parley.core.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Raw framing, where a read is a message: messages may be split or joined by the reads, but the
 * text is never changed and never mangled, whatever the reads.
 */
class RawFramingPropertiesTest {

    private final RawFraming framing = new RawFraming();

    @Property
    void eachMessageSentAsOneReadArrivesAsThatMessage(@ForAll("messageLists") List<String> messages) {
        FrameDecoder decoder = framing.newDecoder();
        List<String> out = new ArrayList<>();
        for (String m : messages) {
            decoder.feed(framing.encode(m));
            Decoding.drain(decoder, out);
        }
        decoder.endOfInput();
        Decoding.drain(decoder, out);

        assertEquals(messages, out);
    }

    @Property
    void validTextReadInAnyPiecesArrivesWholeAndUnmangled(
            @ForAll("messageLists") List<String> messages, @ForAll("readSizes") List<Integer> sizes) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        messages.forEach(m -> wire.writeBytes(framing.encode(m)));

        List<String> out = Chunks.cut(wire.toByteArray(), sizes).decode(framing.newDecoder());

        String sent = String.join("", messages);
        assertEquals(sent, String.join("", out));
        ByteArrayOutputStream reencoded = new ByteArrayOutputStream();
        out.forEach(piece -> reencoded.writeBytes(piece.getBytes(StandardCharsets.UTF_8)));
        assertArrayEquals(wire.toByteArray(), reencoded.toByteArray(), "each piece is exactly the bytes that were read");
        for (String piece : out) {
            assertFalse(piece.isEmpty(), "no empty message is handed out");
            if (!sent.contains("\uFFFD")) {
                assertFalse(piece.contains("\uFFFD"), "a character split across reads is never replaced: " + piece);
            }
        }
    }

    @Property
    void anyBytesDecodeAsTheWholeInputWouldWhateverTheReads(
            @ForAll("arbitraryInput") byte[] bytes, @ForAll("readSizes") List<Integer> sizes) {
        List<String> out = Chunks.cut(bytes, sizes).decode(framing.newDecoder());

        assertEquals(new String(bytes, StandardCharsets.UTF_8), String.join("", out));
    }

    @Property
    void onlyTheEmptyMessageIsUnsendable(@ForAll("text") String text) {
        if (text.isEmpty()) {
            assertThrows(UnsendableMessageException.class, () -> framing.encode(text));
        } else {
            assertEquals(text, new String(framing.encode(text), StandardCharsets.UTF_8), "sent as is, nothing added");
        }
    }

    @Provide
    Arbitrary<List<String>> messageLists() {
        return WireArbitraries.rawMessages().list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<String> text() {
        return WireArbitraries.text();
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
