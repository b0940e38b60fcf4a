package dev.parley.socket.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.port.Operator;
import dev.parley.core.responder.Responder;
import dev.parley.core.session.Action;
import dev.parley.core.session.Input;
import dev.parley.core.session.Limits;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Outcome.Ending;
import dev.parley.core.session.Refusal;
import dev.parley.core.session.Session;
import dev.parley.core.testkit.RecordingTranscript;
import dev.parley.core.wire.LineFraming;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The conversation handler as Netty's own handlers are tested: an {@link EmbeddedChannel}, bytes in,
 * bytes out, and time moved by hand (the handler's clock and the channel's scheduler together). No
 * socket, no sleep.
 */
class ConversationHandlerTest {

    private static final LineFraming FRAMING = new LineFraming(16);
    private static final Limits LIMITS = new Limits(Duration.ofSeconds(10), Duration.ofSeconds(3));

    private final RecordingEvents events = new RecordingEvents();
    private final RecordingTranscript transcript = new RecordingTranscript();
    private final MemoryBudget memory = new MemoryBudget(1 << 20);
    private final Admission admission = new Admission(2, 2, memory);
    private long now = 1_000_000_000L;
    private int asked;

    private EmbeddedChannel channel(Function<ConversationHandle, Conversation> factory) {
        return channel(factory, admission, memory);
    }

    private EmbeddedChannel channel(Function<ConversationHandle, Conversation> factory, Admission admission, MemoryBudget memory) {
        ServerSettings settings = new ServerSettings("127.0.0.1", 0, FRAMING, LIMITS, 2);
        return new EmbeddedChannel(new ConversationHandler(1, settings, admission, memory, factory::apply, events, () -> now, false, HeldBytes.NOTHING));
    }

    private EmbeddedChannel echo() {
        return channel(handle -> new Conversation(Session.server(FRAMING, LIMITS, Responder.echo()), Conversation.NO_OPERATOR, transcript));
    }

    /** A server whose person is the test: asking counts, the answer is posted by hand. */
    private EmbeddedChannel person() {
        Operator operator = () -> asked++;
        return channel(handle -> {
            handle.post(new Input.Attend());
            return new Conversation(Session.serverForOperator(FRAMING, LIMITS), operator, transcript);
        });
    }

    static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    /** Everything written so far, as text. */
    static String written(EmbeddedChannel channel) {
        StringBuilder out = new StringBuilder();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            out.append(buf.toString(StandardCharsets.UTF_8));
            buf.release();
        }
        return out.toString();
    }

    private void advance(EmbeddedChannel channel, Duration time) {
        now += time.toNanos();
        channel.advanceTimeBy(time.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
    }

    @Test
    void eachMessageIsAnsweredAndPipelinedMessagesInOrder() {
        EmbeddedChannel channel = echo();
        channel.writeInbound(bytes("one\ntwo\nthr"));
        assertEquals("one\ntwo\n", written(channel));
        channel.writeInbound(bytes("ee\n"));
        assertEquals("three\n", written(channel));
        assertEquals(1, admission.open());
    }

    @Test
    void aPipelinedMessageForAPersonIsHeldAndReadingStopsUntilItsTurn() {
        EmbeddedChannel channel = person();
        channel.runPendingTasks(); // the Attend posted from the factory
        channel.writeInbound(bytes("one\ntwo\n"));
        assertEquals(1, asked);
        assertFalse(channel.config().isAutoRead(), "one message ahead is held; no more is read");

        ConversationHandler handler = channel.pipeline().get(ConversationHandler.class);
        handler.post(new Input.OperatorLine("first"));
        channel.runPendingTasks();
        assertEquals("first\n", written(channel));
        assertEquals(2, asked, "the held message is the client's next turn");
        assertTrue(channel.config().isAutoRead());
        assertEquals(java.util.List.of("one", "two"), transcript.heard());
    }

    /**
     * The end of a peer's input may be told several ways (a front's word, TLS's close_notify, the
     * socket's half-close): the session takes the first only. Over TLS on the web, a Close frame then
     * close_notify once made a second end of input, illegal, and the conversation was reported a bug.
     */
    @Test
    void theEndOfThePeersInputToldTwiceIsTakenOnce() {
        EmbeddedChannel channel = person();
        channel.runPendingTasks();
        channel.writeInbound(bytes("my last words\n"));
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        channel.pipeline().fireUserEventTriggered(SslCloseCompletionEvent.SUCCESS);
        assertTrue(channel.isOpen(), "a half-close: the client can still read the answer");
        channel.pipeline().get(ConversationHandler.class).post(new Input.OperatorLine("read this"));
        channel.runPendingTasks();
        assertEquals("read this\n", written(channel));
        assertEquals(Ending.PEER_CLOSED, transcript.outcome().orElseThrow().ending());
        assertFalse(events.lines().stream().anyMatch(line -> line.startsWith("crashed")), events.lines().toString());
    }

    /** Issue 20, bug 3: a front's word that its client has gone (a closed tab) ends the conversation at once, held message and all. */
    @Test
    void aPeerGoneEndsTheConversationAtOnceAndWhatFollowsIsHarmless() {
        EmbeddedChannel channel = person();
        channel.runPendingTasks();
        channel.writeInbound(bytes("my last words\n"));
        channel.pipeline().fireUserEventTriggered(new Input.PeerGone());
        assertEquals(Ending.PEER_CLOSED, transcript.outcome().orElseThrow().ending(), "ended, not held for an answer");
        assertFalse(channel.isOpen());
        channel.pipeline().fireUserEventTriggered(SslCloseCompletionEvent.SUCCESS);
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertEquals(1, transcript.endings());
        assertFalse(events.lines().stream().anyMatch(line -> line.startsWith("crashed")), events.lines().toString());
        assertEquals(0, admission.open());
    }

    @Test
    void aPeerThatDoesNotTakeItsRepliesIsNotReadEither() {
        EmbeddedChannel channel = echo();
        assertTrue(channel.config().isAutoRead());
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        channel.runPendingTasks();
        assertFalse(channel.config().isAutoRead(), "not writable: stop reading");
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        channel.runPendingTasks();
        assertTrue(channel.config().isAutoRead(), "writable again: read again");
    }

    @Test
    void theIdleDeadlineTellsThePeerWhyThenTheConnectionCloses() {
        EmbeddedChannel channel = echo();
        advance(channel, Duration.ofSeconds(9));
        assertEquals("", written(channel));
        advance(channel, Duration.ofSeconds(1));
        assertEquals("!idle: no message for 10s (idle timeout)\n", written(channel));
        assertEquals(Ending.IDLE_TIMEOUT, transcript.outcome().orElseThrow().ending());
        assertTrue(channel.isOpen(), "draining the peer's input for a while, so the reason is read");
        advance(channel, Session.LINGER);
        assertFalse(channel.isOpen());
        assertEquals(0, admission.open(), "the slot is free again");
    }

    @Test
    void aLineNeverFinishedIsCutAtTheLineDeadline() {
        EmbeddedChannel channel = echo();
        channel.writeInbound(bytes("never finish"));
        advance(channel, Duration.ofSeconds(3));
        assertEquals("!too slow: a message not finished within 3s (line timeout)\n", written(channel));
        assertEquals(Ending.LINE_TIMEOUT, transcript.outcome().orElseThrow().ending());
    }

    @Test
    void aTooLongLineIsRefusedOnceHoweverMuchMoreComes() {
        EmbeddedChannel channel = echo();
        channel.writeInbound(bytes("x".repeat(17) + "\n"));
        channel.writeInbound(bytes("more\n"));
        channel.writeInbound(bytes("and more\n"));
        assertEquals("!line longer than 16 bytes\n", written(channel));
        assertEquals(1, transcript.endings());
    }

    @Test
    void aClientOverTheLimitIsToldItIsBusyAndTakesNoSlot() {
        Admission admission = new Admission(2, 5, memory);
        assertNull(admission.admit(java.net.InetAddress.getLoopbackAddress()));
        assertNull(admission.admit(java.net.InetAddress.getLoopbackAddress())); // both slots taken
        EmbeddedChannel channel = channel(handle -> new Conversation(Session.server(FRAMING, LIMITS, Responder.echo()),
                Conversation.NO_OPERATOR, transcript), admission, memory);
        assertEquals("!busy: 2 conversations open, the most this server takes; try again later\n", written(channel));
        assertTrue(events.lines().contains("refused busy: 2 conversations open, the most this server takes; try again later"));
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        channel.runPendingTasks();
        assertFalse(channel.isOpen(), "closed once the client has read the refusal and gone");
        assertEquals(2, admission.open(), "a refused connection never held a slot");
        assertEquals(0, transcript.endings(), "the app's transcript never saw it");
    }

    @Test
    void oneAddressMayHoldOnlySoManyConversations() {
        Admission admission = new Admission(10, 1, memory);
        EmbeddedChannel first = channel(handle -> new Conversation(Session.server(FRAMING, LIMITS, Responder.echo()),
                Conversation.NO_OPERATOR, transcript), admission, memory);
        EmbeddedChannel second = channel(handle -> new Conversation(Session.server(FRAMING, LIMITS, Responder.echo()),
                Conversation.NO_OPERATOR, new RecordingTranscript()), admission, memory);
        assertEquals("", written(first));
        assertEquals("!too many: 1 conversation from your address, the most this server takes from one; try again later\n",
                written(second));
        first.close();
        assertEquals(0, admission.open(), "the address's slot is free again");
        assertNull(admission.admit(java.net.InetAddress.getLoopbackAddress()));
    }

    @Test
    void overTheMemoryBudgetTheConversationHoldingTheMostIsDroppedAndNewOnesRefused() {
        MemoryBudget small = new MemoryBudget(1000);
        Admission admission = new Admission(10, 10, small);
        RecordingTranscript big = new RecordingTranscript();
        RecordingTranscript little = new RecordingTranscript();
        LineFraming roomy = new LineFraming(10_000);
        EmbeddedChannel hog = channel(handle -> new Conversation(Session.server(roomy, LIMITS, Responder.echo()),
                Conversation.NO_OPERATOR, big), admission, small);
        EmbeddedChannel modest = channel(handle -> new Conversation(Session.server(roomy, LIMITS, Responder.echo()),
                Conversation.NO_OPERATOR, little), admission, small);
        hog.writeInbound(bytes("h".repeat(900))); // a long partial line: 900 bytes held
        modest.writeInbound(bytes("m".repeat(200)));  // and this one passes the budget
        hog.runPendingTasks();
        assertEquals("!memory: the server holds as much data as it can; try again later\n", written(hog),
                "the one holding the most goes, told why, though another passed the budget");
        assertEquals(Ending.DROPPED, big.outcome().orElseThrow().ending());
        assertTrue(little.outcome().isEmpty(), "the small one stays");
        assertTrue(small.held() < 1000, "the memory came back at once: " + small.held());
        modest.writeInbound(bytes("\n"));
        assertEquals("m".repeat(200) + "\n", written(modest));
    }

    @Test
    void aPeerThatTakesNoReplyIsEndedByTheIdleTimeout() {
        EmbeddedChannel channel = person();
        channel.runPendingTasks();
        channel.writeInbound(bytes("a question\n"));
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        channel.runPendingTasks();
        advance(channel, Duration.ofSeconds(10));
        assertEquals(Ending.IDLE_TIMEOUT, transcript.outcome().orElseThrow().ending(), "though it was the operator's turn");
        assertEquals("idle: took none of the replies for 10s (idle timeout)", transcript.outcome().orElseThrow().detail());
    }

    @Test
    void everyWayOutEndsTheSessionOnceAndFreesTheSlot() {
        EmbeddedChannel closedUnder = echo();
        closedUnder.close();
        assertEquals(new Outcome(Ending.PEER_LOST, dev.parley.core.session.Role.CLIENT, "connection closed"),
                transcript.outcome().orElseThrow());
        assertEquals(0, admission.open());

        RecordingTranscript second = new RecordingTranscript();
        EmbeddedChannel reset = channel(handle -> new Conversation(Session.server(FRAMING, LIMITS, Responder.echo()),
                Conversation.NO_OPERATOR, second));
        reset.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));
        reset.runPendingTasks();
        assertEquals("connection reset by peer", second.outcome().orElseThrow().detail());
        assertEquals(1, second.endings());
        assertFalse(reset.isOpen());
        assertEquals(0, admission.open());
    }

    @Test
    void aCrashEndsOnlyThatConversationAndFreesItsSlot() {
        Responder crashing = (turn, heard) -> {
            throw new IllegalStateException("boom");
        };
        EmbeddedChannel channel = channel(handle -> new Conversation(Session.server(FRAMING, LIMITS, crashing),
                Conversation.NO_OPERATOR, transcript));
        channel.writeInbound(bytes("hi\n"));
        assertTrue(events.lines().contains("crashed 1 boom"), events.lines().toString());
        assertFalse(channel.isOpen());
        assertEquals(0, admission.open());
        assertNull(channel.readOutbound());
    }

    @Test
    void anErrorFromTheConnectionsInputEndsOnlyThatConnectionWithItsReason() {
        EmbeddedChannel channel = echo();
        channel.pipeline().fireExceptionCaught(new io.netty.handler.codec.DecoderException(new StackOverflowError()));
        channel.runPendingTasks();
        assertEquals("its input is nested too deeply to be parsed (java.lang.StackOverflowError)",
                transcript.outcome().orElseThrow().detail());
        assertFalse(channel.isOpen());
        assertEquals(0, admission.open());

        RecordingTranscript second = new RecordingTranscript();
        EmbeddedChannel asserting = channel(handle -> new Conversation(Session.server(FRAMING, LIMITS, Responder.echo()),
                Conversation.NO_OPERATOR, second));
        asserting.pipeline().fireExceptionCaught(new AssertionError("a library's invariant"));
        assertEquals("its input could not be processed (java.lang.AssertionError: a library's invariant)",
                second.outcome().orElseThrow().detail());
        assertFalse(asserting.isOpen());
    }

    @Test
    void anErrorBeforeAnyConversationIsOneRefusalLine() {
        ServerSettings settings = new ServerSettings("127.0.0.1", 0, FRAMING, LIMITS, 2);
        ConversationHandler handler = new ConversationHandler(1, settings, admission, memory,
                handle -> new Conversation(Session.server(FRAMING, LIMITS, Responder.echo()), Conversation.NO_OPERATOR, transcript),
                events, () -> now, true, HeldBytes.NOTHING);
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                // a front whose request is still being read
            }
        }, handler);
        channel.pipeline().fireExceptionCaught(new StackOverflowError());
        assertEquals(java.util.List.of("refused failed: its input is nested too deeply to be parsed (java.lang.StackOverflowError)"),
                events.lines());
        assertFalse(channel.isOpen());
    }

    @Test
    void onlyTheJvmsOwnExhaustionGoesOnToStopTheProcess() {
        java.util.List<Throwable> escalated = new java.util.ArrayList<>();
        Thread thread = Thread.currentThread();
        Thread.UncaughtExceptionHandler before = thread.getUncaughtExceptionHandler();
        thread.setUncaughtExceptionHandler((t, e) -> escalated.add(e));
        try {
            EmbeddedChannel channel = echo();
            OutOfMemoryError exhausted = new OutOfMemoryError("Java heap space");
            channel.pipeline().fireExceptionCaught(exhausted);
            assertEquals(java.util.List.of(exhausted), escalated);
        } finally {
            thread.setUncaughtExceptionHandler(before);
        }
    }

    @Test
    void anErrorInTheSessionsWorkIsACrashOfThatConversationOnly() {
        Responder overflowing = (turn, heard) -> {
            throw new StackOverflowError();
        };
        EmbeddedChannel channel = channel(handle -> new Conversation(Session.server(FRAMING, LIMITS, overflowing),
                Conversation.NO_OPERATOR, transcript));
        channel.writeInbound(bytes("hi\n"));
        assertTrue(events.lines().contains("crashed 1 null"), events.lines().toString());
        assertFalse(channel.isOpen());
        assertEquals(0, admission.open());
    }

    /** Behind a front (the web's codec): it starts when the front says, ends its output and is dropped through the pipeline. */
    @Test
    void behindAFrontTheConversationStartsWhenToldAndEndsThroughThePipeline() {
        ServerSettings settings = new ServerSettings("127.0.0.1", 0, FRAMING, LIMITS, 2);
        ConversationHandler handler = new ConversationHandler(1, settings, admission, memory,
                handle -> new Conversation(Session.server(FRAMING, LIMITS, Responder.echo()), Conversation.NO_OPERATOR, transcript),
                events, () -> now, true, HeldBytes.NOTHING);
        ChannelInboundHandlerAdapter front = new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                // a front holds the start back until its handshake is done
            }
        };
        EmbeddedChannel channel = new EmbeddedChannel(front, handler);
        assertFalse(handler.started());
        assertEquals(0, admission.open(), "no slot before the handshake");

        channel.pipeline().context(front).fireChannelActive();
        assertTrue(handler.started());
        assertEquals(1, admission.open());
        channel.writeInbound(bytes("hello\n"));
        assertEquals("hello\n", written(channel));

        channel.pipeline().fireUserEventTriggered(new Input.Drop(new Refusal.NotAMessage("a binary frame")));
        assertEquals("!not a message: a binary frame\n", ((ByteBuf) channel.readOutbound()).toString(StandardCharsets.UTF_8));
        assertEquals(new Action.EndOutput(), channel.readOutbound(), "the front ends the output its own way");
        assertEquals(Ending.DROPPED, transcript.outcome().orElseThrow().ending());
    }

    /** A front that answers a connection itself (a page): the handler behind ends it as a closing session's. */
    private HalfClosingChannel answeredByAFront() {
        ServerSettings settings = new ServerSettings("127.0.0.1", 0, FRAMING, LIMITS, 2);
        ConversationHandler handler = new ConversationHandler(1, settings, admission, memory,
                handle -> new Conversation(Session.server(FRAMING, LIMITS, Responder.echo()), Conversation.NO_OPERATOR, transcript),
                events, () -> now, true, HeldBytes.NOTHING);
        HalfClosingChannel channel = new HalfClosingChannel(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                // a front holds the start back: this connection never becomes a conversation
            }
        }, handler);
        channel.freezeTime();
        channel.writeOutbound(bytes("HTTP/1.1 200 OK\r\n\r\n"));
        channel.pipeline().fireUserEventTriggered(new Action.EndOutput());
        return channel;
    }

    @Test
    void aFrontsOwnAnswerEndsTheOutputThenLingersAsAClosingSessionDoes() {
        HalfClosingChannel channel = answeredByAFront();
        assertTrue(channel.isOutputShutdown(), "the output ends once the answer is written");
        assertEquals(2, channel.writtenWhenShut, "after the answer (and the empty write that waits for it)");
        channel.writeInbound(bytes("GET / HTTP/1.1\r\n\r\n"));
        assertTrue(channel.isOpen(), "what the client still sends is drained");
        advance(channel, Session.LINGER.minusNanos(1));
        assertTrue(channel.isOpen());
        advance(channel, Duration.ofNanos(1));
        assertFalse(channel.isOpen(), "closed after the linger, on a session's clock");
        assertEquals(0, admission.open(), "no slot was taken");
        assertEquals(0, transcript.endings(), "and no conversation made");
        channel.finishAndReleaseAll();
    }

    @Test
    void aFrontsOwnAnswerIsClosedAtOnceWhenTheClientGoesFirst() {
        HalfClosingChannel channel = answeredByAFront();
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertFalse(channel.isOpen());
        assertEquals(-1, channel.runScheduledPendingTasks(), "the linger went with the connection");
        assertEquals(java.util.List.of(), events.lines(), "an answer is no refusal: nothing logged");
        channel.finishAndReleaseAll();
    }

    // ---- the memory account ------------------------------------------------------------------------------

    /** A connection of the account test: what the handlers before the conversation hold is set by hand. */
    private final class Held {
        final MemoryBudget budget = new MemoryBudget(1 << 20);
        final Admission slots;
        final long[] before = {0};
        final EmbeddedChannel channel;

        Held(int maxConversations, boolean person, boolean behindFront) {
            slots = new Admission(maxConversations, maxConversations, budget);
            ServerSettings settings = new ServerSettings("127.0.0.1", 0, new LineFraming(1000), LIMITS, 2);
            Operator operator = () -> asked++;
            ConversationHandler handler = new ConversationHandler(1, settings, slots, budget, handle -> person
                    ? new Conversation(Session.serverForOperator(new LineFraming(1000), LIMITS), operator, transcript)
                    : new Conversation(Session.server(new LineFraming(1000), LIMITS, Responder.echo()), Conversation.NO_OPERATOR,
                            transcript), events, () -> now, behindFront, () -> before[0]);
            ChannelInboundHandlerAdapter front = new ChannelInboundHandlerAdapter() {
                @Override
                public void channelActive(ChannelHandlerContext ctx) {
                    if (!behindFront) {
                        ctx.fireChannelActive();
                    }
                }
            };
            channel = new EmbeddedChannel(front, handler);
        }

        ConversationHandler handler() {
            return channel.pipeline().get(ConversationHandler.class);
        }

        /** Bytes in: held by the session (a partial line) and by the handlers before it. */
        void hold(String partial, long byFront) {
            before[0] = byFront;
            channel.writeInbound(bytes(partial));
        }
    }

    /** However a connection ends, the account gets back exactly what it held: zero once all are closed. */
    @Test
    void theMemoryAccountReturnsToExactlyZeroWhateverTheEnding() {
        java.util.Map<String, java.util.function.Consumer<Held>> endings = new java.util.LinkedHashMap<>();
        endings.put("bye", held -> held.channel.writeInbound(bytes("\nbye\n")));
        endings.put("peer closed", held -> held.channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE));
        endings.put("reset", held -> held.channel.pipeline().fireExceptionCaught(new IOException("Connection reset by peer")));
        endings.put("closed", held -> held.channel.close());
        endings.put("idle timeout", held -> advance(held.channel, Duration.ofSeconds(10)));
        endings.put("line timeout", held -> advance(held.channel, Duration.ofSeconds(3)));
        endings.put("too long", held -> held.channel.writeInbound(bytes("x".repeat(1001) + "\n")));
        endings.put("dropped by the front", held -> held.channel.pipeline().fireUserEventTriggered(
                new Input.Drop(new Refusal.NotAMessage("binary"))));
        endings.put("dropped for memory", held -> held.handler().share().drop());
        endings.put("stopped", held -> held.handler().post(new Input.Stop()));
        java.util.List<String> kinds = java.util.List.of("echo", "person waiting", "refused", "behind a front, not started");
        for (String kind : kinds) {
            for (var ending : endings.entrySet()) {
                Held held = new Held(kind.equals("refused") ? 1 : 2, kind.startsWith("person"), kind.startsWith("behind"));
                if (kind.equals("refused")) {
                    held.slots.admit(java.net.InetAddress.getLoopbackAddress()); // the one slot taken: refused, draining
                }
                held.channel.runPendingTasks();
                held.hold("a question\npart of the next", 5_000);
                assertTrue(held.budget.held() >= 5_000, kind + ", " + ending.getKey() + ": counted " + held.budget.held());
                ending.getValue().accept(held);
                held.channel.runPendingTasks();
                advance(held.channel, Session.LINGER);
                advance(held.channel, Session.LINGER); // and a close that waits for the last writes
                held.before[0] = 0;
                held.channel.close();
                held.channel.finishAndReleaseAll();
                assertFalse(held.channel.isOpen(), kind + ", " + ending.getKey());
                assertEquals(0, held.budget.held(), kind + ", " + ending.getKey() + ": the account is back to zero");
            }
        }
    }

    @Test
    void pastTheBudgetAConnectionWhoseFrontHoldsTheMostIsClosedBeforeItStarts() {
        Held waiting = new Held(2, false, true);
        MemoryBudget budget = waiting.budget;
        waiting.before[0] = 2 << 20; // a request not complete yet, over the whole budget
        waiting.channel.pipeline().fireChannelReadComplete();
        waiting.channel.runPendingTasks();
        assertFalse(waiting.channel.isOpen(), "not started: closed, nothing to tell");
        assertEquals(0, budget.held());
    }

    @Test
    void unsentRepliesAreCountedFromThePublicWritabilityFigures() {
        EmbeddedChannel channel = new EmbeddedChannel();
        assertEquals(0, MemoryShare.unsent(channel));
        channel.write(bytes("x".repeat(1000)));
        long one = MemoryShare.unsent(channel);
        assertTrue(one >= 1000 && one < 1200, "one write, with Netty's cost of it: " + one);
        for (int i = 0; i < 100; i++) {
            channel.write(bytes("y".repeat(1000)));
        }
        assertFalse(channel.isWritable(), "past the high water mark");
        long many = MemoryShare.unsent(channel);
        assertTrue(many >= 101_000 && many < 101 * 1200, "past the mark, still counted: " + many);
        channel.flush();
        assertEquals(0, MemoryShare.unsent(channel), "taken");
        channel.finishAndReleaseAll();
        assertEquals(0, MemoryShare.unsent(channel), "closed");
    }
}
