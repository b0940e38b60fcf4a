package dev.parley.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.parley.core.responder.Responder;
import dev.parley.core.session.Action;
import dev.parley.core.session.Action.Sent;
import dev.parley.core.session.Input;
import dev.parley.core.session.Limits;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Session;
import dev.parley.core.testkit.Link;
import dev.parley.core.wire.Frame;
import dev.parley.core.wire.FrameDecoder;
import dev.parley.core.wire.LineFraming;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's "Reusing the core" examples, kept compiling and true. */
class ReadmeExamplesTest {

    @Test
    void drivingASessionByHand() {
        Session server = Session.server(new LineFraming(), Limits.NONE, Responder.echo());
        long now = System.nanoTime(); // any clock: the session only compares times

        assertEquals(List.of(), server.handle(now, new Input.Open()));
        assertEquals(List.of(new Action.Show("hi"), new Action.Send(new Sent.Message("hi"), "hi\n".getBytes(UTF_8))),
                server.handle(now, new Input.PeerBytes("hi\n".getBytes(UTF_8))));
        assertEquals(List.of(new Action.Ended(new Outcome(Outcome.Ending.PEER_SAID_BYE, server.role().other(), "")),
                new Action.Close()), server.handle(now, new Input.PeerBytes("bye\n".getBytes(UTF_8))));
    }

    @Test
    void twoSessionsInMemory() {
        Link link = Link.between(
                        Session.client(new LineFraming(), Limits.NONE),
                        Session.server(new LineFraming(), Limits.NONE, Responder.echo()))
                .clientSays("hello", "how are you?", "bye")
                .chunked(1) // one byte per read
                .run();

        assertEquals(List.of("hello", "how are you?"), link.client().transcript().heard());
        assertEquals(Outcome.Ending.SAID_BYE, link.client().transcript().outcome().orElseThrow().ending());
        assertEquals(Outcome.Ending.PEER_SAID_BYE, link.server().transcript().outcome().orElseThrow().ending());
    }

    @Test
    void usingTheCodecAlone() {
        FrameDecoder decoder = new LineFraming(1024).newDecoder();
        decoder.feed("hel".getBytes(UTF_8));
        assertSame(Frame.NEED_DATA, decoder.next());
        decoder.feed("lo\nwor".getBytes(UTF_8));
        assertEquals(new Frame.Message("hello"), decoder.next());
        decoder.endOfInput();
        assertEquals(new Frame.CutOff("wor"), decoder.next());
        assertSame(Frame.END, decoder.next());
    }
}
