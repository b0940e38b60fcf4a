package dev.parley.core;

import dev.parley.core.wire.Frame;
import dev.parley.core.wire.FrameDecoder;
import dev.parley.core.wire.FrameTooLongException;
import java.util.Objects;
import java.util.Optional;

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

    /**
     * The next thing a peer adapter should hand out from {@code decoder}, or empty when the decoder
     * needs more bytes. Every adapter that decodes a byte stream maps frames the same way, here.
     */
    static Optional<Incoming> next(FrameDecoder decoder) {
        Frame frame;
        try {
            frame = decoder.next();
        } catch (FrameTooLongException e) {
            return Optional.of(new TooLong(e.limit()));
        }
        if (frame instanceof Frame.Message) {
            return Optional.of(new Message(((Frame.Message) frame).text()));
        }
        if (frame instanceof Frame.Failure) {
            return Optional.of(new Failed(((Frame.Failure) frame).reason()));
        }
        if (frame instanceof Frame.End) {
            return Optional.of(new Closed());
        }
        return Optional.empty();
    }
}
