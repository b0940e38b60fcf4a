package dev.parley.socket;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a socket peer waits. {@code idleTimeout}: for the peer's next message to start;
 * {@code lineTimeout}: for a message, once started, to be complete (so a peer sending one byte a
 * second cannot hold a conversation forever). {@link Duration#ZERO} waits for ever.
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

    /** Why a conversation was closed for its idle timeout. */
    public String idleReason() {
        return "no message for " + Durations.format(idleTimeout) + " (idle timeout)";
    }

    /** Why a conversation was closed for its line timeout. */
    public String lineReason() {
        return "message not finished within " + Durations.format(lineTimeout) + " (line timeout)";
    }
}
