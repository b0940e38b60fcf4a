package dev.parley.web;

import dev.parley.core.session.Action;
import dev.parley.core.session.Input;
import dev.parley.core.session.Refusal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.util.ByteProcessor;
import io.netty.util.ReferenceCountUtil;

/**
 * A WebSocket as the server's conversation handler sees a TCP connection: a stream of line-framed
 * bytes. Each text message the browser sends becomes one line (its bytes, then {@code \n}; a
 * message in fragments flows on fragment by fragment, so the session's own line limit cuts it);
 * each line the session sends becomes one text frame. The client's Close frame (or its TLS
 * close_notify, or the end of its TCP input) is the client gone ({@link Input.PeerGone}): a
 * WebSocket has no half-close, so a closed tab's conversation ends at once; the session's end of
 * output is this side's Close frame.
 *
 * <p>What a WebSocket carries but a line cannot is refused through the session, as an over-long
 * line is (a failure report, the end of output, the linger): a binary message, a message that holds
 * a line feed, and what breaks the WebSocket protocol ({@link Refusal.NotAMessage}, handed over as
 * an {@link Input.Drop} event). A frame longer than {@code --max-line-bytes} is never buffered:
 * Netty's decoder refuses it from its header, and the session is handed the start of a line
 * longer than the limit (that many bytes, whose content is never read), so the one rule that
 * refuses long lines refuses it in the same words.
 *
 * <p>Pings are answered (only the latest while the client reads nothing, as RFC 6455 allows) and
 * never reach the session: a client that only pings is idle. Control frames (pings, pongs, closes)
 * are limited: {@value #CONTROL_BURST} at once, then one a second ({@link #CONTROL_EVERY_NANOS}); a
 * client past that is refused (policy violation) and nothing more it sends is answered. Browsers
 * send none from a page's script; programs that keep a connection alive ping every 20 to 60 seconds
 * (Python's websockets every 20, Socket.IO every 25), well inside; a flood costs a pong a second.
 */
final class WebSocketLines extends ChannelDuplexHandler {

    private static final ByteProcessor LINE_FEED = ByteProcessor.FIND_LF;

    /** How many control frames a client may send at once. */
    static final int CONTROL_BURST = 30;

    /** How often a client may send one more control frame once its burst is spent. */
    static final long CONTROL_EVERY_NANOS = 1_000_000_000L;

    private final int maxLineBytes;
    private boolean binary;
    private boolean refused;
    private boolean inputEnded;
    private boolean closeSent;
    private boolean pongsWritten;
    private ByteBuf unansweredPing;
    private WebSocketCloseStatus closeStatus = WebSocketCloseStatus.NORMAL_CLOSURE;
    private int controlCredit = CONTROL_BURST;
    private long creditAt;
    private boolean flooded;

    WebSocketLines(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    // ---- from the browser --------------------------------------------------------------------------

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        WebSocketFrame frame = (WebSocketFrame) msg;
        try {
            boolean control = frame instanceof PingWebSocketFrame || frame instanceof PongWebSocketFrame
                    || frame instanceof CloseWebSocketFrame;
            if (flooded || (control && !controlAllowed(ctx))) {
                return; // nothing more is answered once control frames have flooded
            }
            if (frame instanceof PingWebSocketFrame) {
                answer(ctx, frame.content());
            } else if (frame instanceof CloseWebSocketFrame) {
                endInput(ctx);
            } else if (frame instanceof PongWebSocketFrame || refused || inputEnded) {
                return; // unasked pongs, and whatever comes after a refusal or the client's Close
            } else if (frame instanceof BinaryWebSocketFrame || (frame instanceof ContinuationWebSocketFrame && binary)) {
                binary = true;
                refuse(ctx, WebSocketCloseStatus.INVALID_MESSAGE_TYPE, "a binary message; messages are text");
            } else {
                binary = false;
                line(ctx, frame);
            }
        } finally {
            ReferenceCountUtil.release(frame);
        }
    }

    /** Takes one control frame from the client's credit (a burst, refilled once a second); refuses the client when there is none. */
    private boolean controlAllowed(ChannelHandlerContext ctx) {
        long now = ctx.executor().ticker().nanoTime();
        long earned = (now - creditAt) / CONTROL_EVERY_NANOS;
        if (earned > 0) {
            controlCredit = (int) Math.min(CONTROL_BURST, controlCredit + earned);
            creditAt = controlCredit == CONTROL_BURST ? now : creditAt + earned * CONTROL_EVERY_NANOS;
        }
        if (controlCredit == 0) {
            flooded = true;
            if (!refused) {
                refuse(ctx, WebSocketCloseStatus.POLICY_VIOLATION, "more than " + CONTROL_BURST
                        + " control frames (pings, pongs) at once, or more than one a second after");
            }
            return false;
        }
        controlCredit--;
        return true;
    }

    /** A text frame, whole or a fragment, as the bytes of a line; its last fragment ends the line. */
    private void line(ChannelHandlerContext ctx, WebSocketFrame frame) {
        ByteBuf text = frame.content();
        if (text.forEachByte(LINE_FEED) >= 0) {
            refuse(ctx, WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "a message holds a line feed; a message is one line");
            return;
        }
        if (text.isReadable()) {
            ctx.fireChannelRead(text.retain());
        }
        if (frame.isFinalFragment()) {
            ctx.fireChannelRead(Unpooled.wrappedBuffer(new byte[] {'\n'}));
        }
    }

    private void refuse(ChannelHandlerContext ctx, WebSocketCloseStatus status, String detail) {
        refused = true;
        closeStatus = status;
        ctx.fireUserEventTriggered(new Input.Drop(new Refusal.NotAMessage(detail)));
    }

    /**
     * The client's Close frame, its TLS close_notify, or its side of the connection shut: the client
     * has gone, told once. A WebSocket has no half-close: a client that closes reads no answer.
     */
    private void endInput(ChannelHandlerContext ctx) {
        if (!inputEnded) {
            inputEnded = true;
            ctx.fireUserEventTriggered(new Input.PeerGone());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent
                || (event instanceof SslCloseCompletionEvent closed && closed.isSuccess())) {
            endInput(ctx);
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    /** Netty's decoder and UTF-8 validator report a broken frame here; they do not close the connection themselves. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof CorruptedWebSocketFrameException)) {
            ctx.fireExceptionCaught(cause);
        } else if (refused) {
            return; // the decoder discards everything after its first complaint
        } else if (((CorruptedWebSocketFrameException) cause).closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code()) {
            refused = true;
            closeStatus = WebSocketCloseStatus.MESSAGE_TOO_BIG;
            ctx.fireChannelRead(Unpooled.wrappedBuffer(new byte[maxLineBytes + 1]));
        } else {
            WebSocketCloseStatus status = ((CorruptedWebSocketFrameException) cause).closeStatus();
            refuse(ctx, status, "the WebSocket protocol was broken (" + cause.getMessage() + ")");
        }
    }

    // ---- pings ------------------------------------------------------------------------------------------

    private void answer(ChannelHandlerContext ctx, ByteBuf ping) {
        if (closeSent) {
            return;
        }
        if (ctx.channel().isWritable()) {
            ctx.write(new PongWebSocketFrame(ping.retain()));
            pongsWritten = true;
        } else {
            ReferenceCountUtil.release(unansweredPing);
            unansweredPing = ping.retain(); // a client that reads nothing gets one pong, for its latest ping, later
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (pongsWritten) {
            pongsWritten = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && unansweredPing != null) {
            ByteBuf ping = unansweredPing;
            unansweredPing = null;
            if (!closeSent) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping));
            } else {
                ping.release();
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        creditAt = ctx.executor().ticker().nanoTime();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        ReferenceCountUtil.release(unansweredPing);
        unansweredPing = null;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        handlerRemoved(ctx);
        ctx.fireChannelInactive();
    }

    // ---- to the browser -------------------------------------------------------------------------------

    /** Each line the session sends becomes a text frame; its end of output becomes the Close frame. */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof Action.EndOutput) {
            sendClose(ctx, promise);
        } else if (msg instanceof ByteBuf && ((ByteBuf) msg).isReadable() && !closeSent) {
            ByteBuf lines = (ByteBuf) msg;
            try {
                while (lines.isReadable()) {
                    int end = lines.forEachByte(LINE_FEED);
                    int length = (end < 0 ? lines.writerIndex() : end) - lines.readerIndex();
                    ByteBuf line = lines.readRetainedSlice(length);
                    if (end >= 0) {
                        lines.skipBytes(1);
                    }
                    ctx.write(new TextWebSocketFrame(line), lines.isReadable() ? ctx.voidPromise() : promise);
                }
            } finally {
                lines.release();
            }
        } else if (msg instanceof ByteBuf && closeSent && ((ByteBuf) msg).isReadable()) {
            ReferenceCountUtil.release(msg); // nothing may follow the Close frame
            promise.trySuccess();
        } else {
            ctx.write(msg, promise);
        }
    }

    /** A close that comes before this side's Close frame (the client closed first, or left): the frame goes first. */
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (!closeSent && ctx.channel().isActive()) {
            sendClose(ctx, ctx.voidPromise());
        }
        ctx.close(promise);
    }

    private void sendClose(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (closeSent) {
            promise.trySuccess();
            return;
        }
        closeSent = true;
        ctx.writeAndFlush(new CloseWebSocketFrame(closeStatus), promise);
    }
}
