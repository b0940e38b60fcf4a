package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.app.cli.Exits;
import dev.parley.app.wiring.ParleyServer;
import dev.parley.app.wiring.ResponderChoice;
import dev.parley.app.wiring.Streams;
import dev.parley.core.session.Limits;
import dev.parley.core.wire.LineFraming;
import dev.parley.socket.server.ServerSettings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** `parley bench` against real servers on loopback: it checks every reply and fails loudly. */
@Timeout(60)
class BenchCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream serverErr = new ByteArrayOutputStream();
    private ParleyServer server;

    private int startServer(ResponderChoice responder, int maxConversations) throws Exception {
        Streams streams = new Streams(new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(serverErr, true, StandardCharsets.UTF_8));
        server = new ParleyServer(new ParleyServer.Options(new ServerSettings("127.0.0.1", 0, new LineFraming(),
                new Limits(Duration.ofSeconds(10), Duration.ofSeconds(10)), maxConversations), responder, false, false, Optional.empty(), false, false), streams);
        server.start();
        return server.port();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    private int bench(String... args) {
        Streams streams = new Streams(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return Main.run(streams, false, args);
    }

    private static int endings(String log) {
        return log.split("ended: client said bye", -1).length - 1;
    }

    /** The server's log once {@code done} holds of it, or after 10 s (the log is written on the server's loops). */
    private String awaitServerLog(Predicate<String> done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String log = serverErr.toString(StandardCharsets.UTF_8);
        while (!done.test(log) && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
            log = serverErr.toString(StandardCharsets.UTF_8);
        }
        return log;
    }

    @Test
    void loadsAnEchoServerAndReportsThroughputAndPercentiles() throws Exception {
        int port = startServer(new ResponderChoice.Echo(), 100);
        assertEquals(Exits.OK, bench("bench", "--port", String.valueOf(port), "--conversations", "50",
                "--messages", "20", "--message-bytes", "100"), err.toString(StandardCharsets.UTF_8));
        String report = out.toString(StandardCharsets.UTF_8);
        assertTrue(report.startsWith("50 conversations x 20 messages of 100 bytes against localhost:" + port), report);
        assertTrue(report.contains("1000 round trips in "), report);
        assertTrue(report.matches("(?s).*p50 [0-9.]+  p90 [0-9.]+  p99 [0-9.]+  p99.9 [0-9.]+  max [0-9.]+.*"), report);
        assertTrue(report.contains("every reply correct"), report);
        // The bench is done once its last reply came; the server logs each bye as it reads it, a moment later.
        assertEquals(50, endings(awaitServerLog(log -> endings(log) >= 50)), serverErr.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printsOneJsonObjectForMachines() throws Exception {
        int port = startServer(new ResponderChoice.Echo(), 100);
        assertEquals(Exits.OK, bench("bench", "--port", String.valueOf(port), "--conversations", "3", "--messages", "5", "--json"));
        String json = out.toString(StandardCharsets.UTF_8).trim();
        assertTrue(json.startsWith("{\"host\":\"localhost\",\"port\":" + port + ",\"tls\":false,\"conversations\":3,\"messages\":5,"), json);
        assertTrue(json.contains("\"roundTrips\":15,"), json);
        assertTrue(json.contains("\"allRepliesCorrect\":true"), json);
        assertTrue(json.matches(".*\"latencyMicros\":\\{\"p50\":[0-9.]+,\"p90\":[0-9.]+,\"p99\":[0-9.]+,\"p99.9\":[0-9.]+,\"max\":[0-9.]+,\"mean\":[0-9.]+}}"), json);
    }

    @Test
    void aWrongReplyFailsTheRun(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("replies.txt");
        Files.write(file, List.of("not an echo"));
        int port = startServer((ResponderChoice.FileLines) ResponderChoice.parse("file:" + file), 100);
        assertEquals(Exits.FAILURE, bench("bench", "--port", String.valueOf(port), "--conversations", "1", "--messages", "3"));
        assertEquals("parley: bench failed: conversation 0: reply 1 was not '0.0 efghijklmnopqrstuvwxyzabcdefghijklmn...', the message"
                + " sent: it has 11 characters and differs from character 1 (is the server an echo server?)\n", err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aMissingReplyFailsTheRun() throws Exception {
        int port = startServer(new ResponderChoice.Echo(), 2);
        int code = bench("bench", "--port", String.valueOf(port), "--conversations", "5", "--messages", "3");
        assertEquals(Exits.FAILURE, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).matches(
                "parley: bench failed: conversation \\d+: the server ended the conversation before reply 1: server says: busy: .*"
                        + " \\(start the server with --max-conversations 5 or more, or bench fewer --conversations\\)(; [2-3] of 5 conversations failed)?\n"),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void noServerIsOneLineAndExitOne() throws Exception {
        int port = startServer(new ResponderChoice.Echo(), 1);
        server.stop();
        server = null;
        assertEquals(Exits.FAILURE, bench("bench", "--port", String.valueOf(port), "--conversations", "1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("parley: bench failed: cannot connect to localhost:" + port + ": connection refused"),
                err.toString(StandardCharsets.UTF_8));
    }
}
