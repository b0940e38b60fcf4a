package dev.parley.core.session;

import java.util.Objects;

/**
 * What happened to a conversation, as its driver tells {@link Session#handle}: the connection
 * opened (or is refused), the peer sent bytes, ended its input or failed, the operator typed a line
 * or ended its input, someone stopped it, time passed, the operator came to it or it must wait.
 */
public sealed interface Input {

    /**
     * Which input this is: its row in the session's table. A switch over it that leaves a kind out
     * does not compile, so a new input cannot slip past the table or a driver's dispatch.
     *
     * @return this input's kind, one for each record
     */
    Kind kind();

    /** The kinds of input, one for each record of {@link Input}, in the order of the session's table. */
    enum Kind {
        /** {@link Open}. */
        OPEN,
        /** {@link Refuse}. */
        REFUSE,
        /** {@link PeerBytes}. */
        PEER_BYTES,
        /** {@link PeerClosed}. */
        PEER_CLOSED,
        /** {@link PeerGone}. */
        PEER_GONE,
        /** {@link PeerFailed}. */
        PEER_FAILED,
        /** {@link OperatorLine}. */
        OPERATOR_LINE,
        /** {@link OperatorDone}. */
        OPERATOR_DONE,
        /** {@link Stop}. */
        STOP,
        /** {@link Tick}. */
        TICK,
        /** {@link Attend}. */
        ATTEND,
        /** {@link Wait}. */
        WAIT,
        /** {@link Drop}. */
        DROP,
        /** {@link OutputBlocked}. */
        OUTPUT_BLOCKED,
        /** {@link OutputFlowing}. */
        OUTPUT_FLOWING
    }

    /** The connection is established: the conversation starts. */
    record Open() implements Input {
        @Override
        public Kind kind() {
            return Kind.OPEN;
        }
    }

    /**
     * Instead of opening, the conversation is refused (for example the server is busy).
     *
     * @param refusal why, in the words the peer is told
     */
    record Refuse(Refusal refusal) implements Input {
        /**
         * Refuses the conversation for {@code refusal}.
         *
         * @param refusal why
         */
        public Refuse {
            Objects.requireNonNull(refusal, "refusal");
        }

        @Override
        public Kind kind() {
            return Kind.REFUSE;
        }
    }

    /**
     * The peer sent {@code bytes[offset, offset + length)}. They are copied before {@code handle}
     * returns: the driver may reuse its buffer.
     *
     * @param bytes the buffer the bytes were read into
     * @param offset where they start in {@code bytes}
     * @param length how many there are
     */
    record PeerBytes(byte[] bytes, int offset, int length) implements Input {
        /**
         * The bytes {@code bytes[offset, offset + length)}.
         *
         * @param bytes the buffer the bytes were read into
         * @param offset where they start
         * @param length how many there are
         * @throws IndexOutOfBoundsException if the range is not within {@code bytes}
         */
        public PeerBytes {
            Objects.checkFromIndexSize(offset, length, bytes.length);
        }

        /**
         * All of {@code bytes}.
         *
         * @param bytes the bytes the peer sent
         */
        public PeerBytes(byte[] bytes) {
            this(bytes, 0, bytes.length);
        }

        @Override
        public String toString() {
            return "PeerBytes[" + length + " bytes]";
        }

        @Override
        public Kind kind() {
            return Kind.PEER_BYTES;
        }
    }

    /** The peer's input ended cleanly: it closed (or half-closed) the connection. */
    record PeerClosed() implements Input {
        @Override
        public Kind kind() {
            return Kind.PEER_CLOSED;
        }
    }

    /**
     * The peer has gone: it closed the whole connection and reads nothing more (a browser's
     * WebSocket Close frame: its tab was closed, or it left the page). Unlike {@link PeerClosed},
     * which may be a half-close, nothing is kept for it: the conversation ends at once.
     */
    record PeerGone() implements Input {
        @Override
        public Kind kind() {
            return Kind.PEER_GONE;
        }
    }

    /**
     * The connection failed: reset, unreachable, or unusable; {@code reason} is for people.
     *
     * @param reason what went wrong, for people (for example {@code reset})
     */
    record PeerFailed(String reason) implements Input {
        /**
         * The connection failed for {@code reason}.
         *
         * @param reason what went wrong, for people
         */
        public PeerFailed {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Kind kind() {
            return Kind.PEER_FAILED;
        }
    }

    /**
     * This side's operator (a person, a script on stdin) said {@code text}. A console hands over
     * every line its person enters, in or out of turn; the session decides which are sent.
     *
     * @param text the line, without its line ending
     * @param prompted whether it answers a question the operator was shown: a person entered it at
     *     the prompt that asked for it, or a script gave it for a question. False for a line a person
     *     entered while no question showed, which is never sent, even if a question came meanwhile.
     */
    record OperatorLine(String text, boolean prompted) implements Input {
        /**
         * The operator said {@code text}.
         *
         * @param text the line, without its line ending
         * @param prompted whether it answers a question the operator was shown
         */
        public OperatorLine {
            Objects.requireNonNull(text, "text");
        }

        /**
         * The operator said {@code text} for the question open now (a script, a person at the prompt).
         *
         * @param text the line, without its line ending
         */
        public OperatorLine(String text) {
            this(text, true);
        }

        @Override
        public Kind kind() {
            return Kind.OPERATOR_LINE;
        }
    }

    /** This side's operator has nothing more to say: its input ended (Ctrl-D, the end of a pipe). */
    record OperatorDone() implements Input {
        @Override
        public Kind kind() {
            return Kind.OPERATOR_DONE;
        }
    }

    /** Leave now, whoever holds the turn (Ctrl-C, SIGTERM, a server shutting down). */
    record Stop() implements Input {
        @Override
        public Kind kind() {
            return Kind.STOP;
        }
    }

    /** Time passed: the session checks its deadlines against the time given with it. */
    record Tick() implements Input {
        @Override
        public Kind kind() {
            return Kind.TICK;
        }
    }

    /**
     * A server's operator (a person, shared by many conversations) is with this conversation, and
     * {@code othersWaiting} other conversations wait for that person; sent again when that number
     * changes.
     *
     * @param othersWaiting how many other conversations wait for the operator (zero or more)
     */
    record Attend(int othersWaiting) implements Input {
        /**
         * The operator is with this conversation, and {@code othersWaiting} others wait.
         *
         * @param othersWaiting how many other conversations wait for the operator
         * @throws IllegalArgumentException if {@code othersWaiting} is negative
         */
        public Attend {
            if (othersWaiting < 0) {
                throw new IllegalArgumentException("othersWaiting cannot be negative, was " + othersWaiting);
            }
        }

        /** The operator is with this conversation, and no one else waits. */
        public Attend() {
            this(0);
        }

        @Override
        public Kind kind() {
            return Kind.ATTEND;
        }
    }

    /**
     * The server ends this open conversation for a reason of its own (it is short of memory), telling the peer.
     *
     * @param reason why, in the words the peer is told
     */
    record Drop(Refusal reason) implements Input {
        /**
         * Drops the conversation for {@code reason}.
         *
         * @param reason why
         */
        public Drop {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Kind kind() {
            return Kind.DROP;
        }
    }

    /** The peer takes none of this side's bytes: they queue up unwritten (the idle clock runs). */
    record OutputBlocked() implements Input {
        @Override
        public Kind kind() {
            return Kind.OUTPUT_BLOCKED;
        }
    }

    /** The peer takes this side's bytes again. */
    record OutputFlowing() implements Input {
        @Override
        public Kind kind() {
            return Kind.OUTPUT_FLOWING;
        }
    }

    /**
     * A server's operator is not with this conversation (with someone else, away, or it handed this
     * one back to the line): it waits, number {@code ahead} in line.
     *
     * @param ahead this conversation's place in line, from one: the next to be taken is number one
     */
    record Wait(int ahead) implements Input {
        /**
         * The conversation waits, number {@code ahead} in line.
         *
         * @param ahead its place in line, from one
         * @throws IllegalArgumentException if {@code ahead} is less than one
         */
        public Wait {
            if (ahead < 1) {
                throw new IllegalArgumentException("ahead must be at least 1, was " + ahead);
            }
        }

        @Override
        public Kind kind() {
            return Kind.WAIT;
        }
    }
}
