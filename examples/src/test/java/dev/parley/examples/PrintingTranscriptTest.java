package dev.parley.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.core.port.Transcript;
import dev.parley.core.contract.TranscriptContract;
import dev.parley.core.session.Action.Sent;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Role;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The example's transcript passes the port's contract, as an adapter of your own would: run it as a test of yours. */
class PrintingTranscriptTest extends TranscriptContract {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Override
    protected Transcript transcript() {
        return new PrintingTranscript("client", new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @Override
    protected String shown() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void oneLinePerEventEachNamingTheSideAndEveryHiddenOrActingCharacterEscaped() {
        Transcript t = transcript();
        t.heard("h\u00e9llo \u202Eevil\u2028forged \uD83D\uDC68\u200D\uD83D\uDCBB");
        t.said(new Sent.Message("hi\u001B[2J"));
        t.said(new Sent.Bye());
        t.ended(new Outcome(Outcome.Ending.SAID_BYE, Role.SERVER, ""));
        assertEquals("client heard: h\u00e9llo \\u202Eevil\\u2028forged \uD83D\uDC68\u200D\uD83D\uDCBB\n"
                + "client said: hi\\u001B[2J\n"
                + "client said bye\n"
                + "client ended: you said bye\n", shown().replace(System.lineSeparator(), "\n"));
    }
}
