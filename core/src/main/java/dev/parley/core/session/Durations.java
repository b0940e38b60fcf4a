package dev.parley.core.session;

import java.time.Duration;

/** Short human forms of durations for messages: {@code 300ms}, {@code 30s}, {@code 5m}. */
public final class Durations {

    private Durations() {}

    /**
     * The shortest exact form of {@code d} in whole hours, minutes, seconds or milliseconds (what
     * is below a millisecond is dropped).
     *
     * @param d a duration, zero or more
     * @return e.g. {@code 1h}, {@code 5m}, {@code 30s}, {@code 1500ms}, {@code 0s}
     */
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
