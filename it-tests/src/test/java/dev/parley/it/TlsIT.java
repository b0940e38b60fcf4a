package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.socket.tls.CertificateBuilder;
import dev.parley.socket.tls.Identity;
import dev.parley.socket.tls.ServerTrust;
import dev.parley.socket.tls.TlsProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS between the real jar's processes over loopback: pinning, trust on first use and a changed
 * key, authorized clients, certificates from an authority, the wrong-protocol mistakes, hostile
 * handshakes, and the identity files treated as hostile input. What a server really heard is
 * read from its transcript.
 */
@Timeout(120)
@Tag("tls") // run again on the JDK's provider (it-tests/pom.xml)
class TlsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FINGERPRINT_LINE = Pattern.compile("(?m)^fingerprint (SHA256:[A-Za-z0-9+/]{43})$");

    @TempDir
    Path dir;

    private final List<OsProcess> open = new ArrayList<>();

    @AfterEach
    void stopAll() {
        open.forEach(OsProcess::close);
    }

    private Map<String, String> config(String name) {
        return Map.of("PARLEY_CONFIG_DIR", dir.resolve(name).toString());
    }

    private OsProcess parley(String config, List<String> jvm, String... args) throws IOException {
        OsProcess p = OsProcess.parley(config(config), jvm, args);
        open.add(p);
        return p;
    }

    /** An echo server over TLS with its own configuration directory, its transcript in heard-CONFIG.jsonl. */
    private OsProcess server(String config, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("server", "--tls", "--responder", "echo", "--transcript",
                dir.resolve("heard-" + config + ".jsonl").toString()));
        args.addAll(List.of(options));
        if (!args.contains("--port")) {
            args.addAll(List.of("--port", "0"));
        }
        return parley(config, List.of(), args.toArray(new String[0]));
    }

    private OsProcess client(String config, String input, int port, String... options) throws IOException {
        return client(config, List.of(), input, port, options);
    }

    private OsProcess client(String config, List<String> jvm, String input, int port, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("client", "--tls", "--port", String.valueOf(port)));
        args.addAll(List.of(options));
        OsProcess client = parley(config, jvm, args.toArray(new String[0]));
        client.type(input).endInput();
        return client;
    }

    private static String fingerprint(OsProcess server) throws InterruptedException {
        return server.err.await(FINGERPRINT_LINE.pattern());
    }

    /** What clients said to the server with transcript heard-CONFIG.jsonl. */
    private List<String> heard(String config) throws IOException {
        Path file = dir.resolve("heard-" + config + ".jsonl");
        List<String> said = new ArrayList<>();
        if (!Files.exists(file)) {
            return said;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            JsonNode event = JSON.readTree(line);
            if (event.get("from").asText().equals("client") && event.get("kind").asText().equals("message")) {
                said.add(event.get("text").asText());
            }
        }
        return said;
    }

    @Test
    void theServerNamesItsTlsProviderBoringSslWhereItLoads() throws Exception {
        OsProcess server = server("s");
        String line = server.err.await("(?m)^parley: up to .*$");
        if (TlsProviderUnderTest.boringSsl()) {
            assertTrue(line.contains("; TLS on BoringSSL (netty-tcnative), about 12 KiB each outside the heap;"), line);
        } else {
            assertTrue(line.contains("about 10 KiB of heap each") && line.contains("; TLS on the JDK's provider (SunJSSE)"), line);
        }
        String arch = System.getProperty("os.arch");
        if ("true".equals(System.getenv("CI")) && System.getenv(TlsProvider.VARIABLE) == null
                && System.getProperty("os.name").equals("Linux") && (arch.equals("amd64") || arch.equals("aarch64"))) {
            assertTrue(TlsProviderUnderTest.boringSsl(), "CI runs the TLS tests on BoringSSL first, then on the JDK's: " + line);
        }
    }

    @Test
    void whereBoringSslCannotLoadTheServerSaysWhyAndServesOnTheJdksTls() throws Exception {
        // A native library directory that is a file: BoringSSL cannot be unpacked, as on a read-only file system
        Path notADirectory = Files.writeString(dir.resolve("not-a-directory"), "");
        List<String> jvm = List.of("-Dio.netty.native.workdir=" + notADirectory);
        Map<String, String> auto = new java.util.HashMap<>(config("s"));
        auto.put(TlsProvider.VARIABLE, "auto");
        OsProcess server = OsProcess.parley(auto, jvm, "server", "--tls", "--port", "0", "--responder", "echo");
        open.add(server);
        int port = server.port();
        server.err.await("; TLS on the JDK's provider \\(SunJSSE\\) \\(BoringSSL cannot load here: [^\\n]+\\); the open-file limit");
        OsProcess client = client("c", jvm, "on the fallback\nbye\n", port, "--fingerprint", fingerprint(server));
        assertEquals(0, client.exitCode(), client.err.text());
        assertEquals("on the fallback\n", client.out.text());

        Map<String, String> insist = new java.util.HashMap<>(config("s"));
        insist.put(TlsProvider.VARIABLE, "openssl");
        OsProcess refused = OsProcess.parley(insist, jvm, "server", "--tls", "--port", "0", "--responder", "echo");
        open.add(refused);
        assertEquals(1, refused.exitCode(), refused.err.text());
        assertTrue(refused.err.text().startsWith("parley: PARLEY_TLS_PROVIDER=openssl, but BoringSSL cannot load here ("), refused.err.text());
        assertEquals(1, refused.err.text().lines().count(), refused.err.text());

        Map<String, String> typo = new java.util.HashMap<>(config("s"));
        typo.put(TlsProvider.VARIABLE, "boringssl");
        OsProcess unknown = OsProcess.parley(typo, List.of(), "server", "--tls", "--port", "0");
        open.add(unknown);
        assertEquals(2, unknown.exitCode(), unknown.err.text());
        assertEquals("parley: PARLEY_TLS_PROVIDER is 'boringssl'; it takes auto, openssl or jdk\n", unknown.err.text());
    }

    @Test
    void theFingerprintLineFollowsListeningAndMatchesParleyFingerprint() throws Exception {
        OsProcess made = parley("s", List.of(), "fingerprint");
        assertEquals(0, made.exitCode());
        String printed = made.out.text().strip();
        assertTrue(printed.matches("SHA256:[A-Za-z0-9+/]{43}"), printed);
        assertTrue(made.err.text().contains("made a new server identity"), made.err.text());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("s/server.pem"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("s"))));

        OsProcess server = server("s");
        server.port();
        assertEquals(printed, fingerprint(server));
        String log = server.err.text();
        assertTrue(Pattern.compile("(?m)^listening on \\S+\\n" + Pattern.quote("fingerprint " + printed) + "$").matcher(log).find(), log);

        OsProcess again = parley("s", List.of(), "fingerprint");
        assertEquals(0, again.exitCode());
        assertEquals(printed + "\n", again.out.text(), "the same identity, kept");
        assertEquals("", again.err.text());
    }

    @Test
    void aPinnedFingerprintConversesAndAWrongOneExits1WithNothingSent() throws Exception {
        OsProcess server = server("s");
        int port = server.port();
        String fp = fingerprint(server);

        OsProcess good = client("c", "secret plan A\nbye\n", port, "--fingerprint", fp);
        assertEquals(0, good.exitCode(), good.err.text());
        assertEquals("secret plan A\n", good.out.text());
        assertEquals("parley: you said bye\n", good.err.text(), "a script's stderr is as without TLS");

        String wrong = "SHA256:" + "A".repeat(43);
        OsProcess bad = client("c", "secret plan B\nbye\n", port, "--fingerprint", wrong);
        assertEquals(1, bad.exitCode());
        assertEquals("", bad.out.text());
        assertEquals("parley: cannot connect to localhost:" + port + ": the server's key is " + fp + ", not the " + wrong
                + " given with --fingerprint; nothing was sent\n", bad.err.text());
        server.err.await("refused \\S+: tls: the client did not trust this server's certificate");
        assertEquals(List.of("secret plan A"), heard("s"), "the server heard nothing of the refused client");
    }

    @Test
    void trustNewRemembersTheServerAndANewKeyOnTheSameHostAndPortIsRefusedLoudly() throws Exception {
        OsProcess first = server("first");
        int port = first.port();
        String firstKey = fingerprint(first);

        OsProcess unknown = client("c", "hello\nbye\n", port);
        assertEquals(1, unknown.exitCode());
        assertTrue(unknown.err.text().contains("the server is not known (key " + firstKey + "); nothing was sent"), unknown.err.text());
        assertTrue(unknown.err.text().contains("--fingerprint " + firstKey), "says how to pin it: " + unknown.err.text());
        assertEquals(1, unknown.err.text().lines().count(), unknown.err.text());

        OsProcess remember = client("c", "hello\nbye\n", port, "--trust-new");
        assertEquals(0, remember.exitCode(), remember.err.text());
        assertEquals("hello\n", remember.out.text());
        assertTrue(remember.err.text().startsWith("parley: remembered localhost:" + port + " as " + firstKey), remember.err.text());
        assertEquals("localhost:" + port + " " + firstKey + "\n", Files.readString(dir.resolve("c/known_servers")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("c/known_servers"))));

        OsProcess known = client("c", "again\nbye\n", port);
        assertEquals(0, known.exitCode(), known.err.text());
        assertEquals("parley: you said bye\n", known.err.text());

        first.signal("TERM");
        assertEquals(0, first.exitCode());
        OsProcess impostor = server("impostor", "--port", String.valueOf(port));
        impostor.port();
        String otherKey = fingerprint(impostor);
        for (String[] options : new String[][] {{}, {"--trust-new"}}) {
            OsProcess refused = client("c", "secret plan A\nbye\n", port, options);
            assertEquals(1, refused.exitCode());
            String err = refused.err.text();
            assertTrue(err.startsWith("parley: WARNING: THE SERVER'S KEY HAS CHANGED. Nothing was sent to localhost:" + port + ".\n"), err);
            assertTrue(err.contains("now presents the key " + otherKey + ", but known_servers (line 1) has " + firstKey), err);
            assertTrue(err.contains("remove line 1 of " + dir.resolve("c/known_servers")), err);
            assertEquals("", refused.out.text());
        }
        assertEquals(List.of(), heard("impostor"));
    }

    @Test
    void theWebPageAndItsWebSocketSpeakTlsWithTheServersOwnKey() throws Exception {
        OsProcess server = server("s", "--web", "0");
        String fp = fingerprint(server);
        int web = Integer.parseInt(server.err.await("web page on https://127\\.0\\.0\\.1:(\\d+)/"));
        // Trusted the way Parley's client trusts: by the fingerprint the server printed, and nothing else.
        SSLContext pinned = SSLContext.getInstance("TLSv1.3");
        pinned.init(null, new TrustManager[] {new ServerTrust("127.0.0.1:" + web, Optional.of(fp), null, hostPort -> List.of(), false)},
                null);
        HttpClient https = HttpClient.newBuilder().sslContext(pinned).build();

        HttpResponse<String> page = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + web + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("location.protocol === 'https:' ? 'wss://'"), "the page's WebSocket follows its scheme");
        try (WebClient browser = WebClient.overTls(https, web, "https://127.0.0.1:" + web)) {
            assertEquals("over wss", browser.ask("over wss"));
            server.err.await("conversation \\d+ with 127\\.0\\.0\\.1:\\d+ opened \\(TLS\\)");
        }
        CompletionException crossScheme = assertThrows(CompletionException.class,
                () -> WebClient.overTls(https, web, "http://127.0.0.1:" + web));
        assertEquals(403, ((WebSocketHandshakeException) crossScheme.getCause()).getResponse().statusCode(),
                "a plain http page is another origin than the https one");

        HttpClient otherKey = HttpClient.newBuilder().sslContext(SSLContext.getDefault()).build();
        assertThrows(SSLHandshakeException.class, () -> otherKey.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + web + "/"))
                .build(), HttpResponse.BodyHandlers.ofString()), "a self-signed key no authority signed: only its fingerprint trusts it");
        HttpResponse<String> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web + "/"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, plain.statusCode(), "no page in plain text");
        assertEquals("This port speaks https: open the same address with https:// instead of http://.\n", plain.body());
        // Logged, or counted in the log's flood summary when it falls in the same second as the refusal above.
        server.err.await("refused (127\\.0\\.0\\.1:\\d+: web: a plain http request to the https port \\(told to use https\\)"
                + "|1 more in the last second: web 1)");
    }

    @Test
    void aFloodOfPlainHttpRequestsToTheHttpsPortIsAnsweredSummarisedAndLeavesItServing() throws Exception {
        OsProcess server = server("s", "--web", "0");
        String fp = fingerprint(server);
        int web = Integer.parseInt(server.err.await("web page on https://127\\.0\\.0\\.1:(\\d+)/"));
        byte[] request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        int flood = 300;
        for (int i = 0; i < flood; i++) {
            try (Socket plain = new Socket()) {
                plain.connect(new InetSocketAddress("127.0.0.1", web));
                plain.setSoTimeout(10_000);
                plain.getOutputStream().write(request);
                String answer = new String(plain.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), answer);
            }
        }
        SSLContext pinned = SSLContext.getInstance("TLSv1.3");
        pinned.init(null, new TrustManager[] {new ServerTrust("127.0.0.1:" + web, Optional.of(fp), null, hostPort -> List.of(), false)},
                null);
        HttpResponse<String> page = HttpClient.newBuilder().sslContext(pinned).build()
                .send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + web + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode(), "still serving over https");
        // Every refusal is accounted for, one line each or counted in a summary line a second.
        server.err.await("refused (\\S+: web: a plain http request|\\d+ more in the last second: web \\d+)");
        long lines = server.err.text().lines().filter(line -> line.startsWith("refused ")).count();
        assertTrue(lines < flood / 10, "a flood is summarised, not written line by line:\n" + server.err.text());
    }

    @Test
    void benchMakesAFullHandshakeForEveryConversationAndChecksEveryReply() throws Exception {
        OsProcess server = server("s");
        int port = server.port();
        String key = fingerprint(server);
        OsProcess bench = parley("c", List.of(), "bench", "--tls", "--fingerprint", key, "--port", String.valueOf(port),
                "--conversations", "8", "--messages", "5");
        assertEquals(0, bench.exitCode(), bench.err.text());
        String report = bench.out.text();
        assertTrue(report.contains("new conversations/s (each a full TLS 1.3 handshake)"), report);
        assertTrue(report.contains("40 round trips in "), report);
        assertTrue(report.contains("every reply correct"), report);

        OsProcess unpinned = parley("c", List.of(), "bench", "--tls", "--port", String.valueOf(port), "--conversations", "2");
        assertEquals(1, unpinned.exitCode());
        assertEquals(1, unpinned.err.text().lines().count(), unpinned.err.text());
        assertTrue(unpinned.err.text().contains("the server is not trusted (key " + key + "); pin it with --fingerprint " + key),
                unpinned.err.text());
    }

    @Test
    void eachWrongProtocolMistakeIsOneClearLine() throws Exception {
        OsProcess tls = server("s");
        OsProcess plaintextClient = parley("c", List.of(), "client", "--port", String.valueOf(tls.port()));
        plaintextClient.type("hello\n").endInput();
        assertEquals(1, plaintextClient.exitCode());
        assertEquals("parley: server says: this server speaks TLS: add --tls\n", plaintextClient.err.text());
        tls.err.await("refused \\S+: tls: a plaintext client: this server speaks TLS");

        OsProcess plain = parley("p", List.of(), "server", "--responder", "echo", "--port", "0");
        OsProcess tlsClient = client("c", "hello\nbye\n", plain.port(), "--fingerprint", "SHA256:" + "A".repeat(43));
        assertEquals(1, tlsClient.exitCode());
        assertEquals("parley: cannot connect to localhost:" + plain.port() + ": the server does not speak TLS: it answered in plain "
                + "text ('this server speaks plain text, not TLS: drop --tls'); drop --tls to talk to it\n", tlsClient.err.text());
        plain.err.await("ended: connection to client lost: a TLS client: this server speaks plain text");

        OsProcess raw = parley("c", List.of(), "client", "--tls", "--framing", "raw", "--port", "1");
        assertEquals(2, raw.exitCode());
        assertTrue(raw.err.text().contains("--framing raw cannot be used with --tls"), raw.err.text());
    }

    @Test
    void aServerThatSaysNothingToAHandshakeIsGivenUpWithinTheConnectTimeout() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            OsProcess client = client("c", "hello\n", silent.getLocalPort(), "--fingerprint", "SHA256:" + "A".repeat(43),
                    "--connect-timeout", "1s");
            assertEquals(1, client.exitCode());
            assertEquals("parley: cannot connect to localhost:" + silent.getLocalPort() + ": no TLS answer within 1s (connect timeout); "
                    + "a plaintext server says nothing to a TLS client: is it one? then drop --tls\n", client.err.text());
        }
    }

    @Test
    void everyResponderAndThePipedContractWorkOverTls() throws Exception {
        OsProcess console = parley("s", List.of(), "server", "--tls", "--port", "0", "--once");
        console.type("pong 1\npong 2\n").endInput();
        int port = console.port();
        OsProcess a = client("c", "ping 1\nping 2\nbye\n", port, "--fingerprint", fingerprint(console));
        assertEquals(0, a.exitCode(), a.err.text());
        assertEquals("pong 1\npong 2\n", a.out.text());
        assertEquals("parley: you said bye\n", a.err.text());
        assertEquals(0, console.exitCode());
        assertEquals("ping 1\nping 2\n", console.out.text(), "the console server's stdout: the client's messages, exactly");

        Path replies = dir.resolve("replies.txt");
        Files.writeString(replies, "first\nsecond\n");
        OsProcess file = parley("s", List.of(), "server", "--tls", "--port", "0", "--responder", "file:" + replies);
        OsProcess b = client("c", "one\ntwo\nthree\n", file.port(), "--fingerprint", fingerprint(file));
        assertEquals(0, b.exitCode(), b.err.text());
        assertEquals("first\nsecond\n", b.out.text());
        assertEquals("parley: server said bye\n", b.err.text());
    }

    @Test
    void aPlaintextClientWhosePersonHasNotTypedIsToldAtTheHandshakeDeadline() throws Exception {
        OsProcess tls = server("s", "--handshake-timeout", "1s");
        OsProcess waiting = parley("c", List.of(), "client", "--port", String.valueOf(tls.port()));
        assertEquals(1, waiting.exitCode());
        assertEquals("parley: server says: this server speaks TLS: add --tls\n", waiting.err.text());
    }

    @Test
    void onlyAuthorizedClientsConverseAndTheListIsReadAgainWhenItChanges() throws Exception {
        OsProcess alice = parley("alice", List.of(), "fingerprint", "--client");
        assertEquals(0, alice.exitCode());
        String aliceKey = alice.out.text().strip();
        OsProcess bob = parley("bob", List.of(), "fingerprint", "--client");
        assertEquals(0, bob.exitCode());
        String bobKey = bob.out.text().strip();
        Path authorized = dir.resolve("authorized");
        Files.writeString(authorized, "# who may talk\n" + aliceKey + " alice\n");

        OsProcess server = server("s", "--authorized-clients", authorized.toString());
        int port = server.port();
        String fp = fingerprint(server);

        OsProcess a = client("alice", "from alice\nbye\n", port, "--fingerprint", fp);
        assertEquals(0, a.exitCode(), a.err.text());
        assertEquals("from alice\n", a.out.text());
        server.err.await("opened \\(TLS, client " + Pattern.quote(aliceKey) + " alice\\)");

        OsProcess b = client("bob", "from bob\nbye\n", port, "--fingerprint", fp);
        assertEquals(1, b.exitCode());
        assertEquals("", b.out.text());
        assertTrue(b.err.text().startsWith("parley: cannot connect to localhost:" + port + ": the server refused this client"), b.err.text());
        assertTrue(b.err.text().contains("parley fingerprint --client"), b.err.text());
        assertEquals(1, b.err.text().lines().count(), b.err.text());
        server.err.await("refused \\S+: tls: the client's key " + Pattern.quote(bobKey) + " is not in --authorized-clients");

        FileTime before = Files.getLastModifiedTime(authorized);
        Files.writeString(authorized, aliceKey + " alice\n" + bobKey + " bob\n");
        Files.setLastModifiedTime(authorized, FileTime.fromMillis(before.toMillis() + 2000)); // changed, whatever the clock's resolution
        OsProcess b2 = client("bob", "bob again\nbye\n", port, "--fingerprint", fp);
        assertEquals(0, b2.exitCode(), b2.err.text());
        server.err.await("--authorized-clients changed: 2 clients allowed now");
        assertEquals(List.of("from alice", "bob again"), heard("s"));

        OsProcess plainTls = parley("x", List.of(), "client", "--tls", "--port", String.valueOf(port), "--fingerprint", fp,
                "--connect-timeout", "5s");
        plainTls.type("x\n").endInput();
        assertEquals(1, plainTls.exitCode());
    }

    @Test
    void aCertificateFromATrustedAuthorityNeedsNoPinAndAnExpiredOrMisnamedOneIsRefused() throws Exception {
        KeyPair ca = CertificateBuilder.newKeyPair();
        X509Certificate caCert = CertificateBuilder.forKey(ca.getPublic()).subject("Parley Test CA").authority().sign(ca.getPrivate());
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", caCert);
        Path trust = dir.resolve("ca.p12");
        try (OutputStream out = Files.newOutputStream(trust)) {
            store.store(out, "changeit".toCharArray());
        }
        List<String> trusting = List.of("-Djavax.net.ssl.trustStore=" + trust, "-Djavax.net.ssl.trustStorePassword=changeit");

        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        String[][] cases = {{"good", "localhost", "0"}, {"expired", "localhost", "1"}, {"misnamed", "example.org", "0"}};
        for (String[] c : cases) {
            KeyPair key = CertificateBuilder.newKeyPair();
            CertificateBuilder builder = CertificateBuilder.forKey(key.getPublic()).subject(c[1]).name(c[1]).issuedBy("Parley Test CA",
                    ca.getPrivate());
            if (c[2].equals("1")) {
                builder.valid(now.minusDays(30), now.minusDays(1));
            }
            Identity identity = new Identity(key.getPrivate(), List.of(builder.sign(key.getPrivate()), caCert));
            Path pem = dir.resolve(c[0] + ".pem");
            Files.writeString(pem, identity.toPem());
            Files.setPosixFilePermissions(pem, PosixFilePermissions.fromString("rw-------"));
            OsProcess server = server(c[0], "--cert", pem.toString(), "--key", pem.toString());
            int port = server.port();
            OsProcess client = client("c-" + c[0], trusting, "hello\nbye\n", port);
            if (c[0].equals("good")) {
                assertEquals(0, client.exitCode(), client.err.text());
                assertEquals("hello\n", client.out.text());
            } else {
                assertEquals(1, client.exitCode());
                String expected = c[0].equals("expired") ? "its certificate, from a trusted authority, it expired on "
                        : "its certificate, from a trusted authority, it is for example.org, not localhost; nothing was sent";
                assertTrue(client.err.text().contains(expected), client.err.text());
                assertEquals(1, client.err.text().lines().count(), client.err.text());
                assertEquals(List.of(), heard(c[0]));
            }
        }
    }

    @Test
    void hostileHandshakesEndOnlyTheirOwnConnectionsAndHoldTheirSlotsUntilTheDeadline() throws Exception {
        // 10 s, not 2: the third client is a JVM, which on two loaded cores can take seconds to start, and the
        // stalled handshakes must still hold their slots when it connects.
        OsProcess server = server("s", "--handshake-timeout", "10s", "--max-per-address", "2");
        int port = server.port();
        String fp = fingerprint(server);

        try (Socket garbage = new Socket()) {
            garbage.connect(new InetSocketAddress("127.0.0.1", port));
            garbage.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5, 6, 7, 8});
            garbage.setSoTimeout(10_000);
            garbage.getInputStream().readAllBytes(); // the server closes it
        }
        String garbageRefused = server.err.await("(refused \\S+: tls: [^\\n]*\\n)");

        // Two handshakes that stop after the server's answer (which shows the server took their slots).
        Socket stalled1 = stalledAfterServerHello(port);
        Socket stalled2 = stalledAfterServerHello(port);
        try {
            OsProcess third = client("c", "hello\nbye\n", port, "--fingerprint", fp);
            assertEquals(1, third.exitCode(), "the two stalled handshakes hold this address's two slots\n" + third.err.text());
            assertTrue(third.err.text().contains("server says: too many: 2 conversations from your address"), third.err.text());
            // Both deadlines pass: each refusal is logged in full, or counted in the line that sums up its second
            // (the log's flood summary: the first refusal of a second in full, the rest counted). Which of the two
            // a deadline gets depends on what else was refused in its second (the third client's JVM may start late).
            server.err.awaitText(log -> tlsRefusalsAfter(log, garbageRefused) >= 2, "the two handshake deadlines refused");
            stalled1.getInputStream().readAllBytes(); // the rest of the server's answer, then its close (else a timeout)
            stalled2.getInputStream().readAllBytes();
        } finally {
            stalled1.close();
            stalled2.close();
        }
        try (Socket half = new Socket()) {
            half.connect(new InetSocketAddress("127.0.0.1", port));
            half.setSoTimeout(30_000);
            half.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01}); // half a ClientHello, then nothing
            half.getInputStream().readAllBytes(); // closed by the server at the deadline (else a timeout)
            server.err.awaitText(log -> tlsRefusalsAfter(log, garbageRefused) >= 3, "the half ClientHello's deadline refused");
        }
        OsProcess after = client("c", "after the deadline\nbye\n", port, "--fingerprint", fp);
        assertEquals(0, after.exitCode(), after.err.text());
        assertEquals(List.of("after the deadline"), heard("s"));
    }

    private static final Pattern HANDSHAKE_DEADLINE = Pattern.compile("(?m)^refused \\S+: tls: handshake not finished within 10s");
    private static final Pattern TLS_SUMMED_UP = Pattern.compile("(?m)^refused [\\d,]+ more in the last second:.* tls ([\\d,]+)");

    /**
     * The TLS refusals the server's log accounts for after the line {@code after}: handshake
     * deadlines logged in full, and TLS refusals counted in a second's summary line.
     */
    private static int tlsRefusalsAfter(String log, String after) {
        String since = log.substring(log.indexOf(after) + after.length());
        int refused = (int) HANDSHAKE_DEADLINE.matcher(since).results().count();
        refused += TLS_SUMMED_UP.matcher(since).results().mapToInt(m -> Integer.parseInt(m.group(1).replace(",", ""))).sum();
        return refused;
    }

    /**
     * A connection that sends a ClientHello and reads the first byte of the server's answer (so the
     * server has accepted it and taken its slot), then sends nothing more.
     */
    private static Socket stalledAfterServerHello(int port) throws Exception {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        socket.setSoTimeout(30_000);
        SSLEngine engine = SSLContext.getDefault().createSSLEngine("localhost", port);
        engine.setUseClientMode(true);
        ByteBuffer hello = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), hello);
        socket.getOutputStream().write(hello.array(), 0, hello.position());
        assertEquals(0x16, socket.getInputStream().read(), "the server answers the ClientHello with its own handshake");
        return socket;
    }

    @Test
    void aStopOnEitherSideIsSaidOverTlsBeforeTheConnectionCloses() throws Exception {
        OsProcess server = server("s");
        int port = server.port();
        String fp = fingerprint(server);
        OsProcess client = parley("c", List.of(), "client", "--tls", "--port", String.valueOf(port), "--fingerprint", fp);
        client.type("still here\n");
        client.out.await("still here\n");
        server.signal("TERM");
        assertEquals(0, client.exitCode(), client.err.text());
        assertEquals("parley: server said bye\n", client.err.text());
        assertEquals(0, server.exitCode());

        OsProcess again = server("s2");
        OsProcess leaving = parley("c", List.of(), "client", "--tls", "--port", String.valueOf(again.port()), "--fingerprint",
                fingerprint(again));
        leaving.type("hi\n");
        leaving.out.await("hi\n");
        leaving.signal("TERM");
        assertEquals(0, leaving.exitCode(), leaving.err.text());
        again.err.await("ended: client said bye");
    }

    @Test
    void unsafeIdentityAndTrustFilesAreRefusedSayingWhatToDo() throws Exception {
        Files.createDirectories(dir.resolve("s"), PosixFilesFor.dir());
        OsProcess made = parley("s", List.of(), "fingerprint");
        assertEquals(0, made.exitCode());
        Path key = dir.resolve("s/server.pem");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        OsProcess exposed = parley("s", List.of(), "server", "--tls", "--port", "0");
        assertEquals(1, exposed.exitCode());
        assertTrue(exposed.err.text().contains("can be read or changed by others (rw-r--r--); make it yours alone: chmod 600"),
                exposed.err.text());

        Files.delete(key);
        new ProcessBuilder("mkfifo", key.toString()).start().waitFor();
        OsProcess fifo = parley("s", List.of(), "server", "--tls", "--port", "0");
        assertEquals(1, fifo.exitCode());
        assertTrue(fifo.err.text().contains("it is not a regular file"), fifo.err.text());

        Files.createDirectories(dir.resolve("c"));
        Path known = dir.resolve("c/known_servers");
        Files.writeString(known, "localhost:1 SHA256:" + "A".repeat(43) + "\n");
        Files.setPosixFilePermissions(known, PosixFilePermissions.fromString("rw-rw-rw-"));
        OsProcess writable = client("c", "x\n", 1);
        assertEquals(1, writable.exitCode());
        assertTrue(writable.err.text().contains("others can change it (rw-rw-rw-), and with it whom Parley trusts; chmod go-w"),
                writable.err.text());

        Files.setPosixFilePermissions(known, PosixFilePermissions.fromString("rw-------"));
        Files.write(known, new byte[(1 << 20) + 1]);
        OsProcess huge = client("c", "x\n", 1);
        assertEquals(1, huge.exitCode());
        assertTrue(huge.err.text().contains("larger than 1 MiB"), huge.err.text());
        assertFalse(huge.err.text().contains("Exception"), huge.err.text());
    }

    /** Owner-only directory permissions, as Parley makes them. */
    private static final class PosixFilesFor {
        static java.nio.file.attribute.FileAttribute<?> dir() {
            return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        }
    }
}
