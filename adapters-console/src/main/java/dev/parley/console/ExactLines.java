package dev.parley.console;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Messages as exact lines on standard output, for whatever reads it: each one rendered safe, with
 * nothing added but its line feed, written and flushed in one go. The first write that fails is told
 * to the listener, and nothing more is written.
 */
final class ExactLines {

    private final OutputStream out;
    private final Console.Listener listener;
    private boolean failed;

    ExactLines(OutputStream out, Console.Listener listener) {
        this.out = out;
        this.listener = listener;
    }

    /** Writes {@code line} (already rendered) and a line feed. */
    void write(String line) {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        IOException failure;
        synchronized (this) {
            if (failed) {
                return;
            }
            try {
                out.write(bytes);
                out.flush();
                return;
            } catch (IOException e) {
                failed = true;
                failure = e;
            }
        }
        listener.outputFailed(isBrokenPipe(failure), String.valueOf(failure.getMessage()));
    }

    /** True for the error a write gets once the pipe's reader has gone (EPIPE). */
    static boolean isBrokenPipe(IOException e) {
        return e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("broken pipe");
    }
}
