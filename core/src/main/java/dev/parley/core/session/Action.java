package dev.parley.core.session;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * What {@link Session#handle} decided: send bytes, show a message or a notice, ask the operator,
 * end the output, close, and how the conversation ended. A driver carries them out in order.
 */
public sealed interface Action {

    /**
     * Which action this is. A switch over it that leaves a kind out does not compile, so a new
     * action cannot slip past a driver's dispatch ({@link dev.parley.core.port.Actions#carryOut}).
     *
     * @return this action's kind, one for each record
     */
    Kind kind();

    /** The kinds of action, one for each record of {@link Action}. */
    enum Kind {
        /** {@link Send}. */
        SEND,
        /** {@link Show}. */
        SHOW,
        /** {@link ShowNotice}. */
        SHOW_NOTICE,
        /** {@link AskOperator}. */
        ASK_OPERATOR,
        /** {@link EndOutput}. */
        END_OUTPUT,
        /** {@link Close}. */
        CLOSE,
        /** {@link Ended}. */
        ENDED
    }

    /**
     * Write {@code bytes} to the peer; {@code what} says what they carry, for transcripts. Two
     * sends are equal when they carry the same thing in the same bytes.
     *
     * @param what what the bytes carry: a message, bye, a failure report or a notice
     * @param bytes the bytes to write, already framed (the array is the driver's to keep)
     */
    record Send(Sent what, byte[] bytes) implements Action {
        /**
         * A send of {@code bytes}, which carry {@code what}.
         *
         * @param what what the bytes carry
         * @param bytes the bytes to write
         */
        public Send {
            Objects.requireNonNull(what, "what");
            Objects.requireNonNull(bytes, "bytes");
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Send && what.equals(((Send) other).what) && Arrays.equals(bytes, ((Send) other).bytes);
        }

        @Override
        public int hashCode() {
            return 31 * what.hashCode() + Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Send[" + what + ", " + new String(bytes, StandardCharsets.UTF_8).replace("\n", "\\n") + "]";
        }

        @Override
        public Kind kind() {
            return Kind.SEND;
        }
    }

    /**
     * The peer said {@code message} in its turn (never bye): show it to this side's person.
     *
     * @param message the peer's message, as it sent it (render it safely before showing it)
     */
    record Show(String message) implements Action {
        /**
         * Shows {@code message}.
         *
         * @param message the peer's message
         */
        public Show {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public Kind kind() {
            return Kind.SHOW;
        }
    }

    /**
     * Show this side's person something that is not a message (a refused line, the peer's notice):
     * {@link dev.parley.core.port.Transcript#notice}. Nothing goes on the wire; a notice sent to the
     * peer is a {@link Send} of a {@link Sent.Notice}.
     *
     * @param text the notice, for people (it may quote the peer: render it safely)
     */
    record ShowNotice(String text) implements Action {
        /**
         * Shows the notice {@code text}.
         *
         * @param text the notice, for people
         */
        public ShowNotice {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public Kind kind() {
            return Kind.SHOW_NOTICE;
        }
    }

    /** This side's turn, and a person answers: prompt, and give the next line as {@link Input.OperatorLine}. */
    record AskOperator() implements Action {
        @Override
        public Kind kind() {
            return Kind.ASK_OPERATOR;
        }
    }

    /** Nothing more will be sent: end the output (half-close) once what was sent is written. */
    record EndOutput() implements Action {
        @Override
        public Kind kind() {
            return Kind.END_OUTPUT;
        }
    }

    /** Release the connection, once what was sent is written. Nothing comes after it. */
    record Close() implements Action {
        @Override
        public Kind kind() {
            return Kind.CLOSE;
        }
    }

    /**
     * The conversation ended, like this; said exactly once, before or with {@link Close}.
     *
     * @param outcome how it ended
     */
    record Ended(Outcome outcome) implements Action {
        /**
         * The conversation ended with {@code outcome}.
         *
         * @param outcome how it ended
         */
        public Ended {
            Objects.requireNonNull(outcome, "outcome");
        }

        @Override
        public Kind kind() {
            return Kind.ENDED;
        }
    }

    /** What a {@link Send} carries. */
    sealed interface Sent {
        /**
         * A message of this side's.
         *
         * @param text the message, unframed
         */
        record Message(String text) implements Sent {}

        /** Bye. */
        record Bye() implements Sent {}

        /**
         * A failure report, just before closing.
         *
         * @param reason why this side ends the conversation, as the peer is told
         */
        record Failure(String reason) implements Sent {}

        /**
         * A notice on the wire ({@code !notice: ...}): not a message, ends nothing. (What this side's
         * own person is shown is a {@link ShowNotice}, which sends nothing.)
         *
         * @param text a short summary of the notice (for example {@code waiting: 2 ahead})
         */
        record Notice(String text) implements Sent {}
    }
}
