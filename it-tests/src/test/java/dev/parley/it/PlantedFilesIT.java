package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file policy against the real jar: what another user ({@code nobody}, through runuser; these
 * tests run as root, as CI does) plants where a transcript is to go is refused in one line, exit 2,
 * before anything is written; and a transcript an earlier run left cut is repaired.
 */
@Timeout(60)
class PlantedFilesIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** A directory anyone can write to, sticky as /tmp is (no one can move another's file in it). */
    private Path shared;

    @BeforeEach
    void aSharedDirectory() throws Exception {
        mode(dir, "rwx--x--x"); // others may pass through to it
        shared = Files.createDirectory(dir.resolve("shared"));
        run("chmod", "1777", shared.toString());
    }

    private static void mode(Path path, String mode) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + output);
    }

    /** Runs {@code command} as the user nobody: the attacker. */
    private static void asNobody(String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of("runuser", "-u", "nobody", "--"));
        line.addAll(List.of(command));
        run(line.toArray(String[]::new));
    }

    /** Starts a server keeping {@code transcript}, and returns its exit code and stderr once it has refused. */
    private static String refusedBy(String side, Path transcript) throws Exception {
        try (OsProcess parley = side.equals("server")
                ? OsProcess.parley("server", "--port", "0", "--responder", "echo", "--transcript", transcript.toString())
                : OsProcess.parley("client", "--port", "1", "--transcript", transcript.toString())) {
            return parley.exitCode() + " " + parley.err.text();
        }
    }

    @Test
    void aLinkAnotherUserPlantsAtTheTranscriptPathIsNotFollowed() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes"), "mine alone\n");
        mode(notes, "rw-------");
        Path link = shared.resolve("talk.jsonl");
        asNobody("ln", "-s", notes.toString(), link.toString());
        for (String side : List.of("server", "client")) {
            assertEquals("2 parley: cannot use the transcript " + link
                    + ": it is a symbolic link, which Parley does not follow here; give the file itself\n", refusedBy(side, link), side);
        }
        assertEquals("mine alone\n", Files.readString(notes), "nothing appended where the link leads");
    }

    @Test
    void aTranscriptAnotherUserMadeOrThatOthersCanReadIsNeverWritten() throws Exception {
        Path theirs = shared.resolve("talk.jsonl");
        asNobody("sh", "-c", "umask 0 && : > " + theirs); // nobody's, rw-rw-rw-: they would read every conversation
        String me = System.getProperty("user.name");
        assertEquals("2 parley: cannot use the transcript " + theirs + ": it belongs to nobody, not to you (" + me
                + "); someone else could read or change it; remove it, or chown " + me + " " + theirs + "\n", refusedBy("server", theirs));
        assertEquals(0, Files.size(theirs));

        Path readable = Files.createFile(dir.resolve("talk.jsonl"));
        mode(readable, "rw-rw-rw-");
        assertEquals("2 parley: cannot use the transcript " + readable + ": others can read or change it (rw-rw-rw-); make it yours alone:"
                + " chmod 600 " + readable + "\n", refusedBy("server", readable));
        assertEquals(0, Files.size(readable));
    }

    @Test
    void aDirectoryOthersCanWriteToIsRefusedEvenBeforeTheTranscriptExists() throws Exception {
        Path open = Files.createDirectory(dir.resolve("open"));
        mode(open, "rwxrwxrwx"); // not sticky: anyone could swap the file between a check and a write
        Path transcript = open.resolve("talk.jsonl");
        assertEquals("2 parley: cannot use the transcript " + transcript + ": others can write to its directory " + open
                + " (rwxrwxrwx) and replace it; chmod go-w " + open + ", or use a directory of your own\n", refusedBy("server", transcript));
        assertTrue(Files.notExists(transcript));
    }

    @Test
    void aFifoADeviceStandardOutputAndADirectoryAreEachOneLine() throws Exception {
        Path fifo = dir.resolve("fifo");
        run("mkfifo", fifo.toString());
        assertEquals("2 parley: cannot use the transcript " + fifo + ": it is not a regular file (a FIFO); give a regular file\n",
                refusedBy("server", fifo), "refused before it is opened, which would wait for a reader forever");
        assertEquals("2 parley: cannot use the transcript /dev/null: it is not a regular file (a device); give a regular file\n",
                refusedBy("server", Path.of("/dev/null")));
        assertEquals("2 parley: cannot use the transcript /dev/stdout: it is a symbolic link, which Parley does not follow here;"
                + " give the file itself\n", refusedBy("client", Path.of("/dev/stdout")));
        assertEquals("2 parley: cannot use the transcript " + dir + ": it is a directory, not a regular file; give a file\n",
                refusedBy("client", dir));
    }

    @Test
    void aTranscriptARunLeftCutIsRepairedSoEveryLineIsJson() throws Exception {
        Path transcript = dir.resolve("talk.jsonl");
        String whole = "{\"ts\":\"2026-01-01T00:00:00.000Z\",\"conversation\":\"a-1\",\"from\":\"client\",\"kind\":\"opened\"}";
        String cut = "{\"ts\":\"2026-01-01T00:00:00.001Z\",\"conversation\":\"a-1\",\"from\":\"client\",\"kind\":\"message\",\"text\":\"I agr";
        Files.writeString(transcript, whole + "\n" + cut); // the disk filled up in the middle of a record
        mode(transcript, "rw-------");
        try (OsProcess server = OsProcess.parley("server", "--port", "0", "--responder", "echo", "--once", "--transcript",
                transcript.toString());
                OsProcess client = OsProcess.parley("client", "--port", String.valueOf(server.port()))) {
            client.type("hello\nbye\n").endInput();
            assertEquals(0, client.exitCode(), client.err.text());
            assertEquals(0, server.exitCode(), server.err.text());
        }
        List<String> lines = Files.readAllLines(transcript, StandardCharsets.UTF_8);
        assertEquals(whole, lines.get(0));
        List<String> kinds = new ArrayList<>();
        for (String line : lines) {
            JsonNode event = JSON.readTree(line); // every line, the repaired one too
            kinds.add(event.get("kind").asText());
        }
        assertEquals(List.of("opened", "repaired", "opened", "message", "message", "bye", "ended"), kinds);
        JsonNode repaired = JSON.readTree(lines.get(1));
        assertEquals(cut, repaired.get("text").asText());
        assertEquals(cut.length(), repaired.get("bytes").asInt());
        assertEquals("server", repaired.get("from").asText());
    }
}
