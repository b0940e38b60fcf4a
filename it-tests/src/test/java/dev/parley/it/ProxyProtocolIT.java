package dev.parley.it;

import static dev.parley.it.ProxyHeaders.then;
import static dev.parley.it.ProxyHeaders.v1;
import static dev.parley.it.ProxyHeaders.v2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server behind a load balancer ({@code --proxy-protocol}), as the balancer and as attackers
 * who reach its port talk to it: the real jar, real sockets over loopback, headers written byte by
 * byte from the protocol's specification. Every connection here comes from 127.0.0.1; the client
 * addresses the server sees are the ones in the headers.
 */
@Timeout(120)
class ProxyProtocolIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REFUSED_ONE = Pattern.compile("refused 127\\.0\\.0\\.1:\\d+: proxy protocol: ");
    private static final Pattern REFUSED_MORE = Pattern.compile("refused ([\\d,]+) more in the last second: proxy protocol ([\\d,]+)");

    private static OsProcess proxiedEchoServer(String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("server", "--port", "0", "--responder", "echo", "--proxy-protocol"));
        args.addAll(List.of(options));
        return OsProcess.parley(args.toArray(String[]::new));
    }

    /** Waits until the log counts {@code expected} connections refused for their PROXY header; returns the log. */
    private static String awaitProxyRefusals(OsProcess server, int expected) throws InterruptedException {
        return server.err.awaitText(log -> proxyRefusals(log) >= expected, expected + " refusals for the PROXY header");
    }

    /** How many connections the log says were refused for their PROXY header, the summarised ones included. */
    private static int proxyRefusals(String log) {
        int count = (int) REFUSED_ONE.matcher(log).results().count();
        Matcher more = REFUSED_MORE.matcher(log);
        while (more.find()) {
            count += Integer.parseInt(more.group(2).replace(",", ""));
        }
        return count;
    }

    @Test
    void theAddressInTheHeaderIsTheOneTheLogTheTranscriptAndThePerAddressLimitSee(@TempDir Path dir) throws Exception {
        Path transcript = dir.resolve("talk.jsonl");
        try (OsProcess server = proxiedEchoServer("--max-per-address", "2", "--transcript", transcript.toString())) {
            int port = server.port();
            try (Wire first = new Wire(port); Wire second = new Wire(port); Wire third = new Wire(port);
                    Wire another = new Wire(port); Wire v1ByteByByte = new Wire(port)) {
                first.out.write(then(v2("203.0.113.5", 40001), "one\n"));
                assertEquals("one", first.readLineOrNull());
                second.out.write(then(v1("203.0.113.5", 40002), "two\n"));
                assertEquals("two", second.readLineOrNull());

                third.out.write(then(v2("203.0.113.5", 40003), "three\n"));
                assertEquals("!too many: 2 conversations from your address, the most this server takes from one; try again later",
                        third.readLineOrNull(), "the third from 203.0.113.5, though every connection comes from 127.0.0.1");
                assertTrue(third.closedByServer());

                another.out.write(then(v2("2001:db8::5", 40004), "four\n"));
                assertEquals("four", another.readLineOrNull(), "another client behind the same balancer is served");

                for (byte b : then(v1("198.51.100.7", 40005), "five\n")) {
                    v1ByteByByte.out.write(b);
                    v1ByteByByte.out.flush();
                }
                assertEquals("five", v1ByteByByte.readLineOrNull(), "a header split byte by byte is read whole");
            }
            String log = server.err.awaitCount("ended: ", 4);
            assertTrue(Pattern.compile("conversation \\d+ with 203\\.0\\.113\\.5:40001 opened").matcher(log).find(), log);
            assertTrue(Pattern.compile("conversation \\d+ with 203\\.0\\.113\\.5:40002 opened").matcher(log).find(), log);
            assertTrue(log.contains("refused 203.0.113.5:40003: too many: 2 conversations from your address"), log);
            assertTrue(Pattern.compile("conversation \\d+ with \\[2001:db8::5\\]:40004 opened").matcher(log).find(), log);
            assertTrue(Pattern.compile("conversation \\d+ with 198\\.51\\.100\\.7:40005 opened").matcher(log).find(), log);
            assertFalse(log.contains("with 127.0.0.1") || log.contains("refused 127.0.0.1"), "the balancer's address is in no line:\n" + log);

            server.signal("TERM");
            assertEquals(0, server.exitCode());
            List<String> peers = new ArrayList<>();
            for (String line : Files.readAllLines(transcript, StandardCharsets.UTF_8)) {
                JsonNode event = JSON.readTree(line);
                if (event.get("kind").asText().equals("opened")) {
                    peers.add(event.get("peer").asText());
                }
            }
            assertEquals(List.of("203.0.113.5:40001", "203.0.113.5:40002", "[2001:db8::5]:40004", "198.51.100.7:40005"), peers);
        }
    }

    @Test
    void headersThatAreMissingForgedOrTooLongAreRefusedAtOnceWithALineEachAndTheServerGoesOn() throws Exception {
        byte[] wrongVersion = v2("192.0.2.1", 1);
        wrongVersion[12] = 0x31;
        byte[] addressTooShort = v2("192.0.2.1", 1);
        addressTooShort[15] = 4;
        byte[] overItsLimit = Arrays.copyOf(v2("192.0.2.1", 1), 16 + 4096);
        overItsLimit[14] = 4096 >> 8;
        overItsLimit[15] = 0;
        List<byte[]> attacks = List.of(
                "GET / HTTP/1.1\r\nHost: parley\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                "\u001b[2J\u001b]0;pwned\u0007 hello?\r\n".getBytes(StandardCharsets.UTF_8),
                "PROXY TCP4 999.0.0.1 10.0.0.1 40000 1234\r\n".getBytes(StandardCharsets.US_ASCII),
                "PROXY TCP4 192.0.2.1 10.0.0.1 99999 1234\r\n".getBytes(StandardCharsets.US_ASCII),
                "PROXY TCP6 192.0.2.1 10.0.0.1 40000 1234\r\n".getBytes(StandardCharsets.US_ASCII),
                ("PROXY TCP4 " + "1".repeat(200) + "\r\n").getBytes(StandardCharsets.US_ASCII),
                wrongVersion,
                addressTooShort,
                overItsLimit);
        try (OsProcess server = proxiedEchoServer()) {
            int port = server.port();
            for (byte[] attack : attacks) {
                try (Wire attacker = new Wire(port)) {
                    long start = System.nanoTime();
                    attacker.out.write(attack);
                    assertTrue(attacker.closedByServer(), new String(attack, StandardCharsets.ISO_8859_1));
                    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    assertTrue(millis < 3000, "refused at once, not at the deadline: " + millis + " ms");
                }
            }
            try (Wire client = new Wire(port)) {
                client.out.write(then(v2("192.0.2.50", 50000), "still served\n"));
                assertEquals("still served", client.readLineOrNull());
            }
            server.err.await("conversation \\d+ with 192\\.0\\.2\\.50:50000 opened");
            String log = awaitProxyRefusals(server, attacks.size());
            assertEquals(attacks.size(), proxyRefusals(log), log);
            assertFalse(log.contains("pwned") || log.contains("\u001b") || log.contains("999.0.0.1"), "no peer bytes in the log:\n" + log);
            assertFalse(log.contains("warning") || log.contains("failed") || log.contains("Exception"), log);
            assertTrue(server.process.isAlive());
        }
    }

    @Test
    void aHeaderDrippedByteByByteIsCutAtTheDeadlineAndHoldsNoSlotMeanwhile() throws Exception {
        try (OsProcess server = proxiedEchoServer("--max-conversations", "1", "--max-per-address", "1")) {
            int port = server.port();
            byte[] header = v2("192.0.2.66", 6666);
            try (Wire slow = new Wire(port)) {
                long start = System.nanoTime();
                slow.socket.setTcpNoDelay(true);
                int sent = 0;
                boolean servedMeanwhile = false;
                try {
                    for (; sent < header.length; sent++) {
                        slow.out.write(header[sent]);
                        slow.out.flush();
                        if (sent == 3) {
                            // The one slot is free: a prompt client behind the balancer takes it.
                            try (Wire prompt = new Wire(port)) {
                                prompt.out.write(then(v2("192.0.2.67", 6767), "prompt\nbye\n"));
                                assertEquals("prompt", prompt.readLineOrNull());
                                servedMeanwhile = true;
                            }
                        }
                        Thread.sleep(300); // the attack's pace: 28 bytes in 8.4 s, past the 5 s deadline
                    }
                } catch (IOException closed) {
                    // the server closed the connection while bytes were still dripping in: the point
                }
                assertTrue(servedMeanwhile);
                assertTrue(sent < header.length || slow.closedByServer(), "cut before the header was whole");
                assertTrue(slow.closedByServer());
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(millis >= 4500 && millis < 8000, "cut at the 5 s deadline: " + millis + " ms");
            }
            server.err.await("refused 127\\.0\\.0\\.1:\\d+: proxy protocol: no complete header within 5s");
            String log = server.err.text();
            assertFalse(log.contains("192.0.2.66"), log);
        }
    }

    @Test
    void aFloodOfConnectionsThatSendNoHeaderHoldsNoSlotIsClosedAtTheDeadlineAndLoggedInSummary() throws Exception {
        int flood = 300;
        try (OsProcess server = proxiedEchoServer("--max-conversations", "2")) {
            int port = server.port();
            List<Socket> silent = new ArrayList<>();
            try {
                for (int i = 0; i < flood; i++) {
                    Socket socket = new Socket();
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                    socket.setSoTimeout(15_000);
                    silent.add(socket);
                }
                try (Wire client = new Wire(port)) {
                    client.out.write(then(v1("192.0.2.80", 8080), "served during the flood\n"));
                    assertEquals("served during the flood", client.readLineOrNull());
                }
                for (Socket socket : silent) {
                    assertEquals(-1, socket.getInputStream().read(), "closed by the server");
                }
            } finally {
                for (Socket socket : silent) {
                    socket.close();
                }
            }
            String log = awaitProxyRefusals(server, flood);
            assertEquals(flood, proxyRefusals(log), log);
            // At most two lines a second (the first refusal in full, then one count), however long the flood takes to
            // time out on a loaded machine: ten times fewer lines than refusals is summarised, one a refusal is not.
            long refusalLines = log.lines().filter(line -> line.startsWith("refused ")).count();
            assertTrue(refusalLines <= flood / 10, "a flood is summarised, not written line by line:\n" + log);
        }
    }

    @Test
    void theBalancersHealthCheckIsClosedUnloggedButACheckWithoutAHeaderIsRefusedWithALine() throws Exception {
        try (OsProcess server = proxiedEchoServer()) {
            int port = server.port();
            try (Wire check = new Wire(port)) {
                check.out.write(ProxyHeaders.v2Local());
                assertTrue(check.closedByServer());
            }
            try (Wire checkWithoutHeader = new Wire(port)) {
                checkWithoutHeader.socket.shutdownOutput();
                assertTrue(checkWithoutHeader.closedByServer());
            }
            server.err.await("refused 127\\.0\\.0\\.1:\\d+: proxy protocol: closed before sending its header");
            String log = server.err.text();
            assertEquals(3, log.lines().count(), "listening, the capacity, and the one refusal:\n" + log);
        }
    }
}
