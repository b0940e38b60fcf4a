package dev.parley.core.session;

/** Where a {@link Session} stands; the columns of its table. */
public enum State {
    /** Not opened yet: {@link Input.Open} or {@link Input.Refuse} comes first. */
    NEW,
    /** The peer's turn: waiting for its message (idle and line deadlines run). */
    PEER_TURN,
    /** This side's turn: its operator or responder answers; the peer may not speak but may leave. */
    OWN_TURN,
    /** Ended: the last words are sent and the output ended; the peer's input is drained until it closes or the linger deadline. */
    CLOSING,
    /** The connection is released. */
    CLOSED
}
