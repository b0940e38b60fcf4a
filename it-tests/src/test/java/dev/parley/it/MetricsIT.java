package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's metrics (--metrics) on the real jar: scraped during real conversations over TCP,
 * the web page and TLS, parsed by Prometheus's own Python client (Debian's
 * python3-prometheus-client), and matched against what the clients saw; and the scrape port
 * against scrapers that are attackers (docs/OPERATING.md, "Metrics").
 */
@Timeout(180)
class MetricsIT {

    private static final String PYTHON = "/usr/bin/python3";

    /** Reads the text format on stdin with prometheus_client's parser; prints {"name{label=value,...}": value}. */
    private static final String PARSER = String.join("\n",
            "import json, sys",
            "from prometheus_client.parser import text_string_to_metric_families",
            "out = {}",
            "for family in text_string_to_metric_families(sys.stdin.read()):",
            "    for s in family.samples:",
            "        labels = ','.join(k + '=' + v for k, v in sorted(s.labels.items()))",
            "        out[s.name + '{' + labels + '}'] = s.value",
            "print(json.dumps(out))");

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void needsThePrometheusParser() throws Exception {
        boolean available = Files.isExecutable(Path.of(PYTHON))
                && new ProcessBuilder(PYTHON, "-c", "import prometheus_client.parser").start().waitFor() == 0;
        ToolPolicy.require("python3-prometheus-client", available, "apt-get install python3-prometheus-client");
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T kept(T closeable) {
        open.add(closeable);
        return closeable;
    }

    private static int metricsPort(OsProcess server) throws InterruptedException {
        return Integer.parseInt(server.err.await("metrics on 127\\.0\\.0\\.1:(\\d+)"));
    }

    /** GET /metrics, parsed by Prometheus's parser: sample {@code name{label=value,...}} to value. */
    static Map<String, Double> scrape(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("text/plain; version=0.0.4"));
        Process parser = new ProcessBuilder(PYTHON, "-c", PARSER).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        parser.getOutputStream().write(response.body().getBytes(StandardCharsets.UTF_8));
        parser.getOutputStream().close();
        String parsed = new String(parser.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(parser.waitFor(30, TimeUnit.SECONDS) && parser.exitValue() == 0, "the parser refused the text:\n" + response.body());
        Map<String, Double> samples = new HashMap<>();
        JsonNode all = JSON.readTree(parsed);
        all.fields().forEachRemaining(e -> samples.put(e.getKey(), e.getValue().asDouble()));
        return samples;
    }

    /** Scrapes until {@code sample} is {@code value} (a close is counted when the connection has gone, after the ending's log line). */
    private static Map<String, Double> scrapeUntil(int port, String sample, double value) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Map<String, Double> samples = Map.of();
            try {
                samples = scrape(port);
            } catch (IOException e) {
                // the port is full of connections that are closing: try again
            }
            if (Double.valueOf(value).equals(samples.get(sample))) {
                return samples;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(sample + " is not " + value + " after 30 s: " + samples);
            }
            Thread.sleep(100); // polling a value the server reports, not standing in for a synchronisation
        }
    }

    @Test
    void theScrapedCountsAreWhatTheTcpAndWebClientsSaw() throws Exception {
        OsProcess server = kept(OsProcess.parley("server", "--port", "0", "--web", "0", "--responder", "echo",
                "--max-conversations", "3", "--memory-budget", "64m", "--metrics", "127.0.0.1:0"));
        int port = server.port();
        int web = WebSocketIT.webPort(server);
        int metrics = metricsPort(server);
        String log = server.err.text();
        assertTrue(log.indexOf("metrics on") > log.indexOf("web page on"), "the metrics' line comes after the web page's:\n" + log);

        Wire byes = kept(new Wire(port));
        Wire closes = kept(new Wire(port));
        assertEquals("one", byes.ask("one"));
        assertEquals("two", closes.ask("two"));
        WebClient page = kept(WebClient.connect(web));
        assertEquals("three", page.ask("three"));
        Wire busy = kept(new Wire(port));
        assertTrue(busy.readLineOrNull().startsWith("!busy: 3 conversations open"));

        Map<String, Double> during = scrape(metrics);
        assertEquals(2.0, during.get("parley_conversations_open{front=tcp}"));
        assertEquals(1.0, during.get("parley_conversations_open{front=web}"));
        assertEquals(0.0, during.get("parley_conversations_open{front=tls}"));
        assertEquals(2.0, during.get("parley_conversations_opened_total{front=tcp}"));
        assertEquals(1.0, during.get("parley_refusals_total{reason=busy}"));
        assertEquals(0.0, during.get("parley_operators_online{}"), "an echo has no operators");
        assertEquals(0.0, during.get("parley_conversations_waiting{front=tcp}"), "and no one waits for one");
        assertEquals(64.0 * 1024 * 1024, during.get("parley_memory_budget_bytes{}"));
        assertTrue(during.get("parley_memory_held_bytes{}") >= 0);

        byes.send("bye\n");
        closes.socket.close();
        page.say("bye");
        Map<String, Double> after = scrapeUntil(metrics, "parley_conversations_ended_total{front=web,reason=peer_said_bye}", 1.0);
        after = scrapeUntil(metrics, "parley_conversations_ended_total{front=tcp,reason=peer_said_bye}", 1.0);
        after = scrapeUntil(metrics, "parley_conversations_ended_total{front=tcp,reason=peer_closed}", 1.0);
        after = scrapeUntil(metrics, "parley_conversations_open{front=tcp}", 0.0);
        after = scrapeUntil(metrics, "parley_conversations_open{front=web}", 0.0);
        double endings = after.entrySet().stream().filter(e -> e.getKey().startsWith("parley_conversations_ended_total"))
                .mapToDouble(Map.Entry::getValue).sum();
        assertEquals(3.0, endings, "every conversation ended once, and the refused one is no conversation: " + after);
        assertEquals(1.0, after.get("parley_refusals_total{reason=busy}"));
    }

    @Test
    void tlsConversationsAndFailedHandshakesAreCounted() throws Exception {
        Map<String, String> config = Map.of("PARLEY_CONFIG_DIR", dir.resolve("server").toString());
        OsProcess server = kept(OsProcess.parley(config, List.of(), "server", "--tls", "--port", "0", "--responder", "echo",
                "--metrics", "0"));
        int port = server.port();
        String fingerprint = server.err.await("(?m)^fingerprint (SHA256:\\S+)$");
        int metrics = metricsPort(server);
        OsProcess client = kept(OsProcess.parley(Map.of("PARLEY_CONFIG_DIR", dir.resolve("client").toString()), List.of(),
                "client", "--tls", "--port", String.valueOf(port), "--fingerprint", fingerprint));
        client.type("hello\nbye\n").endInput();
        assertEquals(0, client.exitCode(), client.err.text());
        try (Wire plain = new Wire(port)) {
            plain.send("hello in plain text\n");
            plain.readLineOrNull();
        }
        Map<String, Double> samples = scrapeUntil(metrics, "parley_tls_handshake_failures_total{}", 1.0);
        assertEquals(1.0, samples.get("parley_refusals_total{reason=tls}"));
        samples = scrapeUntil(metrics, "parley_conversations_ended_total{front=tls,reason=peer_said_bye}", 1.0);
        assertEquals(1.0, samples.get("parley_conversations_opened_total{front=tls}"));
        assertEquals(0.0, samples.get("parley_conversations_opened_total{front=tcp}"));
    }

    // --- The scrape port against scrapers that are attackers ---

    private OsProcess metricsServer() throws IOException {
        return kept(OsProcess.parley("server", "--port", "0", "--responder", "echo", "--metrics", "0"));
    }

    /** Sends {@code request} as raw bytes and returns everything the port answers until it closes. */
    private static String exchange(int port, byte[] request) throws IOException {
        try (Wire wire = new Wire(port)) {
            try {
                wire.out.write(request);
                wire.out.flush();
            } catch (java.net.SocketException e) {
                // closed before it all went: what was answered, if anything, is still to be read
            }
            return readAll(wire.in);
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
            in.transferTo(all);
        } catch (java.net.SocketException e) {
            // a reset after the answer: what came before it is what was answered
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void onlyGetMetricsIsAnsweredAndOneRequestPerConnection() throws Exception {
        OsProcess server = metricsServer();
        int metrics = metricsPort(server);
        assertTrue(exchange(metrics, ascii("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"))
                .startsWith("HTTP/1.1 405 Method Not Allowed\r\n"));
        assertTrue(exchange(metrics, ascii("HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 405"));
        assertTrue(exchange(metrics, ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 404 Not Found\r\n"));
        assertTrue(exchange(metrics, ascii("GET /metrics/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 404"));
        String pipelined = exchange(metrics, ascii("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".repeat(50)));
        assertTrue(pipelined.startsWith("HTTP/1.1 200 OK\r\n"));
        assertEquals(1, pipelined.split("HTTP/1.1 ", -1).length - 1, "fifty requests in one connection get one answer");
        assertEquals(0.0, scrape(metrics).get("parley_refusals_total{reason=other}"), "alive, and still scraped");
    }

    @Test
    void anOversizedOrGarbledRequestIsRefusedAndNeverReachesTheLog() throws Exception {
        OsProcess server = metricsServer();
        int metrics = metricsPort(server);
        String hostile = "\u001b]0;pwned\u0007EVIL";
        assertTrue(exchange(metrics, ascii("GET /metrics?" + "a".repeat(100_000) + " HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 400"));
        assertTrue(exchange(metrics, ascii("GET /metrics HTTP/1.1\r\nX: " + "b".repeat(100_000) + "\r\n\r\n")).startsWith("HTTP/1.1 400"));
        assertTrue(exchange(metrics, (hostile + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 400"));
        byte[] binary = new byte[4096];
        new java.util.Random(21).nextBytes(binary);
        exchange(metrics, binary);
        assertTrue(scrape(metrics).containsKey("parley_memory_held_bytes{}"), "the port still answers");
        try (Wire conversation = new Wire(server.port())) {
            assertEquals("still here", conversation.ask("still here"), "and the server still converses");
        }
        assertFalse(server.err.text().contains("EVIL") || server.err.text().contains("\u001b"), server.err.text());
    }

    @Test
    void aScraperThatSendsNothingIsClosedAtTheDeadline() throws Exception {
        OsProcess server = metricsServer();
        int metrics = metricsPort(server);
        try (Wire silent = new Wire(metrics); Wire trickle = new Wire(metrics)) {
            silent.socket.setSoTimeout(60_000);
            trickle.socket.setSoTimeout(60_000);
            trickle.send("GET /metr"); // and never the rest
            assertEquals(-1, silent.in.read(), "closed by the server, having answered nothing");
            assertEquals(-1, trickle.in.read());
        }
    }

    @Test
    void aFloodOfScrapeConnectionsIsCappedAndThePortServesAgainOnceTheyGo() throws Exception {
        OsProcess server = metricsServer();
        int metrics = metricsPort(server);
        List<Wire> flood = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                Wire idle = new Wire(metrics);
                idle.send("G"); // accepted, and holding its place
                flood.add(idle);
            }
            String refused = exchange(metrics, ascii("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
            assertEquals("", refused, "the seventeenth connection is closed unanswered");
            try (Wire conversation = new Wire(server.port())) {
                assertEquals("meanwhile", conversation.ask("meanwhile"), "conversations go on during the flood");
            }
        } finally {
            for (Wire idle : flood) {
                idle.close();
            }
        }
        Map<String, Double> samples = scrapeUntil(metrics, "parley_conversations_opened_total{front=tcp}", 1.0);
        assertEquals(0.0, samples.get("parley_conversations_open{front=tcp}"));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
