package dev.parley.archfixture.core;

import io.netty.buffer.ByteBuf;

/** Deliberately bad: a core class that speaks Netty's types. */
public class NettyCore {
    public int size(ByteBuf buffer) {
        return buffer.readableBytes();
    }
}
