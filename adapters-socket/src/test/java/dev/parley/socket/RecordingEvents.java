package dev.parley.socket;

import dev.parley.core.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Server events kept for assertions, with a way to wait for conversations to end. */
final class RecordingEvents implements ServerEvents {

    final List<String> lines = new ArrayList<>();
    final List<Outcome> outcomes = new ArrayList<>();

    @Override
    public synchronized void listening(String address) {
        lines.add("listening " + address);
    }

    @Override
    public synchronized void opened(int id, String remote) {
        lines.add("opened " + id);
        notifyAll();
    }

    @Override
    public synchronized void ended(int id, String remote, Outcome outcome) {
        lines.add("ended " + id + " " + outcome.ending());
        outcomes.add(outcome);
        notifyAll();
    }

    @Override
    public synchronized void refusedBusy(String remote, int open) {
        lines.add("busy " + open);
        notifyAll();
    }

    @Override
    public synchronized void crashed(int id, String remote, RuntimeException e) {
        lines.add("crashed " + id + " " + e.getMessage());
        outcomes.add(null);
        notifyAll();
    }

    /** Waits until {@code count} conversations have ended (or crashed) and returns their outcomes. */
    synchronized List<Outcome> awaitEnded(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (outcomes.size() < count) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new AssertionError("only " + outcomes.size() + " of " + count + " conversations ended: " + lines);
            }
            wait(left);
        }
        return new ArrayList<>(outcomes);
    }

    synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }
}
