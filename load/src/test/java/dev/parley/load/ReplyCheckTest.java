package dev.parley.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.port.Transcript;
import dev.parley.core.contract.TranscriptContract;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Role;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The Transcript contract on the load generator's reply check. It shows no message: its report,
 * which the command line renders before printing, describes a wrong reply without quoting it and
 * keeps an ending's detail exactly.
 */
class ReplyCheckTest extends TranscriptContract {

    private final Histogram latency = new Histogram(3_600_000_000_000L, 3);
    private ReplyCheck check;

    @Override
    protected Transcript transcript() {
        check = new ReplyCheck("conversation 3", latency, report -> "");
        return check;
    }

    @Override
    protected String shown() {
        return check.failure() == null ? "" : check.failure();
    }

    @Override
    protected boolean showsMessages() {
        return false;
    }

    /** It writes nothing: its report goes, as it is, to the command line, which renders it. */
    @Override
    protected boolean writesText() {
        return false;
    }

    @Test
    void eachReplyExactlyTheMessageSentIsTimedAndTheOwnByeFinishes() {
        transcript();
        check.expect("ping", System.nanoTime());
        check.heard("ping");
        assertEquals(1, latency.getTotalCount());
        check.ended(new Outcome(Outcome.Ending.SAID_BYE, Role.SERVER, ""));
        assertTrue(check.finished());
        assertNull(check.failure());
    }

    @Test
    void aWrongReplyIsDescribedNeverQuoted() {
        transcript();
        check.expect("0.0 efghij", System.nanoTime());
        check.heard("0.0 \u001B[2Jevil");
        assertEquals("conversation 3: reply 1 was not '0.0 efghij', the message sent: it has 12 characters and differs"
                + " from character 5 (is the server an echo server?)", check.failure());
        assertEquals(0, latency.getTotalCount());
        assertFalse(check.finished());
    }

    @Test
    void anyOtherEndingFailsNamingTheReplyItCameBefore() {
        transcript();
        check.expect("one", System.nanoTime());
        check.heard("one");
        check.expect("two", System.nanoTime());
        check.ended(new Outcome(Outcome.Ending.PEER_SAID_BYE, Role.SERVER, ""));
        assertEquals("conversation 3: the server ended the conversation before reply 2: server said bye", check.failure());
    }
}
