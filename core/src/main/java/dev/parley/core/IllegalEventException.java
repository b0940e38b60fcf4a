package dev.parley.core;

/** An event that the rules do not allow in the current state; the state is left unchanged. */
public final class IllegalEventException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    private final State state;
    private final transient Event event;

    public IllegalEventException(State state, Event event) {
        super(event + " is not allowed in state " + state);
        this.state = state;
        this.event = event;
    }

    public State state() {
        return state;
    }

    public Event event() {
        return event;
    }
}
