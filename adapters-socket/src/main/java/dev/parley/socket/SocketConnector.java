package dev.parley.socket;

import dev.parley.core.wire.Framing;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** Opens the client's connection to a server, as a {@link SocketPeer}. */
public final class SocketConnector {

    private SocketConnector() {}

    /**
     * Connects to {@code host:port} within {@code timeout}.
     *
     * @throws NetworkException with a one-line message naming host, port and reason
     */
    public static SocketPeer connect(String host, int port, Duration timeout, Framing framing, Limits limits)
            throws NetworkException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        String where = Addresses.format(host, port);
        if (address.isUnresolved()) {
            throw new NetworkException("cannot connect to " + where + ": unknown host", null);
        }
        Socket socket = new Socket();
        try {
            socket.connect(address, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            return new SocketPeer(socket, framing, limits);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing was opened
            }
            String reason = e instanceof SocketTimeoutException
                    ? "no answer within " + Durations.format(timeout) + " (connect timeout)"
                    : Addresses.reason(e);
            throw new NetworkException("cannot connect to " + where + ": " + reason, e);
        }
    }
}
