package dev.parley.socket.server;

import dev.parley.socket.Addresses;
import dev.parley.socket.tls.ServerTls;
import java.time.Duration;
import java.util.Objects;

/**
 * The operators' port ({@code --operators}): where it listens, the desk its operators join, its TLS
 * (the server's identity, operators admitted by key; null: plain text, which the app allows on a
 * loopback address only), how many operators may be connected at once, how long a connection has to
 * say its hello (the handshake timeout), and where clients connect (told to a client that comes here).
 *
 * @param bind the address to listen on
 * @param port the port, 0 for any free one
 * @param desk the desk every operator joins
 * @param tls the operators' TLS, or null
 * @param maxOperators operator connections at once, hello or not; the next is told the port is busy
 * @param helloTimeout from the accept to the hello (a TLS handshake included)
 * @param clientsAddress the clients' port, {@code host:port}
 */
public record OperatorPort(String bind, int port, DeskDriver desk, ServerTls tls, int maxOperators, Duration helloTimeout,
        String clientsAddress) {

    /** The default of {@code --max-operators}. */
    public static final int DEFAULT_MAX_OPERATORS = 16;

    /**
     * The operators' port.
     *
     * @param bind the address to listen on
     * @param port the port, 0 for any free one
     * @param desk the desk every operator joins
     * @param tls the operators' TLS, or null
     * @param maxOperators operator connections at once, at least 1
     * @param helloTimeout from the accept to the hello, more than 0
     * @param clientsAddress the clients' port
     */
    public OperatorPort {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(desk, "desk");
        Objects.requireNonNull(helloTimeout, "helloTimeout");
        Objects.requireNonNull(clientsAddress, "clientsAddress");
        if (port < 0 || port > 65535 || maxOperators < 1 || helloTimeout.isZero() || helloTimeout.isNegative()) {
            throw new IllegalArgumentException("port 0..65535, maxOperators at least 1, helloTimeout more than 0");
        }
    }

    /** The bind address as {@code host:port}, for messages. */
    public String where() {
        return Addresses.format(bind, port);
    }

    /** What a client that connects to the operators' port is told: a chat-protocol failure line it shows. */
    String notForClients() {
        return "this is the operators' port; clients connect to " + clientsAddress;
    }
}
