package dev.parley.socket;

import dev.parley.core.wire.Framing;
import java.util.Objects;

/**
 * How a {@link SocketServer} listens and what it allows. {@code serial}: one conversation at a
 * time, the next client waiting in the listen queue (a person answers); otherwise conversations
 * run concurrently, up to {@code maxConversations}, and a client over the limit is told it is busy.
 */
public record ServerSettings(
        String bind, int port, Framing framing, int maxConversations, Limits limits, boolean serial) {

    public ServerSettings {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(framing, "framing");
        Objects.requireNonNull(limits, "limits");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (maxConversations < 1) {
            throw new IllegalArgumentException("maxConversations must be at least 1, was " + maxConversations);
        }
    }
}
