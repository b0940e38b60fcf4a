package dev.parley.core.session;

import java.time.Duration;

/** Short human forms of durations for messages: {@code 300ms}, {@code 30s}, {@code 5m}. */
public final class Durations {

    private Durations() {}

    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
