package dev.parley.core.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.responder.Responder;
import dev.parley.core.session.Input;
import dev.parley.core.session.Limits;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Outcome.Ending;
import dev.parley.core.session.Role;
import dev.parley.core.session.Session;
import dev.parley.core.wire.LineFraming;
import dev.parley.core.wire.RawFraming;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test kit itself: two real sessions over an in-memory wire, no threads, time only when asked. */
class LinkTest {

    private static final LineFraming LINE = new LineFraming();
    private static final Limits LIMITS = new Limits(Duration.ofMinutes(5), Duration.ofSeconds(30));

    private static Link echo() {
        return Link.between(Session.client(LINE, Limits.NONE), Session.server(LINE, LIMITS, Responder.echo()));
    }

    @Test
    void aScriptedClientTalksToAnEchoServerUntilItsBye() {
        Link link = echo().clientSays("hello", "h\u00e9 \uD83D\uDE00", "bye").run();

        assertEquals(List.of("hello", "h\u00e9 \uD83D\uDE00"), link.client().transcript().heard());
        assertEquals(List.of("hello", "h\u00e9 \uD83D\uDE00"), link.server().transcript().messagesSaid());
        assertEquals(new Outcome(Ending.SAID_BYE, Role.SERVER, ""), link.client().transcript().outcome().orElseThrow());
        assertEquals(new Outcome(Ending.PEER_SAID_BYE, Role.CLIENT, ""), link.server().transcript().outcome().orElseThrow());
        assertTrue(link.client().isClosed() && link.server().isClosed());
    }

    @Test
    void byteAtATimeReadsChangeNothing() {
        Link whole = echo().clientSays("one", "two", "bye").run();
        Link bytes = echo().clientSays("one", "two", "bye").chunked(1).run();
        assertEquals(whole.client().transcript().heard(), bytes.client().transcript().heard());
        assertEquals(whole.server().transcript().heard(), bytes.server().transcript().heard());
    }

    @Test
    void twoPeopleTakeTurnsAndTheServersByeEndsIt() {
        Link link = Link.between(Session.client(LINE, Limits.NONE), Session.serverForOperator(LINE, LIMITS))
                .clientSays("hi", "how are you?", "and now?")
                .serverSays("hello", "fine", "bye")
                .run();

        assertEquals(List.of("hi", "how are you?", "and now?"), link.server().transcript().heard());
        assertEquals(List.of("hello", "fine"), link.client().transcript().heard());
        assertEquals(Ending.PEER_SAID_BYE, link.client().transcript().outcome().orElseThrow().ending());
        assertEquals(Ending.SAID_BYE, link.server().transcript().outcome().orElseThrow().ending());
    }

    @Test
    void theClientsEndOfInputLeavesAfterItsLastReply() {
        Link link = echo().clientSays("only").run();
        assertEquals(List.of("only"), link.client().transcript().heard());
        assertEquals(Ending.INPUT_ENDED, link.client().transcript().outcome().orElseThrow().ending());
    }

    @Test
    void timePassesOnlyWhenAskedAndAnIdleClientIsToldAtExactlyTheDeadline() {
        Link link = echo().clientSaysThenWaits().run();
        assertTrue(link.client().transcript().outcome().isEmpty(), "no time has passed");

        link.advance(Duration.ofMinutes(5).minusNanos(1));
        assertTrue(link.server().transcript().outcome().isEmpty(), "one nanosecond before the deadline");

        link.advance(Duration.ofNanos(1));
        String reason = "idle: no message for 5m (idle timeout)";
        assertEquals(new Outcome(Ending.IDLE_TIMEOUT, Role.CLIENT, reason), link.server().transcript().outcome().orElseThrow());
        assertEquals(new Outcome(Ending.PEER_FAILED, Role.SERVER, reason), link.client().transcript().outcome().orElseThrow());
        assertTrue(link.client().isClosed() && link.server().isClosed(), "the client closed, so the server stopped draining");
    }

    @Test
    void aStopInjectedIntoTheServerReachesTheClientAsBye() {
        Link link = Link.between(Session.client(LINE, Limits.NONE), Session.serverForOperator(LINE, LIMITS))
                .clientSaysThenWaits("hello")
                .serverSays("hi")
                .run();
        link.server().input(new Input.Stop());
        link.run();
        assertEquals(List.of("hi"), link.client().transcript().heard());
        assertEquals(Ending.PEER_SAID_BYE, link.client().transcript().outcome().orElseThrow().ending());
        assertEquals(Ending.STOPPED, link.server().transcript().outcome().orElseThrow().ending());
        assertTrue(link.client().transcript().outcome().orElseThrow().isNormal());
    }

    @Test
    void rawFramingHasNoByeOnTheWire() {
        Link link = Link.between(Session.client(new RawFraming(), Limits.NONE),
                Session.server(new RawFraming(), LIMITS, Responder.echo()))
                .clientSays("ping", "bye")
                .run();
        assertEquals(List.of("ping"), link.client().transcript().heard());
        assertEquals(Ending.PEER_CLOSED, link.server().transcript().outcome().orElseThrow().ending(),
                "the seed's way of leaving: just close");
    }

    @Test
    void aSideWithoutAnOperatorCannotBeAsked() {
        Link link = Link.between(Session.client(LINE, Limits.NONE), Session.server(LINE, LIMITS, Responder.echo()));
        assertThrows(IllegalStateException.class, link::run);
    }

    @Test
    void aClientWithItsOwnIdleTimeoutGivesUpOnASilentServerAndTimeIsKept() {
        Limits clientIdle = Limits.idle(Duration.ofSeconds(30));
        Link link = Link.between(Session.client(LINE, clientIdle), Session.serverForOperator(LINE, LIMITS))
                .clientSays("hello?")
                .serverSaysThenWaits()
                .run();
        assertEquals(0, link.now());
        link.advance(Duration.ofSeconds(40));
        assertEquals(Duration.ofSeconds(40).toNanos(), link.now(), "the link's clock moved exactly as asked");
        assertEquals(Ending.IDLE_TIMEOUT, link.client().transcript().outcome().orElseThrow().ending());
        assertEquals(Ending.PEER_FAILED, link.server().session().outcome().orElseThrow().ending(), "the server was told why");
        assertEquals(1, link.client().operator().orElseThrow().timesAsked());
    }

    @Test
    void whatIsSentToAClosedSideIsDropped() {
        Pipe pipe = new Pipe();
        pipe.send(new byte[] {1, 2, 3});
        pipe.readerGone();
        pipe.send(new byte[] {4});
        assertTrue(!pipe.hasBytes(), "a closed reader takes nothing, as a closed socket");
        Pipe whole = new Pipe();
        whole.send(new byte[] {1, 2, 3});
        assertEquals(3, whole.take(3).length, "exactly what fits is taken whole");
        assertEquals(0, whole.take(3).length);
    }
}
