package dev.parley.socket.server;

import dev.parley.core.port.Peer;
import dev.parley.core.session.Action;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@link Peer} port on a Netty channel. {@link #send} only queues the bytes (no copy); its
 * driver calls {@link #flush} once after each batch of actions, so a burst of replies is one
 * write. Ending the output and closing wait for what was queued to be written; a close gives up
 * waiting after {@code closeWaitNanos}, for a peer that reads nothing would hold it for ever.
 *
 * <p>On a plain TCP connection the output ends with a half-close. Behind a front (another
 * transport's codec in the pipeline, such as a WebSocket) the session's {@link Action.EndOutput}
 * is written down the pipeline instead, for the front to carry out its own way (a Close frame).
 */
final class ChannelPeer implements Peer {

    private final Channel channel;
    private final long closeWaitNanos;
    private final boolean behindFront;
    private boolean unflushed;
    private ScheduledFuture<?> dropDeadline;

    ChannelPeer(Channel channel, long closeWaitNanos, boolean behindFront) {
        this.channel = channel;
        this.closeWaitNanos = closeWaitNanos;
        this.behindFront = behindFront;
    }

    @Override
    public void send(byte[] bytes) {
        channel.write(Unpooled.wrappedBuffer(bytes), channel.voidPromise());
        unflushed = true;
    }

    /** Writes what was sent since the last flush. */
    void flush() {
        if (unflushed) {
            unflushed = false;
            channel.flush();
        }
    }

    @Override
    public void endOutput() {
        unflushed = false;
        if (behindFront) {
            channel.writeAndFlush(new Action.EndOutput(), channel.voidPromise());
            return;
        }
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
            SslHandler tls = channel.pipeline().get(SslHandler.class);
            if (tls != null && channel.isActive()) {
                // TLS 1.3 half-close: close_notify ends this side's output; the peer may still speak.
                tls.closeOutbound().addListener(notified -> shutdownOutput());
            } else {
                shutdownOutput();
            }
        });
    }

    private void shutdownOutput() {
        if (channel.isActive() && channel instanceof DuplexChannel) {
            ((DuplexChannel) channel).shutdownOutput();
        }
    }

    @Override
    public void close() {
        unflushed = false;
        if (!channel.isWritable()) {
            channel.close(); // the peer takes nothing: what is queued will not reach it, waiting only holds the slot
            return;
        }
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        if (dropDeadline == null) {
            dropDeadline = channel.eventLoop().schedule(() -> {
                channel.close();
            }, closeWaitNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The connection is gone: no deadline is needed any more. */
    void closed() {
        if (dropDeadline != null) {
            dropDeadline.cancel(false);
        }
    }
}
