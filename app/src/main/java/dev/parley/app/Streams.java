package dev.parley.app;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The process's standard streams, UTF-8 whatever the locale; tests pass byte streams instead. */
public record Streams(InputStream in, PrintStream out, PrintStream err, boolean interactive) {

    /** The real stdin, stdout and stderr of this process. */
    public static Streams system(boolean interactive) {
        return new Streams(new FileInputStream(FileDescriptor.in),
                new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8),
                new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8),
                interactive);
    }

    /** Flushes both output streams. */
    public void flush() {
        out.flush();
        err.flush();
    }
}
