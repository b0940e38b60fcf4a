package dev.parley.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.Outcome.Ending;
import dev.parley.core.testkit.InMemoryLink;
import dev.parley.core.testkit.RecordingTranscript;
import dev.parley.core.testkit.ScriptedPeer;
import dev.parley.core.wire.RawFraming;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConversationTest {

    private final RecordingTranscript transcript = new RecordingTranscript();

    @Test
    void theClientSpeaksFirstAndHearsEachReply() {
        ScriptedPeer server = ScriptedPeer.saying("hello", "fine");
        ScriptedOperator me = ScriptedOperator.saying("hi", "how are you?", "bye");

        Outcome outcome = new Conversation(Role.CLIENT, server, me, transcript).run();

        assertEquals(Ending.SAID_BYE, outcome.ending());
        assertEquals(List.of("hi", "how are you?"), server.sent());
        assertEquals(List.of("hello", "fine"), transcript.heard());
        assertEquals(List.of(Optional.empty(), Optional.of("hello"), Optional.of("fine")), me.heard());
        assertTrue(server.hasLeft(), "bye goes to the peer");
        assertTrue(server.isClosed());
        assertEquals(Optional.of(outcome), transcript.outcome());
        assertEquals(1, transcript.endings());
    }

    @Test
    void theServerListensFirstAndAnswersEachMessageOnce() {
        ScriptedPeer client = ScriptedPeer.saying("one", "two", "bye");
        Outcome outcome = new Conversation(Role.SERVER, client, new EchoOperator(), transcript).run();

        assertEquals(new Outcome(Ending.PEER_SAID_BYE, Role.CLIENT, ""), outcome);
        assertEquals(List.of("one", "two"), client.sent());
        assertEquals(List.of("one", "two"), transcript.heard(), "bye is not shown as a message");
        assertFalse(client.hasLeft(), "no bye is said back to a peer that said bye");
        assertTrue(client.isClosed());
        assertTrue(outcome.isNormal());
        assertEquals("client said bye", outcome.describe());
    }

    @Test
    void theServerMaySayByeFirst() {
        ScriptedPeer client = ScriptedPeer.saying("hi", "still there?");
        Outcome outcome = new Conversation(Role.SERVER, client, ScriptedOperator.saying("hello", " BYE "), transcript).run();

        assertEquals(Ending.SAID_BYE, outcome.ending());
        assertEquals(List.of("hello"), client.sent());
        assertTrue(client.hasLeft());
        assertEquals("you said bye", outcome.describe());
    }

    @Test
    void theEndOfTheOperatorsInputLeavesTheConversation() {
        ScriptedPeer server = ScriptedPeer.saying("hello");
        Outcome outcome = new Conversation(Role.CLIENT, server, ScriptedOperator.saying("hi"), transcript).run();

        assertEquals(Ending.INPUT_ENDED, outcome.ending());
        assertTrue(outcome.isNormal());
        assertTrue(server.hasLeft(), "leaving says bye where the framing carries it");
    }

    @Test
    void thePeerClosingEndsTheConversationNormally() {
        ScriptedPeer server = ScriptedPeer.saying("hello");
        Outcome outcome = new Conversation(Role.CLIENT, server, ScriptedOperator.saying("hi", "more"), transcript).run();

        assertEquals(new Outcome(Ending.PEER_CLOSED, Role.SERVER, ""), outcome);
        assertTrue(outcome.isNormal());
        assertFalse(server.hasLeft());
        assertEquals("server closed the connection", outcome.describe());
    }

    @Test
    void aLostConnectionIsAFailure() {
        ScriptedPeer server = ScriptedPeer.of(new Incoming.Lost("connection reset"));
        Outcome outcome = new Conversation(Role.CLIENT, server, ScriptedOperator.saying("hi"), transcript).run();

        assertEquals(new Outcome(Ending.PEER_LOST, Role.SERVER, "connection reset"), outcome);
        assertFalse(outcome.isNormal());
        assertEquals("connection to server lost: connection reset", outcome.describe());
    }

    @Test
    void aFailedSendIsALostConnection() {
        ScriptedPeer server = ScriptedPeer.saying("hello").losingAfter(1);
        Outcome outcome = new Conversation(Role.CLIENT, server, ScriptedOperator.saying("hi", "again"), transcript).run();

        assertEquals(Ending.PEER_LOST, outcome.ending());
        assertEquals(List.of("hi"), server.sent());
    }

    @Test
    void aPeerThatRefusesEndsTheConversationAsAFailure() {
        ScriptedPeer server = ScriptedPeer.of(new Incoming.Failed("busy: 3 conversations open"));
        Outcome outcome = new Conversation(Role.CLIENT, server, ScriptedOperator.saying("hi"), transcript).run();

        assertEquals(new Outcome(Ending.PEER_FAILED, Role.SERVER, "busy: 3 conversations open"), outcome);
        assertFalse(outcome.isNormal());
        assertEquals("server refused: busy: 3 conversations open", outcome.describe());
    }

    @Test
    void anOverlongLineIsAnsweredWithAnErrorAndTheConversationCloses() {
        ScriptedPeer client = ScriptedPeer.of(new Incoming.Message("fine"), new Incoming.TooLong(16));
        Outcome outcome = new Conversation(Role.SERVER, client, new EchoOperator(), transcript).run();

        assertEquals(new Outcome(Ending.PEER_LINE_TOO_LONG, Role.CLIENT, "line longer than 16 bytes"), outcome);
        assertEquals(List.of("fine"), client.sent());
        assertEquals(Optional.of("line longer than 16 bytes"), client.failure());
        assertTrue(client.isClosed());
        assertFalse(outcome.isNormal());
    }

    @Test
    void aMessageTheWireCannotCarryIsReportedAndTheOperatorAskedAgain() {
        ScriptedPeer server = new ScriptedPeer(new RawFraming(), List.of(new Incoming.Message("hello")));
        Outcome outcome = new Conversation(Role.CLIENT, server, ScriptedOperator.saying("", "hi", "bye"), transcript).run();

        assertEquals(Ending.SAID_BYE, outcome.ending());
        assertEquals(List.of("hi"), server.sent());
        assertEquals(List.of("not sent: raw framing cannot carry an empty message"), transcript.notices());
    }

    @Test
    void anAutomaticAnswerTheWireCannotCarryEndsTheConversationOnceInsteadOfBeingRetried() {
        // Raw framing cannot carry the empty message that the echo would give back.
        ScriptedPeer client = new ScriptedPeer(new RawFraming(), List.of(new Incoming.Message("")));
        Outcome outcome = new Conversation(Role.SERVER, client, new EchoOperator(), transcript).run();

        assertEquals(new Outcome(Ending.UNSENDABLE_REPLY, Role.CLIENT, "raw framing cannot carry an empty message"), outcome);
        assertEquals(Optional.of("the reply could not be sent: raw framing cannot carry an empty message"), client.failure());
        assertEquals(List.of(), client.sent());
        assertEquals(List.of(), transcript.notices(), "no retry, so no notice per retry");
        assertTrue(client.isClosed());
        assertFalse(outcome.isNormal());
    }

    @Test
    void stopLeavesOutOfTurnAndRunReportsStopped() {
        ScriptedPeer client = ScriptedPeer.saying("hi");
        StopsWhileThinking operator = new StopsWhileThinking();
        Conversation conversation = new Conversation(Role.SERVER, client, operator, transcript);
        operator.conversation = conversation;

        Outcome outcome = conversation.run();

        assertEquals(new Outcome(Ending.STOPPED, Role.CLIENT, ""), outcome);
        assertTrue(client.hasLeft(), "stopping says bye");
        assertEquals(List.of(), client.sent(), "nothing is said after stopping");
        assertSame(State.ENDED, conversation.state());
        assertTrue(outcome.isNormal());
        conversation.stop(); // a second stop is harmless
    }

    @Test
    void stopAfterTheEndDoesNothing() {
        ScriptedPeer client = ScriptedPeer.saying("bye");
        Conversation conversation = new Conversation(Role.SERVER, client, new EchoOperator(), transcript);
        conversation.run();
        conversation.stop();
        assertFalse(client.hasLeft());
    }

    @Test
    void anEchoOperatorCannotOpenAConversation() {
        assertThrows(IllegalStateException.class, () -> new EchoOperator().nextMessage(Optional.empty()));
    }

    @Test
    void aRealClientAndARealServerTalkOverAnInMemoryLink() throws Exception {
        InMemoryLink link = new InMemoryLink();
        RecordingTranscript serverSide = new RecordingTranscript();
        CompletableFuture<Outcome> server = CompletableFuture.supplyAsync(
                () -> new Conversation(Role.SERVER, link.server(), new EchoOperator(), serverSide).run());

        Outcome client = new Conversation(Role.CLIENT, link.client(),
                ScriptedOperator.saying("hi", "!bang", "h\u00e9 \uD83D\uDE00", "bye"), transcript).run();

        assertEquals(Ending.SAID_BYE, client.ending());
        assertEquals(List.of("hi", "!bang", "h\u00e9 \uD83D\uDE00"), transcript.heard());
        assertEquals(new Outcome(Ending.PEER_SAID_BYE, Role.CLIENT, ""), server.get(5, TimeUnit.SECONDS));
        assertEquals(List.of("hi", "!bang", "h\u00e9 \uD83D\uDE00"), serverSide.heard());
    }

    @Test
    void aByeInterjectedWhileTheOperatorTypesEndsTheConversationAtOnce() {
        ScriptedPeer server = ScriptedPeer.saying("hello");
        InterjectsWhileThinking operator = new InterjectsWhileThinking(new Incoming.Message(" Bye "));
        Conversation conversation = new Conversation(Role.CLIENT, server, operator, transcript);
        operator.conversation = conversation;

        Outcome outcome = conversation.run();

        assertEquals(new Outcome(Ending.PEER_SAID_BYE, Role.SERVER, ""), outcome);
        assertEquals(Optional.of(outcome), operator.result);
        assertEquals(List.of(), server.sent(), "nothing is sent once the peer has left");
        assertFalse(server.hasLeft(), "no bye is said back");
        assertEquals(1, transcript.endings(), "the ending is reported once, when it happens");
        assertEquals(Optional.of(outcome), conversation.interject(new Incoming.Closed()), "later interjections change nothing");
    }

    @Test
    void aCloseInterjectedWhileTheOperatorTypesEndsTheConversation() {
        InterjectsWhileThinking operator = new InterjectsWhileThinking(new Incoming.Lost("connection reset by peer"));
        Conversation conversation = new Conversation(Role.CLIENT, ScriptedPeer.saying(), operator, transcript);
        operator.conversation = conversation;

        Outcome outcome = conversation.run();

        assertEquals(new Outcome(Ending.PEER_LOST, Role.SERVER, "connection reset by peer"), outcome);
        assertEquals(Optional.of(outcome), transcript.outcome());
    }

    @Test
    void afterANormalEndAnInterjectionChangesNothingAndSaysHowItEnded() {
        Conversation conversation = new Conversation(Role.SERVER, ScriptedPeer.saying("bye"), new EchoOperator(), transcript);
        Outcome outcome = conversation.run();
        assertEquals(Optional.of(outcome), conversation.interject(new Incoming.Lost("late")));
        assertEquals(1, transcript.endings());
    }

    @Test
    void anOrdinaryMessageInterjectedOutOfTurnIsLeftForItsTurn() {
        ScriptedPeer server = ScriptedPeer.saying("reply");
        Conversation conversation = new Conversation(Role.CLIENT, server, ScriptedOperator.saying("hi", "bye"), transcript);

        assertEquals(Optional.empty(), conversation.interject(new Incoming.Message("early words")));
        assertSame(State.CLIENT_TURN, conversation.state());
        assertEquals(Ending.SAID_BYE, conversation.run().ending());
        assertEquals(List.of("reply"), transcript.heard());
    }

    @Test
    void anEventLoopDrivesTheSameConversationPushStyle() {
        ScriptedPeer client = ScriptedPeer.saying();
        Conversation conversation = new Conversation(Role.SERVER, client, new EchoOperator(), transcript);

        assertEquals(Optional.empty(), conversation.open(), "the server waits for the client");
        assertEquals(Optional.empty(), conversation.deliver(new Incoming.Message("one")));
        assertEquals(Optional.empty(), conversation.deliver(new Incoming.Message("two")));
        assertEquals(List.of("one", "two"), client.sent());
        assertFalse(client.isClosed());

        Optional<Outcome> ended = conversation.deliver(new Incoming.Message("bye"));

        assertEquals(Optional.of(new Outcome(Ending.PEER_SAID_BYE, Role.CLIENT, "")), ended);
        assertTrue(client.isClosed(), "the conversation closes the peer when it ends");
        assertEquals(ended, transcript.outcome());
        assertEquals(1, transcript.endings());
    }

    @Test
    void pushStyleTheClientSpeaksOnOpen() {
        ScriptedPeer server = ScriptedPeer.saying();
        Conversation conversation = new Conversation(Role.CLIENT, server, ScriptedOperator.saying("hi", "bye"), transcript);

        assertEquals(Optional.empty(), conversation.open());
        assertEquals(List.of("hi"), server.sent());
        assertEquals(Ending.SAID_BYE, conversation.deliver(new Incoming.Message("hello")).orElseThrow().ending());
        assertTrue(server.hasLeft());
    }

    @Test
    void pushStyleAnEndOfTheWireEndsTheConversation() {
        Conversation conversation = new Conversation(Role.SERVER, ScriptedPeer.saying(), new EchoOperator(), transcript);
        assertEquals(Ending.PEER_LOST,
                conversation.deliver(new Incoming.Lost("no message for 5m (idle timeout)")).orElseThrow().ending());
    }

    @Test
    void anOperatorThatFailsClosesThePeerAndTheFailureGoesUp() {
        ScriptedPeer client = ScriptedPeer.saying("boom");
        Operator failing = heard -> {
            throw new IllegalStateException("operator failed");
        };
        Conversation conversation = new Conversation(Role.SERVER, client, failing, transcript);
        assertThrows(IllegalStateException.class, conversation::run);
        assertTrue(client.isClosed());
    }

    /** An operator during whose typing the peer's side delivers something. */
    private static final class InterjectsWhileThinking implements Operator {
        private final Incoming incoming;
        Conversation conversation;
        Optional<Outcome> result;

        InterjectsWhileThinking(Incoming incoming) {
            this.incoming = incoming;
        }

        @Override
        public Optional<String> nextMessage(Optional<String> heard) {
            result = conversation.interject(incoming);
            return Optional.of("typed too late");
        }
    }

    /** An operator that is interrupted by a stop (say, Ctrl-C) while it composes its reply. */
    private static final class StopsWhileThinking implements Operator {
        Conversation conversation;

        @Override
        public Optional<String> nextMessage(Optional<String> heard) {
            conversation.stop();
            return Optional.of("too late");
        }
    }
}
