package dev.parley.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.core.port.Transcript;
import dev.parley.core.contract.TranscriptContract;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Role;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The Transcript contract over a console on stdout/stderr byte streams, piped and for a person. */
class ConsoleTranscriptTest extends TranscriptContract {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private ConsoleTranscript transcript(boolean person) {
        StreamConsole console = new StreamConsole(new ByteArrayInputStream(new byte[0]), out,
                new PrintStream(err, false, StandardCharsets.UTF_8), person, 16, new RecordingListener());
        return new ConsoleTranscript(console, Role.SERVER, "parley: ");
    }

    @Override
    protected Transcript transcript() {
        return transcript(false);
    }

    @Override
    protected String shown() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
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
    void aLineThePeerCutOffIsAStatusLineMarkedCutOffRenderedSafeNeverAMessage() {
        ConsoleTranscript transcript = transcript(false);
        transcript.ended(new Outcome(Outcome.Ending.PEER_CUT_OFF, Role.SERVER, "I agree\u001B[8m to pay"));
        assertEquals("", out.toString(StandardCharsets.UTF_8), "nothing on the messages' stream");
        assertEquals("parley: server closed the connection in the middle of a line; cut off, not a message: 'I agree^[[8m to pay'\n",
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aPersonSeesWhoSpoke() {
        transcript(true).heard("hi");
        assertEquals("server> hi\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void peerTextNeverReachesEitherStreamRaw() {
        ConsoleTranscript transcript = transcript(false);
        transcript.heard("\u001B[2J\u202Egotcha");
        transcript.notice("server: \u001B[31mred");
        transcript.ended(new Outcome(Outcome.Ending.PEER_FAILED, Role.SERVER, "busy\u001B]0;x\u0007"));
        assertEquals("^[[2J\\u202Egotcha\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("parley: server: ^[[31mred\nparley: server says: busy^[]0;x^G\n", err.toString(StandardCharsets.UTF_8));
    }
}
