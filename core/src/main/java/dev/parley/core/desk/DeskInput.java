package dev.parley.core.desk;

import java.util.Objects;

/**
 * What happened at the desk, as its driver tells {@link Desk#handle}: a client arrived or left (its
 * conversation ended, however), an operator joined or left (or was cut off), or an operator passed
 * its client back, stepped away, came back or asked who waits. Clients and operators are named by
 * ids that are plain strings, unique among clients and among operators (across replicas, if the
 * desk is shared).
 */
public sealed interface DeskInput {

    /**
     * Which input this is: its row in the desk's table. A switch over it that leaves a kind out
     * does not compile, so a new input cannot slip past the table or a driver's dispatch.
     *
     * @return this input's kind, one for each record
     */
    Kind kind();

    /**
     * The id of the client or operator this input names: the one whose state the desk's table looks
     * up, and whose replica carries it out.
     *
     * @return the client's id for a client's input, else the operator's
     */
    default String subject() {
        return switch (kind()) {
            case CLIENT_ARRIVED -> ((DeskInput.ClientArrived) this).client();
            case CLIENT_LEFT -> ((DeskInput.ClientLeft) this).client();
            case OPERATOR_JOINED -> ((DeskInput.OperatorJoined) this).operator();
            case OPERATOR_LEFT -> ((DeskInput.OperatorLeft) this).operator();
            case PASS -> ((DeskInput.Pass) this).operator();
            case AWAY -> ((DeskInput.Away) this).operator();
            case BACK -> ((DeskInput.Back) this).operator();
            case WHO -> ((DeskInput.Who) this).operator();
        };
    }

    /** The kinds of input, one for each record of {@link DeskInput}, in the order of the desk's tables. */
    enum Kind {
        /** {@link ClientArrived}. */
        CLIENT_ARRIVED,
        /** {@link ClientLeft}. */
        CLIENT_LEFT,
        /** {@link OperatorJoined}. */
        OPERATOR_JOINED,
        /** {@link OperatorLeft}. */
        OPERATOR_LEFT,
        /** {@link Pass}. */
        PASS,
        /** {@link Away}. */
        AWAY,
        /** {@link Back}. */
        BACK,
        /** {@link Who}. */
        WHO
    }

    /**
     * A client's conversation opened: it joins the back of the line.
     *
     * @param client the client's id
     * @param label how operators are told of it, e.g. {@code conversation 3 (203.0.113.9:51000)}
     */
    record ClientArrived(String client, String label) implements DeskInput {
        /**
         * The client {@code client}, shown to operators as {@code label}.
         *
         * @param client the client's id
         * @param label how operators are told of it
         */
        public ClientArrived {
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(label, "label");
        }

        @Override
        public Kind kind() {
            return Kind.CLIENT_ARRIVED;
        }
    }

    /**
     * A client's conversation ended, however (bye from either side, a failure, a timeout).
     *
     * @param client the client's id
     */
    record ClientLeft(String client) implements DeskInput {
        /**
         * The client {@code client} left.
         *
         * @param client the client's id
         */
        public ClientLeft {
            Objects.requireNonNull(client, "client");
        }

        @Override
        public Kind kind() {
            return Kind.CLIENT_LEFT;
        }
    }

    /**
     * An operator came to the desk, free to take a client.
     *
     * @param operator the operator's id
     * @param name how other operators are told of it
     */
    record OperatorJoined(String operator, String name) implements DeskInput {
        /**
         * The operator {@code operator}, named {@code name}.
         *
         * @param operator the operator's id
         * @param name how other operators are told of it
         */
        public OperatorJoined {
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(name, "name");
        }

        @Override
        public Kind kind() {
            return Kind.OPERATOR_JOINED;
        }
    }

    /**
     * An operator left the desk, or was cut off: its client goes back to the front of the line.
     *
     * @param operator the operator's id
     */
    record OperatorLeft(String operator) implements DeskInput {
        /**
         * The operator {@code operator} left.
         *
         * @param operator the operator's id
         */
        public OperatorLeft {
            Objects.requireNonNull(operator, "operator");
        }

        @Override
        public Kind kind() {
            return Kind.OPERATOR_LEFT;
        }
    }

    /**
     * An operator hands its client back to the front of the line ({@code /pass}), for another operator.
     *
     * @param operator the operator's id
     */
    record Pass(String operator) implements DeskInput {
        /**
         * The operator {@code operator} passes its client.
         *
         * @param operator the operator's id
         */
        public Pass {
            Objects.requireNonNull(operator, "operator");
        }

        @Override
        public Kind kind() {
            return Kind.PASS;
        }
    }

    /**
     * An operator steps away ({@code /away}): offered no client until it is back; a conversation
     * under way goes on.
     *
     * @param operator the operator's id
     */
    record Away(String operator) implements DeskInput {
        /**
         * The operator {@code operator} steps away.
         *
         * @param operator the operator's id
         */
        public Away {
            Objects.requireNonNull(operator, "operator");
        }

        @Override
        public Kind kind() {
            return Kind.AWAY;
        }
    }

    /**
     * An operator is back ({@code /back}): offered clients again.
     *
     * @param operator the operator's id
     */
    record Back(String operator) implements DeskInput {
        /**
         * The operator {@code operator} is back.
         *
         * @param operator the operator's id
         */
        public Back {
            Objects.requireNonNull(operator, "operator");
        }

        @Override
        public Kind kind() {
            return Kind.BACK;
        }
    }

    /**
     * An operator asks who waits, and where the operators are ({@code /who}).
     *
     * @param operator the operator's id
     */
    record Who(String operator) implements DeskInput {
        /**
         * The operator {@code operator} asks who waits.
         *
         * @param operator the operator's id
         */
        public Who {
            Objects.requireNonNull(operator, "operator");
        }

        @Override
        public Kind kind() {
            return Kind.WHO;
        }
    }
}
