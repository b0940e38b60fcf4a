package dev.parley.socket.server;

/**
 * What a {@link TcpServer} reports about itself, beside each conversation's own transcript; the app
 * decides how to show it. Called from the server's event loops.
 */
public interface ServerEvents {

    /** Listening on {@code address} ({@code host:port}, the real port when 0 was asked). */
    void listening(String address);

    /** A conversation was admitted. */
    void opened(ConversationHandle conversation);

    /**
     * A conversation {@link #opened} has closed: called once for each, from its connection's close,
     * whatever ended it (its session's ending, a crash, a stop).
     */
    default void closed(ConversationHandle conversation) {}

    /** A connection was refused (told why, then closed); {@code reason} is what it was told. */
    void refused(String remote, String reason);

    /** Accepting connections failed ({@code reason}: the open-file limit reached, say); it pauses and retries. Once per episode. */
    void acceptFailed(String reason);

    /** Accepting works again after {@link #acceptFailed}. */
    void acceptingAgain();

    /**
     * A conversation failed in a way its session did not expect (a bug; an {@link Error} that ends
     * only its connection); its connection was closed, the server goes on.
     */
    void crashed(ConversationHandle conversation, Throwable e);

    /**
     * An operator said its hello at the operators' port and joined the desk.
     *
     * @param remote its address
     * @param name the name its hello gave (hostile: render it safely)
     * @param key the fingerprint of its key over TLS, else null
     */
    default void operatorJoined(String remote, String name, String key) {}

    /**
     * An operator left the desk: its input ended, it was cut off, or its connection was ended for a fault.
     *
     * @param remote its address
     * @param name its name (hostile: render it safely)
     * @param how how it went, for people
     */
    default void operatorLeft(String remote, String name, String how) {}
}
