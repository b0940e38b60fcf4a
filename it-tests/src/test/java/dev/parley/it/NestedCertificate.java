package dev.parley.it;

import java.math.BigInteger;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * A real key's certificate whose encoding, as a TLS stack sends it, is thousands of nested BER
 * SEQUENCEs of indefinite length (issue 18: 6,000 of them, 12 KB, overflowed the JDK's parser).
 * Everything but the encoding is the real certificate's, so the JDK's own TLS sends it as it would
 * a sound one, and signs its CertificateVerify with {@link #key}.
 */
final class NestedCertificate extends X509Certificate {

    /** As deep as the issue's: 6,000 levels in 12 KB, under every handshake message limit. */
    static final int LEVELS = 6_000;

    final PrivateKey key;
    private final X509Certificate real;

    NestedCertificate(PrivateKey key, X509Certificate real) {
        this.key = key;
        this.real = real;
    }

    /** The nested encoding: each level opens a SEQUENCE of indefinite length and none is closed. */
    static byte[] encoding() {
        byte[] out = new byte[2 * LEVELS];
        for (int i = 0; i < out.length; i += 2) {
            out[i] = 0x30;
            out[i + 1] = (byte) 0x80;
        }
        return out;
    }

    @Override
    public byte[] getEncoded() {
        return encoding();
    }

    @Override
    public void checkValidity() throws java.security.cert.CertificateExpiredException, java.security.cert.CertificateNotYetValidException {
        real.checkValidity();
    }

    @Override
    public void checkValidity(Date date) throws java.security.cert.CertificateExpiredException,
            java.security.cert.CertificateNotYetValidException {
        real.checkValidity(date);
    }

    @Override
    public int getVersion() {
        return real.getVersion();
    }

    @Override
    public BigInteger getSerialNumber() {
        return real.getSerialNumber();
    }

    @Override
    @SuppressWarnings("deprecation")
    public Principal getIssuerDN() {
        return real.getIssuerDN();
    }

    @Override
    @SuppressWarnings("deprecation")
    public Principal getSubjectDN() {
        return real.getSubjectDN();
    }

    @Override
    public X500Principal getIssuerX500Principal() {
        return real.getIssuerX500Principal();
    }

    @Override
    public X500Principal getSubjectX500Principal() {
        return real.getSubjectX500Principal();
    }

    @Override
    public Date getNotBefore() {
        return real.getNotBefore();
    }

    @Override
    public Date getNotAfter() {
        return real.getNotAfter();
    }

    @Override
    public byte[] getTBSCertificate() throws java.security.cert.CertificateEncodingException {
        return real.getTBSCertificate();
    }

    @Override
    public byte[] getSignature() {
        return real.getSignature();
    }

    @Override
    public String getSigAlgName() {
        return real.getSigAlgName();
    }

    @Override
    public String getSigAlgOID() {
        return real.getSigAlgOID();
    }

    @Override
    public byte[] getSigAlgParams() {
        return real.getSigAlgParams();
    }

    @Override
    public boolean[] getIssuerUniqueID() {
        return real.getIssuerUniqueID();
    }

    @Override
    public boolean[] getSubjectUniqueID() {
        return real.getSubjectUniqueID();
    }

    @Override
    public boolean[] getKeyUsage() {
        return real.getKeyUsage();
    }

    @Override
    public int getBasicConstraints() {
        return real.getBasicConstraints();
    }

    @Override
    public void verify(PublicKey key) throws CertificateException {
        throw new CertificateException("not verifiable");
    }

    @Override
    public void verify(PublicKey key, String sigProvider) throws CertificateException {
        throw new CertificateException("not verifiable");
    }

    @Override
    public String toString() {
        return "a certificate nested " + LEVELS + " levels deep";
    }

    @Override
    public PublicKey getPublicKey() {
        return real.getPublicKey();
    }

    @Override
    public boolean hasUnsupportedCriticalExtension() {
        return real.hasUnsupportedCriticalExtension();
    }

    @Override
    public Set<String> getCriticalExtensionOIDs() {
        return real.getCriticalExtensionOIDs();
    }

    @Override
    public Set<String> getNonCriticalExtensionOIDs() {
        return real.getNonCriticalExtensionOIDs();
    }

    @Override
    public byte[] getExtensionValue(String oid) {
        return real.getExtensionValue(oid);
    }
}
