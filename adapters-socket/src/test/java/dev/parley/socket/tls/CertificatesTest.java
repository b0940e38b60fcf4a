package dev.parley.socket.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The hand-written DER certificates, checked by the JDK's own parser and path validator. */
class CertificatesTest {

    @Test
    void aNewIdentityIsAnEcP256KeyWithASelfSignedCertificateThatNeverExpires() throws Exception {
        Identity identity = Identity.generate("parley server test");
        X509Certificate c = identity.certificate();
        c.verify(c.getPublicKey()); // self-signed, and the signature checks
        assertEquals("EC", c.getPublicKey().getAlgorithm());
        assertEquals(3, c.getVersion());
        assertEquals("CN=parley server test", c.getSubjectX500Principal().getName());
        assertEquals(9999, c.getNotAfter().toInstant().atZone(java.time.ZoneOffset.UTC).getYear());
        assertEquals(-1, c.getBasicConstraints(), "not a CA");
        assertTrue(Fingerprints.isValid(identity.fingerprint()), identity.fingerprint());
    }

    @Test
    void certificatesAnAuthorityIssuesValidateAsAPath() throws Exception {
        KeyPair ca = CertificateBuilder.newKeyPair();
        X509Certificate root = CertificateBuilder.forKey(ca.getPublic()).subject("Test CA").authority().sign(ca.getPrivate());
        KeyPair leafKey = CertificateBuilder.newKeyPair();
        X509Certificate leaf = CertificateBuilder.forKey(leafKey.getPublic()).subject("chat.example").name("chat.example")
                .name("192.0.2.7").name("::1").issuedBy("Test CA", ca.getPrivate()).sign(leafKey.getPrivate());
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters);
        assertEquals(List.of(List.of(2, "chat.example"), List.of(7, "192.0.2.7"), List.of(7, "0:0:0:0:0:0:0:1")),
                List.copyOf(leaf.getSubjectAlternativeNames()));
        assertEquals(Integer.MAX_VALUE, root.getBasicConstraints());
    }

    @Test
    void theFingerprintIsTheBase64OfTheSha256OfTheKeyWithoutPadding() throws Exception {
        Identity identity = Identity.generate("x");
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.certificate().getPublicKey().getEncoded());
        String expected = "SHA256:" + Base64.getEncoder().encodeToString(digest).replace("=", "");
        assertEquals(expected, identity.fingerprint());
        assertEquals(50, expected.length());
        assertEquals(expected, Fingerprints.parse(" sha256:" + expected.substring(7) + "= "), "as people copy it");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fingerprints.parse("MD5:abc"));
        assertTrue(e.getMessage().contains("is not a fingerprint"), e.getMessage());
    }

    @Test
    void anIdentityRoundTripsThroughPemAndBadPemSaysWhy() throws Exception {
        Identity identity = Identity.generate("round trip");
        String pem = identity.toPem();
        assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----\n"), pem);
        Identity back = Identity.fromPem(pem);
        assertEquals(identity.fingerprint(), back.fingerprint());
        assertEquals(identity.certificate(), back.certificate());

        String otherKey = Identity.generate("other").toPem();
        String mixed = otherKey.substring(0, otherKey.indexOf("-----BEGIN CERTIFICATE")) + pem.substring(pem.indexOf("-----BEGIN CERTIFICATE"));
        assertEquals("the private key is not the key of the first certificate", message(mixed));
        assertEquals("it holds no private key (no -----BEGIN PRIVATE KEY----- block)", message(pem.substring(pem.indexOf("-----BEGIN CERTIFICATE"))));
        assertEquals("it holds no certificate (no -----BEGIN CERTIFICATE----- block)", message(pem.substring(0, pem.indexOf("-----BEGIN CERTIFICATE"))));
        assertEquals("it holds more than one private key", message(pem + otherKey));
        assertTrue(message("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n").contains("encrypted"));
        assertTrue(message("-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----\n").contains("not base64"));
        assertTrue(message("-----BEGIN PRIVATE KEY-----\nMAMCAQA=\n-----END PRIVATE KEY-----\n").contains("not PKCS#8"));
        assertTrue(message("-----BEGIN EC PRIVATE KEY-----\nMAMCAQE=\n-----END EC PRIVATE KEY-----\n").contains("names no curve"));
        assertTrue(message("").contains("no private key"));
    }

    private static String message(String pem) {
        return assertThrows(Identity.InvalidException.class, () -> Identity.fromPem(pem)).getMessage();
    }

    @Test
    void derReadingRefusesWhatIsNotDefiniteLengthDer() {
        assertThrows(Der.MalformedException.class, () -> Der.read(new byte[] {0x30, (byte) 0x80, 0, 0}));
        assertThrows(Der.MalformedException.class, () -> Der.read(new byte[] {0x30, 0x05, 1}));
        assertThrows(Der.MalformedException.class, () -> Der.read(new byte[] {0x1F, 0x01, 0x01}));
        assertThrows(Der.MalformedException.class, () -> Der.read(new byte[] {0x30, (byte) 0x84, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}));
    }
}
