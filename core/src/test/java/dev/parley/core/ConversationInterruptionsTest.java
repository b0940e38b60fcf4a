package dev.parley.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.Outcome.Ending;
import dev.parley.core.testkit.RecordingTranscript;
import dev.parley.core.testkit.ScriptedPeer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A stop or an interjection that lands while the loop is blocked inside the peer (receiving or
 * sending) wins over whatever the peer then returns. Single-threaded: the fake peer makes the call
 * from inside the blocking method, where another thread's call would land. Public API only.
 */
class ConversationInterruptionsTest {

    private final RecordingTranscript transcript = new RecordingTranscript();

    @Test
    void aStopWhileReceivingWinsOverTheMessageThatArrives() {
        BlockedPeer peer = new BlockedPeer(ScriptedPeer.saying("hello"));
        Conversation conversation = new Conversation(Role.SERVER, peer, new EchoOperator(), transcript);
        peer.onReceive = Conversation::stop;
        peer.conversation = conversation;

        Outcome outcome = conversation.run();

        assertEquals(new Outcome(Ending.STOPPED, Role.CLIENT, ""), outcome);
        assertEquals(List.of(), transcript.heard(), "what arrives after the stop is not shown");
        assertEquals(List.of(), peer.scripted.sent(), "nor answered");
        assertTrue(peer.scripted.hasLeft(), "the stop said bye");
        assertEquals(1, transcript.endings());
        assertSame(State.ENDED, conversation.state());
    }

    @Test
    void aStopWhileSendingWinsOverTheLostConnectionThatFollows() {
        // The stop says bye, so the send in progress then fails as if the connection were gone.
        BlockedPeer peer = new BlockedPeer(ScriptedPeer.saying("hello"));
        Conversation conversation = new Conversation(Role.CLIENT, peer, ScriptedOperator.saying("hi", "bye"), transcript);
        peer.beforeSend = Conversation::stop;
        peer.conversation = conversation;

        Outcome outcome = conversation.run();

        assertEquals(new Outcome(Ending.STOPPED, Role.SERVER, ""), outcome);
        assertEquals(Optional.of(outcome), transcript.outcome());
        assertEquals(1, transcript.endings());
    }

    @Test
    void aStopWhileASendGoesThroughEndsTheConversationBeforeTheReply() {
        BlockedPeer peer = new BlockedPeer(ScriptedPeer.saying("hello"));
        Conversation conversation = new Conversation(Role.CLIENT, peer, ScriptedOperator.saying("hi", "bye"), transcript);
        peer.afterSend = Conversation::stop;
        peer.conversation = conversation;

        Outcome outcome = conversation.run();

        assertEquals(new Outcome(Ending.STOPPED, Role.SERVER, ""), outcome);
        assertEquals(List.of("hi"), peer.scripted.sent());
        assertEquals(List.of(), transcript.heard(), "the reply is not waited for");
    }

    @Test
    void aStopWhileTheOperatorsInputEndsIsAStopNotAnEndOfInput() {
        ScriptedPeer peer = ScriptedPeer.saying("hello");
        StopsAt operator = new StopsAt(ScriptedOperator.saying("hi"), 2);
        Conversation conversation = new Conversation(Role.CLIENT, peer, operator, transcript);
        operator.conversation = conversation;

        Outcome outcome = conversation.run();

        assertEquals(new Outcome(Ending.STOPPED, Role.SERVER, ""), outcome);
        assertEquals(List.of("hi"), peer.sent());
        assertEquals(1, transcript.endings());
    }

    @Test
    void aStopWhileTheOperatorTypesByeIsAStop() {
        ScriptedPeer peer = ScriptedPeer.saying("hello");
        StopsAt operator = new StopsAt(ScriptedOperator.saying("hi", "bye"), 2);
        Conversation conversation = new Conversation(Role.CLIENT, peer, operator, transcript);
        operator.conversation = conversation;

        assertEquals(new Outcome(Ending.STOPPED, Role.SERVER, ""), conversation.run());
        assertEquals(1, transcript.endings());
    }

    @Test
    void aCloseInterjectedWhileReceivingIsTheOutcomeAndIsReportedOnce() {
        BlockedPeer peer = new BlockedPeer(ScriptedPeer.saying("hello", "bye"));
        Conversation conversation = new Conversation(Role.SERVER, peer, new EchoOperator(), transcript);
        AtomicReference<Optional<Outcome>> interjected = new AtomicReference<>();
        peer.onReceive = c -> {
            interjected.set(c.interject(new Incoming.Lost("reset")));
            assertEquals(interjected.get(), transcript.outcome(), "reported when it happens, not when run returns");
        };
        peer.conversation = conversation;

        Outcome outcome = conversation.run();

        assertEquals(new Outcome(Ending.PEER_LOST, Role.CLIENT, "reset"), outcome);
        assertEquals(Optional.of(outcome), interjected.get());
        assertEquals(1, transcript.endings());
    }

    /** An operator that is stopped (say, Ctrl-C) while it composes its {@code call}-th message. */
    private static final class StopsAt implements Operator {
        private final Operator operator;
        private final int call;
        private int calls;
        Conversation conversation;

        StopsAt(Operator operator, int call) {
            this.operator = operator;
            this.call = call;
        }

        @Override
        public Optional<String> nextMessage(Optional<String> heard) {
            if (++calls == call) {
                conversation.stop();
            }
            return operator.nextMessage(heard);
        }
    }

    /** A peer that runs a hook inside receive or send, as if another thread acted during the call. */
    private static final class BlockedPeer implements Peer {
        final ScriptedPeer scripted;
        Conversation conversation;
        Consumer<Conversation> onReceive = c -> {};
        Consumer<Conversation> beforeSend = c -> {};
        Consumer<Conversation> afterSend = c -> {};

        BlockedPeer(ScriptedPeer scripted) {
            this.scripted = scripted;
        }

        @Override
        public Incoming receive() {
            Consumer<Conversation> hook = onReceive;
            onReceive = c -> {};
            hook.accept(conversation);
            return scripted.receive();
        }

        @Override
        public void send(String message) {
            Consumer<Conversation> before = beforeSend;
            Consumer<Conversation> after = afterSend;
            beforeSend = c -> {};
            afterSend = c -> {};
            before.accept(conversation);
            scripted.send(message); // after a stop this throws PeerLostException: bye was said
            after.accept(conversation);
        }

        @Override
        public void leave() {
            scripted.leave();
        }

        @Override
        public void fail(String reason) {
            scripted.fail(reason);
        }

        @Override
        public void close() {
            scripted.close();
        }
    }
}
