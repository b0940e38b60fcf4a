package dev.parley.core.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.core.Incoming;
import dev.parley.core.Peer;
import dev.parley.core.PeerLostException;
import dev.parley.core.wire.UnsendableMessageException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of the {@link Peer} port, run against every adapter that implements it. A subclass
 * supplies two connected ends in line framing; everything here is single-threaded, sending before
 * receiving.
 */
@Timeout(10)
public abstract class PeerContract {

    /** Two ends of one connection: what {@code near} sends, {@code far} receives, and back. */
    public record Pair(Peer near, Peer far) {}

    private Pair pair;

    /** Opens a fresh connected pair in line framing with the default limit. */
    protected abstract Pair connect() throws Exception;

    private Pair pair() throws Exception {
        if (pair == null) {
            pair = connect();
        }
        return pair;
    }

    @AfterEach
    void closeBothEnds() {
        if (pair != null) {
            pair.near().close();
            pair.far().close();
        }
    }

    @Test
    void messagesArriveIntactAndInOrder() throws Exception {
        List<String> messages = List.of("hi", "", "!bang", "h\u00e9 \u4f60\u597d \uD83D\uDE00", "a\rb", "  spaced  ");
        for (String m : messages) {
            pair().near().send(m);
        }
        for (String m : messages) {
            assertEquals(new Incoming.Message(m), pair().far().receive());
        }
    }

    @Test
    void repliesFlowTheOtherWay() throws Exception {
        pair().near().send("question");
        assertEquals(new Incoming.Message("question"), pair().far().receive());
        pair().far().send("answer");
        assertEquals(new Incoming.Message("answer"), pair().near().receive());
    }

    @Test
    void leavingSaysByeAndThenTheWireEnds() throws Exception {
        pair().near().send("last words");
        pair().near().leave();
        assertEquals(new Incoming.Message("last words"), pair().far().receive());
        assertEquals(new Incoming.Message("bye"), pair().far().receive());
        assertEquals(new Incoming.Closed(), pair().far().receive());
    }

    @Test
    void failingReportsTheReasonAndThenTheWireEnds() throws Exception {
        pair().near().fail("busy: try again later");
        assertEquals(new Incoming.Failed("busy: try again later"), pair().far().receive());
        assertEquals(new Incoming.Closed(), pair().far().receive());
    }

    @Test
    void closingEndsTheWire() throws Exception {
        pair().near().close();
        assertEquals(new Incoming.Closed(), pair().far().receive());
        pair().near().close(); // closing twice is harmless
    }

    @Test
    void nothingCanBeSentAfterLeaving() throws Exception {
        pair().near().leave();
        pair().near().leave(); // leaving twice is harmless
        assertThrows(PeerLostException.class, () -> pair().near().send("too late"));
    }

    @Test
    void aMessageTheFramingCannotCarryIsRefusedAndNothingIsSent() throws Exception {
        assertThrows(UnsendableMessageException.class, () -> pair().near().send("two\nlines"));
        pair().near().send("fine");
        assertEquals(new Incoming.Message("fine"), pair().far().receive());
    }
}
