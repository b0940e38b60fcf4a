package dev.parley.core.session;

import java.util.Objects;

/** Why a server will not take a conversation, or keep one, in the words its peer is told. */
public sealed interface Refusal {

    /**
     * The failure report sent to the peer, e.g. {@code busy: 100 conversations open, ...}.
     *
     * @return the reason, in the words the peer is told
     */
    String reason();

    /**
     * As many conversations are open as the server takes.
     *
     * @param open how many conversations are open
     */
    record Busy(int open) implements Refusal {
        @Override
        public String reason() {
            return "busy: " + open + (open == 1 ? " conversation" : " conversations")
                    + " open, the most this server takes; try again later";
        }
    }

    /**
     * One address holds as many conversations as the server takes from one.
     *
     * @param limit the most conversations the server takes from one address
     */
    record TooManyFromAddress(int limit) implements Refusal {
        @Override
        public String reason() {
            return "too many: " + limit + (limit == 1 ? " conversation" : " conversations")
                    + " from your address, the most this server takes from one; try again later";
        }
    }

    /**
     * The peer sent something its transport carries but that is not a message of this protocol (a
     * WebSocket frame that is binary, or holds a line feed): the conversation is ended, the peer told why.
     *
     * @param detail what was wrong, for the peer's person (e.g. {@code a frame holds a line feed})
     */
    record NotAMessage(String detail) implements Refusal {
        /**
         * Refuses what the peer sent because of {@code detail}.
         *
         * @param detail what was wrong
         */
        public NotAMessage {
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String reason() {
            return "not a message: " + detail;
        }
    }

    /** The server holds as much of its peers' data as its memory budget allows. */
    record ShortOfMemory() implements Refusal {
        @Override
        public String reason() {
            return "memory: the server holds as much data as it can; try again later";
        }
    }

    /**
     * What the server needs to serve the conversation is out of reach (a help desk shared by
     * replicas whose link to the others is lost).
     *
     * @param detail what is out of reach, for the peer's person (e.g. {@code the help desk's other servers})
     */
    record Unavailable(String detail) implements Refusal {
        /**
         * Refuses or ends the conversation because {@code detail} is out of reach.
         *
         * @param detail what is out of reach
         */
        public Unavailable {
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String reason() {
            return "unavailable: " + detail + " cannot be reached; try again later";
        }
    }
}
