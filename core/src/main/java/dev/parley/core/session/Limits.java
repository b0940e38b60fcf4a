package dev.parley.core.session;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a session waits for its peer. {@code idleTimeout}: for the peer's next message to start,
 * while it is the peer's turn; {@code lineTimeout}: for a message, once started, to be complete (so
 * a peer sending a byte a second cannot hold a conversation for ever). {@link Duration#ZERO} waits
 * for ever. Durations only: the session is given the time, it never reads a clock.
 */
public record Limits(Duration idleTimeout, Duration lineTimeout) {

    /** No timeouts: wait for ever (a client waiting for a person to answer). */
    public static final Limits NONE = new Limits(Duration.ZERO, Duration.ZERO);

    public Limits {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(lineTimeout, "lineTimeout");
        if (idleTimeout.isNegative() || lineTimeout.isNegative()) {
            throw new IllegalArgumentException("timeouts cannot be negative");
        }
    }

    /** Why a conversation ends on its idle timeout, as the peer is told and the log says. */
    String idleReason() {
        return "idle: no message for " + Durations.format(idleTimeout) + " (idle timeout)";
    }

    /** Why a conversation ends on its line timeout. */
    String lineReason() {
        return "too slow: a message not finished within " + Durations.format(lineTimeout) + " (line timeout)";
    }
}
