package dev.parley.socket.server;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DuplexChannel;

/**
 * An {@link EmbeddedChannel} that can end its output as a TCP connection does (a half-close): it
 * records that it did, and how many messages had been written by then, so a test sees the order.
 */
final class HalfClosingChannel extends EmbeddedChannel implements DuplexChannel {

    private boolean outputShut;
    /** How many messages had been written when the output was shut down; -1 before. */
    int writtenWhenShut = -1;

    HalfClosingChannel(ChannelHandler... handlers) {
        super(handlers);
    }

    @Override
    public boolean isInputShutdown() {
        return false;
    }

    @Override
    public ChannelFuture shutdownInput() {
        return newSucceededFuture();
    }

    @Override
    public ChannelFuture shutdownInput(ChannelPromise promise) {
        return promise.setSuccess();
    }

    @Override
    public boolean isOutputShutdown() {
        return outputShut;
    }

    @Override
    public ChannelFuture shutdownOutput() {
        return shutdownOutput(newPromise());
    }

    @Override
    public ChannelFuture shutdownOutput(ChannelPromise promise) {
        if (!outputShut) {
            outputShut = true;
            writtenWhenShut = outboundMessages().size();
        }
        return promise.setSuccess();
    }

    @Override
    public boolean isShutdown() {
        return outputShut;
    }

    @Override
    public ChannelFuture shutdown() {
        return shutdownOutput();
    }

    @Override
    public ChannelFuture shutdown(ChannelPromise promise) {
        return shutdownOutput(promise);
    }
}
