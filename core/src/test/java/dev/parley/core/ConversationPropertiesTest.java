package dev.parley.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.Outcome.Ending;
import dev.parley.core.testkit.RecordingTranscript;
import dev.parley.core.testkit.ScriptedPeer;
import dev.parley.core.wire.Framing;
import dev.parley.core.wire.LineFraming;
import dev.parley.core.wire.RawFraming;
import dev.parley.core.wire.UnsendableMessageException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;

/**
 * A conversation driven by the test kit's fakes over random scripts: whatever the peer and the
 * operator do, and whenever a stop or an interjection comes, the conversation ends, reports one
 * outcome, never speaks out of turn, and ends the way a model of the rules says. Only the public
 * API is used (constructor, run, stop, interject, state), so the loop's inside may change freely.
 */
class ConversationPropertiesTest {

    /** Something that happens from outside while the operator composes its {@code atCall}-th message. */
    sealed interface Interruption {
        int atCall();
    }

    record Stop(int atCall) implements Interruption {}

    record Interject(int atCall, Incoming incoming) implements Interruption {}

    /** One random conversation. {@code sendsBeforeLoss} &lt; 0: the connection never fails on send. */
    record Script(Role me, boolean raw, List<Incoming> peerSays, List<String> operatorSays,
                  int sendsBeforeLoss, Optional<Interruption> interruption) {

        Framing framing() {
            return raw ? new RawFraming() : new LineFraming();
        }
    }

    /** What the model expects: the outcome and every effect on the fakes. */
    record Expected(Outcome outcome, List<String> sent, List<String> shown, List<String> notices,
                    List<Optional<String>> operatorHeard, boolean left, Optional<String> failure) {}

    @Property
    void anyScriptEndsOnceInTurnAndAsTheModelSays(@ForAll("scripts") Script script) {
        ScriptedPeer scripted = new ScriptedPeer(script.framing(), script.peerSays());
        if (script.sendsBeforeLoss() >= 0) {
            scripted.losingAfter(script.sendsBeforeLoss());
        }
        TurnKeepingPeer peer = new TurnKeepingPeer(scripted, script.me(), script.peerSays().size() + 2);
        RecordingTranscript transcript = new RecordingTranscript();
        InterruptibleOperator operator = new InterruptibleOperator(
                ScriptedOperator.saying(script.operatorSays().toArray(String[]::new)),
                script.interruption(), script.operatorSays().size() + 2, transcript);
        Conversation conversation = new Conversation(script.me(), peer, operator, transcript);
        operator.conversation = conversation;

        Outcome outcome = conversation.run();
        Statistics.label("ending").collect(outcome.ending());

        Expected expected = model(script);
        assertEquals(expected.outcome(), outcome);
        assertEquals(1, transcript.endings(), "exactly one outcome is reported");
        assertEquals(Optional.of(outcome), transcript.outcome());
        assertSame(State.ENDED, conversation.state());
        assertEquals(expected.sent(), scripted.sent());
        assertEquals(expected.shown(), transcript.heard());
        assertEquals(expected.notices(), transcript.notices());
        assertEquals(expected.operatorHeard(), operator.heard);
        assertEquals(expected.left(), scripted.hasLeft());
        assertEquals(expected.failure(), scripted.failure());
        assertTrue(scripted.isClosed(), "the peer is closed at the end");
        operator.interjected.ifPresent(early -> assertEquals(Optional.of(outcome), early));

        // After the end nothing changes any more. (What interject answers then is not specified:
        // the outcome after an early end, empty after an ordinary one; never another outcome.)
        Optional<Outcome> late = conversation.interject(new Incoming.Closed());
        assertTrue(late.isEmpty() || late.get().equals(outcome), "a late interjection answered " + late);
        conversation.stop();
        assertEquals(expected.left(), scripted.hasLeft(), "a stop after the end says nothing");
        assertEquals(1, transcript.endings());
    }

    /** The rules of docs/PROTOCOL.md and the Conversation's contract, played out step by step. */
    static Expected model(Script s) {
        ArrayDeque<Incoming> peer = new ArrayDeque<>(s.peerSays());
        ArrayDeque<String> operator = new ArrayDeque<>(s.operatorSays());
        Framing framing = s.framing();
        List<String> sent = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        List<String> notices = new ArrayList<>();
        List<Optional<String>> operatorHeard = new ArrayList<>();
        boolean[] left = {false};
        String[] failure = {null};
        Optional<String> heard = Optional.empty();
        boolean myTurn = s.me() == Role.CLIENT;
        Outcome outcome = null;
        while (outcome == null) {
            if (myTurn) {
                operatorHeard.add(heard);
                Optional<String> said = Optional.ofNullable(operator.poll());
                Optional<Interruption> now = s.interruption().filter(i -> i.atCall() == operatorHeard.size());
                if (now.isPresent() && now.get() instanceof Stop) {
                    left[0] = true;
                    outcome = new Outcome(Ending.STOPPED, s.me().other(), "");
                } else if (now.isPresent() && endsTheConversation(((Interject) now.get()).incoming())) {
                    outcome = peerEnded(s.me(), ((Interject) now.get()).incoming(), failure);
                } else if (said.isEmpty()) {
                    left[0] = true;
                    outcome = new Outcome(Ending.INPUT_ENDED, s.me().other(), "");
                } else if (Event.isBye(said.get())) {
                    left[0] = true;
                    outcome = new Outcome(Ending.SAID_BYE, s.me().other(), "");
                } else if (!carriable(framing, said.get())) {
                    notices.add("not sent: " + unsendableReason(framing, said.get()));
                } else if (s.sendsBeforeLoss() >= 0 && sent.size() >= s.sendsBeforeLoss()) {
                    outcome = new Outcome(Ending.PEER_LOST, s.me().other(), "connection lost (scripted)");
                } else {
                    sent.add(said.get());
                    myTurn = false;
                }
            } else {
                Incoming incoming = peer.isEmpty() ? new Incoming.Closed() : peer.poll();
                if (endsTheConversation(incoming)) {
                    outcome = peerEnded(s.me(), incoming, failure);
                } else {
                    String text = ((Incoming.Message) incoming).text();
                    shown.add(text);
                    heard = Optional.of(text);
                    myTurn = true;
                }
            }
        }
        return new Expected(outcome, sent, shown, notices, operatorHeard, left[0], Optional.ofNullable(failure[0]));
    }

    private static boolean endsTheConversation(Incoming incoming) {
        return !(incoming instanceof Incoming.Message) || Event.isBye(((Incoming.Message) incoming).text());
    }

    private static Outcome peerEnded(Role me, Incoming incoming, String[] failure) {
        Role peer = me.other();
        if (incoming instanceof Incoming.Message) {
            return new Outcome(Ending.PEER_SAID_BYE, peer, "");
        }
        if (incoming instanceof Incoming.Closed) {
            return new Outcome(Ending.PEER_CLOSED, peer, "");
        }
        if (incoming instanceof Incoming.Failed) {
            return new Outcome(Ending.PEER_FAILED, peer, ((Incoming.Failed) incoming).reason());
        }
        if (incoming instanceof Incoming.Lost) {
            return new Outcome(Ending.PEER_LOST, peer, ((Incoming.Lost) incoming).reason());
        }
        failure[0] = "line longer than " + ((Incoming.TooLong) incoming).limit() + " bytes";
        return new Outcome(Ending.PEER_LINE_TOO_LONG, peer, failure[0]);
    }

    private static boolean carriable(Framing framing, String message) {
        return unsendableReason(framing, message) == null;
    }

    private static String unsendableReason(Framing framing, String message) {
        try {
            framing.encode(message);
            return null;
        } catch (UnsendableMessageException e) {
            return e.getMessage();
        }
    }

    @Provide
    Arbitrary<Script> scripts() {
        Arbitrary<Incoming> incoming = Arbitraries.frequencyOf(List.of(
                Tuple.of(12, Arbitraries.of("hi", "", "!x", "two words", "bye", " Bye\r", "byebye")
                        .map(Incoming.Message::new)),
                Tuple.of(1, Arbitraries.just(new Incoming.Closed())),
                Tuple.of(1, Arbitraries.of("busy", "").map(Incoming.Failed::new)),
                Tuple.of(1, Arbitraries.integers().between(1, 65536).map(Incoming.TooLong::new)),
                Tuple.of(1, Arbitraries.of("reset", "timed out").map(Incoming.Lost::new))));
        Arbitrary<String> operatorLine = Arbitraries.of(
                "hello", "", "!bang", "two\nlines", "ends\r", "bye", "BYE ", "byebye", "h\u00e9 \uD83D\uDE00");
        Arbitrary<Interruption> interruption = Arbitraries.integers().between(1, 4).flatMap(call ->
                Arbitraries.frequencyOf(List.of(
                        Tuple.of(1, Arbitraries.just(new Stop(call))),
                        Tuple.of(2, incoming.map(i -> new Interject(call, i))))));
        return Combinators.combine(
                        Arbitraries.of(Role.class),
                        Arbitraries.of(true, false),
                        incoming.list().ofMaxSize(10),
                        operatorLine.list().ofMaxSize(10),
                        Arbitraries.integers().between(-1, 6),
                        interruption.optional(0.4))
                .as(Script::new);
    }

    /**
     * Wraps the scripted peer and fails the property at once if the conversation sends out of turn,
     * listens out of turn, touches the peer after closing it, or never stops asking.
     */
    static final class TurnKeepingPeer implements Peer {
        private final ScriptedPeer peer;
        private int receivesLeft;
        private boolean mySendNext;
        private boolean stoppedSending;
        private boolean closed;

        TurnKeepingPeer(ScriptedPeer peer, Role me, int receiveBudget) {
            this.peer = peer;
            this.mySendNext = me == Role.CLIENT;
            this.receivesLeft = receiveBudget;
        }

        @Override
        public Incoming receive() {
            check(!closed && !peer.isClosed(), "received after close");
            check(!mySendNext, "listened while it was its own turn to speak");
            check(receivesLeft-- > 0, "kept listening after the peer's script had closed");
            Incoming incoming = peer.receive();
            if (incoming instanceof Incoming.Message && !Event.isBye(((Incoming.Message) incoming).text())) {
                mySendNext = true;
            }
            return incoming;
        }

        @Override
        public void send(String message) {
            check(!closed && !peer.isClosed() && !stoppedSending, "sent after leaving, failing or closing");
            check(mySendNext, "sent out of turn: " + message);
            peer.send(message);
            mySendNext = false;
        }

        @Override
        public void leave() {
            check(!closed, "left after close");
            stoppedSending = true;
            peer.leave();
        }

        @Override
        public void fail(String reason) {
            check(!closed, "failed after close");
            stoppedSending = true;
            peer.fail(reason);
        }

        @Override
        public void close() {
            closed = true;
            peer.close();
        }

        private static void check(boolean ok, String what) {
            if (!ok) {
                throw new AssertionError(what);
            }
        }
    }

    /** The scripted operator, plus a stop or an interjection while it composes one message. */
    static final class InterruptibleOperator implements Operator {
        private final ScriptedOperator operator;
        private final Optional<Interruption> interruption;
        private final RecordingTranscript transcript;
        private int callsLeft;
        final List<Optional<String>> heard = new ArrayList<>();
        Conversation conversation;
        Optional<Optional<Outcome>> interjected = Optional.empty();

        InterruptibleOperator(ScriptedOperator operator, Optional<Interruption> interruption, int callBudget,
                              RecordingTranscript transcript) {
            this.operator = operator;
            this.interruption = interruption;
            this.callsLeft = callBudget;
            this.transcript = transcript;
        }

        @Override
        public Optional<String> nextMessage(Optional<String> heardNow) {
            if (callsLeft-- <= 0) {
                throw new AssertionError("kept asking the operator after its input had ended");
            }
            heard.add(heardNow);
            Optional<String> message = operator.nextMessage(heardNow);
            Optional<Interruption> now = interruption.filter(i -> i.atCall() == heard.size());
            if (now.isPresent() && now.get() instanceof Stop) {
                conversation.stop();
            } else if (now.isPresent()) {
                Optional<Outcome> result = conversation.interject(((Interject) now.get()).incoming());
                assertEquals(endsTheConversation(((Interject) now.get()).incoming()), result.isPresent(),
                        "interject answers an outcome exactly when it ends the conversation");
                assertFalse(result.isPresent() && conversation.state() != State.ENDED);
                if (result.isPresent()) {
                    assertEquals(result, transcript.outcome(), "an ending interjection is reported at once");
                }
                interjected = Optional.of(result).filter(Optional::isPresent);
            }
            return message;
        }
    }
}
