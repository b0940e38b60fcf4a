package dev.parley.console;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A console's listener that writes down what it was told, for tests to wait on and read. */
final class RecordingListener implements Console.Listener {

    final List<String> events = new CopyOnWriteArrayList<>();
    private final CountDownLatch first = new CountDownLatch(1);

    @Override
    public void inputEnded() {
        record("input ended");
    }

    @Override
    public void interrupted() {
        record("interrupted");
    }

    @Override
    public void outputFailed(boolean brokenPipe, String reason) {
        record("output failed" + (brokenPipe ? " (broken pipe)" : "") + ": " + reason);
    }

    private void record(String event) {
        events.add(event);
        first.countDown();
    }

    /** Waits for the first event (the reader thread tells it); fails after five seconds. */
    String awaitFirst() throws InterruptedException {
        if (!first.await(5, TimeUnit.SECONDS)) {
            throw new AssertionError("the listener was told nothing");
        }
        return events.get(0);
    }
}
