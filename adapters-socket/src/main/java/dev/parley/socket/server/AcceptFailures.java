package dev.parley.socket.server;

import dev.parley.socket.Addresses;
import dev.parley.socket.ProcessErrors;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The listening socket's failures to accept (the open-file limit reached, above all): accepting
 * pauses for a second rather than spinning on the same error, the server says so once per episode,
 * and says so again when it accepts again. Without this, a full file table made the accept loop
 * spin at 100 % of a core with nothing logged.
 */
@ChannelHandler.Sharable
final class AcceptFailures extends ChannelInboundHandlerAdapter {

    /** How long accepting pauses after it fails. */
    static final long PAUSE_MILLIS = 1000;

    private final ServerEvents events;
    private boolean failing;

    AcceptFailures(ServerEvents events) {
        this.events = events;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object accepted) {
        if (failing) {
            failing = false;
            events.acceptingAgain();
        }
        ctx.fireChannelRead(accepted);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (ProcessErrors.endProcess(cause)) {
            ProcessErrors.escalate(cause);
            return;
        }
        if (!failing) {
            failing = true;
            events.acceptFailed(cause instanceof IOException ? Addresses.reason((IOException) cause) : String.valueOf(cause));
        }
        if (ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(false);
            ctx.executor().schedule(() -> ctx.channel().config().setAutoRead(true), PAUSE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }
}
