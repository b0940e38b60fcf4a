package dev.parley.socket.server;

import dev.parley.core.session.Input;

/** One open conversation of a server, as other threads see it: who it is, and a way to tell it things. */
public interface ConversationHandle {

    /** The conversation's number, unique in this server's run. */
    int id();

    /** The client's address, {@code host:port}. */
    String remote();

    /**
     * Hands {@code input} to the conversation's session on its own event loop (an operator's line,
     * an Attend or a Wait from a console, a Stop). Safe from any thread; never blocks. An input for
     * a conversation that has already closed is dropped.
     */
    void post(Input input);

    /** True when the conversation is over TLS. */
    default boolean tls() {
        return false;
    }

    /** The way it came in: the TCP port (in plain text or over TLS) or the web page. */
    default Front front() {
        return tls() ? Front.TLS : Front.TCP;
    }

    /** The fingerprint of the key the client presented (TLS, when the server asks clients for theirs); else null. */
    default String clientKey() {
        return null;
    }
}
