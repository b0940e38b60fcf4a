package dev.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.session.Action;
import dev.parley.core.session.Input;
import dev.parley.core.session.Refusal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Frames in, line bytes out, and back: the mapping docs/PROTOCOL.md states, with an {@link EmbeddedChannel}. */
class WebSocketLinesTest {

    private final Behind behind = new Behind();
    private final EmbeddedChannel channel = new EmbeddedChannel(new WebSocketLines(16), behind);

    private static ByteBuf text(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    private Object refusal() {
        assertEquals(1, behind.events.size(), behind.events.toString());
        return behind.events.get(0);
    }

    @Test
    void aTextFrameIsOneLine() {
        channel.writeInbound(new TextWebSocketFrame("hello there"));
        channel.writeInbound(new TextWebSocketFrame(""));
        assertEquals("hello there\n\n", behind.bytes.toString(), "an empty frame is the empty message");
    }

    @Test
    void fragmentsFlowOnAsTheyComeAndTheLastEndsTheLine() {
        channel.writeInbound(new TextWebSocketFrame(false, 0, text("hel")));
        assertEquals("hel", behind.bytes.toString(), "not held back: the session's line limit and deadline see it");
        channel.writeInbound(new ContinuationWebSocketFrame(true, 0, text("lo")));
        assertEquals("hello\n", behind.bytes.toString());
    }

    @Test
    void aFrameWithALineFeedIsRefusedThroughTheSessionAndNothingOfItIsPassedOn() {
        channel.writeInbound(new TextWebSocketFrame("one\ntwo"));
        assertEquals("", behind.bytes.toString());
        assertEquals(new Input.Drop(new Refusal.NotAMessage("a message holds a line feed; a message is one line")), refusal());
        channel.writeInbound(new TextWebSocketFrame("later"));
        assertEquals("", behind.bytes.toString(), "nothing more is read as a message");
        channel.writeOutbound(new Action.EndOutput());
        CloseWebSocketFrame close = channel.readOutbound();
        assertEquals(WebSocketCloseStatus.INVALID_PAYLOAD_DATA.code(), close.statusCode());
        close.release();
    }

    @Test
    void aBinaryMessageIsRefusedWithItsContinuations() {
        channel.writeInbound(new BinaryWebSocketFrame(false, 0, text("abc")));
        channel.writeInbound(new ContinuationWebSocketFrame(true, 0, text("def")));
        assertEquals(new Input.Drop(new Refusal.NotAMessage("a binary message; messages are text")), refusal());
        assertEquals("", behind.bytes.toString());
        channel.writeOutbound(new Action.EndOutput());
        CloseWebSocketFrame close = channel.readOutbound();
        assertEquals(WebSocketCloseStatus.INVALID_MESSAGE_TYPE.code(), close.statusCode());
        close.release();
    }

    @Test
    void aFrameOverTheLimitReachesTheSessionAsALineOverTheLimit() {
        channel.pipeline().fireExceptionCaught(new CorruptedWebSocketFrameException(WebSocketCloseStatus.MESSAGE_TOO_BIG, "too big"));
        assertEquals(17, behind.bytes.length(), "one byte more than the limit, and no line feed: the session says it is too long");
        assertTrue(behind.events.isEmpty());
        channel.writeOutbound(new Action.EndOutput());
        CloseWebSocketFrame close = channel.readOutbound();
        assertEquals(WebSocketCloseStatus.MESSAGE_TOO_BIG.code(), close.statusCode());
        close.release();
    }

    @Test
    void aBrokenFrameIsRefusedSayingHow() {
        channel.pipeline().fireExceptionCaught(new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR,
                "received non-masked frame"));
        assertEquals(new Input.Drop(new Refusal.NotAMessage("the WebSocket protocol was broken (received non-masked frame)")), refusal());
    }

    /** Issue 20, bug 3: a tab closed after its message was taken for a half-close, and held the front of the line. */
    @Test
    void theClientsCloseFrameIsTheClientGoneToldOnceHoweverMoreComes() {
        channel.writeInbound(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE));
        channel.pipeline().fireUserEventTriggered(SslCloseCompletionEvent.SUCCESS); // over TLS, its close_notify next
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertEquals(List.of(new Input.PeerGone()), behind.events);
    }

    @Test
    void aCloseNotifyOrTheEndOfTcpInputWithoutACloseFrameIsTheClientGoneToo() {
        channel.pipeline().fireUserEventTriggered(SslCloseCompletionEvent.SUCCESS);
        assertEquals(List.of(new Input.PeerGone()), behind.events);
        Behind another = new Behind();
        new EmbeddedChannel(new WebSocketLines(16), another).pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertEquals(List.of(new Input.PeerGone()), another.events);
    }

    @Test
    void pingsAreAnsweredAndNeverReachTheSession() {
        channel.writeInbound(new PingWebSocketFrame(text("are you there")));
        PongWebSocketFrame pong = channel.readOutbound();
        assertEquals("are you there", pong.content().toString(StandardCharsets.UTF_8));
        pong.release();
        assertEquals("", behind.bytes.toString());
    }

    @Test
    void aClientThatReadsNothingGetsOnePongForItsLatestPingWhenItReadsAgain() {
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        for (int i = 0; i < WebSocketLines.CONTROL_BURST; i++) {
            channel.writeInbound(new PingWebSocketFrame(text("ping " + i)));
        }
        assertNull(channel.readOutbound(), "nothing piles up for a client that reads nothing");
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        channel.runPendingTasks();
        PongWebSocketFrame pong = channel.readOutbound();
        assertEquals("ping 29", pong.content().toString(StandardCharsets.UTF_8));
        pong.release();
        assertNull(channel.readOutbound());
    }

    @Test
    void aBurstOfControlFramesIsAnsweredAndOneMoreIsRefusedThroughTheSession() {
        channel.freezeTime();
        for (int i = 0; i < WebSocketLines.CONTROL_BURST; i++) {
            channel.writeInbound(i % 2 == 0 ? new PingWebSocketFrame(text("p")) : new PongWebSocketFrame(text("unasked")));
        }
        assertEquals(List.of(), behind.events);
        channel.writeInbound(new PingWebSocketFrame(text("one too many")));
        assertEquals(new Input.Drop(new Refusal.NotAMessage(
                "more than 30 control frames (pings, pongs) at once, or more than one a second after")), refusal());
        int pongs = 0;
        Object out;
        while ((out = channel.readOutbound()) != null) {
            assertInstanceOf(PongWebSocketFrame.class, out);
            ((PongWebSocketFrame) out).release();
            pongs++;
        }
        assertEquals(WebSocketLines.CONTROL_BURST / 2, pongs, "the burst's pings answered, not the one too many");
        channel.writeInbound(new PingWebSocketFrame(text("later")));
        channel.writeInbound(new TextWebSocketFrame("a message"));
        assertNull(channel.readOutbound(), "nothing more is answered");
        assertEquals("", behind.bytes.toString(), "nor read");
        channel.writeOutbound(new Action.EndOutput());
        CloseWebSocketFrame close = channel.readOutbound();
        assertEquals(WebSocketCloseStatus.POLICY_VIOLATION.code(), close.statusCode());
        close.release();
    }

    @Test
    void aClientThatPingsOnceASecondMayDoSoForEver() {
        channel.freezeTime();
        for (int i = 0; i < 10 * WebSocketLines.CONTROL_BURST; i++) {
            channel.writeInbound(new PingWebSocketFrame(text("keepalive")));
            ((PongWebSocketFrame) channel.readOutbound()).release();
            channel.advanceTimeBy(WebSocketLines.CONTROL_EVERY_NANOS, TimeUnit.NANOSECONDS);
        }
        channel.advanceTimeBy(60, TimeUnit.SECONDS);
        for (int i = 0; i < WebSocketLines.CONTROL_BURST; i++) {
            channel.writeInbound(new PingWebSocketFrame(text("burst after a quiet minute")));
            ((PongWebSocketFrame) channel.readOutbound()).release();
        }
        assertEquals(List.of(), behind.events, "the credit refills, to a burst at most");
        channel.writeInbound(new PingWebSocketFrame(text("one too many")));
        assertEquals(1, behind.events.size());
    }

    @Test
    void eachLineTheSessionSendsIsATextFrameAndItsEndOfOutputTheCloseFrame() {
        channel.writeOutbound(text("hi\n"), text("!notice: waiting\n"));
        assertEquals("hi", ((TextWebSocketFrame) channel.readOutbound()).text());
        assertEquals("!notice: waiting", ((TextWebSocketFrame) channel.readOutbound()).text());
        channel.writeOutbound(text("bye\n"), new Action.EndOutput());
        assertEquals("bye", ((TextWebSocketFrame) channel.readOutbound()).text());
        CloseWebSocketFrame close = channel.readOutbound();
        assertEquals(WebSocketCloseStatus.NORMAL_CLOSURE.code(), close.statusCode());
        close.release();
        channel.writeOutbound(text("late\n"));
        assertNull(channel.readOutbound(), "nothing follows the Close frame");
    }

    @Test
    void closingBeforeTheCloseFrameSendsItFirst() {
        channel.writeInbound(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE));
        channel.close();
        Object first = channel.readOutbound();
        assertInstanceOf(CloseWebSocketFrame.class, first, "the client's Close is answered");
        ((CloseWebSocketFrame) first).release();
    }
}
