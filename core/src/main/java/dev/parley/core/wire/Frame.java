package dev.parley.core.wire;

import java.util.Objects;

/**
 * What a decoder hands out next: a message, the peer's failure report or notice, a frame the end of
 * input cut off, "need more data", or the end.
 */
public sealed interface Frame {

    /**
     * A complete message, decoded from UTF-8 (invalid bytes become U+FFFD).
     *
     * @param text the message, without its framing
     */
    record Message(String text) implements Frame {
        /**
         * The message {@code text}.
         *
         * @param text the message, without its framing
         */
        public Message {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * The peer reports an error that ends the conversation (for example that it is busy).
     *
     * @param reason the peer's reason, as it sent it
     */
    record Failure(String reason) implements Frame {
        /**
         * The failure report {@code reason}.
         *
         * @param reason the peer's reason
         */
        public Failure {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The peer says something that is not a message and ends nothing (for example that one waits).
     *
     * @param text the notice, as the peer sent it
     */
    record Notice(String text) implements Frame {
        /**
         * The notice {@code text}.
         *
         * @param text the notice
         */
        public Notice {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * The start of a frame that the end of input cut off (a last line without its line feed): never
     * a message, whatever it says. It comes once, just before {@link #END}.
     *
     * @param text what came of the frame, decoded as a message would be, without its framing
     */
    record CutOff(String text) implements Frame {
        /**
         * The cut-off frame {@code text}.
         *
         * @param text what came of it
         */
        public CutOff {
            Objects.requireNonNull(text, "text");
        }
    }

    /** No complete frame yet: feed more bytes or signal the end of input. */
    record NeedData() implements Frame {}

    /** The input has ended and every frame has been handed out. */
    record End() implements Frame {}

    /** The one {@link NeedData} value. */
    Frame NEED_DATA = new NeedData();

    /** The one {@link End} value. */
    Frame END = new End();
}
