package dev.parley.core;

import java.util.Objects;

/** What {@link Peer#receive()} brings: a message, or how the peer's side of the wire ended. */
public sealed interface Incoming {

    /** The peer said this (it may be "bye"; the conversation decides). */
    record Message(String text) implements Incoming {
        public Message {
            Objects.requireNonNull(text, "text");
        }
    }

    /** The peer's input ended cleanly (it closed the connection). */
    record Closed() implements Incoming {}

    /** The peer reported a fatal error before closing, for example that it is busy. */
    record Failed(String reason) implements Incoming {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The peer sent a message longer than the limit; it was discarded. */
    record TooLong(int limit) implements Incoming {}

    /** The connection failed: reset, timed out, or otherwise unusable. */
    record Lost(String reason) implements Incoming {
        public Lost {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
