package dev.parley.socket.server;

import dev.parley.core.session.Session;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * How a connection of the server ends, for every front (TCP, TLS, the web port): the one place for
 * ending its output, lingering and closing.
 *
 * <ul>
 * <li>Ending the output waits for what is queued to be written; then, over TLS, close_notify (TLS 1.3
 * lets the peer go on sending), then the TCP half-close.
 * <li>Lingering: a side that has ended its output drains the peer's input until the peer closes or
 * {@link Session#LINGER} has passed, so that its last words are read rather than lost to a reset.
 * A conversation's session keeps that deadline itself (CLOSING, then Close); an ending with no
 * session (a web front's answer, a client of the wrong protocol told so) lingers here, on the same
 * clock, and its driver closes at once when the peer ends its input.
 * <li>Closing waits for what is queued to be written, but not for a peer that takes nothing (it
 * would not read it, and would hold the connection for ever): at once when the channel is not
 * writable, and at the latest after {@link Session#LINGER}.
 * </ul>
 */
final class Closing {

    private Closing() {}

    /** Ends the output once everything queued is written: close_notify first over TLS, then the half-close. */
    static void endOutput(Channel channel) {
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
            SslHandler tls = channel.pipeline().get(SslHandler.class);
            if (tls != null && channel.isActive()) {
                tls.closeOutbound().addListener(notified -> shutdownOutput(channel));
            } else {
                shutdownOutput(channel);
            }
        });
    }

    /** An ending with no session: the output ends, and the connection closes after the linger (or when the peer closes first). */
    static void endOutputAndLinger(Channel channel) {
        endOutput(channel);
        closeAfterLinger(channel);
    }

    /** Closes once everything queued is written; at once for a peer that takes nothing, and after the linger at the latest. */
    static void close(Channel channel) {
        if (!channel.isWritable()) {
            channel.close(); // what is queued will not reach it: waiting only holds the slot
            return;
        }
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        closeAfterLinger(channel);
    }

    private static void closeAfterLinger(Channel channel) {
        if (!channel.isOpen()) {
            return; // closed already (nothing was left to write): no timer to set and cancel
        }
        ScheduledFuture<?> linger = channel.eventLoop().schedule(() -> {
            channel.close();
        }, Session.LINGER.toNanos(), TimeUnit.NANOSECONDS);
        channel.closeFuture().addListener(closed -> linger.cancel(false));
    }

    private static void shutdownOutput(Channel channel) {
        if (channel.isActive() && channel instanceof DuplexChannel) {
            ((DuplexChannel) channel).shutdownOutput();
        }
    }
}
