package dev.parley.socket.tls;

import java.net.Socket;
import java.security.KeyStore;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Whether a client trusts the server it reached, in the order the person can rely on: the
 * fingerprint they pinned ({@code --fingerprint}), which must match or nothing is sent; else a
 * certificate that chains to the trusted certificate authorities and names the host; else the
 * {@code known_servers} file, which may know the server's key (trusted), know another key for it
 * (changed: refused loudly), or not know it (unknown: the person decides, or {@code --trust-new}).
 * A certificate from a trusted authority that has expired or names another host is refused unless
 * its key is known: it is a mistake or an attack, never a first use.
 *
 * <p>As a trust manager it accepts what is trusted and throws {@link NotTrusted}, carrying the
 * {@link Verdict}, for the rest; the handshake then ends before anything is sent.
 */
public final class ServerTrust extends X509ExtendedTrustManager {

    /** What {@code known_servers} says about one host:port. */
    public interface KnownServers {
        /** Every line naming {@code hostPort}, in file order. */
        List<Known> lookup(String hostPort);
    }

    /** One line of {@code known_servers}: the fingerprint it records and where it is. */
    public record Known(String fingerprint, int line) {}

    /** The decision about one server, and what the person is told. */
    public sealed interface Verdict {
        /** The fingerprint of the key the server presented. */
        String seen();

        /** Whether the client may go on. */
        default boolean trusted() {
            return false;
        }
    }

    /** The key the person pinned with --fingerprint. */
    public record Pinned(String seen) implements Verdict {
        @Override
        public boolean trusted() {
            return true;
        }
    }

    /** A certificate from a trusted authority, for this host. */
    public record Authority(String seen, String issuer) implements Verdict {
        @Override
        public boolean trusted() {
            return true;
        }
    }

    /** The key known_servers records for this host:port. */
    public record KnownKey(String seen, int line) implements Verdict {
        @Override
        public boolean trusted() {
            return true;
        }
    }

    /** A server known nowhere, accepted because the person said so ({@code --trust-new}): to be remembered. */
    public record AcceptedNew(String seen) implements Verdict {
        @Override
        public boolean trusted() {
            return true;
        }
    }

    /** Not the key pinned with --fingerprint. */
    public record PinMismatch(String seen, String pinned) implements Verdict {}

    /** A key that known_servers does not record for this host:port, where it records others. */
    public record Changed(String seen, List<Known> known) implements Verdict {}

    /** A server known nowhere; {@code authorityProblem} says why a CA did not vouch for it, when one signed it. */
    public record Unknown(String seen) implements Verdict {}

    /** A certificate from a trusted authority that cannot be trusted: expired, not yet valid, or for another name. */
    public record AuthorityProblem(String seen, String problem) implements Verdict {}

    /** The handshake's refusal of an untrusted server, with the verdict. */
    public static final class NotTrusted extends CertificateException {
        private static final long serialVersionUID = 1L;

        private final transient Verdict verdict;

        NotTrusted(Verdict verdict) {
            super("server not trusted: " + verdict);
            this.verdict = verdict;
        }

        public Verdict verdict() {
            return verdict;
        }
    }

    private final String hostPort;
    private final Optional<String> pin;
    private final X509ExtendedTrustManager authorities;
    private final KnownServers known;
    private final boolean acceptNew;
    private volatile Verdict last;

    /**
     * @param hostPort the server as the person named it, {@code host:port}, as known_servers records it
     * @param pin the fingerprint given with --fingerprint
     * @param authorities the certificate authorities trusted (null: none)
     * @param known what known_servers says
     * @param acceptNew accept a server known nowhere (--trust-new); a changed key is refused all the same
     */
    public ServerTrust(String hostPort, Optional<String> pin, X509ExtendedTrustManager authorities, KnownServers known,
            boolean acceptNew) {
        this.hostPort = Objects.requireNonNull(hostPort, "hostPort");
        this.pin = Objects.requireNonNull(pin, "pin");
        this.authorities = authorities;
        this.known = Objects.requireNonNull(known, "known");
        this.acceptNew = acceptNew;
    }

    /** The JDK's trust manager over its trusted certificate authorities (its cacerts: on Linux, the system's), or null. */
    public static X509ExtendedTrustManager systemAuthorities() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager) {
                    return (X509ExtendedTrustManager) manager;
                }
            }
        } catch (GeneralSecurityException e) {
            // no trust store: no authority vouches for anyone
        }
        return null;
    }

    /** The last verdict, once the handshake has asked. */
    public Optional<Verdict> verdict() {
        return Optional.ofNullable(last);
    }

    /** The decision about {@code chain} as presented on {@code engine} (whose peer host is the name checked). */
    public Verdict decide(X509Certificate[] chain, String authType, SSLEngine engine) {
        String seen = Fingerprints.of(chain[0]);
        if (pin.isPresent()) {
            return pin.get().equals(seen) ? new Pinned(seen) : new PinMismatch(seen, pin.get());
        }
        String problem = null;
        if (authorities != null) {
            problem = authorityProblem(chain, authType, engine);
            if (problem == null) {
                return new Authority(seen, chain[chain.length - 1].getIssuerX500Principal().getName());
            }
        }
        List<Known> lines = known.lookup(hostPort);
        for (Known line : lines) {
            if (line.fingerprint().equals(seen)) {
                return new KnownKey(seen, line.line());
            }
        }
        if (!lines.isEmpty()) {
            return new Changed(seen, lines);
        }
        if (problem != null && !problem.isEmpty()) {
            return new AuthorityProblem(seen, problem);
        }
        return acceptNew ? new AcceptedNew(seen) : new Unknown(seen);
    }

    /**
     * Null when a trusted authority vouches for the chain and its name; "" when none signed it (a
     * self-signed key: a first use) or there is no host name to check it against; else what is
     * wrong with a certificate one did sign.
     */
    private String authorityProblem(X509Certificate[] chain, String authType, SSLEngine engine) {
        try {
            authorities.checkServerTrusted(chain, authType); // the path and its dates, no name
        } catch (CertificateException e) {
            return dateProblem(e, chain[0]);
        }
        if (engine == null || engine.getPeerHost() == null) {
            return ""; // no host name to check it against: an authority's signature alone vouches for no one
        }
        SSLParameters parameters = engine.getSSLParameters();
        String before = parameters.getEndpointIdentificationAlgorithm();
        try {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
            authorities.checkServerTrusted(chain, authType, engine);
            return null;
        } catch (CertificateException e) {
            return "it is for " + names(chain[0]) + ", not " + engine.getPeerHost();
        } finally {
            parameters.setEndpointIdentificationAlgorithm(before);
            engine.setSSLParameters(parameters);
        }
    }

    private static String dateProblem(CertificateException e, X509Certificate leaf) {
        DateTimeFormatter day = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
        for (Throwable t = e; t != null; t = t.getCause()) {
            boolean expired = t instanceof CertificateExpiredException || (t instanceof CertPathValidatorException
                    && ((CertPathValidatorException) t).getReason() == CertPathValidatorException.BasicReason.EXPIRED);
            boolean early = t instanceof CertificateNotYetValidException || (t instanceof CertPathValidatorException
                    && ((CertPathValidatorException) t).getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID);
            if (expired) {
                return "it expired on " + day.format(leaf.getNotAfter().toInstant());
            }
            if (early) {
                return "it is not valid before " + day.format(leaf.getNotBefore().toInstant());
            }
        }
        return ""; // not signed by a trusted authority
    }

    /** The names a certificate is for: its DNS and IP subject alternative names, else its CN. */
    static String names(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> name : alternatives) {
                    Object kind = name.get(0);
                    if (Integer.valueOf(2).equals(kind) || Integer.valueOf(7).equals(kind)) {
                        names.add(String.valueOf(name.get(1)));
                    }
                }
            }
        } catch (CertificateException e) {
            // fall back to the subject
        }
        if (names.isEmpty()) {
            names.add(certificate.getSubjectX500Principal().getName());
        }
        return String.join(", ", names);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server presented no certificate");
        }
        CertificateShape.check(chain); // before its key is read: a provider may parse it only then
        Verdict verdict = decide(chain, authType, engine);
        last = verdict;
        if (!verdict.trusted()) {
            throw new NotTrusted(verdict);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType, (SSLEngine) null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checkServerTrusted(chain, authType, (SSLEngine) null);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("a client's trust manager checks servers only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("a client's trust manager checks servers only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a client's trust manager checks servers only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
