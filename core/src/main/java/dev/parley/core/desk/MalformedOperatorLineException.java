package dev.parley.core.desk;

/** A line of the operators' protocol that does not follow it; the message says what was wrong, safe to show and log. */
public final class MalformedOperatorLineException extends RuntimeException {
    /** The serialized form's version. */
    private static final long serialVersionUID = 1L;

    /**
     * A malformed line, for the reason {@code reason}.
     *
     * @param reason what was wrong, with no raw text from the line in it but quoted, short and control-free
     */
    public MalformedOperatorLineException(String reason) {
        super(reason);
    }
}
