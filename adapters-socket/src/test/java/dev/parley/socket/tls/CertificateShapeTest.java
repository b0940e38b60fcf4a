package dev.parley.socket.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** Size and nesting of certificates, measured without parsing them: real ones pass, hostile ones do not. */
class CertificateShapeTest {

    /** {@code levels} SEQUENCEs inside one another, BER indefinite lengths: the certificate of issue 18 (12 KB at 3,000). */
    static byte[] nested(int levels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < levels; i++) {
            out.write(0x30);
            out.write(0x80);
        }
        for (int i = 0; i < levels; i++) {
            out.write(0);
            out.write(0);
        }
        return out.toByteArray();
    }

    @Test
    void nestingIsMeasuredInDefiniteAndIndefiniteFormsAndInsideEncapsulatingStrings() {
        assertEquals(1, Der.nesting(Der.integer(java.math.BigInteger.TEN), 32));
        assertEquals(3, Der.nesting(Der.sequence(Der.sequence(Der.nul())), 32));
        assertEquals(5, Der.nesting(nested(5), 32));
        assertEquals(33, Der.nesting(nested(6_000), 32), "stops as soon as it is too deep");
        assertEquals(33, Der.nesting(Der.sequence(Der.octets(nested(40))), 32), "an extension's value is parsed in turn");
        assertEquals(33, Der.nesting(Der.sequence(Der.bits(nested(40))), 32), "so is a key");
        assertEquals(2, Der.nesting(Der.sequence(Der.octets(new byte[] {(byte) 0xFF, 1, 2})), 32), "octets that are not elements");
        assertEquals(Der.MALFORMED, Der.nesting(new byte[] {0x30, 0x05, 0x02}, 32));
        assertEquals(Der.MALFORMED, Der.nesting(new byte[] {0x30, (byte) 0x80, 0x05, 0x00}, 32), "no end-of-contents");
        assertEquals(33, Der.nesting(java.util.Arrays.copyOf(nested(6_000), 6_000), 32), "deep before it is cut short");
    }

    @Test
    void realCertificatesPass() throws Exception {
        assertNull(CertificateShape.problem(Identity.generate("parley").certificate().getEncoded()));
        KeyStore cacerts = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts"))) {
            cacerts.load(in, null);
        }
        int deepest = 0;
        int seen = 0;
        for (String alias : Collections.list(cacerts.aliases())) {
            Certificate c = cacerts.getCertificate(alias);
            if (c instanceof X509Certificate) {
                byte[] der = c.getEncoded();
                assertNull(CertificateShape.problem(der), alias);
                deepest = Math.max(deepest, Der.nesting(der, CertificateShape.MAX_DEPTH));
                seen++;
            }
        }
        assertTrue(seen > 50, "the JDK's authorities: " + seen);
        assertTrue(deepest <= CertificateShape.MAX_DEPTH / 2, "room to spare: the deepest of " + seen + " nests " + deepest);
    }

    @Test
    void aNestedOrHugeCertificateIsRefusedBeforeTheJdkParsesIt() {
        assertEquals("it nests more than 32 levels deep (a hostile encoding)", CertificateShape.problem(nested(6_000)));
        assertEquals("it is 70000 bytes long, more than a certificate's 65536", CertificateShape.problem(new byte[70_000]));
        StringBuilder pem = new StringBuilder();
        Identity.block(pem, "CERTIFICATE", nested(6_000));
        Identity.InvalidException refused = assertThrows(Identity.InvalidException.class, () -> Identity.certificates(pem.toString()));
        assertEquals("certificate 1 cannot be read: it nests more than 32 levels deep (a hostile encoding)", refused.getMessage());
    }
}
