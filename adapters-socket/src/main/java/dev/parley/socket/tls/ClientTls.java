package dev.parley.socket.tls;

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
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A client's TLS: TLS 1.3 only, the server checked by a {@link ServerTrust}, and this client's
 * identity presented when a server asks for one. The identity is fetched (made, the first time)
 * only then, so a client that never meets such a server never makes one.
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

    public ClientTls(ServerTrust trust, IdentitySource identity) {
        this.trust = Objects.requireNonNull(trust, "trust");
        this.identity = new IdentityManager(identity);
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
        SSLEngine engine = context.createSSLEngine(host, port);
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
