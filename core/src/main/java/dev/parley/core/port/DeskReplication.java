package dev.parley.core.port;

import dev.parley.core.desk.DeskInput;
import dev.parley.core.session.Outcome;
import java.util.Objects;

/**
 * Port: one desk shared by several servers (replicas). A desk's driver appends its inputs to one
 * ordered log instead of handing them to its {@link dev.parley.core.desk.Desk}; every replica,
 * this one included, gets the log back in the same order ({@link Receiver#apply}) and applies it to
 * its own desk, so all hold the same desk and each carries out the actions about its own clients
 * and operators. A conversation's turns between a client on one replica and an operator on another
 * go straight to the other replica ({@link #relay}), stamped with the log position they were sent
 * at: the receiver holds a turn until its desk has applied that much of the log. Ids made by a
 * replica start with its {@link #replica} id and a dot. Adapters: NATS ({@code adapters-cluster}).
 */
public interface DeskReplication {

    /**
     * This replica's id, unique for this run of the process.
     *
     * @return a word of letters and digits
     */
    String replica();

    /**
     * Starts receiving: the log from the desk's beginning, then as it grows, and the turns relayed to
     * this replica. Called once, before anything is appended.
     *
     * @param receiver where the log and the turns go (from the adapter's threads, one call at a time)
     */
    void start(Receiver receiver);

    /**
     * Appends {@code input} to the log. Never blocks: an adapter queues it (bounded).
     *
     * @param input what happened at this replica
     */
    void append(DeskInput input);

    /**
     * Appends {@link DeskInput.ClientLeft} for {@code client}, with how its conversation ended (told
     * to its operator, wherever that is).
     *
     * @param client the client's id
     * @param outcome how its conversation ended, from the server's side
     */
    void left(String client, Outcome outcome);

    /**
     * Sends {@code turn} to the replica of the client or operator it is for. Never blocks. A turn
     * the adapter cannot send, or learns later that it discarded (its outgoing queue full), is given
     * back to {@link Receiver#lost}: never lost without a word.
     *
     * @param turn the turn, addressed by its {@link Turn#to} id
     */
    void relay(Turn turn);

    /**
     * The bytes this adapter holds for the desk now (its appends waiting for the log), which the
     * desk's driver charges to its server's memory account after each input.
     *
     * @return the bytes held, by what they cost; 0 by default
     */
    default long heldBytes() {
        return 0;
    }

    /** What the log and the other replicas tell this one. */
    interface Receiver {

        /**
         * The log's next input, in order.
         *
         * @param position its place in the log, from one, increasing
         * @param input the input, to apply to the desk
         * @param outcome for a {@link DeskInput.ClientLeft}, how that conversation ended; else null
         */
        void apply(long position, DeskInput input, Outcome outcome);

        /**
         * A turn relayed to this replica by another.
         *
         * @param turn the turn
         */
        void relayed(Turn turn);

        /**
         * A turn this replica relayed that did not leave it (the adapter could not send it, or
         * discarded it): the conversation it belongs to cannot go on as if it had arrived.
         *
         * @param turn the turn, as it was given to {@link DeskReplication#relay}
         */
        void lost(Turn turn);

        /**
         * The shared log became unreachable ({@code false}) or reachable again ({@code true}).
         *
         * @param reachable whether the replicas can reach each other now
         */
        void reachable(boolean reachable);
    }

    /** What a turn relayed between replicas carries. */
    enum TurnKind {
        /** The client said {@code text}: for its operator. */
        HEARD,
        /** The client asks its operator for an answer. */
        ASK,
        /** A notice of the conversation's, {@code text}: for its operator. */
        NOTICE,
        /** The operator's line {@code text} ({@code prompted} or not): for its client. */
        LINE,
        /** The operator's input ended while the client asked: for its client. */
        DONE
    }

    /**
     * One turn of a conversation between a client and an operator on different replicas.
     *
     * @param position the log position the sender's desk had applied when it sent the turn
     * @param kind what it carries
     * @param operator the operator's id
     * @param client the client's id (the conversation's)
     * @param text the message, notice or line; empty for the others
     * @param prompted for a line: whether it answers the question the operator was shown
     */
    record Turn(long position, TurnKind kind, String operator, String client, String text, boolean prompted) {
        /**
         * A turn.
         *
         * @param position the log position the sender had applied
         * @param kind what it carries
         * @param operator the operator's id
         * @param client the client's id
         * @param text the text, or empty
         * @param prompted for a line: whether it answers the question shown
         */
        public Turn {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(text, "text");
        }

        /**
         * The id whose replica this turn is for: the operator's for what a client said or asked, the
         * client's for what an operator entered.
         *
         * @return the addressee's id
         */
        public String to() {
            return kind == TurnKind.LINE || kind == TurnKind.DONE ? client : operator;
        }

        /**
         * The replica an id was made by: what comes before its first dot.
         *
         * @param id a client's or an operator's id
         * @return the replica's id, or empty for an id with no dot (a desk of one server)
         */
        public static String replicaOf(String id) {
            int dot = id.indexOf('.');
            return dot < 0 ? "" : id.substring(0, dot);
        }
    }
}
