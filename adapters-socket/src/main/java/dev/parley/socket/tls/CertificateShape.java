package dev.parley.socket.tls;

import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * A certificate's size and nesting, checked before it is parsed: the JDK's parser recurses once per
 * nested element, and a certificate of a few thousand nested BER SEQUENCEs (12 KB) overflowed its
 * stack. Every certificate Parley reads from a file is checked here before the JDK parses it;
 * those from the network are checked by the trust managers before their keys are read, which is
 * before a provider that parses lazily (OpenSSL's, through Netty) has parsed them (the JDK's own
 * parses in its engine first: there, the stack overflow ends the connection, see the socket
 * adapter's {@code ProcessErrors}).
 */
public final class CertificateShape {

    /** The largest certificate read: a post-quantum one with an SLH-DSA signature is under 50 KB; an ordinary one a few. */
    public static final int MAX_BYTES = 64 * 1024;

    /**
     * The deepest nesting read, encapsulated extensions and keys included: real certificates stay
     * under 15 (a name constraint's directory name is among the deepest); OpenSSL stops at 30.
     */
    public static final int MAX_DEPTH = 32;

    private CertificateShape() {}

    /** Null when {@code der} may be parsed; otherwise what is wrong with it, for people. */
    public static String problem(byte[] der) {
        if (der.length > MAX_BYTES) {
            return "it is " + der.length + " bytes long, more than a certificate's " + MAX_BYTES;
        }
        int depth = Der.nesting(der, MAX_DEPTH);
        if (depth > MAX_DEPTH) {
            return "it nests more than " + MAX_DEPTH + " levels deep (a hostile encoding)";
        }
        if (depth == Der.MALFORMED) {
            return "it is not DER";
        }
        return null;
    }

    /** Throws when a certificate of {@code chain} may not be parsed (see {@link #problem}). */
    public static void check(X509Certificate[] chain) throws CertificateException {
        for (X509Certificate certificate : chain) {
            String problem;
            try {
                problem = problem(certificate.getEncoded());
            } catch (CertificateEncodingException e) {
                problem = "it cannot be encoded (" + e.getMessage() + ")";
            }
            if (problem != null) {
                throw new CertificateException("a certificate that cannot be read: " + problem);
            }
        }
    }
}
