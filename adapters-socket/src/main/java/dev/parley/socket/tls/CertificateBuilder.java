package dev.parley.socket.tls;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds an X.509 v3 certificate with the JDK alone: the DER of the to-be-signed part written by
 * hand ({@link Der}), signed with {@link Signature}, and parsed back by the JDK's own
 * {@link CertificateFactory}, which checks it. This is how Parley makes its identities (a
 * self-signed certificate over a new EC P-256 key) without BouncyCastle or a {@code keytool}
 * process; docs/BENCHMARKS.md has the figures behind that choice. Tests use the same builder for
 * a certificate authority and the certificates it issues.
 */
public final class CertificateBuilder {

    /** RFC 5280's "no well-defined expiration date": a key is trusted by its fingerprint, not its dates. */
    public static final ZonedDateTime NEVER_EXPIRES = ZonedDateTime.of(9999, 12, 31, 23, 59, 59, 0, ZoneOffset.UTC);

    private static final String EC_PUBLIC_KEY = "1.2.840.10045.2.1";
    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String SHA256_WITH_RSA = "1.2.840.113549.1.1.11";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";

    private final PublicKey subjectKey;
    private String subject = "parley";
    private String issuer;
    private PrivateKey signer;
    private ZonedDateTime notBefore = ZonedDateTime.now(ZoneOffset.UTC).minusDays(1);
    private ZonedDateTime notAfter = NEVER_EXPIRES;
    private boolean authority;
    private final List<String> names = new ArrayList<>();

    private CertificateBuilder(PublicKey subjectKey) {
        this.subjectKey = Objects.requireNonNull(subjectKey, "subjectKey");
    }

    /** A certificate for {@code subjectKey}; self-signed unless {@link #issuedBy} says otherwise. */
    public static CertificateBuilder forKey(PublicKey subjectKey) {
        return new CertificateBuilder(subjectKey);
    }

    /** A new EC key on curve P-256 (secp256r1), the key of every identity Parley makes. */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java has no EC P-256 keys: " + e.getMessage(), e);
        }
    }

    /** The subject's common name (CN). */
    public CertificateBuilder subject(String commonName) {
        this.subject = commonName;
        return this;
    }

    /** Signed by {@code issuerKey} in the name of {@code issuerName} (a CA's CN) rather than self-signed. */
    public CertificateBuilder issuedBy(String issuerName, PrivateKey issuerKey) {
        this.issuer = issuerName;
        this.signer = issuerKey;
        return this;
    }

    public CertificateBuilder valid(ZonedDateTime from, ZonedDateTime until) {
        this.notBefore = from;
        this.notAfter = until;
        return this;
    }

    /** A certificate authority's certificate (basic constraints: CA). */
    public CertificateBuilder authority() {
        this.authority = true;
        return this;
    }

    /** A subject alternative name: a DNS name, or an IP address when it is written as one. */
    public CertificateBuilder name(String dnsNameOrAddress) {
        names.add(dnsNameOrAddress);
        return this;
    }

    /**
     * Signs with {@code signingKey} (the subject's own private key for a self-signed certificate,
     * unless {@link #issuedBy} gave another).
     */
    public X509Certificate sign(PrivateKey signingKey) throws GeneralSecurityException {
        PrivateKey key = signer != null ? signer : signingKey;
        String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] algorithmId = key.getAlgorithm().equals("RSA")
                ? Der.sequence(Der.oid(SHA256_WITH_RSA), Der.nul())
                : Der.sequence(Der.oid(ECDSA_WITH_SHA256));
        byte[] serial = new byte[16];
        new SecureRandom().nextBytes(serial);
        serial[0] &= 0x7F;
        serial[0] |= 0x01; // positive and 16 bytes long
        List<byte[]> extensions = new ArrayList<>();
        extensions.add(Der.sequence(Der.oid(BASIC_CONSTRAINTS), Der.bool(true),
                Der.octets(authority ? Der.sequence(Der.bool(true)) : Der.sequence())));
        if (!names.isEmpty()) {
            List<byte[]> general = new ArrayList<>();
            for (String name : names) {
                general.add(isAddress(name) ? Der.context(7, false, address(name)) // iPAddress
                        : Der.context(2, false, name.getBytes(StandardCharsets.US_ASCII))); // dNSName
            }
            extensions.add(Der.sequence(Der.oid(SUBJECT_ALT_NAME), Der.octets(Der.sequence(general.toArray(new byte[0][])))));
        }
        byte[] tbs = Der.sequence(
                Der.context(0, true, Der.integer(BigInteger.TWO)), // version 3
                Der.integer(new BigInteger(serial)),
                algorithmId,
                distinguished(issuer != null ? issuer : subject),
                Der.sequence(Der.time(notBefore), Der.time(notAfter)),
                distinguished(subject),
                subjectKey.getEncoded(),
                Der.context(3, true, Der.sequence(extensions.toArray(new byte[0][]))));
        Signature signature = Signature.getInstance(algorithm);
        signature.initSign(key);
        signature.update(tbs);
        byte[] certificate = Der.sequence(tbs, algorithmId, Der.bits(signature.sign()));
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(certificate));
    }

    private static byte[] distinguished(String commonName) {
        return Der.sequence(Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8(commonName))));
    }

    private static boolean isAddress(String name) {
        return name.indexOf(':') >= 0 || name.matches("[0-9.]+");
    }

    private static byte[] address(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress(); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + literal, e);
        }
    }

    /** True for the OID of an EC public key, as an algorithm identifier names it. */
    static boolean isEcKeyOid(String oid) {
        return EC_PUBLIC_KEY.equals(oid);
    }
}
