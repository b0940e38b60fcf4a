package dev.parley.socket.server;

import dev.parley.core.port.Transcript;
import dev.parley.core.session.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server's events and its conversations' endings, kept for assertions, with a way to wait for
 * conversations to end. Thread-safe: the server's event loops report here.
 */
public final class RecordingEvents implements ServerEvents {

    final List<String> lines = new ArrayList<>();
    final List<Outcome> outcomes = new ArrayList<>();

    @Override
    public synchronized void listening(String address) {
        lines.add("listening " + address);
    }

    @Override
    public synchronized void opened(ConversationHandle conversation) {
        lines.add("opened " + conversation.id());
        notifyAll();
    }

    @Override
    public synchronized void closed(ConversationHandle conversation) {
        lines.add("closed " + conversation.id() + " " + conversation.front());
        notifyAll();
    }

    @Override
    public synchronized void refused(String remote, String reason) {
        lines.add("refused " + reason);
        notifyAll();
    }

    @Override
    public synchronized void acceptFailed(String reason) {
        lines.add("accept failed " + reason);
        notifyAll();
    }

    @Override
    public synchronized void acceptingAgain() {
        lines.add("accepting again");
        notifyAll();
    }

    @Override
    public synchronized void crashed(ConversationHandle conversation, Throwable e) {
        lines.add("crashed " + conversation.id() + " " + e.getMessage());
        notifyAll();
    }

    @Override
    public synchronized void operatorJoined(String remote, String name, String key) {
        lines.add("operator joined " + name + (key == null ? "" : " " + key));
        notifyAll();
    }

    @Override
    public synchronized void operatorLeft(String remote, String name, String how) {
        lines.add("operator left " + name + ": " + how);
        notifyAll();
    }

    /** A transcript for one conversation that reports its ending here. */
    public Transcript transcript(int id) {
        return Transcript.endingOnly(outcome -> {
            synchronized (this) {
                lines.add("ended " + id + " " + outcome.ending());
                outcomes.add(outcome);
                notifyAll();
            }
        });
    }

    /** Waits until {@code count} conversations have ended and returns their outcomes. */
    public synchronized List<Outcome> awaitEnded(int count) throws InterruptedException {
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

    /** Waits until a line starting with {@code prefix} has been reported. */
    public synchronized void await(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (lines.stream().noneMatch(l -> l.startsWith(prefix))) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new AssertionError("no '" + prefix + "' in " + lines);
            }
            wait(left);
        }
    }

    public synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }
}
