package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.socket.tls.CertificateBuilder;
import dev.parley.socket.tls.Fingerprints;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operators' port of the real jar ({@code parley server --operators}), spoken to by raw sockets
 * that speak the operators' protocol line by line (no operator program): remote operators share the
 * line of clients, an operator cut off hands its client on, and every wrong port, wrong key and
 * hostile line is refused in one line.
 */
@Timeout(120)
class OperatorsPortIT {

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private OsProcess parley(Map<String, String> env, String... args) throws IOException {
        OsProcess p = OsProcess.parley(env, List.of(), args);
        open.add(p);
        return p;
    }

    private OsProcess parley(String... args) throws IOException {
        return parley(Map.of(), args);
    }

    private static int operatorsPort(OsProcess server) throws InterruptedException {
        return Integer.parseInt(server.err.await("operators on \\S+:(\\d+)"));
    }

    /** An operator spoken by hand: each line the server sends is queued, each line the test writes sent. */
    private static final class RawOperator implements AutoCloseable {
        final Socket socket;
        final BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        private final OutputStream out;

        RawOperator(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            Thread reader = new Thread(() -> {
                try {
                    String line;
                    while ((line = in.readLine()) != null) {
                        heard.add(line);
                    }
                } catch (IOException e) {
                    // reset, or closed by the test
                }
                heard.add("<closed>");
            });
            reader.setDaemon(true);
            reader.start();
        }

        static RawOperator connect(int port) throws IOException {
            return new RawOperator(new Socket("127.0.0.1", port));
        }

        RawOperator send(String line) throws IOException {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return this;
        }

        /** The next line the server sends, within 20 s. */
        String next() throws InterruptedException {
            String line = heard.poll(20, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("nothing from the server within 20 s");
            }
            return line;
        }

        /** Lines until one that starts with {@code prefix}, which it returns. */
        String until(String prefix) throws InterruptedException {
            while (true) {
                String line = next();
                if (line.startsWith(prefix)) {
                    return line;
                }
                if (line.equals("<closed>")) {
                    throw new AssertionError("closed before a line starting with " + prefix);
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private RawOperator operator(int port, String name) throws Exception {
        RawOperator operator = RawOperator.connect(port);
        open.add(operator);
        operator.send("parley-operator/1 " + name);
        assertEquals("welcome " + name, operator.next());
        return operator;
    }

    /** Answers every question of every client it is with, 'NAME: what the client said', and records 'ID WAITING NAME' for each it is given. */
    private static Thread answering(RawOperator operator, String name, List<String> with) {
        Thread thread = new Thread(() -> {
            String said = "";
            try {
                while (true) {
                    String line = operator.next();
                    if (line.equals("<closed>")) {
                        return;
                    }
                    String[] f = line.split(" ", 3);
                    switch (f[0]) {
                        case "with" -> {
                            synchronized (with) {
                                with.add(f[1] + " " + f[2].split(" ")[0] + " " + name);
                            }
                        }
                        case "said" -> said = f[2];
                        case "ask" -> operator.send("line " + f[1] + " " + name + ": " + said);
                        default -> { }
                    }
                }
            } catch (InterruptedException | IOException | AssertionError e) {
                // the test has ended
            }
        });
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Test
    void twoOperatorsServeSixPipedClientsFirstComeFirstServedEachClientAnsweredOnce() throws Exception {
        OsProcess server = parley("server", "--port", "0", "--responder", "desk", "--operators", "127.0.0.1:0");
        int port = server.port();
        int operators = operatorsPort(server);
        List<String> with = new ArrayList<>();
        RawOperator ann = operator(operators, "Ann");
        RawOperator bob = operator(operators, "Bob");
        List<OsProcess> clients = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            OsProcess client = parley("client", "--port", String.valueOf(port));
            client.type("question " + i + "\n").endInput();
            clients.add(client);
            server.err.await("conversation " + i + " with \\S+ opened"); // in line in this order
        }
        answering(ann, "Ann", with);
        answering(bob, "Bob", with);
        for (int i = 1; i <= 6; i++) {
            OsProcess client = clients.get(i - 1);
            assertEquals(0, client.exitCode(), client.err.text());
            String answer = client.out.text();
            assertTrue(answer.equals("Ann: question " + i + "\n") || answer.equals("Bob: question " + i + "\n"), i + ": " + answer);
        }
        synchronized (with) {
            // Each is taken with those behind it still waiting (6 - its number, once all six are in line):
            // first come, first served, whichever socket the test reads first.
            assertEquals(List.of("1 0", "2 0", "3 3", "4 2", "5 1", "6 0"),
                    with.stream().map(w -> w.substring(0, w.lastIndexOf(' '))).sorted().toList(), "taken in the order they came: " + with);
            assertTrue(with.stream().anyMatch(w -> w.endsWith("Ann")) && with.stream().anyMatch(w -> w.endsWith("Bob")),
                    "each operator answered some: " + with);
        }
    }

    @Test
    void anOperatorCutOffMidConversationHandsItsClientToTheOtherWithItsQuestion() throws Exception {
        OsProcess server = parley("server", "--port", "0", "--responder", "desk", "--operators", "127.0.0.1:0");
        int port = server.port();
        int operators = operatorsPort(server);
        RawOperator ann = operator(operators, "Ann");
        OsProcess client = parley("client", "--port", String.valueOf(port));
        client.type("are you there?\n").endInput();
        assertTrue(ann.next().startsWith("with 1 0 conversation 1 ("));
        assertEquals("said 1 are you there?", ann.next());
        assertEquals("ask 1", ann.next());
        RawOperator bob = operator(operators, "Bob");

        ann.socket.setSoLinger(true, 0);
        ann.close(); // a reset, mid-conversation
        server.err.await("operator Ann \\(\\S+\\) left the desk: cut off");
        assertTrue(bob.until("with 1 ").startsWith("with 1 0 conversation 1 ("));
        assertEquals("said 1 are you there?", bob.until("said 1"));
        bob.until("ask 1");
        bob.send("line 1 Bob here");
        assertEquals(0, client.exitCode(), client.err.text());
        assertEquals("Bob here\n", client.out.text());
    }

    @Test
    void aClientAtTheOperatorsPortAndAnOperatorAtTheClientsPortAreEachToldWhereToGoInOneLine() throws Exception {
        OsProcess server = parley("server", "--port", "0", "--responder", "desk", "--operators", "127.0.0.1:0");
        int port = server.port();
        int operators = operatorsPort(server);

        OsProcess lost = parley("client", "--port", String.valueOf(operators));
        lost.type("hello?\n").endInput();
        assertEquals(1, lost.exitCode());
        assertEquals("", lost.out.text());
        assertEquals(1, lost.err.text().lines().count(), lost.err.text());
        assertTrue(lost.err.text().contains("this is the operators' port; clients connect to 127.0.0.1:" + port), lost.err.text());
        server.err.await("refused \\S+: operators' port: this is the operators' port");

        RawOperator wrong = RawOperator.connect(port);
        open.add(wrong);
        wrong.send("parley-operator/1 Ann");
        assertEquals("!this is the clients' port; operators connect to the server's --operators port", wrong.until("!this"), "after any notice of its place in line");
        assertEquals("<closed>", wrong.next());
        server.err.await("an operator at the clients' port");
        assertFalse(server.err.text().contains("joined the desk"));
    }

    @Test
    void withoutTlsTheOperatorsPortListensOnALoopbackAddressOnlyAndWithTlsItNeedsAKeyList() throws Exception {
        for (String where : List.of("0.0.0.0:0", "[::]:0")) {
            OsProcess server = parley("server", "--port", "0", "--responder", "desk", "--operators", where);
            assertEquals(2, server.exitCode(), where);
            assertEquals(1, server.err.text().lines().count(), server.err.text());
            assertTrue(server.err.text().contains("without --tls may listen on a loopback address only"), server.err.text());
        }
        OsProcess allInterfaces = parley("server", "--port", "0", "--bind", "0.0.0.0", "--responder", "desk", "--operators", "0");
        assertEquals(2, allInterfaces.exitCode(), "the --bind address by default: all interfaces, refused too");

        OsProcess noKeys = parley(Map.of("PARLEY_CONFIG_DIR", dir.resolve("cfg").toString()),
                "server", "--port", "0", "--tls", "--responder", "desk", "--operators", "127.0.0.1:0");
        assertEquals(2, noKeys.exitCode());
        assertTrue(noKeys.err.text().contains("--operators with --tls needs --authorized-operators FILE"), noKeys.err.text());

        OsProcess echo = parley("server", "--port", "0", "--responder", "echo", "--operators", "127.0.0.1:0");
        assertEquals(2, echo.exitCode());
        OsProcess nobody = parley("server", "--port", "0", "--responder", "desk");
        assertEquals(2, nobody.exitCode());
    }

    @Tag("tls") // run again on the JDK's provider (it-tests/pom.xml)
    @Test
    void withTlsOnlyAnOperatorWhoseKeyIsListedJoins() throws Exception {
        KeyPair good = CertificateBuilder.newKeyPair();
        KeyPair bad = CertificateBuilder.newKeyPair();
        X509Certificate goodCert = CertificateBuilder.forKey(good.getPublic()).subject("ann").sign(good.getPrivate());
        X509Certificate badCert = CertificateBuilder.forKey(bad.getPublic()).subject("mallory").sign(bad.getPrivate());
        Path authorized = dir.resolve("operators");
        Files.writeString(authorized, Fingerprints.of(goodCert) + " ann\n");
        Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-------"));
        OsProcess server = parley(Map.of("PARLEY_CONFIG_DIR", dir.resolve("cfg").toString()), "server", "--port", "0", "--tls",
                "--responder", "desk", "--operators", "127.0.0.1:0", "--authorized-operators", authorized.toString());
        int operators = operatorsPort(server);

        SSLSocket mallory = tls(operators, bad, badCert);
        open.add(mallory);
        assertThrows(IOException.class, () -> {
            mallory.startHandshake();
            mallory.getOutputStream().write("parley-operator/1 Mallory\n".getBytes(StandardCharsets.UTF_8));
            mallory.getOutputStream().flush();
            if (mallory.getInputStream().read() < 0) {
                throw new IOException("closed");
            }
        }, "refused in the handshake");
        server.err.await("refused \\S+: tls: the client's key " + java.util.regex.Pattern.quote(Fingerprints.of(badCert))
                + " is not in --authorized-operators");

        SSLSocket annSocket = tls(operators, good, goodCert);
        RawOperator ann = new RawOperator(annSocket);
        open.add(ann);
        ann.send("parley-operator/1 Ann");
        assertEquals("welcome Ann", ann.next());
        server.err.await("operator Ann \\(\\S+\\) joined the desk \\(TLS, operator " + java.util.regex.Pattern.quote(Fingerprints.of(goodCert))
                + " ann\\)");

        RawOperator plain = RawOperator.connect(operators);
        open.add(plain);
        plain.send("parley-operator/1 Eve");
        assertEquals("!this server speaks TLS: add --tls", plain.next(), "a plaintext operator at a TLS port is told");
    }

    /** A TLS connection presenting {@code cert}, trusting any server (the test checks the operator's side). */
    private static SSLSocket tls(int port, KeyPair key, X509Certificate cert) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("me", key.getPrivate(), "x".toCharArray(), new Certificate[] {cert});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "x".toCharArray());
        TrustManager any = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keys.getKeyManagers(), new TrustManager[] {any}, null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        return socket;
    }

    @Test
    void anOverLongLineGarbageOrNoHelloEndsTheOperatorInOneLineAndTheDeskGoesOn() throws Exception {
        OsProcess server = parley("server", "--port", "0", "--responder", "desk", "--operators", "127.0.0.1:0",
                "--max-line-bytes", "100", "--handshake-timeout", "2s");
        int port = server.port();
        int operators = operatorsPort(server);

        RawOperator longer = operator(operators, "Long");
        longer.send("line - " + "x".repeat(10_000));
        assertEquals("!line longer than 400 bytes (the operators' protocol's limit)", longer.next());
        assertEquals("<closed>", longer.next());
        server.err.await("operator Long \\(\\S+\\) left the desk: ended: line longer than 400 bytes");

        RawOperator garbage = RawOperator.connect(operators);
        open.add(garbage);
        garbage.socket.getOutputStream().write(new byte[] {0, (byte) 0xff, 27, '[', '2', 'J', '\n'});
        assertEquals("!this is the operators' port; clients connect to 127.0.0.1:" + port, garbage.next());
        assertEquals("<closed>", garbage.next());

        RawOperator evil = RawOperator.connect(operators);
        open.add(evil);
        evil.send("parley-operator/1 \u001b]0;owned\u0007");
        assertEquals("!malformed hello: the operator's name holds a control character", evil.next());

        RawOperator silent = RawOperator.connect(operators);
        open.add(silent);
        assertEquals("!no operator's hello within 2s (handshake timeout); this is the operators' port; clients connect to 127.0.0.1:" + port,
                silent.next());
        assertEquals("<closed>", silent.next());

        RawOperator ann = operator(operators, "Ann");
        OsProcess client = parley("client", "--port", String.valueOf(port));
        client.type("still there?\n").endInput();
        ann.until("ask 1");
        ann.send("line 1 yes");
        assertEquals(0, client.exitCode(), client.err.text());
        assertEquals("yes\n", client.out.text());
        assertFalse(server.err.text().contains("\u001b"), "nothing raw in the log");
    }

    @Test
    void anOperatorThatFloodsCommandsAndReadsNothingIsCutOffAndTheServerGoesOn() throws Exception {
        OsProcess server = parley("server", "--port", "0", "--responder", "desk", "--operators", "127.0.0.1:0", "--idle-timeout", "2s");
        int port = server.port();
        int operators = operatorsPort(server);
        Socket flood = new Socket();
        open.add(flood);
        flood.setReceiveBufferSize(4096);
        flood.connect(new InetSocketAddress("127.0.0.1", operators));
        Thread writer = new Thread(() -> {
            try {
                OutputStream out = flood.getOutputStream();
                out.write("parley-operator/1 Flood\n".getBytes(StandardCharsets.UTF_8));
                byte[] who = "line - /who\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < 10_000; i++) {
                    out.write(who);
                }
            } catch (IOException e) {
                // cut off
            }
        });
        writer.setDaemon(true);
        writer.start();
        server.err.await("operator Flood \\(\\S+\\) left the desk: cut off: took none of its lines for 2s \\(idle timeout\\)");

        RawOperator ann = operator(operators, "Ann");
        OsProcess client = parley("client", "--port", String.valueOf(port));
        client.type("hi\n").endInput();
        ann.until("ask 1");
        ann.send("line 1 hello");
        assertEquals(0, client.exitCode(), client.err.text());
    }
}
