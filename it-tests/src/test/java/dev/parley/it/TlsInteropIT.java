package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS with tools no one here wrote: OpenSSL's {@code s_client} and {@code s_server}, and Nmap's
 * {@code ncat --ssl}, both ways, with keys openssl made (EC in SEC1 form, RSA in PKCS#1), and the
 * fingerprint checked against openssl's own digest of the key.
 */
@Timeout(120)
@Tag("tls") // run again on the JDK's provider (it-tests/pom.xml)
class TlsInteropIT {

    @TempDir
    Path dir;

    private final List<OsProcess> open = new ArrayList<>();

    @BeforeAll
    static void tools() {
        ToolPolicy.requireCommand("openssl", "openssl");
        ToolPolicy.requireCommand("ncat", "ncat");
    }

    @AfterEach
    void stopAll() {
        open.forEach(OsProcess::close);
    }

    private OsProcess run(String... command) throws IOException {
        OsProcess p = OsProcess.program(Map.of(), command);
        open.add(p);
        return p;
    }

    private OsProcess parley(String... args) throws IOException {
        OsProcess p = OsProcess.parley(Map.of("PARLEY_CONFIG_DIR", dir.resolve("config").toString()), List.of(), args);
        open.add(p);
        return p;
    }

    private String sh(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", script).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), script + "\n" + out);
        return out;
    }

    /** OpenSSL's SHA-256 of the certificate's public key (SubjectPublicKeyInfo), in Parley's form. */
    private String opensslFingerprint(String cert) throws IOException, InterruptedException {
        return "SHA256:" + sh("openssl x509 -in " + cert + " -pubkey -noout | openssl pkey -pubin -outform DER"
                + " | openssl dgst -sha256 -binary | openssl base64 -A | tr -d =").strip();
    }

    /** An openssl key and self-signed certificate: {@code ec} in SEC1 form, or {@code rsa} in PKCS#1. */
    private void opensslIdentity(String kind) throws IOException, InterruptedException {
        sh(kind.equals("ec")
                ? "openssl ecparam -name prime256v1 -genkey -noout -out key.pem"
                : "openssl genrsa -traditional -out key.pem 2048 2>/dev/null");
        sh("openssl req -x509 -new -key key.pem -out cert.pem -subj /CN=interop -days 2 && chmod 600 key.pem");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void opensslSClientChatsWithParleyServerAndAgreesOnTheFingerprint() throws Exception {
        opensslIdentity("ec");
        assertTrue(Files.readString(dir.resolve("key.pem")).contains("BEGIN EC PRIVATE KEY"));
        OsProcess server = parley("server", "--tls", "--responder", "echo", "--port", "0",
                "--cert", dir.resolve("cert.pem").toString(), "--key", dir.resolve("key.pem").toString());
        int port = server.port();
        String fp = server.err.await("(?m)^fingerprint (SHA256:\\S+)$");
        assertEquals(opensslFingerprint("cert.pem"), fp);

        OsProcess client = run("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-tls1_3", "-quiet");
        client.type("hello from openssl\nbye\n");
        client.out.await("hello from openssl\n");
        server.err.await("ended: client said bye");
        assertTrue(client.exitsWithin(20), "s_client ends when the server closes after bye");
    }

    @Test
    void ncatSslChatsWithParleyServer() throws Exception {
        OsProcess server = parley("server", "--tls", "--responder", "echo", "--port", "0");
        int port = server.port();
        String fp = server.err.await("(?m)^fingerprint (SHA256:\\S+)$");
        sh("sed -n '/BEGIN CERTIFICATE/,/END CERTIFICATE/p' config/server.pem > parley.crt");
        assertEquals(opensslFingerprint("parley.crt"), fp, "openssl reads Parley's identity file and agrees on its fingerprint");

        OsProcess ncat = run("ncat", "--ssl", "127.0.0.1", String.valueOf(port));
        ncat.type("hello from ncat\n");
        ncat.out.await("hello from ncat\n");
        ncat.type("bye\n").endInput();
        server.err.await("ended: client said bye");
        assertTrue(ncat.exitsWithin(20), "ncat ends once its input has and the server has closed");
    }

    @Test
    void parleyClientChatsWithOpensslSServerPinnedToItsKey() throws Exception {
        opensslIdentity("rsa");
        assertTrue(Files.readString(dir.resolve("key.pem")).contains("BEGIN RSA PRIVATE KEY"));
        OsProcess fingerprint = parley("fingerprint", "--cert", dir.resolve("cert.pem").toString());
        assertEquals(0, fingerprint.exitCode());
        String fp = fingerprint.out.text().strip();
        assertEquals(opensslFingerprint("cert.pem"), fp);

        int port = freePort();
        OsProcess server = run("openssl", "s_server", "-accept", String.valueOf(port), "-tls1_3", "-key",
                dir.resolve("key.pem").toString(), "-cert", dir.resolve("cert.pem").toString());
        server.out.await("ACCEPT");
        OsProcess client = parley("client", "--tls", "--port", String.valueOf(port), "--fingerprint", fp);
        client.type("hello s_server\n");
        server.out.await("hello s_server\n");
        server.type("hello parley\n");
        client.out.await("hello parley\n");
        client.type("bye\n").endInput();
        assertEquals(0, client.exitCode(), client.err.text());
        server.out.await("bye\n");
    }

    @Test
    void parleyClientChatsWithNcatSslListening() throws Exception {
        opensslIdentity("ec");
        int port = freePort();
        OsProcess server = run("ncat", "-v", "--ssl", "--ssl-cert", dir.resolve("cert.pem").toString(), "--ssl-key",
                dir.resolve("key.pem").toString(), "-l", "127.0.0.1", String.valueOf(port));
        server.err.await("Listening on");
        OsProcess client = parley("client", "--tls", "--port", String.valueOf(port), "--fingerprint", opensslFingerprint("cert.pem"));
        client.type("hello ncat\n");
        server.out.await("hello ncat\n");
        server.type("hello parley\n");
        client.out.await("hello parley\n");
        client.type("bye\n").endInput();
        assertEquals(0, client.exitCode(), client.err.text());
        server.out.await("bye\n");

        OsProcess wrong = parley("client", "--tls", "--port", String.valueOf(port), "--fingerprint", "SHA256:" + "B".repeat(43));
        wrong.type("secret\n").endInput();
        assertEquals(1, wrong.exitCode());
    }
}
