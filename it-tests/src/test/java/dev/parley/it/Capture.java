package dev.parley.it;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An output stream that keeps what is written and lets a test wait for a pattern to appear. */
final class Capture extends OutputStream {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
        bytes.write(b);
        notifyAll();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        bytes.write(b, off, len);
        notifyAll();
    }

    synchronized String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Waits up to 20 s for {@code regex} to match {@code times} times; returns the text then. */
    synchronized String awaitCount(String regex, int times) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            String text = text();
            if (pattern.matcher(text).results().count() >= times) {
                return text;
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new AssertionError(times + " matches of /" + regex + "/ expected in:\n" + text);
            }
            wait(left);
        }
    }

    /** Waits up to 20 s until the text passes {@code test} ({@code what} says what was awaited); returns the text then. */
    synchronized String awaitText(Predicate<String> test, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            String text = text();
            if (test.test(text)) {
                return text;
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new AssertionError(what + " expected in:\n" + text);
            }
            wait(Math.min(left, 100)); // the test may look beyond this text (a process's end, another stream): looked at again
        }
    }

    /** Waits up to 20 s for {@code regex} to match; returns the first group (or the whole match). */
    synchronized String await(String regex) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            Matcher m = pattern.matcher(text());
            if (m.find()) {
                return m.groupCount() > 0 ? m.group(1) : m.group();
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new AssertionError("no match for /" + regex + "/ in:\n" + text());
            }
            wait(left);
        }
    }
}
