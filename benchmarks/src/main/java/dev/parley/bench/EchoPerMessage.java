package dev.parley.bench;

import dev.parley.core.responder.Responder;
import dev.parley.core.session.Action;
import dev.parley.core.session.Input;
import dev.parley.core.session.Limits;
import dev.parley.core.session.Session;
import dev.parley.core.wire.LineFraming;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One echoed message, the whole server-side path without sockets: the client's line arrives as
 * bytes, is decoded, judged and answered, and the reply's bytes come out. One operation is one
 * message of a real chat ({@link ChatText}), each arriving as its own read.
 *
 * <ul>
 *   <li>{@code parleySession}: Parley's {@link Session} with the echo responder: bytes in, actions
 *       out (decode, the turn rules, bye, encode).
 *   <li>{@code nettyLineEcho}: the anchor, Netty's {@link LineBasedFrameDecoder} and an echo
 *       handler in an {@link EmbeddedChannel}: frame, reply with the same bytes and a line feed.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(EchoPerMessage.MESSAGES)
public class EchoPerMessage {

    static final int MESSAGES = 1000;

    private final byte[][] lines = new byte[MESSAGES][];
    private Session session;
    private EmbeddedChannel netty;
    private long now;

    public EchoPerMessage() {
        List<String> messages = ChatText.chat(ChatLines.LINES).messages();
        LineFraming framing = new LineFraming();
        for (int i = 0; i < MESSAGES; i++) {
            String message = messages.get(i % messages.size());
            lines[i] = framing.encode(Session.isBye(message) ? message + "?" : message);
        }
    }

    @Setup
    public void open() {
        session = Session.server(new LineFraming(), new Limits(Duration.ofMinutes(5), Duration.ofSeconds(30)), Responder.echo());
        session.handle(now, new Input.Open());
        netty = new EmbeddedChannel(new LineBasedFrameDecoder(LineFraming.DEFAULT_MAX_LINE_BYTES), new NettyEcho());
    }

    @Benchmark
    public void parleySession(Blackhole blackhole) {
        for (byte[] line : lines) {
            List<Action> actions = session.handle(++now, new Input.PeerBytes(line));
            blackhole.consume(((Action.Send) actions.get(1)).bytes());
        }
    }

    @Benchmark
    public void nettyLineEcho(Blackhole blackhole) {
        for (byte[] line : lines) {
            netty.writeInbound(Unpooled.wrappedBuffer(line));
            ByteBuf reply = netty.readOutbound();
            blackhole.consume(reply);
            reply.release();
        }
    }

    /** The plainest Netty echo of a line: the frame back, with its line feed. */
    private static final class NettyEcho extends ChannelInboundHandlerAdapter {
        private static final ByteBuf NEWLINE = Unpooled.unreleasableBuffer(
                Unpooled.directBuffer(1).writeBytes("\n".getBytes(StandardCharsets.US_ASCII)));

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf line = (ByteBuf) msg;
            ByteBuf reply = ctx.alloc().buffer(line.readableBytes() + 1);
            reply.writeBytes(line).writeBytes(NEWLINE.duplicate());
            line.release();
            ctx.writeAndFlush(reply);
        }
    }
}
