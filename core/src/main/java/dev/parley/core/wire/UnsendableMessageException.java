package dev.parley.core.wire;

/** A message the framing cannot carry (a line break in line framing, nothing at all in raw). */
public final class UnsendableMessageException extends RuntimeException {
    /** The serialized form's version. */
    private static final long serialVersionUID = 1L;

    /**
     * A message refused for the reason {@code message}.
     *
     * @param message why the framing cannot carry it, for people
     */
    public UnsendableMessageException(String message) {
        super(message);
    }
}
