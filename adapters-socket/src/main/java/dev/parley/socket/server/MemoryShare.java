package dev.parley.socket.server;

import io.netty.channel.Channel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One connection's part of the server's memory account ({@link MemoryBudget}), from its
 * registration to its close, whether its conversation started or not: what it holds, as its driver
 * last counted it (on the connection's event loop), and how the budget ends it when it holds the
 * most (from any loop).
 */
final class MemoryShare {

    private final MemoryBudget budget;
    private final Runnable end;
    private EventExecutor loop;
    private boolean joined;
    /** The bytes this connection holds, as last told to the budget; read by other loops. */
    private volatile long held;
    private volatile boolean dropped;

    /** A share of {@code budget}; {@code end} ends the connection, on its own loop, when the budget asks. */
    MemoryShare(MemoryBudget budget, Runnable end) {
        this.budget = budget;
        this.end = end;
    }

    /** Joins the account, once, when the connection is registered, before anything it sends is read. */
    void join(EventExecutor loop) {
        if (this.loop == null) {
            this.loop = loop;
            joined = true;
            budget.join(this);
        }
    }

    /** The connection holds {@code bytes} now: the change is told to the budget. */
    void count(long bytes) {
        if (joined) {
            long delta = bytes - held;
            held = bytes;
            budget.change(delta);
        }
    }

    /** The connection has closed: what it held is given back, once. */
    void leave() {
        if (joined) {
            joined = false;
            budget.leave(this, held);
            held = 0;
        }
    }

    /** What this connection holds, as last told to the budget. */
    long held() {
        return held;
    }

    /** True once the budget has ended this connection. */
    boolean dropped() {
        return dropped;
    }

    /** The budget is spent and this connection holds the most: it is ended, once, on its own loop. Any thread. */
    void drop() {
        if (dropped) {
            return;
        }
        dropped = true;
        try {
            loop.execute(end);
        } catch (RejectedExecutionException e) {
            // The server has stopped and its event loops with it: the connection is closed.
        }
    }

    /**
     * The bytes queued for the peer and not yet taken by the socket (with Netty's own cost of each
     * write), from the public writability figures: below the high water mark it is that mark less
     * what may still be queued before the channel turns unwritable; above, the low water mark and
     * what must drain before it turns writable again. A closed channel holds nothing.
     */
    static long unsent(Channel channel) {
        WriteBufferWaterMark marks = channel.config().getWriteBufferWaterMark();
        long beforeUnwritable = channel.bytesBeforeUnwritable();
        if (beforeUnwritable > 0) {
            return Math.max(0, marks.high() + 1 - beforeUnwritable);
        }
        long beforeWritable = channel.bytesBeforeWritable();
        return beforeWritable == Long.MAX_VALUE ? 0 : beforeWritable + marks.low() - 1;
    }
}
