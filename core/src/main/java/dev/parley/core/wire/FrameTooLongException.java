package dev.parley.core.wire;

/** A frame exceeded the configured maximum length; its bytes were discarded, not buffered. */
public final class FrameTooLongException extends RuntimeException {
    /** The serialized form's version. */
    private static final long serialVersionUID = 1L;

    /** The maximum that was exceeded, in bytes. */
    private final int limit;

    /**
     * A frame longer than {@code limit} bytes.
     *
     * @param limit the maximum that was exceeded, in bytes
     */
    public FrameTooLongException(int limit) {
        super("line longer than " + limit + " bytes");
        this.limit = limit;
    }

    /**
     * The maximum that was exceeded, in bytes.
     *
     * @return the limit
     */
    public int limit() {
        return limit;
    }
}
