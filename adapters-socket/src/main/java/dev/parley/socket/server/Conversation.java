package dev.parley.socket.server;

import dev.parley.core.port.Operator;
import dev.parley.core.port.Transcript;
import dev.parley.core.session.Session;
import java.util.Objects;

/**
 * What the app gives the server for one connection: the session, who is asked when it is this
 * side's turn (unused when a responder answers), and where the conversation is shown or logged.
 */
public record Conversation(Session session, Operator operator, Transcript transcript) {

    public Conversation {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(transcript, "transcript");
    }

    /** The operator of a session whose replies come from a responder: asking it is a bug. */
    public static final Operator NO_OPERATOR = () -> {
        throw new IllegalStateException("this conversation is answered by a responder; no operator is asked");
    };
}
