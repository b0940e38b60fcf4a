package dev.parley.socket.server;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The time, as a session asks for it: one task scheduled on the connection's event loop at the
 * session's next deadline ({@code Session.deadline()}), which tells it the time ({@code Tick}). A
 * later deadline waits for the earlier task, which follows the session's deadline again as it runs.
 */
final class SessionClock implements Runnable {

    private final EventExecutor loop;
    private final LongSupplier clock;
    private final Runnable tick;
    private ScheduledFuture<?> task;
    private long at;

    SessionClock(EventExecutor loop, LongSupplier clock, Runnable tick) {
        this.loop = loop;
        this.clock = clock;
        this.tick = tick;
    }

    /** Keeps one task scheduled at {@code deadline} (on the session's clock), or none. */
    void follow(OptionalLong deadline) {
        if (deadline.isEmpty()) {
            stop();
            return;
        }
        long next = deadline.getAsLong();
        if (task != null && at - next <= 0) {
            return; // the scheduled tick comes first; it will reschedule
        }
        stop();
        at = next;
        task = loop.schedule(this, Math.max(0, next - clock.getAsLong()), TimeUnit.NANOSECONDS);
    }

    /** The scheduled task: the deadline has come. */
    @Override
    public void run() {
        task = null;
        tick.run();
    }

    /** No more ticks: the connection has closed. */
    void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }
}
