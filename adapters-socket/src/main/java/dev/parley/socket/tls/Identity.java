package dev.parley.socket.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private key and its certificate chain (the first certificate is the key's own): who a server or
 * a client is. Read from and written as PEM, the form openssl, ncat, nginx and certbot use: a
 * {@code PRIVATE KEY} (PKCS#8), {@code EC PRIVATE KEY} (SEC1) or {@code RSA PRIVATE KEY} (PKCS#1)
 * block and {@code CERTIFICATE} blocks, in one file or two. Encrypted keys are refused (Parley
 * asks no passphrase: it starts unattended).
 */
public record Identity(PrivateKey key, List<X509Certificate> chain) {

    public Identity {
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("an identity needs its certificate");
        }
    }

    /** A PEM file or text that is not a usable identity; the message says why, for people. */
    public static final class InvalidException extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidException(String message) {
            super(message);
        }
    }

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    /** A new identity: an EC P-256 key and a self-signed certificate for it, named {@code commonName}. */
    public static Identity generate(String commonName) {
        KeyPair pair = CertificateBuilder.newKeyPair();
        try {
            X509Certificate certificate = CertificateBuilder.forKey(pair.getPublic()).subject(commonName).sign(pair.getPrivate());
            return new Identity(pair.getPrivate(), List.of(certificate));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a certificate with this Java: " + e.getMessage(), e);
        }
    }

    /** The certificate of this identity's own key. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** This identity's fingerprint ({@link Fingerprints}). */
    public String fingerprint() {
        return Fingerprints.of(certificate());
    }

    /** The key (PKCS#8) then the chain, as PEM. */
    public String toPem() {
        StringBuilder out = new StringBuilder();
        block(out, "PRIVATE KEY", key.getEncoded());
        for (X509Certificate certificate : chain) {
            try {
                block(out, "CERTIFICATE", certificate.getEncoded());
            } catch (CertificateException e) {
                throw new IllegalStateException(e);
            }
        }
        return out.toString();
    }

    /** One PEM block, base64 in lines of 64. */
    public static void block(StringBuilder out, String type, byte[] der) {
        out.append("-----BEGIN ").append(type).append("-----\n");
        String base64 = Base64.getEncoder().encodeToString(der);
        for (int i = 0; i < base64.length(); i += 64) {
            out.append(base64, i, Math.min(base64.length(), i + 64)).append('\n');
        }
        out.append("-----END ").append(type).append("-----\n");
    }

    /** The identity in {@code pem}: one key and its chain, checked to belong together. */
    public static Identity fromPem(String pem) throws InvalidException {
        return fromPem(pem, pem);
    }

    /** The identity made of the key in {@code keyPem} and the certificates in {@code chainPem} (the same text for one file). */
    public static Identity fromPem(String keyPem, String chainPem) throws InvalidException {
        PrivateKey key = null;
        for (Block block : blocks(keyPem)) {
            PrivateKey found = privateKey(block);
            if (found != null) {
                if (key != null) {
                    throw new InvalidException("it holds more than one private key");
                }
                key = found;
            }
        }
        if (key == null) {
            throw new InvalidException("it holds no private key (no -----BEGIN PRIVATE KEY----- block)");
        }
        List<X509Certificate> chain = certificates(chainPem);
        if (chain.isEmpty()) {
            throw new InvalidException("it holds no certificate (no -----BEGIN CERTIFICATE----- block)");
        }
        if (!belongTogether(key, chain.get(0).getPublicKey())) {
            throw new InvalidException("the private key is not the key of the first certificate");
        }
        return new Identity(key, chain);
    }

    /** The certificates in {@code pem}, in order. */
    public static List<X509Certificate> certificates(String pem) throws InvalidException {
        List<X509Certificate> chain = new ArrayList<>();
        for (Block block : blocks(pem)) {
            if (block.type.equals("CERTIFICATE")) {
                String problem = CertificateShape.problem(block.der);
                if (problem != null) {
                    throw new InvalidException("certificate " + (chain.size() + 1) + " cannot be read: " + problem);
                }
                try {
                    Certificate c = CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(block.der));
                    chain.add((X509Certificate) c);
                } catch (CertificateException e) {
                    throw new InvalidException("certificate " + (chain.size() + 1) + " cannot be read: " + e.getMessage());
                }
            }
        }
        return chain;
    }

    private record Block(String type, byte[] der) {}

    private static List<Block> blocks(String pem) throws InvalidException {
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            String body = m.group(2);
            if (type.equals("ENCRYPTED PRIVATE KEY") || body.contains("ENCRYPTED")) {
                throw new InvalidException("its private key is encrypted, and Parley asks no passphrase; "
                        + "write it decrypted (openssl pkey -in KEY -out KEY.plain), readable by you only");
            }
            StringBuilder base64 = new StringBuilder();
            for (String line : body.split("\n")) {
                if (line.indexOf(':') < 0) {
                    base64.append(line.strip());
                }
            }
            try {
                out.add(new Block(type, Base64.getDecoder().decode(base64.toString())));
            } catch (IllegalArgumentException e) {
                throw new InvalidException("its " + type + " block is not base64");
            }
        }
        return out;
    }

    /** The key in {@code block}, or null when it holds no private key. */
    private static PrivateKey privateKey(Block block) throws InvalidException {
        try {
            switch (block.type) {
                case "PRIVATE KEY":
                    return pkcs8(block.der);
                case "EC PRIVATE KEY": {
                    // SEC1: SEQUENCE { 1, key OCTET STRING, [0] curve OID, [1] public key }; wrapped as PKCS#8.
                    List<Der.Element> fields = Der.single(block.der, Der.SEQUENCE).children();
                    String curve = null;
                    for (Der.Element field : fields) {
                        if (field.tag() == 0xA0) {
                            curve = Der.single(field.content(), Der.OID).oid();
                        }
                    }
                    if (curve == null) {
                        throw new InvalidException("its EC PRIVATE KEY names no curve");
                    }
                    return pkcs8(Der.sequence(Der.integer(java.math.BigInteger.ZERO),
                            Der.sequence(Der.oid("1.2.840.10045.2.1"), Der.oid(curve)), Der.octets(block.der)));
                }
                case "RSA PRIVATE KEY":
                    return pkcs8(Der.sequence(Der.integer(java.math.BigInteger.ZERO),
                            Der.sequence(Der.oid("1.2.840.113549.1.1.1"), Der.nul()), Der.octets(block.der)));
                default:
                    return null;
            }
        } catch (Der.MalformedException e) {
            throw new InvalidException("its " + block.type + " block is not a key (" + e.getMessage() + ")");
        }
    }

    private static PrivateKey pkcs8(byte[] der) throws InvalidException, Der.MalformedException {
        List<Der.Element> fields = Der.single(der, Der.SEQUENCE).children();
        if (fields.size() < 3 || fields.get(1).tag() != Der.SEQUENCE) {
            throw new InvalidException("its PRIVATE KEY block is not PKCS#8");
        }
        String algorithm = fields.get(1).children().get(0).oid();
        String kind = CertificateBuilder.isEcKeyOid(algorithm) ? "EC"
                : algorithm.equals("1.2.840.113549.1.1.1") ? "RSA"
                : algorithm.equals("1.3.101.112") ? "Ed25519"
                : null;
        if (kind == null) {
            throw new InvalidException("its private key is of a kind Parley does not use (" + algorithm + "); use EC, RSA or Ed25519");
        }
        try {
            return KeyFactory.getInstance(kind).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new InvalidException("its " + kind + " private key cannot be read: " + e.getMessage());
        }
    }

    /** True when {@code key} signs what {@code publicKey} verifies. */
    private static boolean belongTogether(PrivateKey key, PublicKey publicKey) {
        String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA"
                : key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : key.getAlgorithm();
        try {
            byte[] probe = "parley identity check".getBytes(StandardCharsets.US_ASCII);
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(probe);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(publicKey);
            verify.update(probe);
            return verify.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
