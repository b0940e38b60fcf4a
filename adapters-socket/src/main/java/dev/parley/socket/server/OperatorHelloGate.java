package dev.parley.socket.server;

import dev.parley.core.desk.OperatorWire;
import dev.parley.socket.tls.TlsGate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The first bytes of a connection to the clients' port (in line framing, inside TLS when there is
 * TLS), looked at once: an operator's hello ({@link OperatorWire#HELLO_PREFIX}) is an operator at
 * the wrong port, told so in one line and reported to the conversation's driver as a
 * {@link TlsGate.WrongProtocol}, as a client of the other protocol is. Anything else is passed on
 * untouched as soon as it differs from a hello's start, and the gate leaves the pipeline; it holds
 * at most that start's few bytes meanwhile.
 */
final class OperatorHelloGate extends ByteToMessageDecoder {

    /** What an operator at the clients' port is told: a failure line, which the operator program shows. */
    static final String TOLD = "!this is the clients' port; operators connect to the server's --operators port\n";

    private static final byte[] HELLO = OperatorWire.HELLO_PREFIX.getBytes(StandardCharsets.US_ASCII);

    private boolean refused;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (refused) {
            in.skipBytes(in.readableBytes()); // drained until the close
            return;
        }
        int seen = Math.min(in.readableBytes(), HELLO.length);
        for (int i = 0; i < seen; i++) {
            if (in.getByte(in.readerIndex() + i) != HELLO[i]) {
                ctx.pipeline().remove(this); // a client's bytes: passed on
                return;
            }
        }
        if (seen == HELLO.length) {
            refused = true;
            in.skipBytes(in.readableBytes());
            ctx.writeAndFlush(Unpooled.copiedBuffer(TOLD, StandardCharsets.UTF_8));
            ctx.fireUserEventTriggered(new TlsGate.WrongProtocol("an operator at the clients' port (it was told to use --operators)"));
        }
    }
}
