package dev.parley.core.port;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.session.Action.Sent;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Role;
import org.junit.jupiter.api.Test;

/**
 * The contract of the {@link Transcript} port, run against every adapter: whatever the peer sends,
 * every call is taken without failing, messages are shown in the order heard (or, by a transcript
 * that shows no messages, not at all), and the ending is shown. What "shown" means is the
 * adapter's: a subclass says what it presented, as text.
 */
public abstract class TranscriptContract {

    /** A fresh transcript under test. */
    protected abstract Transcript transcript();

    /** Everything the transcript under test presented so far, as text. */
    protected abstract String shown();

    /** Whether the transcript under test shows the peer's messages at all (a log of endings does not). */
    protected boolean showsMessages() {
        return true;
    }

    @Test
    void messagesAreShownInTheOrderHeardOrNotAtAll() {
        Transcript t = transcript();
        t.heard("first message");
        t.heard("second message");
        String shown = shown();
        int first = shown.indexOf("first message");
        if (showsMessages()) {
            assertTrue(first >= 0 && shown.indexOf("second message") > first, shown);
        } else {
            assertTrue(first < 0 && !shown.contains("second message"), shown);
        }
    }

    @Test
    void hostileTextIsTakenWithoutFailing() {
        Transcript t = transcript();
        t.heard("\u001B[2J\u001B]0;pwned\u0007\u009B31m\u202Eevil\u2028forged\uFEFF");
        t.heard("\uD800 lone surrogate");
        t.heard("x".repeat(100_000));
        t.notice("\u0000\u0007\r\n");
        t.said(new Sent.Failure("\u001B[31m"));
        t.ended(new Outcome(Outcome.Ending.PEER_FAILED, Role.SERVER, "\u001B[2J"));
    }

    @Test
    void theEndingIsShown() {
        Transcript t = transcript();
        t.ended(new Outcome(Outcome.Ending.PEER_SAID_BYE, Role.SERVER, ""));
        assertTrue(shown().contains("server said bye"), shown());
    }
}
