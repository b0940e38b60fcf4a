package dev.parley.core.session;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * What {@link Session#handle} decided: send bytes, show a message or a notice, ask the operator,
 * end the output, close, and how the conversation ended. A driver carries them out in order.
 */
public sealed interface Action {

    /** Write {@code bytes} to the peer; {@code what} says what they carry, for transcripts. */
    record Send(Sent what, byte[] bytes) implements Action {
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
    }

    /** The peer said {@code message} in its turn (never bye): show it to this side's person. */
    record Show(String message) implements Action {
        public Show {
            Objects.requireNonNull(message, "message");
        }
    }

    /** Something this side's person should know that is not a message (a refused line, the peer's notice). */
    record Notice(String text) implements Action {
        public Notice {
            Objects.requireNonNull(text, "text");
        }
    }

    /** This side's turn, and a person answers: prompt, and give the next line as {@link Input.OperatorLine}. */
    record AskOperator() implements Action {}

    /** Nothing more will be sent: end the output (half-close) once what was sent is written. */
    record EndOutput() implements Action {}

    /** Release the connection, once what was sent is written. Nothing comes after it. */
    record Close() implements Action {}

    /** The conversation ended, like this; said exactly once, before or with {@link Close}. */
    record Ended(Outcome outcome) implements Action {
        public Ended {
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /** What a {@link Send} carries. */
    sealed interface Sent {
        /** A message of this side's. */
        record Message(String text) implements Sent {}

        /** Bye. */
        record Bye() implements Sent {}

        /** A failure report, just before closing. */
        record Failure(String reason) implements Sent {}

        /** A notice: not a message, ends nothing. */
        record Notice(String text) implements Sent {}
    }
}
