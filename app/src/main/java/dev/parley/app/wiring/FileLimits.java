package dev.parley.app.wiring;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.OptionalLong;

/** The process's open-file limit (ulimit -n), which caps how many connections it can hold (the server's is checked by {@link Capacity}). */
public final class FileLimits {

    /** File descriptors a Parley process uses besides its connections (JVM, jar, streams, selectors). */
    static final int OVERHEAD = 64;

    private FileLimits() {}

    /** The limit on open files, where the platform tells it. */
    static OptionalLong maxOpenFiles() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean
                ? OptionalLong.of(((UnixOperatingSystemMXBean) os).getMaxFileDescriptorCount())
                : OptionalLong.empty();
    }

    /** Warns, in one line, when a client's {@code connections} (bench) cannot fit under the open-file limit. */
    public static void warnIfTooLow(int connections, String option, PrintStream err) {
        OptionalLong max = maxOpenFiles();
        long needed = (long) connections + OVERHEAD;
        if (max.isPresent() && max.getAsLong() < needed) {
            err.println("parley: warning: the open-file limit (ulimit -n) is " + max.getAsLong() + ", too low for "
                    + option + " " + connections + "; raise it (ulimit -n " + needed + ") or lower " + option);
        }
    }
}
