package dev.parley.socket.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A client's TLS: TLS 1.3 only, the server checked by a {@link ServerTrust}, and this client's
 * identity presented when a server asks for one. The identity is fetched (made, the first time)
 * only then, so a client that never meets such a server never makes one. On the JDK's provider by
 * default; on BoringSSL for a client that makes many handshakes (the load generator), where its
 * cheaper handshakes repay its start-up (unpacking and loading the native library).
 */
public final class ClientTls {

    /** Where the client's identity comes from, when a server asks for it; may make it. */
    @FunctionalInterface
    public interface IdentitySource {
        Identity get() throws Exception;
    }

    private final ServerTrust trust;
    private final IdentityManager identity;
    private final SSLContext context;
    private final SslContext openSsl;

    /** A client on the JDK's TLS. */
    public ClientTls(ServerTrust trust, IdentitySource identity) {
        this(trust, identity, TlsProvider.JDK);
    }

    /** A client on {@code provider}'s TLS. */
    public ClientTls(ServerTrust trust, IdentitySource identity, TlsProvider provider) {
        this.trust = Objects.requireNonNull(trust, "trust");
        this.identity = new IdentityManager(identity);
        if (provider == TlsProvider.OPENSSL) {
            context = null;
            try {
                // Not reference-counted: each engine's native state is freed when the engine is collected
                openSsl = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL).protocols(ServerTls.PROTOCOL)
                        .trustManager(provider.trusting(trust)).keyManager(this.identity).build();
            } catch (SSLException e) {
                throw new IllegalStateException("BoringSSL cannot make a TLS 1.3 client: " + e.getMessage(), e);
            }
            return;
        }
        openSsl = null;
        try {
            context = SSLContext.getInstance(ServerTls.PROTOCOL);
            context.init(new KeyManager[] {this.identity}, new TrustManager[] {trust}, new SecureRandom());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java has no TLS 1.3: " + e.getMessage(), e);
        }
    }

    public ServerTrust trust() {
        return trust;
    }

    /** True once a server asked for this client's identity. */
    public boolean identityAsked() {
        return identity.asked;
    }

    /** Why this client's identity could not be presented when a server asked for it, or null. */
    public Exception identityFailure() {
        return identity.failure;
    }

    /** A client engine for {@code host:port}: TLS 1.3 only, the host's name sent (SNI) and checked against CA certificates. */
    public SSLEngine newEngine(String host, int port) {
        SSLEngine engine = openSsl != null ? openSsl.newEngine(ByteBufAllocator.DEFAULT, host, port) : context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(new String[] {ServerTls.PROTOCOL});
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** Presents the client's identity when the server asks; nothing else. */
    private static final class IdentityManager extends X509ExtendedKeyManager {
        private static final String ALIAS = "parley";
        private final IdentitySource source;
        private volatile boolean asked;
        private volatile Identity loaded;
        private volatile Exception failure;

        IdentityManager(IdentitySource source) {
            this.source = source;
        }

        private synchronized Identity identity() {
            asked = true;
            if (loaded == null && failure == null) {
                try {
                    loaded = source.get();
                } catch (Exception e) {
                    failure = e;
                }
            }
            return loaded;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return chooseClientAlias(keyType, issuers, null);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            Identity id = identity();
            if (id == null) {
                return null;
            }
            String algorithm = id.key().getAlgorithm();
            for (String type : keyType) {
                if (type.equals(algorithm) || (algorithm.equals("RSA") && type.startsWith("RSA"))
                        || (algorithm.equals("Ed25519") && type.equals("EdDSA"))) {
                    return ALIAS;
                }
            }
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            Identity id = loaded;
            return ALIAS.equals(alias) && id != null ? id.chain().toArray(new X509Certificate[0]) : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            Identity id = loaded;
            return ALIAS.equals(alias) && id != null ? id.key() : null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {ALIAS};
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
