package dev.parley.core.wire;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The seed tutorial's framing, for talking to its Python programs: a message is whatever one read
 * returns (at most 1024 bytes) and is sent without a terminator. There is no bye on the wire: a
 * party that leaves just closes, as the seed's client does.
 */
public final class RawFraming implements Framing {

    /** The seed's {@code recv(1024)}. */
    public static final int READ_SIZE = 1024;

    /** The seed tutorial's framing. */
    public RawFraming() {
        // nothing to configure
    }

    @Override
    public FrameDecoder newDecoder() {
        return new RawDecoder();
    }

    @Override
    public byte[] encode(String message) {
        if (message.isEmpty()) {
            throw new UnsendableMessageException("raw framing cannot carry an empty message");
        }
        Framing.requireWellFormed(message);
        return message.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Optional<byte[]> farewell() {
        return Optional.empty();
    }

    @Override
    public Optional<byte[]> failure(String reason) {
        return Optional.empty();
    }

    @Override
    public Optional<byte[]> notice(String text) {
        return Optional.empty();
    }

    @Override
    public int readSize() {
        return READ_SIZE;
    }

    @Override
    public String name() {
        return "raw";
    }
}
