package dev.parley.app.wiring;

import dev.parley.app.cli.Exits;
import dev.parley.console.Consoles;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * What happens to a throwable that escapes a thread (an OutOfMemoryError in an event loop, a bug):
 * the process can no longer vouch for its state, so it stops at once with one line on stderr and
 * exit code 1, for a supervisor to restart it, rather than live on half dead. Memory is kept in
 * reserve, and dropped first, so that the line can be written even when the heap is exhausted.
 */
public final class FatalError implements Thread.UncaughtExceptionHandler {

    /** Written byte for byte if even the reserve was not enough to format the real report. */
    private static final byte[] LAST_RESORT =
            "parley: fatal: an error the report of which could not be written (out of memory?); stopping\n"
                    .getBytes(StandardCharsets.US_ASCII);

    private final Streams streams;
    private final BooleanSupplier verbose;
    private final FileOutputStream rawErr = new FileOutputStream(FileDescriptor.err);
    private byte[] reserve = new byte[1 << 20];

    public FatalError(Streams streams, BooleanSupplier verbose) {
        this.streams = streams;
        this.verbose = verbose;
    }

    @Override
    public synchronized void uncaughtException(Thread thread, Throwable e) {
        reserve = null;
        try {
            Consoles.restoreTerminal();
            boolean details = verbose.getAsBoolean();
            streams.err().println("parley: fatal: " + e + " in thread " + thread.getName() + "; stopping"
                    + (details ? "" : " (run with --verbose for the stack trace)"));
            if (details) {
                e.printStackTrace(streams.err());
            }
            streams.flush();
        } catch (Throwable reportFailed) {
            try {
                rawErr.write(LAST_RESORT);
            } catch (Throwable ignored) {
                // stderr is gone: the exit code is all that is left to say it
            }
        } finally {
            Runtime.getRuntime().halt(Exits.FAILURE);
        }
    }
}
