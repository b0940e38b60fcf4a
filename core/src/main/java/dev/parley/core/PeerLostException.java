package dev.parley.core;

/** Sending failed because the connection to the peer is gone. */
public final class PeerLostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PeerLostException(String message, Throwable cause) {
        super(message, cause);
    }

    public PeerLostException(String message) {
        super(message);
    }
}
