package dev.parley.socket.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslCertificateException;
import io.netty.handler.ssl.SslProvider;
import io.netty.internal.tcnative.CertificateVerifier;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Which TLS implementation carries Parley's TLS: BoringSSL (Netty's netty-tcnative, its native
 * library shipped in the jar for Linux, macOS and Windows) where that library loads, else the JDK's
 * own. Chosen once, when TLS is first used (a plaintext program never loads the native library), by
 * the setting {@value #VARIABLE}: {@code auto} (the default), {@code openssl} (BoringSSL or
 * nothing), {@code jdk}. Both speak TLS 1.3 only, with the same identity, trust and defences.
 */
public enum TlsProvider {
    /** BoringSSL through Netty's OpenSSL engine: the handshake's public-key work in C. */
    OPENSSL(SslProvider.OPENSSL_REFCNT),
    /** The JDK's SunJSSE: everything on the heap, in Java. */
    JDK(SslProvider.JDK);

    /** The environment variable that chooses: {@code auto}, {@code openssl} or {@code jdk}. */
    public static final String VARIABLE = "PARLEY_TLS_PROVIDER";

    /** The provider chosen and, when it is not the one asked for or the best one, why. */
    public record Choice(TlsProvider provider, String note) {
        public Choice {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(note, "note");
        }

        /** For people: e.g. {@code BoringSSL (netty-tcnative)} or {@code the JDK's (BoringSSL cannot load here: ...)}. */
        public String describe() {
            return provider.label() + (note.isEmpty() ? "" : " (" + note + ")");
        }
    }

    /** A setting that names no provider ({@code usage}), or BoringSSL asked for where it cannot load. */
    public static final class UnknownException extends Exception {
        private static final long serialVersionUID = 1L;

        private final boolean usage;

        UnknownException(String message, boolean usage) {
            super(message);
            this.usage = usage;
        }

        /** True when the setting itself is wrong; false when it asks for what this machine cannot give. */
        public boolean usage() {
            return usage;
        }
    }

    private final SslProvider netty;

    TlsProvider(SslProvider netty) {
        this.netty = netty;
    }

    /** Netty's name for it. */
    SslProvider netty() {
        return netty;
    }

    /** For people. */
    public String label() {
        return this == OPENSSL ? "BoringSSL (netty-tcnative)" : "the JDK's provider (SunJSSE)";
    }

    /**
     * The provider {@code setting} asks for ({@code null} or empty: {@code auto}): {@code auto}
     * takes BoringSSL where it loads, else the JDK's, saying why; {@code openssl} refuses to go on
     * without BoringSSL; {@code jdk} never loads it.
     *
     * @throws UnknownException when {@code setting} names no provider, or BoringSSL was asked for and cannot load
     */
    public static Choice choose(String setting) throws UnknownException {
        String asked = setting == null ? "" : setting.strip().toLowerCase(Locale.ROOT);
        switch (asked) {
            case "jdk":
                return new Choice(JDK, "");
            case "openssl":
                if (!OpenSsl.isAvailable()) {
                    throw new UnknownException(VARIABLE + "=openssl, but BoringSSL cannot load here (" + unavailable()
                            + "); unset " + VARIABLE + " to use the JDK's TLS", false);
                }
                return new Choice(OPENSSL, "");
            case "":
            case "auto":
                return OpenSsl.isAvailable() ? new Choice(OPENSSL, "") : new Choice(JDK, "BoringSSL cannot load here: " + unavailable());
            default:
                throw new UnknownException(VARIABLE + " is '" + asked.replaceAll("[^a-z0-9_-]", "?")
                        + "'; it takes auto, openssl or jdk", true);
        }
    }

    /**
     * {@code manager} as this provider needs it: for BoringSSL, its refusals carry the verification
     * error that makes BoringSSL send a bad_certificate alert, as the JDK sends certificate_unknown
     * (BoringSSL's answer to any other exception is internal_error); the refusal stays the cause,
     * for the logs and for the client's verdict.
     */
    X509ExtendedTrustManager trusting(X509ExtendedTrustManager manager) {
        return this == OPENSSL ? new RefusingWithAlert(manager) : manager;
    }

    /** A trust manager whose refusals BoringSSL tells the peer as bad_certificate. */
    private static final class RefusingWithAlert extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager manager;

        RefusingWithAlert(X509ExtendedTrustManager manager) {
            this.manager = manager;
        }

        private interface Check {
            void run() throws CertificateException;
        }

        private static void refusing(Check check) throws CertificateException {
            try {
                check.run();
            } catch (CertificateException refusal) {
                throw new OpenSslCertificateException(refusal.getMessage(), refusal, CertificateVerifier.X509_V_ERR_CERT_REJECTED);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            refusing(() -> manager.checkClientTrusted(chain, authType, engine));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            refusing(() -> manager.checkClientTrusted(chain, authType, socket));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            refusing(() -> manager.checkClientTrusted(chain, authType));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            refusing(() -> manager.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            refusing(() -> manager.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            refusing(() -> manager.checkServerTrusted(chain, authType));
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return manager.getAcceptedIssuers();
        }
    }

    /** Why the native library did not load, in one line. */
    private static String unavailable() {
        Throwable cause = OpenSsl.unavailabilityCause();
        while (cause != null && cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        return cause == null ? "no reason given" : cause.getClass().getSimpleName() + ": " + String.valueOf(cause.getMessage()).lines()
                .findFirst().orElse("");
    }
}
