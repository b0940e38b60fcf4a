package dev.parley.app.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.console.Console;
import dev.parley.console.ConsoleTranscript;
import dev.parley.console.StreamConsole;
import dev.parley.core.port.Transcript;
import dev.parley.core.contract.TranscriptContract;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Role;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The Transcript contract on what a client's person is shown: the console, until the end or until standard output's reader has gone. */
class ShownTranscriptTest extends TranscriptContract {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final StreamConsole console = new StreamConsole(new ByteArrayInputStream(new byte[0]), out,
            new PrintStream(err, true, StandardCharsets.UTF_8), false, 16, new Console.Listener() {
                @Override
                public void inputEnded() {
                    // the test reads nothing
                }

                @Override
                public void interrupted() {
                    // nor is interrupted
                }

                @Override
                public void outputFailed(boolean brokenPipe, String reason) {
                    // nor fails to write
                }
            });
    private int withdrawn;
    private boolean readerGone;

    @Override
    protected Transcript transcript() {
        return new ParleyClient.Shown(new ConsoleTranscript(console, Role.SERVER, "parley: "), () -> withdrawn++, () -> readerGone);
    }

    @Override
    protected String shown() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theEndWithdrawsTheQuestionOnceAndAGoneReaderIsShownNothingMore() {
        Transcript shown = transcript();
        shown.notice("server: waiting");
        readerGone = true;
        shown.notice("server: still waiting");
        shown.ended(new Outcome(Outcome.Ending.PEER_SAID_BYE, Role.SERVER, ""));
        assertEquals("parley: server: waiting\n", err.toString(StandardCharsets.UTF_8));
        assertEquals(1, withdrawn, "no question is left open for a line read after the end");
    }
}
