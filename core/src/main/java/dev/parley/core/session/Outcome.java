package dev.parley.core.session;

import java.util.Objects;

/**
 * How a conversation ended, from one side's point of view; {@code peer} is the other side.
 *
 * @param ending the way it ended
 * @param peer the other side (the server, for a client's outcome)
 * @param detail the reason given with a failure (the peer's words for {@link Ending#PEER_FAILED},
 *     what came of the cut-off line for {@link Ending#PEER_CUT_OFF}); empty for an ending that
 *     needs none
 */
public record Outcome(Ending ending, Role peer, String detail) {

    /** The ways a conversation ends. */
    public enum Ending {
        /** This side said bye. */
        SAID_BYE(true),
        /** This side's input ended; the conversation was left as with bye. */
        INPUT_ENDED(true),
        /** This side was stopped (a signal, a server shutting down) and told the peer. */
        STOPPED(true),
        /** The peer said bye. */
        PEER_SAID_BYE(true),
        /** The peer closed the connection without bye. */
        PEER_CLOSED(true),
        /**
         * The peer closed the connection in the middle of a line: that line was cut off, and is no
         * message (the detail holds what came of it, raw).
         */
        PEER_CUT_OFF(false),
        /** The peer reported a failure before closing, for example that it is busy. */
        PEER_FAILED(false),
        /** The peer sent a line over the limit; it was told and the connection closed. */
        PEER_LINE_TOO_LONG(false),
        /** The peer spoke when it was not its turn; it was told and the connection closed. */
        PEER_OUT_OF_TURN(false),
        /** The peer sent nothing for the idle timeout; it was told and the connection closed. */
        IDLE_TIMEOUT(false),
        /** The peer started a message and did not finish it within the line timeout; it was told. */
        LINE_TIMEOUT(false),
        /** The connection failed: reset, unreachable, or released under the conversation. */
        PEER_LOST(false),
        /** This side's automatic answer could not be sent (the framing cannot carry it); the peer was told. */
        UNSENDABLE_REPLY(false),
        /** This side refused the conversation (for example it was busy) and told the peer why. */
        REFUSED(false),
        /** This side ended an open conversation for a reason of its own (short of memory) and told the peer why. */
        DROPPED(false);

        private final boolean normal;

        Ending(boolean normal) {
            this.normal = normal;
        }

        /**
         * True for an ending that is not a failure (exit code 0).
         *
         * @return whether a conversation that ends this way ended normally
         */
        public boolean isNormal() {
            return normal;
        }
    }

    /**
     * The outcome {@code ending}, with {@code peer} on the other side, and {@code detail}.
     *
     * @param ending the way it ended
     * @param peer the other side
     * @param detail the reason given with a failure, or empty
     */
    public Outcome {
        Objects.requireNonNull(ending, "ending");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * True when the conversation ended without a failure.
     *
     * @return {@code ending().isNormal()}
     */
    public boolean isNormal() {
        return ending.isNormal();
    }

    /**
     * One line for people, e.g. "server said bye" or "connection to client lost: reset". The
     * detail may come from the peer: whoever prints this line renders it safely.
     *
     * @return the ending, in words
     */
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
                return who + " closed the connection without bye";
            case PEER_CUT_OFF:
                return who + " closed the connection in the middle of a line; cut off, not a message: '" + detail + "'";
            case PEER_FAILED:
                return who + " says: " + detail;
            case PEER_LINE_TOO_LONG:
            case PEER_OUT_OF_TURN:
            case IDLE_TIMEOUT:
            case LINE_TIMEOUT:
                return detail + "; told the " + who + " and closed the connection";
            case PEER_LOST:
                return "connection to " + who + " lost: " + detail;
            case UNSENDABLE_REPLY:
                return "the reply could not be sent (" + detail + "); told the " + who;
            case REFUSED:
                return "refused: " + detail + "; told the " + who;
            case DROPPED:
                return "dropped: " + detail + "; told the " + who;
            default:
                throw new AssertionError(ending);
        }
    }
}
