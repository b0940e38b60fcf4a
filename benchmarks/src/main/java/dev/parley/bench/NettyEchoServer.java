package dev.parley.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The yardstick for a Parley echo server: the plainest Netty server that speaks the same line
 * protocol (each line echoed, {@code bye} closes), on the same transport and as many event loops
 * as Parley uses. No limits, no deadlines, no log. {@code parley bench} loads both the same way.
 * Usage: {@code java -cp benchmarks.jar dev.parley.bench.NettyEchoServer PORT}.
 */
public final class NettyEchoServer {

    private NettyEchoServer() {}

    public static void main(String[] args) throws Exception {
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        Channel listener = new ServerBootstrap().group(loops).channel(type)
                .option(ChannelOption.SO_BACKLOG, 65535)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new LineBasedFrameDecoder(64 * 1024), new Echo());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0]))).sync().channel();
        System.err.println("listening on " + listener.localAddress() + " (" + (epoll ? "epoll" : "nio") + ")");
        listener.closeFuture().sync();
    }

    /** Echoes each line; closes on bye. Writes are flushed once per read, as Parley's are. */
    private static final class Echo extends ChannelInboundHandlerAdapter {
        private static final ByteBuf BYE = Unpooled.unreleasableBuffer(
                Unpooled.copiedBuffer("bye", StandardCharsets.US_ASCII));

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf line = (ByteBuf) msg;
            if (ByteBufUtil.equals(line, BYE.duplicate())) {
                line.release();
                ctx.close();
                return;
            }
            ByteBuf reply = ctx.alloc().buffer(line.readableBytes() + 1);
            reply.writeBytes(line).writeByte('\n');
            line.release();
            ctx.write(reply);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }
}
