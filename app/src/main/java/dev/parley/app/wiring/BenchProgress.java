package dev.parley.app.wiring;

import dev.parley.load.LoadGenerator;
import java.io.PrintStream;
import java.util.Locale;

/**
 * What {@code parley bench} says on stderr while it runs: a notice, always, in one line; and, when
 * stderr is a terminal, its progress once a second, written over itself in one line and erased when
 * the run ends. To a pipe or a file it writes no progress: a script reads the report and the exit code.
 */
public final class BenchProgress implements LoadGenerator.Watcher, AutoCloseable {

    /** Back to the start of the line, and the text there erased (VT100, which every terminal speaks). */
    private static final String OVERWRITE = "\r\033[K";

    private final PrintStream err;
    private final boolean terminal;
    private boolean shown;

    public BenchProgress(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public void notice(String text) {
        err.println("parley: " + text);
    }

    @Override
    public void progress(LoadGenerator.Progress progress) {
        if (!terminal) {
            return;
        }
        err.print(OVERWRITE + "bench: " + count(progress.open(), "conversation") + " open, " + count(progress.roundTrips(), "round trip")
                + ", " + count(progress.errors(), "error"));
        err.flush();
        shown = true;
    }

    private static String count(long n, String what) {
        return String.format(Locale.ROOT, "%,d %s%s", n, what, n == 1 ? "" : "s");
    }

    /** Erases the progress line, if one was shown, so that what follows starts on a clean line. */
    @Override
    public void close() {
        if (shown) {
            err.print(OVERWRITE);
            err.flush();
            shown = false;
        }
    }
}
