package dev.parley.app;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Locale;
import java.util.OptionalLong;

/** The process's open-file limit (ulimit -n), which caps how many connections it can hold. */
final class FileLimits {

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

    /**
     * How many conversations the open-file limit allows, said in one line, e.g. {@code up to 100
     * conversations at once (--max-conversations); the open-file limit, 20,000, allows 19,936}. The
     * JVM has raised the soft limit to the hard one already (HotSpot's MaxFDLimit, on by default).
     */
    static String capacity(int maxConversations) {
        OptionalLong max = maxOpenFiles();
        String line = "parley: up to " + String.format(Locale.ROOT, "%,d", maxConversations) + " conversations at once (--max-conversations)";
        return max.isEmpty() ? line : line + "; the open-file limit, " + String.format(Locale.ROOT, "%,d", max.getAsLong())
                + ", allows " + String.format(Locale.ROOT, "%,d", Math.max(0, max.getAsLong() - OVERHEAD));
    }

    /** Warns, in one line, when {@code connections} cannot fit under the open-file limit. */
    static void warnIfTooLow(int connections, String option, PrintStream err) {
        OptionalLong max = maxOpenFiles();
        long needed = (long) connections + OVERHEAD;
        if (max.isPresent() && max.getAsLong() < needed) {
            err.println("parley: warning: the open-file limit (ulimit -n) is " + max.getAsLong() + ", too low for "
                    + option + " " + connections + "; raise it (ulimit -n " + needed + ") or lower " + option);
        }
    }
}
