package dev.parley.socket.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A key's fingerprint as ssh users know it: {@code SHA256:} and the SHA-256 of the certificate's
 * SubjectPublicKeyInfo in base64 without padding (43 characters). It names the key, not the
 * certificate: a certificate renewed over the same key keeps its fingerprint. The same with
 * openssl: {@code openssl x509 -in CERT -pubkey -noout | openssl pkey -pubin -outform DER |
 * openssl dgst -sha256 -binary | openssl base64 | tr -d =}.
 */
public final class Fingerprints {

    private static final Pattern FORM = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");

    private Fingerprints() {}

    public static String of(X509Certificate certificate) {
        return of(certificate.getPublicKey());
    }

    public static String of(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** True when {@code text} is a fingerprint in this form. */
    public static boolean isValid(String text) {
        return FORM.matcher(text).matches();
    }

    /**
     * {@code text} as a fingerprint, accepting a lower-case {@code sha256:} prefix and a trailing
     * {@code =}, as people copy them.
     *
     * @throws IllegalArgumentException with a message for people when it is not one
     */
    public static String parse(String text) {
        String t = text.strip();
        if (t.toLowerCase(Locale.ROOT).startsWith("sha256:")) {
            t = "SHA256:" + t.substring(7);
        }
        if (t.endsWith("=")) {
            t = t.substring(0, t.length() - 1);
        }
        if (!isValid(t)) {
            throw new IllegalArgumentException("'" + (text.length() > 80 ? text.substring(0, 80) + "..." : text)
                    + "' is not a fingerprint; write SHA256: and 43 base64 characters, as 'parley fingerprint' prints it");
        }
        return t;
    }
}
