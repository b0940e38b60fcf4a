package dev.parley.core.desk;

/**
 * An input the desk's rules do not allow (a driver's mistake, such as a client arriving twice, or
 * an operator unknown to the desk passing). Nothing changes: the desk is as it was before.
 */
public final class IllegalDeskInputException extends RuntimeException {
    /** The serialized form's version. */
    private static final long serialVersionUID = 1L;

    /** The input refused. */
    private final transient DeskInput input;

    /**
     * Refuses {@code input}, for the reason {@code why}.
     *
     * @param input the input refused
     * @param why which rule forbids it, for the driver's author
     */
    public IllegalDeskInputException(DeskInput input, String why) {
        super(input + " is not allowed: " + why);
        this.input = input;
    }

    /**
     * The input that was refused (not serialized: null in a deserialized copy).
     *
     * @return the input
     */
    public DeskInput input() {
        return input;
    }
}
