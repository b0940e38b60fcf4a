package dev.parley.socket.tls;

import dev.parley.core.session.Durations;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The first bytes of a connection, looked at once, before the conversation sees any: on a TLS
 * server, a TLS handshake record puts the {@link ServerTls} handler in this gate's place (the
 * bytes go on to it); anything else is a plaintext client, which is told in its own protocol to add
 * {@code --tls} and closed. On a plaintext server, a TLS ClientHello is a TLS client, which is told
 * (in plain text: its TLS library shows what it got) that this server speaks plain text. Either way
 * the conversation's driver hears a {@link WrongProtocol} and logs it; what ordinary clients send
 * is passed on untouched, and the gate leaves the pipeline.
 */
public final class TlsGate extends ByteToMessageDecoder {

    /** What a plaintext client is told by a TLS server: a failure line, which Parley's client shows. */
    static final String PLAINTEXT_TOLD = "!this server speaks TLS: add --tls\n";

    /** What a TLS client is told by a plaintext server. */
    static final String TLS_TOLD = "!this server speaks plain text, not TLS: drop --tls\n";

    /** A client that speaks the other protocol; its driver logs the reason and the connection is closed. */
    public record WrongProtocol(String reason) {}

    /** The content type of a TLS handshake record: the first byte a TLS client sends. */
    static final int HANDSHAKE_RECORD = 0x16;

    private final ServerTls tls;
    private boolean refused;

    /** A gate for a TLS server ({@code tls} present) or a plaintext one ({@code tls} null). */
    public TlsGate(ServerTls tls) {
        this.tls = tls;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (refused) {
            in.skipBytes(in.readableBytes()); // drained until the close
            return;
        }
        if (in.readableBytes() < (tls != null ? 1 : 3)) {
            if (tls == null && in.readableBytes() > 0 && in.getUnsignedByte(in.readerIndex()) != HANDSHAKE_RECORD) {
                ctx.pipeline().remove(this); // a plaintext client's first bytes: passed on
            }
            return;
        }
        int first = in.getUnsignedByte(in.readerIndex());
        if (tls != null) {
            if (first == HANDSHAKE_RECORD) {
                TlsRecords.replace(ctx, tls.newHandler(ctx.alloc()));
            } else {
                refuse(ctx, PLAINTEXT_TOLD, "a plaintext client: this server speaks TLS (the client was told to add --tls)");
                in.skipBytes(in.readableBytes());
            }
            return;
        }
        int major = in.getUnsignedByte(in.readerIndex() + 1);
        int minor = in.getUnsignedByte(in.readerIndex() + 2);
        if (first == HANDSHAKE_RECORD && major == 3 && minor <= 4) {
            refuse(ctx, TLS_TOLD, "a TLS client: this server speaks plain text (start it with --tls, or connect without)");
            in.skipBytes(in.readableBytes());
        } else {
            ctx.pipeline().remove(this);
        }
    }

    /** The handshake deadline passed with nothing received: a plaintext client whose person has not typed yet, or a stalled one. */
    public void nothingReceived(ChannelHandlerContext ctx) {
        if (!refused && tls != null) {
            refuse(ctx, PLAINTEXT_TOLD, "nothing received within " + Durations.format(tls.handshakeTimeout())
                    + " (handshake timeout; a plaintext client was told to add --tls)");
        }
    }

    /** Says {@code told} in plain text and tells the driver, which ends the output and closes after the linger. */
    private void refuse(ChannelHandlerContext ctx, String told, String reason) {
        refused = true;
        ctx.writeAndFlush(Unpooled.copiedBuffer(told, StandardCharsets.UTF_8));
        ctx.fireUserEventTriggered(new WrongProtocol(reason));
    }
}
