package dev.parley.core.wire;

import java.util.Optional;

/** How messages are laid out on the wire: a decoder for what arrives, an encoder for what leaves. */
public interface Framing {

    /** A fresh decoder for one connection. */
    FrameDecoder newDecoder();

    /**
     * The bytes that carry {@code message}.
     *
     * @throws UnsendableMessageException if this framing cannot carry it
     */
    byte[] encode(String message);

    /** The bytes that say bye, or empty when this framing ends a conversation by closing alone. */
    Optional<byte[]> farewell();

    /** The bytes that report a fatal error before closing, or empty when the framing cannot. */
    Optional<byte[]> failure(String reason);

    /** How many bytes one read should ask for. */
    int readSize();

    /** The name used on the command line. */
    String name();
}
