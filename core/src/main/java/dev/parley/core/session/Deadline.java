package dev.parley.core.session;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * A time by which something must happen, on the driver's clock, or {@link #NONE}. Times are
 * compared by their difference only: the clock may start anywhere, and wrap.
 */
final class Deadline {

    /** No deadline: nothing happens without another input. */
    static final Deadline NONE = new Deadline(0);

    private final long at;

    private Deadline(long at) {
        this.at = at;
    }

    /** {@code timeout} after {@code now}; none for a zero timeout, which waits for ever. */
    static Deadline after(long now, Duration timeout) {
        return timeout.isZero() ? NONE : new Deadline(now + timeout.toNanos());
    }

    boolean isSet() {
        return this != NONE;
    }

    /** Whether it is set and {@code now} is at or past it. */
    boolean passed(long now) {
        return this != NONE && now - at >= 0;
    }

    /** The time of the earliest of {@code deadlines} that is set, if any is. */
    static OptionalLong earliest(Deadline... deadlines) {
        Deadline first = NONE;
        for (Deadline d : deadlines) {
            if (d != NONE && (first == NONE || d.at - first.at < 0)) {
                first = d;
            }
        }
        return first == NONE ? OptionalLong.empty() : OptionalLong.of(first.at);
    }
}
