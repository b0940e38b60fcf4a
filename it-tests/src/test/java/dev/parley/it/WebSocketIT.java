package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web port of the real jar, spoken to by the JDK's own WebSocket and HTTP clients and by bare
 * sockets, as programs and attackers would: the conversation, its limits shared with the TCP port,
 * and every refusal (docs/PROTOCOL.md, "WebSocket").
 */
@Timeout(120)
class WebSocketIT {

    private static OsProcess server(String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("server", "--port", "0", "--web", "0"));
        args.addAll(List.of(options));
        if (!args.contains("--responder")) {
            args.addAll(List.of("--responder", "echo"));
        }
        return OsProcess.parley(args.toArray(String[]::new));
    }

    static int webPort(OsProcess server) throws InterruptedException {
        return Integer.parseInt(server.err.await("web page on http://127\\.0\\.0\\.1:(\\d+)/"));
    }

    @Test
    void aProgramConversesOverTheWebSocketAndSaysBye() throws Exception {
        try (OsProcess server = server(); WebClient client = WebClient.connect(webPort(server))) {
            assertEquals("hello there", client.ask("hello there"));
            assertEquals("!!important", client.ask("!!important"), "a message that starts with ! travels escaped, as on a line");
            assertEquals("  spaced  ", client.ask("  spaced  "));
            assertEquals("", client.ask(""), "an empty frame is the empty message");
            client.say("bye");
            assertEquals(1000, client.closeStatus());
            server.err.await("conversation \\d+ with 127\\.0\\.0\\.1:\\d+ ended: client said bye");
        }
    }

    @Test
    void thePageIsServedWithItsPolicyAndNothingElseIsServed() throws Exception {
        try (OsProcess server = server()) {
            int port = webPort(server);
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertEquals("text/html; charset=utf-8", page.headers().firstValue("content-type").orElseThrow());
            String policy = page.headers().firstValue("content-security-policy").orElseThrow();
            assertTrue(policy.matches("default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]{44}'; style-src 'sha256-[A-Za-z0-9+/=]{44}'; "
                    + "connect-src 'self'; .*frame-ancestors 'none'"), policy);
            assertTrue(page.body().contains("data-max-line-bytes=\"65536\""));
            HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/../etc/passwd")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, other.statusCode());
        }
    }

    @Test
    void aPageOfAnotherSiteIsRefusedAtTheHandshake() throws Exception {
        try (OsProcess server = server()) {
            int port = webPort(server);
            CompletionException refused = assertThrows(CompletionException.class, () -> WebClient.fromPage(port, "https://evil.example"));
            assertEquals(403, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
            server.err.await("refused 127\\.0\\.0\\.1:\\d+: cross-site: a WebSocket from a page of another origin");
            try (WebClient own = WebClient.fromPage(port, "http://127.0.0.1:" + port)) {
                assertEquals("mine", own.ask("mine"), "the server's own page may");
            }
        }
        try (OsProcess server = server("--web-origin", "https://chat.example.org"); WebClient allowed =
                WebClient.fromPage(webPort(server), "https://chat.example.org")) {
            assertEquals("allowed", allowed.ask("allowed"));
        }
    }

    @Test
    void aNameRebindingToThisMachineIsRefused() throws Exception {
        try (OsProcess server = server(); Wire raw = new Wire(webPort(server))) {
            raw.send("GET / HTTP/1.1\r\nHost: rebound.attacker.example\r\n\r\n");
            assertEquals("HTTP/1.1 421 Misdirected Request", raw.readLineOrNull().strip());
        }
    }

    @Test
    void aConnectionThatNeverAsksIsClosedAtTheLineTimeout() throws Exception {
        try (OsProcess server = server("--line-timeout", "1s"); Wire idle = new Wire(webPort(server))) {
            idle.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"); // and never the blank line
            long start = System.nanoTime();
            assertTrue(idle.closedByServer());
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(took < 5000, "closed after " + took + " ms");
        }
    }

    @Test
    void requestsThatHoldOrFloodTheWebPortAreBounded() throws Exception {
        try (OsProcess server = server("--max-conversations", "2")) {
            int port = webPort(server);
            try (Wire flood = new Wire(port)) {
                flood.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".repeat(1000));
                assertEquals("HTTP/1.1 200 OK", flood.readLineOrNull().strip());
                flood.drain(); // one page, then the server closes: the other 999 are not answered
            }
            try (Wire huge = new Wire(port)) {
                huge.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: " + "a".repeat(100_000) + "\r\n\r\n");
                assertEquals("HTTP/1.1 431 Request Header Fields Too Large", huge.readLineOrNull().strip());
            }
            List<Wire> holding = new ArrayList<>();
            try {
                for (int i = 0; i < 16; i++) {
                    holding.add(new Wire(port));
                    holding.get(i).send("G");
                }
                try (Wire seventeenth = new Wire(port)) {
                    assertEquals("HTTP/1.1 503 Service Unavailable", seventeenth.readLineOrNull().strip(),
                            "16 connections from one address may wait for an answer, no more");
                }
            } finally {
                for (Wire wire : holding) {
                    wire.close();
                }
            }
            // The server frees the 16 places as it sees each close, a moment after the test's: ask for the page
            // until it is answered again (a 503 means a close not yet seen), then a conversation is served.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String status;
            do {
                try (Wire page = new Wire(port)) {
                    page.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                    status = page.readLineOrNull().strip();
                }
            } while (status.startsWith("HTTP/1.1 503") && System.nanoTime() < deadline);
            assertEquals("HTTP/1.1 200 OK", status, "the places held are given back once their connections close");
            try (WebClient after = WebClient.connect(port)) {
                assertEquals("served", after.ask("served"));
            }
        }
    }

    @Test
    void anUnmaskedFrameBreaksTheProtocolAndIsToldSo() throws Exception {
        try (OsProcess server = server(); Wire raw = new Wire(webPort(server))) {
            upgrade(raw.in, raw.out);
            raw.out.write(new byte[] {(byte) 0x81, 2, 'h', 'i'}); // a text frame a client must mask, unmasked
            raw.out.flush();
            byte[] header = raw.in.readNBytes(2);
            assertEquals((byte) 0x81, header[0], "a text frame comes back");
            String report = new String(raw.in.readNBytes(header[1]), StandardCharsets.UTF_8);
            assertTrue(report.startsWith("!not a message: the WebSocket protocol was broken ("), report);
            assertEquals((byte) 0x88, raw.in.readNBytes(1)[0], "then the Close frame");
        }
    }

    @Test
    void aFrameOverTheLimitIsRefusedAsALongLineIsWholeOrInFragments() throws Exception {
        try (OsProcess server = server("--max-line-bytes", "100")) {
            int port = webPort(server);
            try (WebClient client = WebClient.connect(port)) {
                assertEquals("x".repeat(100), client.ask("x".repeat(100)), "the limit itself fits");
                client.socket.sendText("y".repeat(10_000), true);
                assertEquals("!line longer than 100 bytes", client.next());
                assertEquals(1009, client.closeStatus(), "refused from the frame's header: message too big");
            }
            try (WebClient client = WebClient.connect(port)) {
                client.socket.sendText("w".repeat(101), true);
                assertEquals("!line longer than 100 bytes", client.next(), "one byte over");
                assertEquals(1000, client.closeStatus());
            }
            try (WebClient client = WebClient.connect(port)) {
                client.socket.sendText("z".repeat(60), false).join();
                client.socket.sendText("z".repeat(60), true).join();
                assertEquals("!line longer than 100 bytes", client.next(), "fragments add up");
                assertEquals(1000, client.closeStatus());
            }
            server.err.awaitCount("ended: line longer than 100 bytes; told the client and closed the connection", 3);
        }
    }

    @Test
    void aBinaryMessageOrALineFeedIsNotAMessage() throws Exception {
        try (OsProcess server = server()) {
            int port = webPort(server);
            try (WebClient client = WebClient.connect(port)) {
                client.socket.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
                assertEquals("!not a message: a binary message; messages are text", client.next());
                assertEquals(1003, client.closeStatus());
            }
            try (WebClient client = WebClient.connect(port)) {
                client.say("one\ntwo");
                assertEquals("!not a message: a message holds a line feed; a message is one line", client.next());
                assertEquals(1007, client.closeStatus());
            }
            server.err.await("ended: dropped: not a message: a message holds a line feed; a message is one line; told the client");
        }
    }

    @Test
    void browsersAndTcpClientsShareTheServersLimits() throws Exception {
        try (OsProcess server = server("--max-conversations", "1"); Wire tcp = new Wire(server.port())) {
            assertEquals("tcp first", tcp.ask("tcp first"));
            try (WebClient web = WebClient.connect(webPort(server))) {
                assertEquals("!busy: 1 conversation open, the most this server takes; try again later", web.next());
                web.closeStatus();
            }
        }
        try (OsProcess server = server("--max-per-address", "1"); WebClient first = WebClient.connect(webPort(server))) {
            assertEquals("web first", first.ask("web first"));
            try (Wire tcp = new Wire(server.port())) {
                assertEquals("!too many: 1 conversation from your address, the most this server takes from one; try again later",
                        tcp.readLineOrNull());
            }
        }
    }

    @Test
    void pingsAreAnsweredAndKeepNoConversationAlive() throws Exception {
        try (OsProcess server = server("--idle-timeout", "2s"); WebClient client = WebClient.connect(webPort(server))) {
            for (int i = 0; i < 29; i++) {
                client.socket.sendPing(ByteBuffer.wrap(new byte[] {(byte) i})).get(5, TimeUnit.SECONDS);
            }
            assertEquals("!idle: no message for 2s (idle timeout)", client.next(), "pings are not messages");
            assertTrue(client.pongs.get() > 0, "answered: " + client.pongs.get() + " pongs for 29 pings");
        }
    }

    @Test
    void aPingFloodIsEndedPastItsLimitWhileOthersAreServed() throws Exception {
        try (OsProcess server = server(); WebClient flood = WebClient.connect(webPort(server));
                WebClient other = WebClient.connect(webPort(server))) {
            assertEquals("before", other.ask("before"));
            int pings = 0;
            while (pings < 2_000 && !flood.closed.isDone()) {
                try {
                    flood.socket.sendPing(ByteBuffer.wrap(new byte[] {(byte) pings})).get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    break; // the server ended it meanwhile
                }
                pings++;
                if (pings == 20) {
                    assertEquals("during", other.ask("during"));
                }
            }
            assertEquals("!not a message: more than 30 control frames (pings, pongs) at once, or more than one a second after",
                    flood.next(), pings + " pings sent");
            assertEquals(1008, flood.closeStatus(), "policy violation");
            assertTrue(flood.pongs.get() <= 30, flood.pongs.get() + " pongs");
            server.err.await("ended: dropped: not a message: more than 30 control frames");
            assertEquals("after", other.ask("after"));
        }
    }

    @Test
    void aClientThatTakesNoRepliesIsEndedAndHoldsNothing() throws Exception {
        try (OsProcess server = server("--idle-timeout", "2s"); WebClient slow = WebClient.notReading(webPort(server))) {
            String big = "r".repeat(60_000);
            int sent = 0;
            while (sent < 2000) {
                try {
                    slow.socket.sendText(big, true).get(3, TimeUnit.SECONDS);
                } catch (Exception e) {
                    break; // the server stopped reading: its replies are not taken
                }
                sent++;
            }
            assertTrue(sent < 2000, "the server stopped reading a client that takes nothing");
            server.err.await("ended: idle: took none of the replies for 2s \\(idle timeout\\)");
            try (WebClient other = WebClient.connect(webPort(server))) {
                assertEquals("served", other.ask("served"));
            }
            assertFalse(server.err.text().contains("Exception"), server.err.text());
        }
    }

    /** The figure docs/BENCHMARKS.md reports (W1): a round trip over the web port against one over TCP, same server, same run. */
    @Test
    void aRoundTripOverTheWebSocketAgainstOneOverTcp() throws Exception {
        try (OsProcess server = server(); Wire tcp = new Wire(server.port()); WebClient web = WebClient.connect(webPort(server))) {
            int warmUp = 3000;
            int measured = 3000;
            long[] tcpNanos = new long[5];
            long[] webNanos = new long[5];
            for (int i = 0; i < warmUp; i++) {
                assertEquals("warm " + i, tcp.ask("warm " + i));
                assertEquals("warm " + i, web.ask("warm " + i));
            }
            for (int round = 0; round < 5; round++) {
                long start = System.nanoTime();
                for (int i = 0; i < measured; i++) {
                    assertEquals("tcp " + i, tcp.ask("tcp " + i));
                }
                tcpNanos[round] = (System.nanoTime() - start) / measured;
                start = System.nanoTime();
                for (int i = 0; i < measured; i++) {
                    assertEquals("web " + i, web.ask("web " + i));
                }
                webNanos[round] = (System.nanoTime() - start) / measured;
            }
            Arrays.sort(tcpNanos);
            Arrays.sort(webNanos);
            double ratio = (double) webNanos[2] / tcpNanos[2];
            System.out.printf(Locale.ROOT, "web: round trip, median of 5 rounds of %d: TCP %.1f us, WebSocket %.1f us: %.2fx%n",
                    measured, tcpNanos[2] / 1000.0, webNanos[2] / 1000.0, ratio);
            assertTrue(ratio < 20, "a web round trip costs " + ratio + " TCP ones");
        }
    }

    @Test
    void aStoppingServerSaysByeToItsWebClients() throws Exception {
        try (OsProcess server = server(); WebClient client = WebClient.connect(webPort(server))) {
            assertEquals("hi", client.ask("hi"));
            server.signal("TERM");
            assertEquals("bye", client.next());
            assertEquals(1000, client.closeStatus());
            assertEquals(0, server.exitCode());
        }
    }

    /** A bare socket's WebSocket handshake, by hand, as the first bytes on {@code out}. */
    private static void upgrade(InputStream in, OutputStream out) throws IOException {
        out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertTrue(b >= 0, "the handshake's answer ended early: " + head);
            head.append((char) b);
        }
        assertTrue(head.toString().startsWith("HTTP/1.1 101 Switching Protocols\r\n"), head.toString());
    }

    /** A client's frame (masked, with a zero mask: the payload as it is) of {@code opcode}, short. */
    private static byte[] masked(int opcode, byte[] payload) {
        byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte) (0x80 | opcode);
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(payload, 0, frame, 6, payload.length);
        return frame;
    }

    /**
     * Issue 20, bug 3: a tab closed after its message was taken for a half-close ("it can still read
     * your answer"), and the dead conversation held the front of the line until the operator typed.
     */
    @Test
    void aTabClosedAfterItsMessageEndsItsConversationAtOnceAndTheNextInLineIsTaken() throws Exception {
        try (OsProcess server = server("--responder", "console"); WebClient web = WebClient.connect(webPort(server))) {
            web.say("I will not wait");
            server.out.await("I will not wait\n");
            try (Wire tcp = new Wire(server.port())) {
                tcp.send("next in line\n");
                assertTrue(tcp.readLineOrNull().contains("you are number 1 in line"), "the TCP client waits");
                web.socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
                server.err.await("conversation \\d+ with 127\\.0\\.0\\.1:\\d+ ended: client closed the connection");
                server.out.await("next in line\n"); // the operator typed nothing: the next was taken at once
                server.type("hello next\n");
                String line;
                do {
                    line = tcp.readLineOrNull();
                } while (line != null && !line.equals("hello next"));
                assertEquals("hello next", line);
                assertEquals(1000, web.closeStatus(), "the tab's Close is answered");
            }
        }
    }

    /**
     * Over TLS a closing tab sends its Close frame, then TLS's close_notify: the second was once a
     * second end of input, an illegal input, and the conversation was reported as a bug.
     */
    @Test
    void overTlsACloseFrameThenCloseNotifyEndsTheConversationOnce(@TempDir Path config) throws Exception {
        try (OsProcess server = OsProcess.parley(Map.of("PARLEY_CONFIG_DIR", config.toString()), List.of(),
                "server", "--tls", "--port", "0", "--web", "0", "--responder", "console")) {
            int port = Integer.parseInt(server.err.await("web page on https://127\\.0\\.0\\.1:(\\d+)/"));
            SSLContext anyKey = SSLContext.getInstance("TLSv1.3");
            anyKey.init(null, new TrustManager[] {new TrustingAnyKey()}, null);
            try (SSLSocket tab = (SSLSocket) anyKey.getSocketFactory().createSocket("127.0.0.1", port)) {
                upgrade(tab.getInputStream(), tab.getOutputStream());
                tab.getOutputStream().write(masked(0x1, "my last words".getBytes(StandardCharsets.UTF_8)));
                tab.getOutputStream().flush();
                server.out.await("my last words\n");
                tab.getOutputStream().write(masked(0x8, new byte[] {0x03, (byte) 0xE8})); // Close, 1000
                tab.getOutputStream().flush();
            } // close_notify
            server.err.await("conversation \\d+ with 127\\.0\\.0\\.1:\\d+ ended: client closed the connection");
            server.signal("TERM");
            assertEquals(0, server.exitCode());
            assertFalse(server.err.text().contains("a bug"), server.err.text());
        }
    }

    /** Trusts whatever key the server shows: this test is about the server's WebSocket, not its identity. */
    private static final class TrustingAnyKey implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("a client's trust only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // any key
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
