package dev.parley.core.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.core.Outcome;
import dev.parley.core.Role;
import dev.parley.core.Transcript;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract of the {@link Transcript} port, run against every adapter that implements it. */
public abstract class TranscriptContract {

    /** A transcript and a way to read back the messages it showed as messages. */
    public interface Probe {
        Transcript transcript();

        /** Every message shown as a message (not notices), in order. */
        List<String> shownMessages() throws Exception;
    }

    protected abstract Probe create() throws Exception;

    @Test
    void showsEachHeardMessageOnceInOrder() throws Exception {
        Probe probe = create();
        probe.transcript().heard("one");
        probe.transcript().heard("two");
        probe.transcript().heard("");
        probe.transcript().heard("one");
        assertEquals(List.of("one", "two", "", "one"), probe.shownMessages());
    }

    @Test
    void keepsPrintableNonAsciiText() throws Exception {
        Probe probe = create();
        probe.transcript().heard("h\u00e9 \u4f60\u597d \uD83D\uDE00\tend");
        assertEquals(List.of("h\u00e9 \u4f60\u597d \uD83D\uDE00\tend"), probe.shownMessages());
    }

    @Test
    void noticesAndTheEndingAreNotMessages() throws Exception {
        Probe probe = create();
        probe.transcript().heard("real");
        probe.transcript().notice("not sent: whatever");
        probe.transcript().ended(new Outcome(Outcome.Ending.PEER_SAID_BYE, Role.SERVER, ""));
        assertEquals(List.of("real"), probe.shownMessages());
    }
}
