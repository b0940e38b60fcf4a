package dev.parley.web;

/** What the web port reports beside the conversations (the app decides how to show it). Called from the event loops. */
@FunctionalInterface
public interface WebEvents {

    /** A request from {@code remote} was refused; {@code reason} is in this server's words, never the peer's. */
    void refused(String remote, String reason);
}
