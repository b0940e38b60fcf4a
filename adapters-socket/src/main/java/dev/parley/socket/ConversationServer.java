package dev.parley.socket;

import java.time.Duration;

/** A TCP server that runs one conversation per connection. */
public interface ConversationServer {

    /**
     * Binds and starts accepting.
     *
     * @throws NetworkException with a one-line message when the address cannot be bound
     */
    void start() throws NetworkException;

    /** The address actually bound, as {@code host:port} (the real port when 0 was asked). */
    String address();

    /** The port actually bound. */
    int port();

    /** How many conversations are open now. */
    int openConversations();

    /**
     * Stops accepting, says bye to every open conversation and waits up to {@code grace} for them
     * to end; the connections still open then are closed. Safe to call more than once.
     */
    void stop(Duration grace);

    /** Blocks until the server has stopped. */
    void awaitStopped() throws InterruptedException;
}
