package dev.parley.socket.client;

import dev.parley.core.session.Durations;
import dev.parley.socket.Addresses;
import dev.parley.socket.NetworkException;
import dev.parley.socket.Wire;
import dev.parley.socket.tls.ClientTls;
import dev.parley.socket.tls.ServerTrust;
import dev.parley.socket.tls.TlsReasons;
import dev.parley.socket.tls.TlsWire;
import dev.parley.socket.tls.UntrustedServerException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Connects a client's socket, plain or TLS (the server trusted, or nothing sent), within one
 * timeout: the one way every client-side driver (a conversation, an operator) reaches a server.
 */
final class Dialer {

    /** A connected, non-blocking socket (TLS finished, if asked), its selector, and the address as given. */
    record Dialed(Wire wire, Selector selector, String remote) {}

    private Dialer() {}

    /**
     * Connects to {@code host:port} and, with {@code tls}, finishes the TLS handshake, all within
     * {@code timeout} (zero: the system's limit for the connection, two minutes for the
     * handshake). When the server asked for this client's certificate, the first record after the
     * handshake is awaited too, so that a server that refuses the client says so here, before
     * anything is sent.
     *
     * @throws UntrustedServerException when the server is not trusted (nothing was sent)
     * @throws NetworkException with a one-line message naming host, port and reason
     */
    static Dialed dial(String host, int port, Duration timeout, ClientTls tls) throws NetworkException {
        String where = Addresses.format(host, port);
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new NetworkException("cannot connect to " + where + ": unknown host", null);
        }
        long start = System.nanoTime();
        SocketChannel channel = null;
        Selector selector = null;
        TlsWire secure = null;
        try {
            channel = SocketChannel.open();
            channel.socket().connect(address, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
            selector = Selector.open();
            if (tls == null) {
                return new Dialed(new Wire.Plain(channel), selector, where);
            }
            long deadline = start + (timeout.isZero() ? Duration.ofMinutes(2) : timeout).toNanos();
            secure = new TlsWire(channel, tls.newEngine(host, port));
            SelectionKey key = channel.register(selector, 0);
            int wait;
            while ((wait = secure.handshake()) != 0) {
                await(selector, key, wait, deadline, timeout);
            }
            if (tls.identityAsked()) {
                // TLS 1.3 checks the client after the client has finished: the server's first record says how it went.
                long until = Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(3));
                while (secure.recordsAfterHandshake() == 0 && secure.fill() == 0 && System.nanoTime() - until < 0) {
                    selector.selectedKeys().clear();
                    key.interestOps(SelectionKey.OP_READ);
                    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())));
                }
            }
            key.cancel();
            selector.selectNow(); // the cancelled key is gone before the driver registers again
            return new Dialed(secure, selector, where);
        } catch (IOException e) {
            if (selector != null) {
                try {
                    selector.close();
                } catch (IOException ignored) {
                    // nothing to release
                }
            }
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing was opened
                }
            }
            ServerTrust.NotTrusted untrusted = notTrusted(e);
            if (untrusted != null) {
                throw new UntrustedServerException(where, untrusted.verdict(), e);
            }
            if (tls != null && tls.identityFailure() != null) {
                throw new NetworkException("cannot connect to " + where + ": the server asked for this client's identity, which "
                        + "cannot be used: " + tls.identityFailure().getMessage(), e);
            }
            String reason = e instanceof SocketTimeoutException
                    ? (secure != null ? TlsReasons.timedOut(secure, timeout) : "no answer within " + Durations.format(timeout) + " (connect timeout)")
                    : secure != null ? TlsReasons.clientSide(e, secure.firstBytes())
                    : Addresses.reason(e);
            throw new NetworkException("cannot connect to " + where + ": " + reason, e);
        }
    }

    /** Waits for {@code ops} on {@code key}, or throws a timeout once {@code deadline} has passed. */
    private static void await(Selector selector, SelectionKey key, int ops, long deadline, Duration timeout) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("no TLS handshake within " + Durations.format(timeout));
        }
        key.interestOps(ops);
        selector.selectedKeys().clear();
        selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
    }

    private static ServerTrust.NotTrusted notTrusted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ServerTrust.NotTrusted) {
                return (ServerTrust.NotTrusted) t;
            }
        }
        return null;
    }
}
