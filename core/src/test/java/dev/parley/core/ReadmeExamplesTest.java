package dev.parley.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.parley.core.testkit.RecordingTranscript;
import dev.parley.core.testkit.ScriptedPeer;
import dev.parley.core.wire.Frame;
import dev.parley.core.wire.FrameDecoder;
import dev.parley.core.wire.LineFraming;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's "Reusing the core" examples, kept compiling and true. */
class ReadmeExamplesTest {

    @Test
    void drivingAConversationWithTheTestKit() {
        ScriptedPeer server = ScriptedPeer.saying("hi", "fine, thanks");
        RecordingTranscript shown = new RecordingTranscript();
        Outcome outcome = new Conversation(Role.CLIENT, server,
                ScriptedOperator.saying("hello", "how are you?", "bye"), shown).run();

        assertEquals(Outcome.Ending.SAID_BYE, outcome.ending());
        assertEquals(List.of("hi", "fine, thanks"), shown.heard());
        assertEquals(List.of("hello", "how are you?"), server.sent());
    }

    @Test
    void usingTheCodecAlone() {
        FrameDecoder decoder = new LineFraming(1024).newDecoder();
        decoder.feed("hel".getBytes(UTF_8));
        assertSame(Frame.NEED_DATA, decoder.next());
        decoder.feed("lo\nwor".getBytes(UTF_8));
        assertEquals(new Frame.Message("hello"), decoder.next());
        decoder.endOfInput();
        assertEquals(new Frame.Message("wor"), decoder.next());
        assertSame(Frame.END, decoder.next());
    }
}
