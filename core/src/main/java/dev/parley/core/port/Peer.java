package dev.parley.core.port;

/**
 * Port: the wire to the other side, as a session's actions use it. Calls never block: what cannot
 * be written at once is queued, in order. They never throw either: a write that fails is kept by
 * the adapter, and its driver feeds it to the session as
 * {@link dev.parley.core.session.Input.PeerFailed} once {@link Actions#carryOut} has returned (the
 * <a href="package-summary.html#the-drivers-contract">driver's contract</a>; and
 * <a href="package-summary.html#blocking-drivers">what a blocking peer gives up</a>). Adapters: a
 * Netty channel, a client's socket, an in-memory link; each is checked by the tests jar's
 * {@code PeerContract}.
 */
public interface Peer {

    /**
     * Writes {@code bytes} after everything sent before ({@link dev.parley.core.session.Action.Send}).
     *
     * @param bytes the bytes to write, already framed
     */
    void send(byte[] bytes);

    /** Ends the output once everything sent is written: the peer reads the end of input (a half-close). */
    void endOutput();

    /** Releases the connection once everything sent is written. Safe to call more than once. */
    void close();
}
