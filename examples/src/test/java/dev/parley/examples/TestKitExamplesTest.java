package dev.parley.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.port.Actions;
import dev.parley.core.session.Input;
import dev.parley.core.session.Limits;
import dev.parley.core.session.Outcome.Ending;
import dev.parley.core.session.Session;
import dev.parley.core.session.State;
import dev.parley.core.testkit.Link;
import dev.parley.core.testkit.Pipe;
import dev.parley.core.testkit.RecordingTranscript;
import dev.parley.core.testkit.ScriptedOperator;
import dev.parley.core.wire.LineFraming;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Testing code of your own against the real protocol with the core's test kit: no sockets, no
 * threads, no clock. A responder is tested inside two real sessions joined by a {@link Link}; a
 * driver's steps are tested on a session by hand, with the kit's in-memory ports.
 */
class TestKitExamplesTest {

    private final LineFraming framing = new LineFraming();

    @Test
    void theShouterAnswersEveryMessageEvenReadOneByteAtATime() {
        Link link = Link.between(Session.client(framing, Limits.NONE), Session.server(framing, Limits.NONE, new Shouter()))
                .clientSays("hello", "caf\u00e9 \u00fcber", "bye")
                .chunked(1)
                .run();

        assertEquals(List.of("HELLO!", "CAF\u00c9 \u00dcBER!"), link.client().transcript().heard());
        assertEquals(List.of("HELLO!", "CAF\u00c9 \u00dcBER!"), link.server().transcript().messagesSaid());
        assertEquals(Ending.SAID_BYE, link.client().transcript().outcome().orElseThrow().ending());
        assertEquals(Ending.PEER_SAID_BYE, link.server().transcript().outcome().orElseThrow().ending());
        assertTrue(link.client().isClosed() && link.server().isClosed());
    }

    @Test
    void timeMovesOnlyWhenTheTestSaysSo() {
        Limits fiveSeconds = Limits.idle(Duration.ofSeconds(5));
        Link link = Link.between(Session.client(framing, Limits.NONE), Session.server(framing, fiveSeconds, new Shouter()))
                .clientSaysThenWaits("hello")
                .run();

        link.advance(Duration.ofMillis(4_999));
        assertTrue(link.server().transcript().outcome().isEmpty(), "not idle yet");

        link.advance(Duration.ofMillis(1));
        assertEquals(Ending.IDLE_TIMEOUT, link.server().transcript().outcome().orElseThrow().ending());
        assertEquals("idle: no message for 5s (idle timeout)", link.client().transcript().outcome().orElseThrow().detail());
    }

    @Test
    void aDriversStepsOnASessionByHand() {
        Session client = Session.client(framing, Limits.NONE);
        Pipe wire = new Pipe();
        ScriptedOperator person = ScriptedOperator.saying("hi");
        RecordingTranscript transcript = new RecordingTranscript();

        // Open: the client speaks first, so its person is asked at once.
        Actions.carryOut(client.handle(0, new Input.Open()), wire, person, transcript);
        assertTrue(person.wasAsked());

        // The person's answer is an input; the session frames it and the wire carries it.
        Optional<String> line = person.answer();
        Actions.carryOut(client.handle(1, new Input.OperatorLine(line.orElseThrow())), wire, person, transcript);
        assertArrayEquals("hi\n".getBytes(UTF_8), wire.take(100));
        assertEquals(State.PEER_TURN, client.state());
        assertFalse(person.wasAsked(), "the server's turn: the person waits");

        // The server's answer arrives; the person is asked again, has nothing more, and the client leaves.
        Actions.carryOut(client.handle(2, new Input.PeerBytes("HI!\n".getBytes(UTF_8))), wire, person, transcript);
        assertEquals(List.of("HI!"), transcript.heard());
        assertTrue(person.answer().isEmpty());
        Actions.carryOut(client.handle(3, new Input.OperatorDone()), wire, person, transcript);

        assertArrayEquals("bye\n".getBytes(UTF_8), wire.take(100));
        assertTrue(wire.atEnd(), "the output ended after bye");
        assertEquals(Ending.INPUT_ENDED, transcript.outcome().orElseThrow().ending());
        assertEquals(2, person.timesAsked());
    }
}
