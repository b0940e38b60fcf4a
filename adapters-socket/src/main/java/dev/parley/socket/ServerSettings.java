package dev.parley.socket;

import dev.parley.core.session.Limits;
import dev.parley.core.wire.Framing;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * How a {@link TcpServer} listens and what it allows: where to bind, the framing and the session's
 * limits, and how many conversations may be open at once (the next client is told it is busy).
 */
public record ServerSettings(String bind, int port, Framing framing, Limits limits, int maxConversations) {

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

    /** The bind address as {@code host:port}, for messages. */
    public String where() {
        return Addresses.format(bind, port);
    }

    /**
     * The address to bind.
     *
     * @throws NetworkException when the bind host does not resolve
     */
    InetSocketAddress listenAddress() throws NetworkException {
        InetSocketAddress address = new InetSocketAddress(bind, port);
        if (address.isUnresolved()) {
            throw new NetworkException("cannot listen on " + where() + ": unknown host", null);
        }
        return address;
    }

    /** The listen backlog: room for a burst of connections as large as the conversation limit. */
    int backlog() {
        return Math.max(128, Math.min(maxConversations, 65535));
    }

    /** The one-line error for a failed bind. */
    NetworkException bindFailed(Throwable e) {
        String reason = e instanceof IOException ? Addresses.reason((IOException) e) : String.valueOf(e.getMessage());
        return new NetworkException("cannot listen on " + where() + ": " + reason, e);
    }
}
