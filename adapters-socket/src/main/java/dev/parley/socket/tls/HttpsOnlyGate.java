package dev.parley.socket.tls;

import dev.parley.socket.Addresses;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The first byte of a connection to a web port that speaks https: a TLS handshake record passes
 * on to the TLS handler behind (the gate leaves the pipeline); anything else is someone who typed
 * {@code http://}, who is answered in plain http that this port speaks https, and closed. Without
 * the gate such a request would get no answer at all: an empty response in the browser.
 */
public final class HttpsOnlyGate extends ByteToMessageDecoder {

    /** What a plain http request is told, as the body of a 400. */
    static final String TOLD = "This port speaks https: open the same address with https:// instead of http://.\n";

    /** Where a refusal is reported: the server's events, as {@code refused(remote, reason)}. */
    @FunctionalInterface
    public interface Refusals {
        void refused(String remote, String reason);
    }

    private final Refusals refusals;
    private boolean refused;

    public HttpsOnlyGate(Refusals refusals) {
        this.refusals = refusals;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (refused || !in.isReadable()) {
            in.skipBytes(in.readableBytes()); // drained until the close
            return;
        }
        if (in.getUnsignedByte(in.readerIndex()) == TlsGate.HANDSHAKE_RECORD) {
            ctx.pipeline().remove(this); // what was read goes on to the TLS handler
            return;
        }
        refused = true;
        in.skipBytes(in.readableBytes());
        byte[] body = TOLD.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: " + body.length
                + "\r\nconnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(head, body)).addListener(ChannelFutureListener.CLOSE);
        refusals.refused(Addresses.format(ctx.channel().remoteAddress()), "web: a plain http request to the https port (told to use https)");
    }
}
