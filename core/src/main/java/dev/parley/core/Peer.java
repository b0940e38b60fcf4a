package dev.parley.core;

/** Port: the party across the wire. Adapters carry out what the conversation decides. */
public interface Peer {

    /** Blocks until the peer's next message or the end of its side of the wire. */
    Incoming receive();

    /**
     * Sends one message.
     *
     * @throws PeerLostException if the connection is gone
     * @throws dev.parley.core.wire.UnsendableMessageException if the framing cannot carry it
     */
    void send(String message);

    /** Says bye, if the framing carries one, and sends nothing more. Safe to call more than once. */
    void leave();

    /** Reports a fatal error, if the framing can carry one, and sends nothing more. */
    void fail(String reason);

    /** Releases the connection. Safe to call more than once, and from another thread. */
    void close();
}
