package dev.parley.socket;

/** A network operation a person asked for failed; the message is one line naming where and why. */
public class NetworkException extends Exception {
    private static final long serialVersionUID = 1L;

    public NetworkException(String message, Throwable cause) {
        super(message, cause);
    }
}
