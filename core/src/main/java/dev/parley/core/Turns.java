package dev.parley.core;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The conversation state machine: the one class that owns every transition.
 *
 * <h2>Theory of operation</h2>
 *
 * <p>A conversation is a strict alternation. The client holds the first turn; saying a message
 * passes the turn to the other party, so the server answers each client message exactly once.
 * Ending is always allowed: either party may say {@code bye} (see {@link Event#isBye}) or hang up
 * (its input ended, its connection closed) at any time, and the conversation is then over. Once
 * over, only further hang-ups are accepted (closing twice is harmless); anything else is a
 * protocol error.
 *
 * <pre>
 *   state        | Say(client)  Say(server)  Bye(any)  Hangup(any)
 *   -------------+---------------------------------------------------
 *   CLIENT_TURN  | SERVER_TURN  illegal      ENDED     ENDED
 *   SERVER_TURN  | illegal      CLIENT_TURN  ENDED     ENDED
 *   ENDED        | illegal      illegal      illegal   ENDED
 * </pre>
 *
 * <p>An illegal event raises {@link IllegalEventException} and leaves the state as it was. The
 * machine is pure: no I/O, no clock, no threads. It is not thread-safe; its owner serialises access.
 */
public final class Turns {

    /** Kinds of event, the table's columns (Say is split by speaker because turns depend on it). */
    private enum Column { SAY_CLIENT, SAY_SERVER, BYE, HANGUP }

    private static final Map<State, Map<Column, State>> TABLE = new EnumMap<>(State.class);

    static {
        row(State.CLIENT_TURN, Column.SAY_CLIENT, State.SERVER_TURN);
        row(State.CLIENT_TURN, Column.BYE, State.ENDED);
        row(State.CLIENT_TURN, Column.HANGUP, State.ENDED);
        row(State.SERVER_TURN, Column.SAY_SERVER, State.CLIENT_TURN);
        row(State.SERVER_TURN, Column.BYE, State.ENDED);
        row(State.SERVER_TURN, Column.HANGUP, State.ENDED);
        row(State.ENDED, Column.HANGUP, State.ENDED);
    }

    private static void row(State from, Column column, State to) {
        TABLE.computeIfAbsent(from, s -> new EnumMap<>(Column.class)).put(column, to);
    }

    private State state = State.CLIENT_TURN;

    /** The current state; a new conversation starts with the client's turn. */
    public State state() {
        return state;
    }

    /**
     * Applies {@code event} and returns the new state.
     *
     * @throws IllegalEventException if the event is not allowed now; the state is then unchanged
     */
    public State apply(Event event) {
        State next = TABLE.getOrDefault(state, Map.of()).get(column(Objects.requireNonNull(event)));
        if (next == null) {
            throw new IllegalEventException(state, event);
        }
        state = next;
        return next;
    }

    /** True when {@code event} would be accepted in the current state. */
    public boolean allows(Event event) {
        return TABLE.getOrDefault(state, Map.of()).containsKey(column(event));
    }

    private static Column column(Event event) {
        if (event instanceof Event.Say) {
            return event.by() == Role.CLIENT ? Column.SAY_CLIENT : Column.SAY_SERVER;
        }
        return event instanceof Event.Bye ? Column.BYE : Column.HANGUP;
    }
}
