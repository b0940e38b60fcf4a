package dev.parley.core.port;

/**
 * Port: the wire to the other side, as a session's actions use it. Calls never block: what cannot
 * be written at once is queued, in order. Adapters: a Netty channel, a client's socket, an
 * in-memory link.
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
