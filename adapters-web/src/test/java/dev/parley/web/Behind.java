package dev.parley.web;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Stands where the server's conversation handler stands: records whether it started, the bytes and events it got. */
final class Behind extends ChannelInboundHandlerAdapter {
    boolean started;
    final StringBuilder bytes = new StringBuilder();
    final List<Object> events = new ArrayList<>();

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        started = true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        bytes.append(buf.toString(StandardCharsets.UTF_8));
        buf.release();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        events.add(event);
    }
}
