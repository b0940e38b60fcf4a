package dev.parley.socket.server;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the tasks handed to it one at a time, in the order handed, with no thread of its own: the
 * thread that hands a task over while none is running runs it, and every task handed over
 * meanwhile, from any thread, before it returns. A task handed over while another runs (by a
 * task itself, or from another thread) waits in the queue and {@link #execute} returns at once:
 * no task runs inside another, and no thread waits for another's task.
 *
 * <p>This is gRPC's {@code SynchronizationContext} and Guava's sequential executor over a direct
 * executor: what the desk needs (one task at a time, in order, so that its state is touched by
 * one thread at a time) without a thread of its own, whose two hand-offs per exchange cost piped
 * chat 1.3-1.4x (docs/BENCHMARKS.md). The price is that the task runs on the caller's thread, an
 * event loop most often: a task must not block for long (the console's output is written there,
 * as the server's log lines are).
 */
public final class SerialExecutor implements Executor {

    private final Consumer<Throwable> uncaught;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    /** A thread is running the queue's tasks. */
    private boolean running;
    private boolean shutdown;

    /**
     * @param uncaught told what a task throws (on the thread that ran it), after which the next
     *     task runs: in the server, {@code ProcessErrors::escalate}, the process's handler, which
     *     stops it as a dead desk thread would have
     */
    public SerialExecutor(Consumer<Throwable> uncaught) {
        this.uncaught = uncaught;
    }

    /**
     * Runs {@code task} now on this thread if no task is running, else after those handed over before it.
     *
     * @throws RejectedExecutionException after {@link #shutdown}
     */
    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            if (shutdown) {
                throw new RejectedExecutionException("stopped");
            }
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        drain();
    }

    /** Runs the queue's tasks until it is empty; what one throws goes to {@code uncaught}, and the next runs. */
    private void drain() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    notifyAll();
                    return;
                }
            }
            try {
                next.run();
            } catch (Throwable thrown) {
                uncaught.accept(thrown);
            }
        }
    }

    /** Refuses every task handed over from now on; those already handed over still run. */
    public synchronized void shutdown() {
        shutdown = true;
    }

    /**
     * Waits until no task is running or waiting, at most {@code timeout}.
     *
     * @return true if none is
     * @throws InterruptedException if interrupted while waiting
     */
    public synchronized boolean awaitQuiet(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (running || !tasks.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
