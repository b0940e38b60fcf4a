package dev.parley.console;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.jline.utils.AttributedString;

/** An output stream that keeps what is written, for a test to read and to wait on: a terminal's screen, a status stream. */
final class AwaitableOutput extends ByteArrayOutputStream {

    @Override
    public synchronized void write(int b) {
        super.write(b);
        notifyAll();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        super.write(b, off, len);
        notifyAll();
    }

    /** What was written, as UTF-8. */
    synchronized String raw() {
        return toString(StandardCharsets.UTF_8);
    }

    /** What a person would read there: the text without its escape sequences. */
    synchronized String text() {
        return AttributedString.stripAnsi(raw());
    }

    /** Waits up to ten seconds for {@code visible} to be in the {@linkplain #text text}; returns the text then. */
    String await(String visible) throws InterruptedException {
        return await(visible, 0);
    }

    /** Waits up to ten seconds for {@code visible} to be in the text past its first {@code from} characters; returns the text then. */
    synchronized String await(String visible, int from) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (text().indexOf(visible, from) < 0) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new AssertionError("'" + visible + "' expected in:\n" + text());
            }
            wait(left);
        }
        return text();
    }
}
