package dev.parley.web;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Counts the bytes of the request being received, before Netty's HTTP codec, for the server's
 * memory budget: what the codec holds for a request not complete yet is its unparsed bytes (in a
 * buffer rounded up to a power of two) and the headers parsed from them (two bytes a char), about
 * three times what came, and never more than three times its limits (request line, headers, body).
 * A complete request starts the count again; the upgrade to a WebSocket removes this handler.
 */
final class RequestBytes extends ChannelInboundHandlerAdapter {

    /** What the codec may hold for one request at most: its limits, three times. */
    static final long MOST = 3L * (WebChannels.MAX_REQUEST_LINE + WebChannels.MAX_HEADERS + WebChannels.MAX_BODY);

    private long received;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf) {
            received += ((ByteBuf) msg).readableBytes();
        }
        ctx.fireChannelRead(msg);
    }

    /** The request has come whole: what the codec held for it is handed on. */
    void complete() {
        received = 0;
    }

    long held() {
        return Math.min(3 * received, MOST);
    }
}
