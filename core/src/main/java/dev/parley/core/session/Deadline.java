package dev.parley.core.session;

/**
 * The session's deadlines, one bit each in the set it keeps with their times (plain fields of the
 * session, so that restarting one on every message allocates nothing). Times are on the driver's
 * clock and compared by their difference only: the clock may start anywhere, and wrap.
 */
enum Deadline {
    /** The peer's turn, with no bytes from it (g). */
    IDLE,
    /** Part of a frame held (g). */
    LINE,
    /** The first-message clock (i): set once, never restarted; it counts only while others wait. */
    FIRST_MESSAGE,
    /** The peer takes none of this side's bytes (j). */
    STALLED,
    /** A closing session drains the peer's input until then (f). */
    LINGER;

    static final Deadline[] ALL = values();

    /** This deadline's bit in a set of them. */
    int bit() {
        return 1 << ordinal();
    }

    /** Whether {@code now} is at or past {@code at}. */
    static boolean reached(long at, long now) {
        return now - at >= 0;
    }
}
