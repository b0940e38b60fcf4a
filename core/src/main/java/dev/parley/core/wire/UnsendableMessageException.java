package dev.parley.core.wire;

/** A message the framing cannot carry (a line break in line framing, nothing at all in raw). */
public final class UnsendableMessageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnsendableMessageException(String message) {
        super(message);
    }
}
