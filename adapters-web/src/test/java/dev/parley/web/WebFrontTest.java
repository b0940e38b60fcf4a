package dev.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.session.Action;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The web port before a conversation: the page, the upgrade and every refusal, over an {@link EmbeddedChannel}. */
class WebFrontTest {

    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    private final List<String> refusals = new ArrayList<>();
    private Behind behind;
    private WebChannels web = web(Origins.sameOriginOnly(), 10);

    private WebChannels web(Origins origins, int maxWaiting) {
        return new WebChannels(new WebSettings(16, origins, Duration.ofSeconds(5), maxWaiting, maxWaiting),
                (remote, reason) -> refusals.add(reason));
    }

    /** A new connection; {@link #behind} is what stands behind its front. */
    private EmbeddedChannel connect() {
        behind = new Behind();
        return new EmbeddedChannel(web, behind);
    }

    private static String answer(EmbeddedChannel channel, String request) {
        channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.UTF_8));
        return written(channel);
    }

    private static String written(EmbeddedChannel channel) {
        StringBuilder out = new StringBuilder();
        Object msg;
        while ((msg = channel.readOutbound()) != null) {
            out.append(((ByteBuf) msg).toString(StandardCharsets.UTF_8));
            ((ByteBuf) msg).release();
        }
        return out.toString();
    }

    private static String upgrade(String host, String origin) {
        return "GET /ws HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n"
                + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n";
    }

    @Test
    void thePageComesWithAPolicyThatLetsOnlyItsOwnScriptRunAndTheConnectionCloses() {
        EmbeddedChannel channel = connect();
        String response = answer(channel, "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
        assertTrue(response.contains("content-type: text/html; charset=utf-8"), response);
        assertTrue(response.contains("content-security-policy: default-src 'none'; script-src 'sha256-"), response);
        assertTrue(response.contains("x-content-type-options: nosniff"), response);
        assertTrue(response.contains("connection: close"), response);
        assertTrue(response.contains("data-max-line-bytes=\"16\""), "the page knows the server's limit");
        assertFalse(response.contains(" src=") || response.contains("stylesheet") || response.matches("(?s).*<[^>]* on[a-z]+=.*"),
                "self-contained: nothing fetched, no inline handler");
        assertEquals(List.of(new Action.EndOutput()), behind.events,
                "one request per connection: the driver behind ends it after the answer, as any ending");
        assertFalse(behind.started, "a page request is no conversation");
    }

    @Test
    void headGetsTheHeadersOnlyAndOtherPathsAndMethodsAreRefused() {
        String head = answer(connect(), "HEAD / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertTrue(head.startsWith("HTTP/1.1 200 OK") && head.endsWith("\r\n\r\n"), head);
        assertTrue(answer(connect(), "GET /etc/passwd HTTP/1.1\r\nHost: localhost\r\n\r\n").startsWith("HTTP/1.1 404"));
        String post = answer(connect(), "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\nhi");
        assertTrue(post.startsWith("HTTP/1.1 405") && post.contains("allow: GET, HEAD"), post);
        assertTrue(answer(connect(), "GET /ws HTTP/1.1\r\nHost: localhost\r\n\r\n").startsWith("HTTP/1.1 400"), "/ws is for WebSockets");
        assertTrue(answer(connect(), "\u0001\u0002 garbage\r\n\r\n").startsWith("HTTP/1.1 400"));
        String huge = answer(connect(), "GET / HTTP/1.1\r\nHost: localhost\r\nX: " + "a".repeat(20_000) + "\r\n\r\n");
        assertTrue(huge.startsWith("HTTP/1.1 431"), huge);
    }

    @Test
    void theUpgradeStartsTheConversationBehindAndItsFramesAreLines() {
        EmbeddedChannel channel = connect();
        String response = answer(channel, upgrade("127.0.0.1:8080", "http://127.0.0.1:8080"));
        assertTrue(response.startsWith("HTTP/1.1 101 Switching Protocols"), response);
        assertTrue(response.contains("sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), response);
        assertTrue(behind.started, "the conversation starts at the upgrade");
        assertEquals(0, web.pending().open(), "and is no longer waiting");

        EmbeddedChannel browser = new EmbeddedChannel(new WebSocket13FrameEncoder(true));
        browser.writeOutbound(new TextWebSocketFrame("hello"));
        channel.writeInbound((Object) browser.readOutbound());
        assertEquals("hello\n", behind.bytes.toString());
    }

    @Test
    void behindTheUpgradeNettysDecoderRefusesALongFrameFromItsHeaderAndTheSessionIsToldOfALongLine() {
        EmbeddedChannel channel = connect();
        answer(channel, upgrade("127.0.0.1:8080", null));
        EmbeddedChannel browser = new EmbeddedChannel(new WebSocket13FrameEncoder(true));
        browser.writeOutbound(new TextWebSocketFrame("x".repeat(17)), new TextWebSocketFrame("x".repeat(100_000)));
        channel.writeInbound((Object) browser.readOutbound());
        assertEquals("x".repeat(17) + "\n", behind.bytes.toString(), "the limit and a \\r may come through");
        ByteBuf huge = browser.readOutbound();
        channel.writeInbound(huge.readRetainedSlice(20)); // the header, and the start of the payload
        huge.release();
        assertEquals("x".repeat(17) + "\n" + "\0".repeat(17), behind.bytes.toString(),
                "refused from its header: the session gets a line over the limit, never the frame");
    }

    @Test
    void whatTheFrontHoldsForARequestAndAFrameNotCompleteYetIsCountedAndGivenBack() {
        web = new WebChannels(new WebSettings(70_000, Origins.sameOriginOnly(), Duration.ofSeconds(5), 10, 10),
                (remote, reason) -> refusals.add(reason));
        EmbeddedChannel channel = connect();
        assertEquals(0, WebChannels.heldBytes(channel));
        String request = upgrade("127.0.0.1:8080", null);
        channel.writeInbound(Unpooled.copiedBuffer(request.substring(0, 40), StandardCharsets.UTF_8));
        assertEquals(3 * 40, WebChannels.heldBytes(channel), "a request in part: its bytes, as the codec holds them");
        answer(channel, request.substring(40));
        assertTrue(behind.started);
        assertEquals(0, WebChannels.heldBytes(channel), "upgraded: nothing held yet");

        EmbeddedChannel browser = new EmbeddedChannel(new WebSocket13FrameEncoder(true));
        browser.writeOutbound(new TextWebSocketFrame("f".repeat(65_535)));
        ByteBuf frame = browser.readOutbound();
        channel.writeInbound(frame.readRetainedSlice(frame.readableBytes() - 1)); // all but its last byte
        long held = WebChannels.heldBytes(channel);
        assertTrue(held >= 65_534, "the frame in part is counted: " + held);
        channel.writeInbound(frame);
        assertEquals(0, WebChannels.heldBytes(channel), "whole, it went on: " + behind.bytes.length());
        assertEquals(65_536, behind.bytes.length());
    }

    @Test
    void onlyTheFirstOfSeveralPipelinedRequestsIsAnswered() {
        String twice = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".repeat(50);
        String answers = answer(connect(), twice);
        assertEquals(1, answers.split("HTTP/1.1 200 OK", -1).length - 1);
    }

    @Test
    void aPageFromAnotherSiteMayNotJoin() {
        EmbeddedChannel channel = connect();
        String response = answer(channel, upgrade("127.0.0.1:8080", "https://evil.example"));
        assertTrue(response.startsWith("HTTP/1.1 403"), response);
        assertFalse(behind.started);
        assertEquals(List.of("cross-site: a WebSocket from a page of another origin (see --web-origin)"), refusals);
        assertTrue(answer(connect(), upgrade("127.0.0.1:8080", "http://127.0.0.1:9999")).startsWith("HTTP/1.1 403"), "another port");
        assertTrue(answer(connect(), upgrade("127.0.0.1:8080", "null")).startsWith("HTTP/1.1 403"), "a sandboxed page");
    }

    @Test
    void aNameThatIsNotTheServersIsRefusedAgainstDnsRebinding() {
        String response = answer(connect(), upgrade("attacker.example:8080", "http://attacker.example:8080"));
        assertTrue(response.startsWith("HTTP/1.1 421"), response);
        assertFalse(behind.started);
        assertTrue(answer(connect(), "GET / HTTP/1.1\r\nHost: attacker.example\r\n\r\n").startsWith("HTTP/1.1 421"));
        web = web(Origins.parse("http://chat.example:8080"), 10);
        assertTrue(answer(connect(), upgrade("chat.example:8080", "http://chat.example:8080")).startsWith("HTTP/1.1 101"),
                "a name given with --web-origin is answered to");
    }

    @Test
    void aProgramWithoutAnOriginMayJoinButOnlyWithRfc6455() {
        assertTrue(answer(connect(), upgrade("[::1]:8080", null)).startsWith("HTTP/1.1 101"));
        String draft = answer(connect(), upgrade("localhost:8080", null).replace("Sec-WebSocket-Version: 13\r\n", "").repeat(2));
        assertTrue(draft.startsWith("HTTP/1.1 426"), draft);
        assertEquals(1, draft.split("HTTP/1.1 426", -1).length - 1, "an answer like the others: the next request is not answered");
        assertEquals(List.of(new Action.EndOutput()), behind.events, "and the connection ends as after the others");
    }

    @Test
    void aClientThatGoesBeforeAskingIsLeftToTheDriverBehind() {
        EmbeddedChannel channel = connect();
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertEquals(List.of(ChannelInputShutdownEvent.INSTANCE), behind.events, "it closes a connection with no conversation");
        assertFalse(behind.started);
    }

    @Test
    void aConnectionThatAsksForNothingIsClosedAtItsDeadline() {
        EmbeddedChannel channel = connect();
        channel.writeInbound(Unpooled.copiedBuffer("GET / HT", StandardCharsets.UTF_8));
        channel.advanceTimeBy(5, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertFalse(channel.isOpen());
        assertEquals(0, web.pending().open());
    }

    @Test
    void onlySoManyConnectionsMayWaitForAnAnswer() {
        web = web(Origins.sameOriginOnly(), 1);
        EmbeddedChannel first = connect();
        Behind secondBehind = new Behind();
        EmbeddedChannel second = new EmbeddedChannel(web, secondBehind);
        assertTrue(written(second).startsWith("HTTP/1.1 503"));
        assertEquals(List.of(new Action.EndOutput()), secondBehind.events, "ended by the driver behind, after the answer");
        assertTrue(first.isOpen());
        first.close();
        EmbeddedChannel third = new EmbeddedChannel(web, new Behind());
        assertTrue(third.isOpen(), "the place is given back when the first goes");
    }
}
