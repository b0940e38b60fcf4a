package dev.parley.core;

import java.util.Objects;

/** How a conversation ended, from one side's point of view. */
public record Outcome(Ending ending, Role peer, String detail) {

    /** The ways a conversation ends. */
    public enum Ending {
        /** This side said bye. */
        SAID_BYE(true),
        /** This side's input ended; the conversation was left as with bye. */
        INPUT_ENDED(true),
        /** This side was stopped (for example by a signal) and told the peer. */
        STOPPED(true),
        /** The peer said bye. */
        PEER_SAID_BYE(true),
        /** The peer closed the connection without bye. */
        PEER_CLOSED(true),
        /** The peer reported a fatal error, for example that it is busy. */
        PEER_FAILED(false),
        /** The peer sent a line over the limit; it was told and the connection closed. */
        PEER_LINE_TOO_LONG(false),
        /** The connection failed: reset, timed out, unreachable. */
        PEER_LOST(false),
        /** This side's automatic answer could not be sent (the framing cannot carry it); the peer was told. */
        UNSENDABLE_REPLY(false);

        private final boolean normal;

        Ending(boolean normal) {
            this.normal = normal;
        }

        /** True for an ending that is not a failure (exit code 0). */
        public boolean isNormal() {
            return normal;
        }
    }

    public Outcome {
        Objects.requireNonNull(ending, "ending");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(detail, "detail");
    }

    /** True when the conversation ended without a failure. */
    public boolean isNormal() {
        return ending.isNormal();
    }

    /** One line for people, e.g. "server said bye" or "connection to client lost: reset". */
    public String describe() {
        String who = peer.label();
        switch (ending) {
            case SAID_BYE:
                return "you said bye";
            case INPUT_ENDED:
                return "your input ended; left the conversation";
            case STOPPED:
                return "stopped; told the " + who;
            case PEER_SAID_BYE:
                return who + " said bye";
            case PEER_CLOSED:
                return who + " closed the connection";
            case PEER_FAILED:
                return who + " refused: " + detail;
            case PEER_LINE_TOO_LONG:
                return who + " sent a " + detail + "; told it and closed the connection";
            case PEER_LOST:
                return "connection to " + who + " lost: " + detail;
            case UNSENDABLE_REPLY:
                return "the reply could not be sent (" + detail + "); told the " + who;
            default:
                throw new AssertionError(ending);
        }
    }
}
