package dev.parley.socket.server;

import dev.parley.socket.Addresses;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.netty.util.AttributeKey;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The PROXY protocol header (v1 or v2) that a load balancer puts in front of each connection it
 * relays, read before the conversation starts (server {@code --proxy-protocol}). Netty's
 * {@link HAProxyMessageDecoder} parses it; this handler holds the conversation back (its
 * {@code channelActive}) until the header has come, then hands it the client's address from the
 * header, which its admission, the log and the transcript see. A connection waiting for its header
 * holds no conversation slot, and waits at most {@link #DEADLINE}.
 *
 * <p>Refused with one log line (through {@link ServerEvents#refused}) and closed: no header, a
 * malformed or too long one, one not complete within the deadline, a header for a datagram client.
 * A header with the LOCAL command is the balancer's own connection, its health check: closed at
 * once, with no conversation and nothing logged. A header that names no address (UNKNOWN, a UNIX
 * socket) leaves the conversation the balancer's own address, as the protocol asks.
 */
final class ProxyHeader extends ChannelInboundHandlerAdapter {

    /** How long a connection has to send its whole header. */
    static final Duration DEADLINE = Duration.ofSeconds(5);

    /** The most bytes of TLVs (a v2 header's optional extras, which Parley ignores) a header may carry. */
    static final int MAX_TLV_BYTES = 1024;

    private static final AttributeKey<SocketAddress> CLIENT = AttributeKey.valueOf(ProxyHeader.class, "client");

    private final ServerEvents events;
    private ScheduledFuture<?> deadline;
    private boolean decided;

    private ProxyHeader(ServerEvents events) {
        this.events = events;
    }

    /** Adds the decoder and this handler to a new connection's pipeline, before its conversation. */
    static void addTo(ChannelPipeline pipeline, ServerEvents events) {
        pipeline.addLast(new HAProxyMessageDecoder(MAX_TLV_BYTES), new ProxyHeader(events));
    }

    /** The client's address: the one its PROXY header gave, else the connection's peer. */
    static SocketAddress client(Channel channel) {
        // hasAttr, not attr: attr would give every connection an attribute map, header or none.
        return channel.hasAttr(CLIENT) ? channel.attr(CLIENT).get() : channel.remoteAddress();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(
                () -> refuse(ctx, "no complete header within " + DEADLINE.toSeconds() + "s"), DEADLINE.toNanos(), TimeUnit.NANOSECONDS);
        // The conversation becomes active when the header has come (read below).
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        HAProxyMessage header = (HAProxyMessage) msg; // the decoder passes nothing else until both are removed
        try {
            if (!decided) {
                read(ctx, header);
            }
        } finally {
            header.release();
        }
    }

    private void read(ChannelHandlerContext ctx, HAProxyMessage header) {
        if (header.command() == HAProxyCommand.LOCAL) {
            decide();
            ctx.close();
            return;
        }
        switch (header.proxiedProtocol()) {
            case TCP4:
            case TCP6:
                ctx.channel().attr(CLIENT).set(new InetSocketAddress(
                        NetUtil.createInetAddressFromIpAddressString(header.sourceAddress()), header.sourcePort()));
                break;
            case UDP4:
            case UDP6:
            case UNIX_DGRAM:
                refuse(ctx, "the header is for a datagram client (" + header.proxiedProtocol() + "), which a stream cannot carry");
                return;
            default:
                break; // UNKNOWN or a UNIX socket: no address to give; the balancer's own stands
        }
        decide();
        // The conversation starts now; the bytes after the header follow it once the decoder is gone.
        ctx.fireChannelActive();
        ctx.pipeline().remove(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof Error) {
            ctx.fireExceptionCaught(cause);
        } else {
            refuse(ctx, reason(cause)); // nothing more once refused: the connection is closing
        }
    }

    /** Why a connection failed before its header, in a fixed text: Netty's message may quote the peer's bytes. */
    private static String reason(Throwable cause) {
        if (!(cause instanceof HAProxyProtocolException)) {
            return "connection failed before its header";
        }
        return String.valueOf(cause.getMessage()).contains("exceeds the allowed maximum")
                ? "the header is longer than the protocol allows" : "not a valid PROXY header (v1 or v2)";
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            refuse(ctx, "closed before sending its header"); // the conversation, not started, is not told
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!decided) {
            refuse(ctx, "closed before sending its header");
        }
        ctx.fireChannelInactive();
    }

    private void refuse(ChannelHandlerContext ctx, String reason) {
        if (decided) {
            return;
        }
        decide();
        events.refused(Addresses.format(ctx.channel().remoteAddress()), "proxy protocol: " + reason);
        ctx.close();
    }

    private void decide() {
        decided = true;
        if (deadline != null) {
            deadline.cancel(false);
        }
    }
}
