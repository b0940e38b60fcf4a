package dev.parley.core;

/** Where a conversation stands: whose turn it is to speak, or that it is over. */
public enum State {
    CLIENT_TURN,
    SERVER_TURN,
    ENDED;

    /** The state in which {@code role} holds the turn. */
    public static State turnOf(Role role) {
        return role == Role.CLIENT ? CLIENT_TURN : SERVER_TURN;
    }

    /** True when {@code role} may speak now. */
    public boolean isTurnOf(Role role) {
        return this == turnOf(role);
    }
}
