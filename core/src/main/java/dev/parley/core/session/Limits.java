package dev.parley.core.session;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a session waits for its peer. {@code idleTimeout}: for the peer's next message to start,
 * while it is the peer's turn, and for the peer to take this side's bytes while it takes none;
 * {@code lineTimeout}: for a message, once started, to be complete (so a peer sending a byte a
 * second cannot hold a conversation for ever); {@code firstMessageTimeout}: for a conversation that
 * a server's person has come to, while others wait for that person, to say its first message.
 * {@link Duration#ZERO} waits for ever. Durations only: the session is given the time, it never
 * reads a clock.
 */
public record Limits(Duration idleTimeout, Duration lineTimeout, Duration firstMessageTimeout) {

    /** No timeouts: wait for ever (a client waiting for a person to answer). */
    public static final Limits NONE = new Limits(Duration.ZERO, Duration.ZERO);

    public Limits {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(lineTimeout, "lineTimeout");
        Objects.requireNonNull(firstMessageTimeout, "firstMessageTimeout");
        if (idleTimeout.isNegative() || lineTimeout.isNegative() || firstMessageTimeout.isNegative()) {
            throw new IllegalArgumentException("timeouts cannot be negative");
        }
    }

    /** Idle and line timeouts, and no first-message timeout. */
    public Limits(Duration idleTimeout, Duration lineTimeout) {
        this(idleTimeout, lineTimeout, Duration.ZERO);
    }

    /** Why a conversation ends on its idle timeout, as the peer is told and the log says. */
    String idleReason() {
        return "idle: no message for " + Durations.format(idleTimeout) + " (idle timeout)";
    }

    /** Why a conversation ends when its peer takes none of this side's bytes for the idle timeout. */
    String stalledReason() {
        return "idle: took none of the replies for " + Durations.format(idleTimeout) + " (idle timeout)";
    }

    /** Why a conversation ends on its first-message timeout. */
    String firstMessageReason() {
        return "idle: no first message within " + Durations.format(firstMessageTimeout)
                + " while others wait for the operator (first-message timeout)";
    }

    /** Why a conversation ends on its line timeout. */
    String lineReason() {
        return "too slow: a message not finished within " + Durations.format(lineTimeout) + " (line timeout)";
    }
}
