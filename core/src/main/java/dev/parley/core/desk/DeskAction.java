package dev.parley.core.desk;

import java.util.Objects;

/**
 * What {@link Desk#handle} decided: connect an operator with a client, tell a waiting client its
 * place, tell an attended client how many wait, hand a client back to the line, tell an operator
 * something. A driver carries them out in order; each names only ids, so a driver that shares the
 * desk with others carries out the actions about its own clients and operators.
 */
public sealed interface DeskAction {

    /**
     * Which action this is. A switch over it that leaves a kind out does not compile.
     *
     * @return this action's kind, one for each record
     */
    Kind kind();

    /** The kinds of action, one for each record of {@link DeskAction}. */
    enum Kind {
        /** {@link Connect}. */
        CONNECT,
        /** {@link Place}. */
        PLACE,
        /** {@link Others}. */
        OTHERS,
        /** {@link HandedBack}. */
        HANDED_BACK,
        /** {@link Tell}. */
        TELL
    }

    /**
     * The operator is now with the client: its messages go to that operator, and that operator's
     * answers to it (the session is told {@code Attend(waiting)}).
     *
     * @param operator the operator's id
     * @param client the client's id
     * @param label how the operator is told of the client
     * @param waiting how many clients wait in line now
     */
    record Connect(String operator, String client, String label, int waiting) implements DeskAction {
        /**
         * Connects {@code operator} with {@code client}.
         *
         * @param operator the operator's id
         * @param client the client's id
         * @param label how the operator is told of the client
         * @param waiting how many clients wait in line
         */
        public Connect {
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(label, "label");
        }

        @Override
        public Kind kind() {
            return Kind.CONNECT;
        }
    }

    /**
     * A waiting client's place in line changed (or it was not told it yet): the session is told
     * {@code Wait(place)}.
     *
     * @param client the client's id
     * @param place its place in line, from one (the next to be taken)
     */
    record Place(String client, int place) implements DeskAction {
        /**
         * Tells {@code client} it is number {@code place} in line.
         *
         * @param client the client's id
         * @param place its place in line, from one
         */
        public Place {
            Objects.requireNonNull(client, "client");
        }

        @Override
        public Kind kind() {
            return Kind.PLACE;
        }
    }

    /**
     * How many clients wait changed, for a client an operator is with (the session's first-message
     * rule counts only while others wait): the session is told {@code Attend(waiting)}.
     *
     * @param client the client's id
     * @param waiting how many clients wait in line
     */
    record Others(String client, int waiting) implements DeskAction {
        /**
         * Tells {@code client} that {@code waiting} others wait.
         *
         * @param client the client's id
         * @param waiting how many clients wait in line
         */
        public Others {
            Objects.requireNonNull(client, "client");
        }

        @Override
        public Kind kind() {
            return Kind.OTHERS;
        }
    }

    /**
     * The client is no longer with the operator: it is back at the front of the line. Its
     * operator's open question is withdrawn; a {@link Place} follows at once (its session learns it
     * waits), and a {@link Connect} if another operator takes it.
     *
     * @param client the client's id
     * @param operator the operator it was with
     * @param why why it was handed back
     */
    record HandedBack(String client, String operator, Why why) implements DeskAction {
        /**
         * Hands {@code client} back from {@code operator}, for {@code why}.
         *
         * @param client the client's id
         * @param operator the operator it was with
         * @param why why
         */
        public HandedBack {
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(why, "why");
        }

        @Override
        public Kind kind() {
            return Kind.HANDED_BACK;
        }
    }

    /** Why a client was handed back to the line. */
    enum Why {
        /** Its operator passed it ({@code /pass}). */
        PASSED,
        /** Its operator left the desk, or was cut off. */
        OPERATOR_LEFT
    }

    /**
     * A status line for one operator (a client waits, a pass done, the answer to {@code /who}).
     *
     * @param operator the operator's id
     * @param text what to tell it, for people (labels and names in it came with the inputs: render them safely)
     */
    record Tell(String operator, String text) implements DeskAction {
        /**
         * Tells {@code operator} {@code text}.
         *
         * @param operator the operator's id
         * @param text what to tell it
         */
        public Tell {
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(text, "text");
        }

        @Override
        public Kind kind() {
            return Kind.TELL;
        }
    }
}
