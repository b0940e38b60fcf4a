package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real jar in shell pipelines, as scripts use it, and the transcript files it keeps. */
@Timeout(60)
class PipelineIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Runs {@code pipeline} in bash; returns what it printed on stdout (the exit statuses last) and on stderr. */
    private static String[] run(String pipeline) throws Exception {
        Process shell = new ProcessBuilder("bash", "-c", pipeline + "; echo \"status ${PIPESTATUS[*]}\"").start();
        String out = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(shell.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, shell.waitFor());
        return new String[] {out, err};
    }

    private static String client(int port) {
        return Tmux.parley("client", "--port", String.valueOf(port));
    }

    @Test
    void aReaderThatHasGoneEndsTheClientPromptlyAndQuietly() throws Exception {
        Path transcript = dir.resolve("server.jsonl");
        try (OsProcess server = OsProcess.parley("server", "--port", "0", "--responder", "echo", "--transcript", transcript.toString())) {
            int port = server.port();
            String[] endless = run("yes hello | " + client(port) + " | head -1");
            assertEquals("hello\nstatus 141 0 0\n", endless[0], "yes is killed by SIGPIPE, the client leaves with 0");
            assertEquals("", endless[1], "and says nothing: its reader chose to stop");

            String[] counted = run("seq 20000 | " + client(port) + " | head -1");
            assertEquals("1\nstatus 141 0 0\n", counted[0]);
            server.err.awaitCount("ended: client said bye|ended: stopped; told|ended: client", 2);
            long exchanges = Files.readAllLines(transcript).stream().filter(line -> line.contains("\"from\":\"server\",\"kind\":\"message\""))
                    .count();
            assertTrue(exchanges < 1_000, exchanges + " replies sent: the client ran on after head had its line");
        }
    }

    @Test
    void anOutputThatFailsIsOneLineAndExitCodeOne() throws Exception {
        try (OsProcess server = OsProcess.parley("server", "--port", "0", "--responder", "echo")) {
            String[] full = run("seq 3 | " + client(server.port()) + " > /dev/full");
            assertEquals("status 0 1\n", full[0]);
            assertEquals("parley: cannot write to standard output: No space left on device; leaving\n", full[1]);
        }
    }

    @Test
    void bothSidesKeepATranscriptEveryEventReadBackAsJson() throws Exception {
        Path serverFile = dir.resolve("server.jsonl");
        Path clientFile = dir.resolve("client.jsonl");
        try (OsProcess server = OsProcess.parley("server", "--port", "0", "--once", "--transcript", serverFile.toString())) {
            server.type("pong \"1\"\n");
            try (OsProcess client = OsProcess.parley("client", "--port", String.valueOf(server.port()), "--transcript",
                    clientFile.toString())) {
                client.type("ping \u001B[31m\u00e9\nbye\n").endInput();
                assertEquals(0, client.exitCode());
                assertEquals(0, server.exitCode());
            }
        }
        List<String> expected = List.of( // issue 20, bug 5: opened and ended are the side keeping the file's, on both sides
                "%s opened",
                "client message ping \u001B[31m\u00e9",
                "server message pong \"1\"",
                "client bye",
                "%s ended");
        assertEquals(expected.stream().map(row -> String.format(row, "server")).toList(), rows(serverFile));
        assertEquals(expected.stream().map(row -> String.format(row, "client")).toList(), rows(clientFile));
        for (Path file : List.of(serverFile, clientFile)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            JsonNode opened = JSON.readTree(Files.readAllLines(file).get(0));
            assertTrue(opened.get("peer").asText().matches("(127\\.0\\.0\\.1|localhost):\\d+"), opened.toString());
            assertTrue(opened.get("ts").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), opened.toString());
        }
    }

    /** Each event as "from kind text", the ended event's text left out. */
    private static List<String> rows(Path file) throws Exception {
        List<String> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            JsonNode event = JSON.readTree(line);
            String kind = event.get("kind").asText();
            rows.add(event.get("from").asText() + " " + kind
                    + (event.has("text") && !kind.equals("ended") ? " " + event.get("text").asText() : ""));
        }
        return rows;
    }

    @Test
    void aTranscriptThatCannotBeOpenedIsOneLineBeforeAnythingStarts() throws Exception {
        try (OsProcess server = OsProcess.parley("server", "--port", "0", "--transcript", dir.resolve("no/such/dir/t.jsonl").toString())) {
            assertEquals(1, server.exitCode());
            assertEquals("parley: cannot use the transcript " + dir.resolve("no/such/dir/t.jsonl") + ": no such directory; make it first"
                    + " (mkdir -p " + dir.resolve("no/such/dir") + ") or give another path\n", server.err.text());
        }
        try (OsProcess client = OsProcess.parley("client", "--transcript", dir.toString())) {
            assertEquals(2, client.exitCode());
            assertEquals("parley: cannot use the transcript " + dir + ": it is a directory, not a regular file; give a file\n",
                    client.err.text());
        }
    }

    @Test
    void aConsoleServerWhoseInputHasEndedStopsOnceNoOneIsLeftToAnswer() throws Exception {
        try (OsProcess empty = OsProcess.parley("server", "--port", "0")) {
            empty.endInput();
            assertEquals(0, empty.exitCode(), "parley server </dev/null stops: there is no one to answer with");
        }
        try (OsProcess scripted = OsProcess.parley("server", "--port", "0")) {
            scripted.type("the only answer\n").endInput();
            try (OsProcess client = OsProcess.parley("client", "--port", String.valueOf(scripted.port()))) {
                client.type("one\ntwo\n").endInput();
                assertEquals(0, client.exitCode());
                assertEquals("the only answer\n", client.out.text());
                assertTrue(client.err.text().contains("parley: server said bye"), client.err.text());
            }
            assertEquals(0, scripted.exitCode(), "its lines used up, the server leaves and stops");
            assertFalse(scripted.err.text().contains("Ctrl-D"), "no key to press for a script: " + scripted.err.text());
        }
    }

    @Test
    void aPipedOperatorsCommandsAnswerNoOneAndTwoSlashesSendALineThatStartsWithOne() throws Exception {
        try (OsProcess server = OsProcess.parley("server", "--port", "0")) {
            server.type("/who\n//etc/hosts is a file\n/nonsense\n").endInput(); // then its input ends: it leaves, and stops
            try (OsProcess client = OsProcess.parley("client", "--port", String.valueOf(server.port()))) {
                client.type("which file?\nand?\n").endInput();
                assertEquals(0, client.exitCode());
                assertEquals("/etc/hosts is a file\n", client.out.text(), "each command answered no one; // sent one /");
                assertTrue(client.err.text().contains("parley: server said bye"), client.err.text());
            }
            assertEquals(0, server.exitCode());
            String err = server.err.text();
            assertTrue(err.contains("parley: no one waits; operators: console (you, with conversation 1 ("), err);
            assertTrue(err.contains("parley: not sent: /nonsense is no command; /pass hands the client back"), err);
            assertEquals("which file?\nand?\n", server.out.text(), "the clients' messages, exactly, and nothing else");
        }
    }
}
