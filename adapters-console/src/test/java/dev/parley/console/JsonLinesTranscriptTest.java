package dev.parley.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.core.port.Transcript;
import dev.parley.core.contract.TranscriptContract;
import dev.parley.core.session.Action.Sent;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transcript file: every kind of event, read back with a real JSON parser. */
class JsonLinesTranscriptTest extends TranscriptContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T13:55:01.007Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();
    private JsonLinesTranscript file;

    private Path path() {
        return dir.resolve("talk.jsonl");
    }

    /** Opens the file as the app does: for appending, and for reading when it exists (to repair it). */
    private JsonLinesTranscript open() throws IOException {
        boolean existed = Files.exists(path());
        FileChannel appending = FileChannel.open(path(), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        try (FileChannel reading = existed ? FileChannel.open(path(), StandardOpenOption.READ) : null) {
            file = JsonLinesTranscript.open(path().toString(), appending, Optional.ofNullable(reading), Role.SERVER, CLOCK, warnings::add);
        }
        return file;
    }

    @Override
    protected Transcript transcript() {
        try {
            return open().conversation(Role.CLIENT, "127.0.0.1:1234");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected String shown() {
        try {
            return Files.readString(path());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file's texts read back with a real JSON parser: exactly what the transcript was given. */
    @Override
    protected Optional<String> kept() {
        try {
            StringBuilder texts = new StringBuilder();
            for (JsonNode event : events()) {
                if (event.has("text")) {
                    texts.append(event.get("text").asText()).append('\n');
                }
            }
            return Optional.of(texts.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<JsonNode> events() throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(path(), StandardCharsets.UTF_8)) {
            events.add(JSON.readTree(line));
        }
        return events;
    }

    private static String row(JsonNode event) {
        StringBuilder row = new StringBuilder(event.get("from").asText()).append(' ').append(event.get("kind").asText());
        if (event.has("text")) {
            row.append(' ').append(event.get("text").asText());
        }
        return row.toString();
    }

    @Test
    void aServersConversationWithEveryKindOfEventReadsBackExactly() throws IOException {
        Transcript conversation = open().conversation(Role.SERVER, "[::1]:50412");
        conversation.heard("h\u00e9llo \"quoted\" \\ \u001B[31m\ttab");
        conversation.said(new Sent.Message("answer"));
        conversation.said(new Sent.Notice("waiting: 1 ahead"));
        conversation.notice("client: a notice from the client");
        conversation.notice("not sent: \"late\" (the conversation has ended)");
        conversation.said(new Sent.Failure("busy: too many conversations"));
        conversation.ended(new Outcome(Outcome.Ending.PEER_SAID_BYE, Role.CLIENT, ""));

        List<JsonNode> events = events();
        assertEquals(List.of(
                "server opened", // the side keeping the file's own records: opened and ended (issue 20, bug 5)
                "client message h\u00e9llo \"quoted\" \\ \u001B[31m\ttab",
                "server message answer",
                "server notice waiting: 1 ahead",
                "client notice a notice from the client",
                "server notice not sent: \"late\" (the conversation has ended)",
                "server failure busy: too many conversations",
                "client bye",
                "server ended client said bye"), events.stream().map(JsonLinesTranscriptTest::row).toList(),
                "the text is exactly what was on the wire: escaped for JSON only, never rendered");
        assertEquals("[::1]:50412", events.get(0).get("peer").asText());
        assertEquals("peer_said_bye", events.get(8).get("ending").asText());
        for (JsonNode event : events) {
            assertEquals("2026-11-26T13:55:01.007Z", event.get("ts").asText());
            assertEquals(events.get(0).get("conversation").asText(), event.get("conversation").asText());
        }
        assertEquals(List.of(), warnings);
    }

    @Test
    void aClientsOwnByeAndAServersFailureAreTheirs() throws IOException {
        Transcript conversation = open().conversation(Role.CLIENT, "localhost:1234");
        conversation.said(new Sent.Message("hi"));
        conversation.heard("hello");
        conversation.said(new Sent.Bye());
        conversation.ended(new Outcome(Outcome.Ending.SAID_BYE, Role.SERVER, ""));
        Transcript refused = file.conversation(Role.CLIENT, "localhost:1234");
        refused.ended(new Outcome(Outcome.Ending.PEER_FAILED, Role.SERVER, "busy: try later"));

        List<String> rows = events().stream().map(JsonLinesTranscriptTest::row).toList();
        assertEquals(List.of("client opened", "client message hi", "server message hello", "client bye", "client ended you said bye",
                "client opened", "server failure busy: try later", "client ended server says: busy: try later"), rows);
    }

    @Test
    void aLineThePeerCutOffIsAnEventOfItsOwnNeverAMessage() throws IOException {
        Transcript conversation = open().conversation(Role.CLIENT, "localhost:1234");
        conversation.said(new Sent.Message("do we agree?"));
        conversation.ended(new Outcome(Outcome.Ending.PEER_CUT_OFF, Role.SERVER, "I agree to pay $1000"));

        List<JsonNode> events = events();
        assertEquals(List.of("client opened", "client message do we agree?", "server cut_off I agree to pay $1000",
                "client ended server closed the connection in the middle of a line; cut off, not a message: 'I agree to pay $1000'"),
                events.stream().map(JsonLinesTranscriptTest::row).toList());
        assertEquals("peer_cut_off", events.get(3).get("ending").asText());
    }

    @Test
    void eachConversationHasItsOwnIdAndRunsAppendingToOneFileDoNotCollide() throws IOException {
        open().conversation(Role.SERVER, "a:1");
        file.conversation(Role.SERVER, "b:2");
        file.close();
        open().conversation(Role.SERVER, "c:3");
        List<String> ids = events().stream().map(event -> event.get("conversation").asText()).toList();
        assertEquals(3, ids.size(), "appended, not overwritten");
        assertEquals(3, ids.stream().distinct().count(), ids.toString());
        assertNotEquals(ids.get(0).split("-")[0], ids.get(2).split("-")[0], "each run has its own prefix");
    }

    @Test
    void aRecordCutByAFullDiskIsTakenOffAndPutBackEscapedSoEveryLineStaysJson() throws IOException {
        String whole = "{\"ts\":\"2026-11-26T13:55:00.000Z\",\"conversation\":\"a-1\",\"from\":\"client\",\"kind\":\"opened\"}\n";
        byte[] cut = "{\"ts\":\"2026-11-26T13:55:00.001Z\",\"conversation\":\"a-1\",\"from\":\"client\",\"kind\":\"message\",\"text\":\"caf\u00e9"
                .getBytes(StandardCharsets.UTF_8);
        byte[] halfACharacter = Arrays.copyOf(cut, cut.length - 1); // the disk filled in the middle of the é
        Files.write(path(), concat(whole.getBytes(StandardCharsets.UTF_8), halfACharacter));

        open().conversation(Role.SERVER, "b:2");

        List<String> lines = Files.readAllLines(path(), StandardCharsets.UTF_8);
        assertEquals(whole.strip(), lines.get(0), "the whole record before it is untouched");
        List<JsonNode> events = events(); // every line parses
        assertEquals(List.of("client opened", "server repaired " + new String(halfACharacter, StandardCharsets.UTF_8), "server opened"),
                events.stream().map(JsonLinesTranscriptTest::row).toList());
        JsonNode repaired = events.get(1);
        assertTrue(repaired.get("text").asText().endsWith("caf\ufffd"), "the cut character is U+FFFD: " + repaired);
        assertEquals(halfACharacter.length, repaired.get("bytes").asInt());
        assertEquals(events.get(2).get("conversation").asText().split("-")[0] + "-0", repaired.get("conversation").asText(),
                "the repair is this run's, in no conversation");
        assertEquals(List.of(), warnings);
    }

    @Test
    void aFileThatIsOnlyACutRecordIsRepairedAndAWholeOneIsLeftAsItIs() throws IOException {
        Files.write(path(), "{\"ts\":\"20".getBytes(StandardCharsets.UTF_8));
        open().conversation(Role.SERVER, "a:1");
        file.close();
        assertEquals(List.of("server repaired {\"ts\":\"20", "server opened"), events().stream().map(JsonLinesTranscriptTest::row).toList());

        byte[] before = Files.readAllBytes(path());
        open().close();
        assertArrayEquals(before, Files.readAllBytes(path()), "a file that ends with a line feed is not touched");
    }

    @Test
    void aLastLineTooLongToBeARecordIsRefusedAndLeftAsItIs() throws IOException {
        byte[] huge = new byte[JsonLinesTranscript.MAX_CUT_BYTES + 1];
        Arrays.fill(huge, (byte) 'x');
        Files.write(path(), concat("{}\n".getBytes(StandardCharsets.UTF_8), huge));
        JsonLinesTranscript.NotATranscriptException refused = assertThrows(JsonLinesTranscript.NotATranscriptException.class, this::open);
        assertEquals("its last line has no end and is longer than 16 MiB, so it is not a record Parley wrote", refused.getMessage());
        assertEquals(3L + huge.length, Files.size(path()), "nothing cut");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    @Test
    void lineSeparatorsAndLoneSurrogatesAreEscapedSoEveryLineIsValidJson() {
        assertEquals("\"a\\u2028b\\u2029c\\u0000\\u007f\\ud800\"", JsonLinesTranscript.json("a\u2028b\u2029c\u0000\u007f\ud800"));
        assertEquals("\"\ud83d\ude00\"", JsonLinesTranscript.json("\ud83d\ude00"), "a valid pair is kept");
    }

    @Test
    void whatWouldActOnATerminalIsEscapedSoTheFileIsSafeToCatAndTheJoinersAreKept() {
        assertEquals("\"\\u009b31m \\u202eevil \\ufeff \\u200b \\udb40\\udc41 \\udc00\"",
                JsonLinesTranscript.json("\u009B31m \u202Eevil \uFEFF \u200B \uDB40\uDC41 \uDC00"),
                "C1, bidi controls, invisible format characters, a tag (as its pair of escapes), a lone low surrogate");
        assertEquals("\"\ud83d\udc68\u200d\ud83d\udcbb h\u00e9llo\"", JsonLinesTranscript.json("\ud83d\udc68\u200d\ud83d\udcbb h\u00e9llo"),
                "an emoji sequence with its joiner, and accents, are kept as they are");
    }

    @Test
    void aWriteThatFailsIsReportedOnceAndTheConversationGoesOn() throws IOException {
        Transcript conversation = open().conversation(Role.SERVER, "a:1");
        file.close(); // every later write fails
        conversation.heard("one");
        conversation.heard("two");
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("parley: warning: cannot write the transcript " + path()), warnings.get(0));
    }
}
