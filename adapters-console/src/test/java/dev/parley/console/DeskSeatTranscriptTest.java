package dev.parley.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.core.port.Transcript;
import dev.parley.core.contract.TranscriptContract;
import dev.parley.core.session.Action.Sent;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Role;
import dev.parley.core.testkit.RecordingTranscript;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The Transcript contract on a desk's seat, as a console server wires it: the person sees the
 * conversation on a console (rendered safe), the server's log adds a line for its ending, and the
 * seat hands everything on, exactly, to what records it (a transcript file).
 */
class DeskSeatTranscriptTest extends TranscriptContract {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final StreamConsole console = new StreamConsole(new ByteArrayInputStream(new byte[0]), out,
            new PrintStream(err, true, StandardCharsets.UTF_8), false, 16, new RecordingListener());
    private final RecordingTranscript recorded = new RecordingTranscript();

    @Override
    protected Transcript transcript() {
        // The server's log shows the ending on the same console (ServerLog keeps the contract too, in app).
        Transcript log = Transcript.endingOnly(outcome -> console.status("conversation 1 ended: " + TerminalSafe.render(outcome.describe())));
        return new OperatorDesk(console).join(1, "127.0.0.1:5", input -> { }, log.andThen(recorded));
    }

    @Override
    protected String shown() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    /** What the seat handed on to be recorded: the messages heard and the ending's detail, exactly. */
    @Override
    protected Optional<String> kept() {
        return Optional.of(String.join("\n", recorded.heard()) + "\n" + recorded.outcome().map(Outcome::detail).orElse(""));
    }

    @Test
    void thePersonSeesMessagesAndNoticesAndEverythingIsRecordedTheirOwnWordsIncluded() {
        Transcript seat = transcript();
        seat.heard("hello");
        seat.said(new Sent.Message("hi there"));
        seat.notice("not sent (client's turn): 'too soon'");
        assertEquals("hello\n", out.toString(StandardCharsets.UTF_8), "a piped console's messages: exact lines");
        assertEquals("parley: not sent (client's turn): 'too soon'\n", err.toString(StandardCharsets.UTF_8),
                "what the person typed is on the screen already; the notice is not");
        assertEquals(List.of("hello"), recorded.heard());
        assertEquals(List.of("hi there"), recorded.messagesSaid());
        assertEquals(List.of("not sent (client's turn): 'too soon'"), recorded.notices());
        Outcome bye = new Outcome(Outcome.Ending.PEER_SAID_BYE, Role.CLIENT, "");
        seat.ended(bye);
        assertEquals(Optional.of(bye), recorded.outcome());
    }
}
