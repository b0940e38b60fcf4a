package dev.parley.core.session;

/**
 * An input the session's rules do not allow in its state (a driver's mistake, such as bytes after
 * the peer closed, or a second Open). The state is left unchanged.
 */
public final class IllegalInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final State state;
    private final transient Input input;

    public IllegalInputException(State state, Input input, String why) {
        super(input + " is not allowed in state " + state + ": " + why);
        this.state = state;
        this.input = input;
    }

    /** The state the session was (and still is) in. */
    public State state() {
        return state;
    }

    /** The input that was refused. */
    public Input input() {
        return input;
    }
}
