package dev.parley.socket.tls;

import dev.parley.core.session.Session;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A server's TLS, built once by the app and handed to every listener that speaks it: TLS 1.3 only
 * (on the {@link TlsProvider} chosen at start-up), the server's {@link Identity}, and which clients may converse. The TCP
 * server puts {@link #newHandler} in front of each conversation, and {@link #newHandlerForBrowsers}
 * in front of a web listener (https, wss), so that the key people pin is the same whatever they
 * connect with.
 *
 * <p>With a {@link ClientCheck}, the server asks every client for its certificate (TLS client
 * authentication, required) and lets only those the check admits finish the handshake; the
 * client proves it holds the key (TLS's CertificateVerify), and is named by its key's fingerprint,
 * never by its certificate's names or dates.
 */
public final class ServerTls implements AutoCloseable {

    /** Who may converse, by the fingerprint of the key a client presents. */
    @FunctionalInterface
    public interface ClientCheck {
        /** Null when {@code fingerprint} may converse; otherwise why not, for the server's log. */
        String refusal(String fingerprint);
    }

    /** A client refused by the {@link ClientCheck}; found in the cause of the failed handshake. */
    static final class ClientRefused extends CertificateException {
        private static final long serialVersionUID = 1L;

        final String fingerprint;

        ClientRefused(String fingerprint, String reason) {
            super(reason);
            this.fingerprint = fingerprint;
        }
    }

    /** The protocol, the only one: TLS 1.3 (RFC 8446). */
    public static final String PROTOCOL = "TLSv1.3";

    private final Identity identity;
    private final Optional<ClientCheck> clients;
    private final Duration handshakeTimeout;
    private final TlsProvider provider;
    private final SslContext context;
    private final SslContext forBrowsers;
    private boolean closed;

    private ServerTls(Identity identity, Optional<ClientCheck> clients, Duration handshakeTimeout, TlsProvider provider)
            throws SSLException {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.handshakeTimeout = Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        this.provider = Objects.requireNonNull(provider, "provider");
        SslContextBuilder builder = builder(identity, provider);
        if (clients.isPresent()) {
            builder.clientAuth(ClientAuth.REQUIRE).trustManager(provider.trusting(new ClientTrust(clients.get())));
        }
        this.context = withoutSessionCache(builder.build());
        SslContext browsers;
        try {
            browsers = withoutSessionCache(builder(identity, provider).build());
        } catch (SSLException | RuntimeException e) {
            ReferenceCountUtil.release(context);
            throw e;
        }
        this.forBrowsers = browsers;
    }

    private static SslContextBuilder builder(Identity identity, TlsProvider provider) {
        return SslContextBuilder.forServer(identity.key(), identity.chain()).sslProvider(provider.netty()).protocols(PROTOCOL);
    }

    /**
     * {@code context}, keeping no sessions once their connections have gone: a client resumes with
     * the ticket it was given (TLS 1.3's stateless tickets: the server keeps nothing), so a cache
     * would only hold memory that no connection accounts for, up to 20,480 sessions of every
     * handshake made, where a flood of handshakes fills it.
     */
    private static SslContext withoutSessionCache(SslContext context) {
        SSLSessionContext sessions = context.sessionContext();
        if (sessions instanceof OpenSslSessionContext openSsl) {
            openSsl.setSessionCacheEnabled(false);
        } else {
            sessions.setSessionCacheSize(1); // the JDK's: 0 would be no limit
        }
        return context;
    }

    /**
     * The TLS of a server with {@code identity} on {@code provider}; {@code clients}, when present,
     * is asked about every client's key; a handshake not finished {@code handshakeTimeout} after the
     * connection was accepted ends it.
     *
     * @throws IllegalArgumentException when the provider cannot use the identity for TLS 1.3
     */
    public static ServerTls create(Identity identity, Optional<ClientCheck> clients, Duration handshakeTimeout, TlsProvider provider) {
        try {
            return new ServerTls(identity, clients, handshakeTimeout, provider);
        } catch (SSLException | RuntimeException e) {
            throw new IllegalArgumentException("cannot use this key and certificate for TLS 1.3: " + e.getMessage(), e);
        }
    }

    /** The TLS implementation that carries this server's connections. */
    public TlsProvider provider() {
        return provider;
    }

    /** Frees what the provider holds outside the heap (BoringSSL's contexts) once the server has stopped. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ReferenceCountUtil.release(context);
        ReferenceCountUtil.release(forBrowsers);
    }

    /** The fingerprint of the server's key, as clients pin it. */
    public String fingerprint() {
        return identity.fingerprint();
    }

    /** True when clients must present a key the {@link ClientCheck} admits. */
    public boolean asksClients() {
        return clients.isPresent();
    }

    /** How long a connection may take to finish its handshake, from the moment it is accepted. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * A handler for one accepted connection: no handshake timeout of its own (the server's
     * handshake phase keeps one deadline from the accept on), and a close that gives the peer's
     * close_notify no more time than a conversation's closing does.
     */
    public SslHandler newHandler(ByteBufAllocator allocator) {
        SslHandler handler = context.newHandler(allocator);
        handler.setHandshakeTimeoutMillis(0);
        handler.setCloseNotifyFlushTimeoutMillis(Session.LINGER.toMillis());
        return handler;
    }

    /**
     * A handler for one connection to a web listener: the same identity, TLS 1.3, asking for no
     * client certificate (a browser has no Parley identity to present), and the handshake deadline
     * of its own, for a web front starts no conversation until its request has come.
     */
    public SslHandler newHandlerForBrowsers(ByteBufAllocator allocator) {
        SslHandler handler = forBrowsers.newHandler(allocator);
        handler.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
        handler.setCloseNotifyFlushTimeoutMillis(Session.LINGER.toMillis());
        return handler;
    }

    /** The server's side of client authentication: the key's fingerprint, asked of the check; nothing else. */
    private static final class ClientTrust extends X509ExtendedTrustManager {
        private final ClientCheck check;

        ClientTrust(ClientCheck check) {
            this.check = check;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the client presented no certificate");
            }
            CertificateShape.check(chain); // before its key is read: a provider may parse it only then
            String fingerprint = Fingerprints.of(chain[0]);
            String refusal = check.refusal(fingerprint);
            if (refusal != null) {
                throw new ClientRefused(fingerprint, refusal);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("a server's trust manager checks clients only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("a server's trust manager checks clients only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a server's trust manager checks clients only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0]; // any issuer: clients are known by their keys, not by who signed them
        }
    }
}
