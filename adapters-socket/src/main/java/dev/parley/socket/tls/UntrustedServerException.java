package dev.parley.socket.tls;

import dev.parley.socket.NetworkException;

/**
 * The server presented a key the client does not trust; the handshake ended and nothing was sent.
 * The verdict says which case it is (a pin that does not match, a changed key, an unknown server, a
 * CA certificate that is wrong); the app says what to do about it.
 */
public final class UntrustedServerException extends NetworkException {
    private static final long serialVersionUID = 1L;

    private final String where;
    private final transient ServerTrust.Verdict verdict;

    public UntrustedServerException(String where, ServerTrust.Verdict verdict, Throwable cause) {
        super("cannot connect to " + where + ": the server is not trusted (" + verdict.seen() + ")", cause);
        this.where = where;
        this.verdict = verdict;
    }

    /** The server as {@code host:port}. */
    public String where() {
        return where;
    }

    public ServerTrust.Verdict verdict() {
        return verdict;
    }
}
