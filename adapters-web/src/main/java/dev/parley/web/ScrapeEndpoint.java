package dev.parley.web;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A small HTTP port that answers {@code GET /metrics} with a body made on demand, and nothing else
 * (404 for another path, 405 for another method, 400 for what is not a request). Every scraper is
 * hostile input, so everything is bounded: {@value #MAX_CONNECTIONS} connections at once (more are
 * closed at the accept), a request head of at most {@value #MAX_HEAD_BYTES} bytes, one request per
 * connection, and {@link #DEADLINE} from the accept to the close, whatever the client does. It
 * logs nothing, so nothing a client sends reaches a log. Its own thread, apart from the
 * conversations' loops.
 */
public final class ScrapeEndpoint {

    /** The only path answered. */
    public static final String PATH = "/metrics";

    /** Connections open at once; the next ones are closed at once. */
    static final int MAX_CONNECTIONS = 16;

    /** The longest request line, and the most bytes of headers. */
    static final int MAX_HEAD_BYTES = 8192;

    /** From the accept to the close, whatever the client sends or does not take. */
    static final Duration DEADLINE = Duration.ofSeconds(10);

    private final EventLoopGroup loop;
    private final Channel listener;

    private ScrapeEndpoint(EventLoopGroup loop, Channel listener) {
        this.loop = loop;
        this.listener = listener;
    }

    /**
     * Listens on {@code host:port} (port 0 picks a free one) and answers each scrape with
     * {@code body}, of {@code contentType}.
     *
     * @throws IOException the bind's failure, as the system gave it
     */
    public static ScrapeEndpoint start(String host, int port, Supplier<byte[]> body, String contentType) throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new UnknownHostException(host);
        }
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("parley-metrics", true), NioIoHandler.newFactory());
        AtomicInteger open = new AtomicInteger();
        ChannelFuture bound = new ServerBootstrap()
                .group(loop)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, MAX_CONNECTIONS)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel connection) {
                        if (open.incrementAndGet() > MAX_CONNECTIONS) {
                            open.decrementAndGet();
                            connection.close();
                            return;
                        }
                        ScheduledFuture<?> deadline = connection.eventLoop().schedule(() -> {
                            connection.close();
                        }, DEADLINE.toNanos(), TimeUnit.NANOSECONDS);
                        connection.closeFuture().addListener(closed -> {
                            deadline.cancel(false);
                            open.decrementAndGet();
                        });
                        connection.pipeline().addLast(new HttpRequestDecoder(MAX_HEAD_BYTES, MAX_HEAD_BYTES, MAX_HEAD_BYTES),
                                new HttpResponseEncoder(), new Scrape(body, contentType));
                    }
                })
                .bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            Throwable cause = bound.cause();
            throw cause instanceof IOException io ? io : new IOException(String.valueOf(cause.getMessage()), cause);
        }
        return new ScrapeEndpoint(loop, bound.channel());
    }

    /** The address bound: the real port when 0 was asked. */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Stops listening and closes every scrape under way. */
    public void stop() {
        listener.close().awaitUninterruptibly();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** One connection: its first request answered, then the output ended; whatever else it sends is dropped until it goes. */
    static final class Scrape extends ChannelInboundHandlerAdapter {

        private final Supplier<byte[]> body;
        private final String contentType;
        private boolean answered;

        Scrape(Supplier<byte[]> body, String contentType) {
            this.body = body;
            this.contentType = contentType;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (!answered && msg instanceof HttpRequest request) {
                    answered = true;
                    answer(ctx, request);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void answer(ChannelHandlerContext ctx, HttpRequest request) {
            if (request.decoderResult().isFailure()) {
                respond(ctx, HttpResponseStatus.BAD_REQUEST, "not an HTTP request this port takes\n".getBytes(StandardCharsets.US_ASCII),
                        "text/plain; charset=utf-8");
            } else if (!new QueryStringDecoder(request.uri()).path().equals(PATH)) {
                respond(ctx, HttpResponseStatus.NOT_FOUND, ("only " + PATH + " is served here\n").getBytes(StandardCharsets.US_ASCII),
                        "text/plain; charset=utf-8");
            } else if (!request.method().equals(HttpMethod.GET)) {
                FullHttpResponse refused = response(HttpResponseStatus.METHOD_NOT_ALLOWED, "GET only\n".getBytes(StandardCharsets.US_ASCII),
                        "text/plain; charset=utf-8");
                refused.headers().set(HttpHeaderNames.ALLOW, HttpMethod.GET.name());
                send(ctx, refused);
            } else {
                respond(ctx, HttpResponseStatus.OK, body.get(), contentType);
            }
        }

        private static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, byte[] content, String type) {
            send(ctx, response(status, content, type));
        }

        private static FullHttpResponse response(HttpResponseStatus status, byte[] content, String type) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(content));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, type)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, content.length)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                    .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
            return response;
        }

        /** Writes the answer and ends the output; the connection closes when the client closes its side (no half-closure), or at the deadline. */
        private static void send(ChannelHandlerContext ctx, FullHttpResponse response) {
            ctx.writeAndFlush(response).addListener(written -> {
                if (ctx.channel() instanceof SocketChannel socket && socket.isActive()) {
                    socket.shutdownOutput();
                }
            });
        }

        /** Whatever fails (a reset, a bug in the body) ends this connection only, and silently. */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}

