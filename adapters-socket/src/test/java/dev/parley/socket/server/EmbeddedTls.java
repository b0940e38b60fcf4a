package dev.parley.socket.server;

import dev.parley.socket.tls.Identity;
import dev.parley.socket.tls.ServerTls;
import dev.parley.socket.tls.TestProviders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;

/** TLS between two {@link EmbeddedChannel}s, records carried by hand: a handshake with no socket. */
final class EmbeddedTls {

    static final Identity SERVER = Identity.generate("embedded server");
    static final Identity CLIENT = Identity.generate("embedded client");

    private EmbeddedTls() {}

    /** The server's TLS; {@code askClients}: every client must present a key (any is let in). */
    static ServerTls server(boolean askClients) {
        return ServerTls.create(SERVER, askClients ? Optional.of(fingerprint -> null) : Optional.empty(), Duration.ofSeconds(10), TestProviders.CHOSEN);
    }

    /** A client's handler that trusts any server (the test knows whom it talks to) and presents {@link #CLIENT}'s key. */
    static SslHandler client() throws SSLException {
        SslContext context = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols(ServerTls.PROTOCOL)
                .trustManager(InsecureTrustManagerFactory.INSTANCE).keyManager(CLIENT.key(), CLIENT.chain()).build();
        return context.newHandler(ByteBufAllocator.DEFAULT);
    }

    /**
     * A client's end: its TLS, then what it hears kept in order in {@code heard} (the server's bytes
     * as text, and the events its TLS reports); it goes when the server refuses it (an alert).
     */
    static EmbeddedChannel client(List<Object> heard) throws SSLException {
        return new EmbeddedChannel(client(), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                heard.add(((ByteBuf) msg).toString(StandardCharsets.UTF_8));
                ReferenceCountUtil.release(msg);
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                heard.add(event);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        });
    }

    /** The text in what a client heard. */
    static String text(List<Object> heard) {
        return heard.stream().filter(String.class::isInstance).map(String.class::cast).collect(Collectors.joining());
    }

    /** Carries what each side wrote to the other until neither has more to say. */
    static void pump(EmbeddedChannel a, EmbeddedChannel b) {
        boolean moved = true;
        while (moved) {
            moved = carry(a, b) | carry(b, a);
        }
    }

    private static boolean carry(EmbeddedChannel from, EmbeddedChannel to) {
        boolean moved = false;
        Object record;
        while ((record = from.readOutbound()) != null) {
            if (to.isOpen()) {
                to.writeInbound(record);
            } else {
                ReferenceCountUtil.release(record);
            }
            moved = true;
        }
        return moved;
    }
}
