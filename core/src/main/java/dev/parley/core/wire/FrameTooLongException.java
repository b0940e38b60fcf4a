package dev.parley.core.wire;

/** A frame exceeded the configured maximum length; its bytes were discarded, not buffered. */
public final class FrameTooLongException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int limit;

    public FrameTooLongException(int limit) {
        super("line longer than " + limit + " bytes");
        this.limit = limit;
    }

    /** The maximum that was exceeded, in bytes. */
    public int limit() {
        return limit;
    }
}
