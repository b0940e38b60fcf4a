package dev.parley.core.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.core.contract.TranscriptContract;
import dev.parley.core.session.Action.Sent;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Role;
import dev.parley.core.testkit.RecordingTranscript;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fan-out, {@link Transcript#andThen}, keeps the {@link Transcript} contract, and hands every call to both, in order. */
class TranscriptAndThenTest extends TranscriptContract {

    private final RecordingTranscript first = new RecordingTranscript();
    private final RecordingTranscript second = new RecordingTranscript();

    @Override
    protected Transcript transcript() {
        return first.andThen(second);
    }

    /** What both showed: each must show everything, so the contract holds of each. */
    @Override
    protected String shown() {
        String one = RecordingTranscriptTest.shown(first);
        assertEquals(one, RecordingTranscriptTest.shown(second), "both are shown the same");
        return one;
    }

    /** Both recorders write nothing: they keep what they were handed, exactly. */
    @Override
    protected boolean writesText() {
        return false;
    }

    @Test
    void everyCallReachesBothTheFirstOneFirst() {
        List<String> calls = new ArrayList<>();
        Transcript both = logging("first", calls).andThen(logging("second", calls));
        Outcome outcome = new Outcome(Outcome.Ending.SAID_BYE, Role.SERVER, "");
        both.heard("hi");
        both.said(new Sent.Bye());
        both.notice("note");
        both.ended(outcome);
        assertEquals(List.of("first heard hi", "second heard hi", "first said Bye[]", "second said Bye[]",
                "first notice note", "second notice note", "first ended SAID_BYE", "second ended SAID_BYE"), calls);
    }

    @Test
    void itNeedsSomewhereToGo() {
        assertThrows(NullPointerException.class, () -> first.andThen(null));
    }

    private static Transcript logging(String name, List<String> calls) {
        return new Transcript() {
            @Override
            public void heard(String message) {
                calls.add(name + " heard " + message);
            }

            @Override
            public void said(Sent what) {
                calls.add(name + " said " + what);
            }

            @Override
            public void notice(String text) {
                calls.add(name + " notice " + text);
            }

            @Override
            public void ended(Outcome outcome) {
                calls.add(name + " ended " + outcome.ending());
            }
        };
    }
}
