package dev.parley.core.wire;

import java.util.Locale;
import java.util.Optional;

/** How messages are laid out on the wire: a decoder for what arrives, an encoder for what leaves. */
public interface Framing {

    /**
     * A fresh decoder for one connection.
     *
     * @return a decoder of this framing, holding nothing
     */
    FrameDecoder newDecoder();

    /**
     * The bytes that carry {@code message}.
     *
     * @param message a message of this side's
     * @return the message, framed
     * @throws UnsendableMessageException if this framing cannot carry it
     */
    byte[] encode(String message);

    /**
     * The bytes that say bye, or empty when this framing ends a conversation by closing alone.
     *
     * @return bye, framed; or empty
     */
    Optional<byte[]> farewell();

    /**
     * The bytes that report a fatal error before closing, or empty when the framing cannot.
     *
     * @param reason why this side ends the conversation, for the peer (any text: what the framing
     *     cannot carry is replaced)
     * @return the failure report, framed; or empty
     */
    Optional<byte[]> failure(String reason);

    /**
     * The bytes of a notice (not a message; it ends nothing), or empty when the framing cannot carry one.
     *
     * @param text the notice, for the peer's person (any text: what the framing cannot carry is replaced)
     * @return the notice, framed; or empty
     */
    Optional<byte[]> notice(String text);

    /**
     * How many bytes one read should ask for.
     *
     * @return a buffer size, in bytes
     */
    int readSize();

    /**
     * The name used on the command line.
     *
     * @return e.g. {@code line} or {@code raw}
     */
    String name();

    /**
     * Refuses a message with a lone UTF-16 surrogate: UTF-8 cannot carry it, and encoding it
     * silently as {@code ?} would change what was said.
     *
     * @param message a message about to be encoded
     * @throws UnsendableMessageException if {@code message} has an unpaired surrogate
     */
    static void requireWellFormed(String message) {
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < message.length() && Character.isLowSurrogate(message.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new UnsendableMessageException(
                        "a message cannot hold a lone UTF-16 surrogate (U+" + Integer.toHexString(c).toUpperCase(Locale.ROOT) + ")");
            }
        }
    }
}
