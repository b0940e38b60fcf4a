package dev.parley.core.session;

/** Which end of a conversation a party is: the client speaks first, the server answers. */
public enum Role {
    CLIENT,
    SERVER;

    /** The party at the other end of the wire. */
    public Role other() {
        return this == CLIENT ? SERVER : CLIENT;
    }

    /** Lower-case name for people: {@code client} or {@code server}. */
    public String label() {
        return this == CLIENT ? "client" : "server";
    }
}
