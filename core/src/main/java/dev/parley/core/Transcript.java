package dev.parley.core;

/** Port: where the conversation is shown as it happens. */
public interface Transcript {

    /** The peer said {@code message} (never "bye", which ends the conversation instead). */
    void heard(String message);

    /** Something the local party should know that is not a message, for example a refused send. */
    void notice(String text);

    /** The conversation is over; called exactly once. */
    void ended(Outcome outcome);
}
