package dev.parley.web;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * The front of every connection to the web port, installed first in its pipeline (the server puts
 * its conversation handler behind): Netty's HTTP codec, and {@link WebFront}, which serves the page
 * and turns {@code /ws} into a WebSocket. Requests are small and bounded: a request line of at most
 * 4 KiB, headers of at most 8 KiB, a body of at most 8 KiB. With TLS, the server's {@code SslHandler}
 * goes first, before this front; the page then speaks {@code wss:} by itself, and its origin is
 * {@code https:}. What these hold for a client counts against the server's memory budget
 * ({@link #heldBytes}).
 */
@ChannelHandler.Sharable
public final class WebChannels extends ChannelInitializer<Channel> {

    static final int MAX_REQUEST_LINE = 4096;
    static final int MAX_HEADERS = 8192;
    static final int MAX_BODY = 8192;

    private final WebSettings settings;
    private final WebEvents events;
    private final WebPage page;
    private final PendingRequests pending;

    public WebChannels(WebSettings settings, WebEvents events) {
        this.settings = settings;
        this.events = events;
        this.page = WebPage.load(settings.maxLineBytes());
        this.pending = new PendingRequests(settings.maxWaiting(), settings.maxWaitingPerAddress());
    }

    @Override
    protected void initChannel(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast(new RequestBytes());
        pipeline.addLast(new HttpServerCodec(MAX_REQUEST_LINE, MAX_HEADERS, MAX_BODY));
        pipeline.addLast(new HttpObjectAggregator(MAX_BODY));
        pipeline.addLast(new WebFront(this));
    }

    /**
     * What the web's handlers hold for {@code channel}'s client now, for the server's memory budget:
     * a request not complete yet ({@link RequestBytes}), then, once it is a WebSocket, a frame not
     * complete yet ({@link CountedFrameDecoder}). Asked on the channel's event loop.
     */
    public static long heldBytes(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        CountedFrameDecoder frames = pipeline.get(CountedFrameDecoder.class);
        if (frames != null) {
            return frames.held();
        }
        RequestBytes request = pipeline.get(RequestBytes.class);
        return request == null ? 0 : request.held();
    }

    WebSettings settings() {
        return settings;
    }

    WebEvents events() {
        return events;
    }

    WebPage page() {
        return page;
    }

    PendingRequests pending() {
        return pending;
    }
}
