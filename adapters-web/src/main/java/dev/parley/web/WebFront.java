package dev.parley.web;

import dev.parley.core.session.Action;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The web port's side of a connection before it is a conversation: it answers {@code GET /} with
 * the page and upgrades {@code GET /ws} to a WebSocket, and nothing else. Until the upgrade it
 * holds {@code channelActive} back, so the conversation handler behind it neither starts nor takes
 * a slot; once the handshake is written it puts {@link WebSocketLines} in its own place and lets
 * the conversation start, admitted (or refused, told why in a frame) like any TCP one.
 *
 * <p>Every answer ends the connection, and the front leaves that to the conversation's driver
 * behind it, as for every ending: it fires {@link Action.EndOutput} once the answer is written,
 * and the driver ends the output (over TLS with close_notify first) and lingers, reading and
 * dropping what the client still sends until it closes, so that the answer is not lost to a reset
 * (the client's further requests are not answered). A client that goes before it asks for anything
 * is closed by the driver too. A connection must send its request within the request
 * timeout, and only so many may wait at once ({@link PendingRequests}). A WebSocket is refused
 * (403) unless its page's origin is allowed and the host it was sent to is one this server
 * answers to ({@link Origins}).
 */
final class WebFront extends ChannelInboundHandlerAdapter {

    /** The path of the WebSocket endpoint. */
    static final String SOCKET_PATH = "/ws";

    private final WebChannels web;
    private InetAddress from;
    private String remote = "unknown";
    private boolean pending;
    private boolean answered;
    /** The request timeout's, while the request is awaited. */
    private ScheduledFuture<?> deadline;

    WebFront(WebChannels web) {
        this.web = web;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Not passed on: the conversation behind starts at the upgrade, if there is one.
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress) {
            InetSocketAddress address = (InetSocketAddress) ctx.channel().remoteAddress();
            from = address.getAddress();
            remote = address.getAddress().getHostAddress() + ":" + address.getPort();
        } else {
            from = InetAddress.getLoopbackAddress();
        }
        if (!web.pending().take(from)) {
            web.events().refused(remote, "too many: web requests waiting at once, from this address or in all; try again later");
            respond(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "too many connections wait for an answer; try again later", false);
            return;
        }
        pending = true;
        if (!web.settings().requestTimeout().isZero()) {
            deadline = ctx.executor().schedule(() -> {
                ctx.close();
            }, web.settings().requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        FullHttpRequest request = (FullHttpRequest) msg;
        RequestBytes counted = ctx.pipeline().get(RequestBytes.class);
        if (counted != null) {
            counted.complete();
        }
        try {
            if (!answered) {
                answer(ctx, request); // the requests pipelined after it in the same read are not
            }
        } finally {
            request.release();
        }
    }

    private void answer(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean head = request.method().equals(HttpMethod.HEAD);
        if (!request.decoderResult().isSuccess()) {
            HttpResponseStatus status = request.decoderResult().cause() instanceof TooLongFrameException
                    ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE : HttpResponseStatus.BAD_REQUEST;
            respond(ctx, status, "not a request this server understands", false);
            return;
        }
        String path = request.uri();
        int query = path.indexOf('?');
        path = query < 0 ? path : path.substring(0, query);
        if (!path.equals("/") && !path.equals(SOCKET_PATH)) {
            respond(ctx, HttpResponseStatus.NOT_FOUND, "nothing here: the page is at /", head);
            return;
        }
        if (!request.method().equals(HttpMethod.GET) && !head) {
            FullHttpResponse response = response(HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET (and HEAD) here", false);
            response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            send(ctx, response);
            return;
        }
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (!web.settings().origins().servesHost(host)) {
            web.events().refused(remote, "not this server's name: a request for a host it does not answer to (see --web-origin)");
            respond(ctx, HttpResponseStatus.MISDIRECTED_REQUEST,
                    "this server answers to its IP addresses and localhost; start it with --web-origin to use a name", head);
            return;
        }
        if (path.equals("/")) {
            page(ctx, head);
        } else if (head || !request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            respond(ctx, HttpResponseStatus.BAD_REQUEST, "this is Parley's WebSocket endpoint: open / in a browser", head);
        } else {
            upgrade(ctx, request, host);
        }
    }

    private void page(ChannelHandlerContext ctx, boolean head) {
        WebPage page = web.page();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(page.bytes()));
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, page.bytes().length);
        headers.set(HttpHeaderNames.CONTENT_SECURITY_POLICY, page.policy());
        send(ctx, response);
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, String host) {
        boolean secure = ctx.pipeline().get(SslHandler.class) != null;
        if (!web.settings().origins().allows(request.headers().get(HttpHeaderNames.ORIGIN), host, secure)) {
            web.events().refused(remote, "cross-site: a WebSocket from a page of another origin (see --web-origin)");
            respond(ctx, HttpResponseStatus.FORBIDDEN,
                    "a page from another site may not join; the server allows others with --web-origin", false);
            return;
        }
        WebSocketDecoderConfig frames = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(web.settings().maxLineBytes() + 1) // one more: a line may end with \r
                .allowExtensions(false)
                .allowMaskMismatch(false)
                .closeOnProtocolViolation(false) // WebSocketLines refuses through the session, telling why
                .build();
        if (!"13".equals(request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))) {
            // RFC 6455's version only: Netty would otherwise take a request without one as the long-gone draft 00.
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            ended(ctx);
            return;
        }
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshaker13(SOCKET_PATH, null, frames) {
            @Override
            protected WebSocketFrameDecoder newWebsocketDecoder() {
                return new CountedFrameDecoder(decoderConfig()); // its buffer counts against the memory budget
            }
        };
        try {
            handshaker.handshake(ctx.channel(), request).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        } catch (WebSocketHandshakeException e) {
            respond(ctx, HttpResponseStatus.BAD_REQUEST, "not a WebSocket handshake: " + e.getMessage(), false);
            return;
        }
        leavePending();
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.remove(RequestBytes.class);
        pipeline.addAfter("wsdecoder", "utf8", new Utf8FrameValidator(false));
        WebSocketLines lines = new WebSocketLines(web.settings().maxLineBytes());
        pipeline.replace(this, "lines", lines);
        pipeline.context(lines).fireChannelActive();
    }

    private void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String words, boolean head) {
        send(ctx, response(status, words, head));
    }

    /** A plain-text answer in this server's words (never the request's), for people. */
    private static FullHttpResponse response(HttpResponseStatus status, String words, boolean head) {
        byte[] body = ("parley: " + words + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        response.headers().set(HttpHeaderNames.CONTENT_SECURITY_POLICY, "default-src 'none'; frame-ancestors 'none'");
        return response;
    }

    /** Sends an answer and ends the connection: one request per connection. */
    private void send(ChannelHandlerContext ctx, FullHttpResponse response) {
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        headers.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        headers.set("x-content-type-options", "nosniff");
        headers.set(HttpHeaderNames.X_FRAME_OPTIONS, "DENY");
        headers.set("referrer-policy", "no-referrer");
        headers.set("cross-origin-opener-policy", "same-origin");
        headers.set("cross-origin-resource-policy", "same-origin");
        ctx.writeAndFlush(response);
        ended(ctx);
    }

    /** The answer is on its way: the driver behind ends the connection as a closing session's, after it. */
    private void ended(ChannelHandlerContext ctx) {
        answered = true;
        leavePending();
        ctx.fireUserEventTriggered(new Action.EndOutput());
    }

    private void leavePending() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
        if (pending) {
            pending = false;
            web.pending().release(from);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof Error) {
            ctx.fireExceptionCaught(cause); // the conversation's driver behind decides: this connection, or the process
            return;
        }
        ctx.close(); // a reset or a broken request: there is no conversation to tell
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        leavePending();
        ctx.fireChannelInactive();
    }
}
