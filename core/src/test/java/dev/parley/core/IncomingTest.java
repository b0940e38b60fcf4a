package dev.parley.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.core.wire.FrameDecoder;
import dev.parley.core.wire.LineFraming;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one mapping from decoder frames to what a peer adapter hands the conversation. */
class IncomingTest {

    @Test
    void eachKindOfFrameBecomesItsIncomingInOrder() {
        FrameDecoder decoder = new LineFraming(8).newDecoder();
        assertEquals(Optional.empty(), Incoming.next(decoder), "nothing yet: read more");
        decoder.feed("hi\n123456789\n!busy\n".getBytes(UTF_8));
        decoder.endOfInput();

        assertEquals(Optional.of(new Incoming.Message("hi")), Incoming.next(decoder));
        assertEquals(Optional.of(new Incoming.TooLong(8)), Incoming.next(decoder));
        assertEquals(Optional.of(new Incoming.Failed("busy")), Incoming.next(decoder));
        assertEquals(Optional.of(new Incoming.Closed()), Incoming.next(decoder));
        assertEquals(Optional.of(new Incoming.Closed()), Incoming.next(decoder), "and stays closed");
    }
}
