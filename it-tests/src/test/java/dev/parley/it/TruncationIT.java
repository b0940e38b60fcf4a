package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A line cut off by the connection closing is never a message of the peer's (issue 18): over plain
 * TCP, a server that sent {@code I agree to pay $1000 -- NOT} without its line feed and closed had
 * it printed as its message, and the client exited 0.
 */
@Timeout(60)
class TruncationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CUT = "I agree to pay $1000 -- NOT";

    @TempDir
    Path dir;

    private static List<JsonNode> events(Path transcript) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(transcript)) {
            events.add(JSON.readTree(line));
        }
        return events;
    }

    private static long count(List<JsonNode> events, String from, String kind, String text) {
        return events.stream().filter(e -> e.path("from").asText().equals(from) && e.path("kind").asText().equals(kind)
                && e.path("text").asText().equals(text)).count();
    }

    @Test
    void aLineTheServerCutsOffByClosingIsShownCutOffAndTheClientFails() throws Exception {
        Path transcript = dir.resolve("client.jsonl");
        try (ServerSocket rogue = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            try (OsProcess client = OsProcess.parley("client", "--port", String.valueOf(rogue.getLocalPort()),
                    "--transcript", transcript.toString()); Socket accepted = rogue.accept()) {
                client.type("do we agree?\n");
                byte[] asked = accepted.getInputStream().readNBytes("do we agree?\n".length());
                assertEquals("do we agree?\n", new String(asked, StandardCharsets.UTF_8));
                accepted.getOutputStream().write(CUT.getBytes(StandardCharsets.UTF_8));
                accepted.shutdownOutput(); // a clean close, no line feed: the line is cut off
                assertTrue(client.exitsWithin(10), client.err.text());
                assertEquals(3, client.exitCode(), "cut off: " + client.err.text());
                assertEquals("", client.out.text(), "never printed as the server's message");
                String err = client.err.text();
                assertTrue(err.contains("cut off") && err.contains(CUT), err);
            }
        }
        List<JsonNode> events = events(transcript);
        assertEquals(0, count(events, "server", "message", CUT), events.toString());
        assertEquals(1, count(events, "server", "cut_off", CUT), events.toString());
        JsonNode ended = events.get(events.size() - 1);
        assertEquals("ended", ended.path("kind").asText());
        assertEquals("peer_cut_off", ended.path("ending").asText());
    }

    @Test
    void aLineTheClientCutsOffByClosingIsNotAnsweredAndIsLogged() throws Exception {
        Path transcript = dir.resolve("server.jsonl");
        try (OsProcess server = OsProcess.parley("server", "--port", "0", "--responder", "echo", "--transcript", transcript.toString())) {
            int port = server.port();
            try (Wire client = new Wire(port)) {
                assertEquals("a whole line", client.ask("a whole line"));
                client.send(CUT);
                client.socket.shutdownOutput();
                // The server closes once its transcript and its log have the ending.
                assertNull(client.readLineOrNull(), "not echoed: the server just closes");
            }
            String log = server.err.await("ended: client closed the connection in the middle of a line[^\n]*");
            assertTrue(log.contains("cut off") && log.contains(CUT), log);
        }
        List<JsonNode> events = events(transcript);
        assertEquals(1, count(events, "client", "message", "a whole line"), events.toString());
        assertEquals(0, count(events, "client", "message", CUT), events.toString());
        assertEquals(0, count(events, "server", "message", CUT), events.toString());
        assertEquals(1, count(events, "client", "cut_off", CUT), events.toString());
    }
}
