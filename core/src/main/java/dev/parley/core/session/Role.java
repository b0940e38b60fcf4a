package dev.parley.core.session;

/** Which end of a conversation a party is: the client speaks first, the server answers. */
public enum Role {
    /** The side that connects and speaks first. */
    CLIENT,
    /** The side that accepts and answers each message. */
    SERVER;

    /**
     * The party at the other end of the wire.
     *
     * @return {@link #SERVER} for the client, {@link #CLIENT} for the server
     */
    public Role other() {
        return this == CLIENT ? SERVER : CLIENT;
    }

    /**
     * Lower-case name for people: {@code client} or {@code server}.
     *
     * @return the name
     */
    public String label() {
        return this == CLIENT ? "client" : "server";
    }
}
