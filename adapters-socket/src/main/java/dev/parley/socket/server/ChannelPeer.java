package dev.parley.socket.server;

import dev.parley.core.port.Peer;
import dev.parley.core.session.Action;
import io.netty.channel.Channel;

/**
 * The {@link Peer} port on a Netty channel. {@link #send} queues the bytes, copied once into a
 * buffer of the transport's kind (direct, with epoll: the copy the transport would make of a heap
 * buffer anyway); its driver calls {@link #flush} once after each batch of actions, so a burst of
 * replies is one write. Ending the output and closing are {@link Closing}'s: both wait for what was queued.
 *
 * <p>Behind a front (another transport's codec in the pipeline, such as a WebSocket) the session's
 * {@link Action.EndOutput} is written down the pipeline instead, for the front to carry out its own
 * way (a Close frame).
 */
final class ChannelPeer implements Peer {

    private final Channel channel;
    private final boolean behindFront;
    private boolean unflushed;

    ChannelPeer(Channel channel, boolean behindFront) {
        this.channel = channel;
        this.behindFront = behindFront;
    }

    @Override
    public void send(byte[] bytes) {
        channel.write(channel.alloc().ioBuffer(bytes.length).writeBytes(bytes), channel.voidPromise());
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
        } else {
            Closing.endOutput(channel);
        }
    }

    @Override
    public void close() {
        unflushed = false;
        Closing.close(channel);
    }
}
