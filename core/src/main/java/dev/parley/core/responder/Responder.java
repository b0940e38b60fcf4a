package dev.parley.core.responder;

/**
 * Port: an automatic answerer on the server (an echo, a script, your own bot). Pure: it does no
 * I/O, keeps no clock and is called by one session at a time, so one instance may serve every
 * conversation if it keeps no state of its own (the turn number is passed in).
 */
@FunctionalInterface
public interface Responder {

    /**
     * The reply to the client's message {@code heard}, the {@code turn}-th of the conversation
     * (counting from 0). A reply that is {@code bye} ends the conversation; one the framing cannot
     * carry ends it with a failure (asking again would bring the same answer).
     *
     * @param turn which of the client's messages this is, counting from 0
     * @param heard the client's message
     * @return the reply
     */
    String reply(int turn, String heard);

    /**
     * Answers each message with the same text.
     *
     * @return an echo, which keeps no state and may serve every conversation
     */
    static Responder echo() {
        return (turn, heard) -> heard;
    }

    /**
     * Answers with the script's lines in order, whatever it hears, then says bye.
     *
     * @param script the lines to say
     * @return a responder that says line {@code turn} of the script at each turn, and bye after the last
     */
    static Responder script(Script script) {
        return (turn, heard) -> turn < script.size() ? script.line(turn) : "bye";
    }
}
