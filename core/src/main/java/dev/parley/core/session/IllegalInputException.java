package dev.parley.core.session;

/**
 * An input the session's rules do not allow in its state (a driver's mistake, such as bytes after
 * the peer closed, or a second Open). Nothing changes: the session is as it was before.
 */
public final class IllegalInputException extends RuntimeException {
    /** The serialized form's version. */
    private static final long serialVersionUID = 1L;

    /** The state the session was in. */
    private final State state;
    /** The input refused; transient, as an input may hold a large buffer. */
    private final transient Input input;

    /**
     * Refuses {@code input} in {@code state}, for the reason {@code why}.
     *
     * @param state the state the session is in
     * @param input the input it refuses
     * @param why which rule forbids it, for the driver's author
     */
    public IllegalInputException(State state, Input input, String why) {
        super(input + " is not allowed in state " + state + ": " + why);
        this.state = state;
        this.input = input;
    }

    /**
     * The state the session was (and still is) in.
     *
     * @return the state
     */
    public State state() {
        return state;
    }

    /**
     * The input that was refused (not serialized: null in a deserialized copy).
     *
     * @return the input
     */
    public Input input() {
        return input;
    }
}
