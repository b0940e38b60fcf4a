package dev.parley.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.core.Outcome;
import dev.parley.core.Role;
import dev.parley.core.Transcript;
import dev.parley.core.contract.TranscriptContract;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Transcript contract over stdout/stderr byte streams, plus the piped and interactive forms. */
class ConsoleTranscriptTest extends TranscriptContract {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private ConsoleTranscript transcript(boolean interactive) {
        return new ConsoleTranscript(new PrintStream(out, false, StandardCharsets.UTF_8),
                new PrintStream(err, false, StandardCharsets.UTF_8), interactive, Role.SERVER, "parley: ");
    }

    @Override
    protected Probe create() {
        ConsoleTranscript transcript = transcript(false);
        return new Probe() {
            @Override
            public Transcript transcript() {
                return transcript;
            }

            @Override
            public List<String> shownMessages() {
                String text = out.toString(StandardCharsets.UTF_8);
                return text.isEmpty() ? List.of() : Arrays.asList(text.substring(0, text.length() - 1).split("\n", -1));
            }
        };
    }

    @Test
    void pipedMessagesAreExactLinesOnStdoutAndNoticesGoToStderr() {
        ConsoleTranscript transcript = transcript(false);
        transcript.heard("hello");
        transcript.notice("not sent: whatever");
        transcript.heard("world");
        transcript.ended(new Outcome(Outcome.Ending.PEER_SAID_BYE, Role.SERVER, ""));
        assertEquals("hello\nworld\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("parley: not sent: whatever\nparley: server said bye\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void interactiveMessagesSayWhoSpoke() {
        transcript(true).heard("hi");
        assertEquals("server> hi\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void peerTextNeverReachesEitherStreamRaw() {
        ConsoleTranscript transcript = transcript(false);
        transcript.heard("\u001B[2J\u202Egotcha");
        transcript.ended(new Outcome(Outcome.Ending.PEER_FAILED, Role.SERVER, "busy\u001B]0;x\u0007"));
        assertEquals("^[[2J\\u202Egotcha\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("parley: server refused: busy^[]0;x^G\n", err.toString(StandardCharsets.UTF_8));
    }
}
