package dev.parley.core.port;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.core.contract.TranscriptContract;
import dev.parley.core.session.Action.Sent;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Role;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Transcript#endingOnly} keeps the {@link Transcript} contract: it shows no message, and hands on the ending. */
class EndingOnlyTranscriptTest extends TranscriptContract {

    private final List<Outcome> endings = new ArrayList<>();

    @Override
    protected Transcript transcript() {
        return Transcript.endingOnly(endings::add);
    }

    @Override
    protected String shown() {
        StringBuilder shown = new StringBuilder();
        endings.forEach(outcome -> shown.append(outcome.describe()).append('\n'));
        return shown.toString();
    }

    @Override
    protected boolean showsMessages() {
        return false;
    }

    /** It writes nothing: it hands the outcome on as it came. */
    @Override
    protected boolean writesText() {
        return false;
    }

    @Test
    void itShowsNothingAndHandsOnTheEndingOnce() {
        Transcript t = transcript();
        t.heard("x");
        t.said(new Sent.Bye());
        t.notice("y");
        Outcome outcome = new Outcome(Outcome.Ending.PEER_CLOSED, Role.CLIENT, "");
        t.ended(outcome);
        assertEquals(List.of(outcome), endings);
    }
}
