package dev.parley.socket.server;

import dev.parley.core.port.Peer;
import dev.parley.core.contract.PeerContract;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The Netty channel's {@link Peer} keeps the port's contract, over loopback. */
class ChannelPeerTest extends PeerContract {

    @Override
    protected Connection connect() throws Exception {
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        Channel listener = new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        accepted.complete(ctx.channel());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        Socket far = new Socket(InetAddress.getLoopbackAddress(), ((InetSocketAddress) listener.localAddress()).getPort());
        far.setSoTimeout(10_000);
        Channel channel = accepted.get(10, TimeUnit.SECONDS);
        ChannelPeer near = new ChannelPeer(channel, false);
        return new Connection() {
            @Override
            public Peer near() {
                return near;
            }

            @Override
            public byte[] readToEnd() throws Exception {
                try (InputStream in = far.getInputStream()) {
                    return in.readAllBytes();
                }
            }

            @Override
            public void close() throws Exception {
                far.close();
                listener.close().sync();
                loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            }
        };
    }
}
