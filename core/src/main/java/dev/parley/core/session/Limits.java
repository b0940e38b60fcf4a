package dev.parley.core.session;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a session waits for its peer. {@code idleTimeout}: for the peer's next message to start,
 * while it is the peer's turn, and for the peer to take this side's bytes while it takes none;
 * {@code lineTimeout}: for a message, once started, to be complete (so a peer sending a byte a
 * second cannot hold a conversation for ever); {@code firstMessageTimeout}: for a client that shares
 * a server's person with others to say its first message, counted from its arrival in line (see
 * {@link Session}'s table, (i)), so that silent clients cannot keep the others waiting.
 * {@link Duration#ZERO} waits for ever. Durations only: the session is given the time, it never
 * reads a clock.
 *
 * @param idleTimeout how long the peer may stay silent in its turn, or take none of this side's
 *     bytes; zero: for ever
 * @param lineTimeout how long a message may take to arrive once its first byte has; zero: for ever
 * @param firstMessageTimeout how long a client that shares a server's person with others may take
 *     to say its first message, from its arrival in line; zero: for ever
 */
public record Limits(Duration idleTimeout, Duration lineTimeout, Duration firstMessageTimeout) {

    /** No timeouts: wait for ever (a client waiting for a person to answer). */
    public static final Limits NONE = new Limits(Duration.ZERO, Duration.ZERO);

    /**
     * Limits of these durations.
     *
     * @param idleTimeout how long the peer may stay silent in its turn; zero: for ever
     * @param lineTimeout how long a message may take once started; zero: for ever
     * @param firstMessageTimeout how long a client may wait before its first message while others
     *     wait for the operator; zero: for ever
     * @throws IllegalArgumentException if a duration is negative
     */
    public Limits {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(lineTimeout, "lineTimeout");
        Objects.requireNonNull(firstMessageTimeout, "firstMessageTimeout");
        if (idleTimeout.isNegative() || lineTimeout.isNegative() || firstMessageTimeout.isNegative()) {
            throw new IllegalArgumentException("timeouts cannot be negative");
        }
    }

    /**
     * Idle and line timeouts, and no first-message timeout.
     *
     * @param idleTimeout how long the peer may stay silent in its turn; zero: for ever
     * @param lineTimeout how long a message may take once started; zero: for ever
     * @throws IllegalArgumentException if a duration is negative
     */
    public Limits(Duration idleTimeout, Duration lineTimeout) {
        this(idleTimeout, lineTimeout, Duration.ZERO);
    }

    /**
     * An idle timeout alone, with no line or first-message timeout: for a server answered by a
     * responder, or a driver of your own, that ends a peer silent in its turn. A peer that sends a
     * byte now and then is not silent: against peers you do not trust, add a line timeout
     * ({@link #Limits(Duration, Duration)}).
     *
     * @param idleTimeout how long the peer may stay silent in its turn, or take none of this side's
     *     bytes; zero: for ever
     * @return limits with that idle timeout and no other
     * @throws IllegalArgumentException if {@code idleTimeout} is negative
     */
    public static Limits idle(Duration idleTimeout) {
        return new Limits(idleTimeout, Duration.ZERO, Duration.ZERO);
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
