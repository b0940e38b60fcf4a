package dev.parley.app.trust;

import dev.parley.app.cli.Exits;
import dev.parley.app.cli.UserError;
import dev.parley.console.TerminalSafe;
import dev.parley.socket.tls.Fingerprints;
import dev.parley.socket.tls.Identity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where identities come from: Parley's own (the server's and the client's, made on first use in the
 * configuration directory, {@value #SERVER} and {@value #CLIENT}: the PEM of a new EC P-256 key
 * and a self-signed certificate, owner-only), or a key and certificate the person has (--cert,
 * --key: from a certificate authority, say).
 */
public final class Identities {

    public static final String SERVER = "server.pem";
    public static final String CLIENT = "client.pem";

    private Identities() {}

    /** The identity a side keeps in the configuration directory, and whether this call made it. */
    public record Own(Identity identity, Path file, boolean created) {}

    /**
     * The identity kept as {@code name} in the configuration directory, made if there is none yet
     * ({@code made} hears one line about it then).
     */
    public static Own own(ConfigDirectory config, String name, String side, Consumer<String> made) throws UserError {
        Path dir = config.secure();
        Path file = dir.resolve(name);
        String what = "the " + side + "'s identity";
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                byte[] pem = SecureFiles.read(file, SecureFiles.Kind.OWN_SECRET, what);
                try {
                    return new Own(Identity.fromPem(new String(pem, StandardCharsets.UTF_8)), file, false);
                } catch (Identity.InvalidException e) {
                    throw new UserError("cannot use " + what + " " + shown(file) + ": " + e.getMessage()
                            + "; move it away to have a new one made (its fingerprint will change)", Exits.FAILURE, e);
                }
            } catch (NoSuchFileException e) {
                Identity fresh = Identity.generate("parley " + side + " " + hostName());
                try {
                    if (SecureFiles.createPrivate(file, fresh.toPem().getBytes(StandardCharsets.UTF_8))) {
                        made.accept("parley: made a new " + side + " identity, " + shown(file) + " (fingerprint " + fresh.fingerprint() + ")");
                        return new Own(fresh, file, true);
                    }
                } catch (IOException io) {
                    throw new UserError("cannot create " + what + " " + shown(file) + ": " + SecureFiles.reason(io), Exits.FAILURE, io);
                }
                // another process made it first: read theirs
            }
        }
        throw new UserError("cannot read " + what + " " + shown(file), Exits.FAILURE, null);
    }

    /** The identity made of the PEM key in {@code key} and the PEM certificate chain in {@code cert}. */
    public static Identity given(Path cert, Path key) throws UserError {
        String chain = text(cert, SecureFiles.Kind.GIVEN_TRUST, "the certificate");
        String secret = text(key, SecureFiles.Kind.GIVEN_SECRET, "the key");
        try {
            return Identity.fromPem(secret, chain);
        } catch (Identity.InvalidException e) {
            throw new UserError("cannot use --cert " + shown(cert) + " with --key " + shown(key) + ": " + e.getMessage(),
                    Exits.USAGE, e);
        }
    }

    /** The certificates in {@code cert}, for {@code parley fingerprint --cert}. */
    public static String fingerprintOf(Path cert) throws UserError {
        try {
            List<X509Certificate> chain = Identity.certificates(text(cert, SecureFiles.Kind.GIVEN_TRUST,
                    "the certificate"));
            if (chain.isEmpty()) {
                throw new UserError("cannot read " + shown(cert) + ": it holds no certificate (-----BEGIN CERTIFICATE-----)",
                        Exits.USAGE, null);
            }
            return Fingerprints.of(chain.get(0));
        } catch (Identity.InvalidException e) {
            throw new UserError("cannot read " + shown(cert) + ": " + e.getMessage(), Exits.USAGE, e);
        }
    }

    private static String text(Path file, SecureFiles.Kind kind, String what) throws UserError {
        try {
            return new String(SecureFiles.read(file, kind, what), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserError("cannot use " + what + " " + shown(file) + ": no such file", Exits.USAGE, e);
        }
    }

    public static String shown(Path file) {
        return TerminalSafe.forLog(file.toString(), 200);
    }

    /** This machine's name, from the kernel (no name lookup: it may be slow, or hang, with no network). */
    private static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException | RuntimeException e) {
            String name = System.getenv("HOSTNAME");
            return name != null ? name : "unknown host";
        }
    }
}
