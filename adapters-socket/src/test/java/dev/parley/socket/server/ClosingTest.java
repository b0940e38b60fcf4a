package dev.parley.socket.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.session.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How every connection of the server ends ({@link Closing}), on {@link EmbeddedChannel}s with time moved by hand. */
class ClosingTest {

    private static void advance(EmbeddedChannel channel, long nanos) {
        channel.advanceTimeBy(nanos, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
    }

    private static final long LINGER = Session.LINGER.toNanos();

    @Test
    void theOutputEndsAfterWhatWasQueuedIsWritten() {
        HalfClosingChannel channel = new HalfClosingChannel();
        channel.write(Unpooled.copiedBuffer("last words\n", StandardCharsets.UTF_8));
        Closing.endOutput(channel);
        assertTrue(channel.isOutputShutdown());
        assertEquals(2, channel.writtenWhenShut, "the last words (and the empty write that waits for them) first");
        assertTrue(channel.isOpen(), "only the output ends: the peer may still speak");
        channel.finishAndReleaseAll();
    }

    @Test
    void overTlsTheOutputEndsWithCloseNotifyThenTheHalfClose() throws Exception {
        HalfClosingChannel server = new HalfClosingChannel(EmbeddedTls.server(false).newHandler(io.netty.buffer.ByteBufAllocator.DEFAULT));
        List<Object> heard = new ArrayList<>();
        EmbeddedChannel client = EmbeddedTls.client(heard);
        EmbeddedTls.pump(client, server);
        assertTrue(server.pipeline().get(SslHandler.class).handshakeFuture().isSuccess());

        server.writeOneOutbound(Unpooled.copiedBuffer("bye\n", StandardCharsets.UTF_8));
        Closing.endOutput(server);
        assertTrue(server.isOutputShutdown());
        int records = server.outboundMessages().size();
        assertEquals(records, server.writtenWhenShut, "the half-close comes after the last record, close_notify");
        EmbeddedTls.pump(server, client);
        assertEquals("bye\n", heard.get(heard.size() - 2));
        assertEquals(SslCloseCompletionEvent.SUCCESS, heard.get(heard.size() - 1), "the client read the close_notify after the bye");
        server.finishAndReleaseAll();
        client.finishAndReleaseAll();
    }

    @Test
    void anEndingWithNoSessionLingersAsAClosingSessionDoes() {
        HalfClosingChannel channel = new HalfClosingChannel();
        channel.freezeTime();
        Closing.endOutputAndLinger(channel);
        assertTrue(channel.isOutputShutdown());
        advance(channel, LINGER - 1);
        assertTrue(channel.isOpen(), "draining the peer's input for the linger");
        advance(channel, 1);
        assertFalse(channel.isOpen(), "closed once Session.LINGER has passed");
    }

    @Test
    void aLingerEndsWithTheConnectionWhenThePeerClosesFirst() {
        HalfClosingChannel channel = new HalfClosingChannel();
        Closing.endOutputAndLinger(channel);
        channel.close();
        assertEquals(-1, channel.runScheduledPendingTasks(), "nothing left scheduled: the linger's close went with the connection");
    }

    @Test
    void aCloseWaitsForTheLastWritesButAtMostTheLinger() {
        List<ChannelPromise> neverWritten = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                ReferenceCountUtil.release(msg);
                neverWritten.add(promise); // a peer whose window stays shut: the write never completes
            }
        });
        Closing.close(channel);
        assertTrue(channel.isOpen(), "waiting for what was queued");
        advance(channel, LINGER);
        assertFalse(channel.isOpen(), "given up after the linger");
        assertEquals(1, neverWritten.size());
    }

    @Test
    void aCloseIsAtOnceForAPeerThatTakesNothing() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        Closing.close(channel);
        assertFalse(channel.isOpen(), "what is queued would not reach it");
    }

    @Test
    void aCloseOnceWrittenIsImmediateAndLeavesNothingScheduled() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.write(Unpooled.copiedBuffer("last words\n", StandardCharsets.UTF_8));
        Closing.close(channel);
        assertFalse(channel.isOpen());
        assertEquals("last words\n", ((ByteBuf) channel.readOutbound()).toString(StandardCharsets.UTF_8));
        assertEquals(-1, channel.runScheduledPendingTasks());
        channel.finishAndReleaseAll();
    }
}
