package dev.parley.socket.server;

import dev.parley.core.port.Operator;
import dev.parley.core.port.Transcript;
import dev.parley.core.session.Session;
import dev.parley.core.wire.Framing;
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

    /** A refused connection's: a session that only refuses, and nothing shown (the refusal is logged by {@link ServerEvents#refused}). */
    static Conversation refusing(Framing framing) {
        return new Conversation(Session.refusing(framing), NO_OPERATOR, Transcript.endingOnly(refused -> { }));
    }
}
