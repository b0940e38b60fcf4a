package dev.parley.socket.server;

import dev.parley.core.session.Limits;
import dev.parley.core.wire.Framing;
import dev.parley.core.wire.LineFraming;
import dev.parley.socket.Addresses;
import dev.parley.socket.NetworkException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * How a {@link TcpServer} listens and what it allows: where to bind, the framing and the session's
 * limits, how many conversations may be open at once and from one address (the next client is told
 * it is busy), how many bytes of its peers' data the server may hold in all (its memory budget: the
 * conversations holding the most are ended when it is reached), the listen backlog, and whether each
 * connection starts with a load balancer's PROXY protocol header giving the client's address.
 */
public record ServerSettings(String bind, int port, Framing framing, Limits limits, int maxConversations,
        int maxPerAddress, long memoryBudget, int backlog, boolean proxyProtocol) {

    public ServerSettings {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(framing, "framing");
        Objects.requireNonNull(limits, "limits");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (maxConversations < 1 || maxPerAddress < 1 || backlog < 1) {
            throw new IllegalArgumentException("maxConversations, maxPerAddress and backlog must be at least 1");
        }
        if (memoryBudget < 1) {
            throw new IllegalArgumentException("memoryBudget must be at least 1 byte, was " + memoryBudget);
        }
    }

    /** Settings for clients that connect directly, with no PROXY protocol header. */
    public ServerSettings(String bind, int port, Framing framing, Limits limits, int maxConversations,
            int maxPerAddress, long memoryBudget, int backlog) {
        this(bind, port, framing, limits, maxConversations, maxPerAddress, memoryBudget, backlog, false);
    }

    /** Settings with no limit per address, a quarter of the heap as the memory budget, and a backlog as large as the limit. */
    public ServerSettings(String bind, int port, Framing framing, Limits limits, int maxConversations) {
        this(bind, port, framing, limits, maxConversations, maxConversations, defaultMemoryBudget(),
                defaultBacklog(maxConversations));
    }

    /** A quarter of the largest heap this JVM may have: room for everything else the server holds. */
    public static long defaultMemoryBudget() {
        return Runtime.getRuntime().maxMemory() / 4;
    }

    /** Room for a burst of connections as large as the conversation limit (the kernel may cap it). */
    public static int defaultBacklog(int maxConversations) {
        return Math.max(128, Math.min(maxConversations, 65535));
    }

    /** The most a conversation may hold at once: an unfinished line of the limit, and one read. */
    public long mostHeldByOne() {
        return (framing instanceof LineFraming ? ((LineFraming) framing).maxLineBytes() + 2L : 0L) + 64 * 1024;
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

    /** The one-line error for a failed bind. */
    NetworkException bindFailed(Throwable e) {
        return bindFailed(where(), e);
    }

    /** The one-line error for a failed bind of {@code where} ({@code host:port}). */
    public static NetworkException bindFailed(String where, Throwable e) {
        String reason = e instanceof IOException ? Addresses.reason((IOException) e) : String.valueOf(e.getMessage());
        return new NetworkException("cannot listen on " + where + ": " + reason, e);
    }
}
