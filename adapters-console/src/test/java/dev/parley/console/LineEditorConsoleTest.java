package dev.parley.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.session.Input;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console for a person at a terminal, driven through JLine's line editor on an in-memory
 * terminal: keys typed into a pipe, the screen read back. Nothing sleeps: each test waits for what
 * the console hands over (an answer, a listener's event) or for text on the screen, with a deadline.
 */
@Timeout(60)
class LineEditorConsoleTest {

    private static final String ENTER = "\r";
    private static final String UP = "\u001BOA";
    private static final String CTRL_C = "\u0003";
    private static final String CTRL_D = "\u0004";

    private PipedOutputStream keyboard;
    private final AwaitableOutput screen = new AwaitableOutput();
    private final BlockingQueue<Input> answers = new ArrayBlockingQueue<>(16);
    /** The conversation in front of the person: what it is handed goes to {@link #answers}. */
    private final Consumer<Input> conversation = answers::add;
    private final RecordingListener listener = new RecordingListener();
    private LineEditorConsole console;

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        if (console != null) {
            console.close();
        }
    }

    /** A console on an xterm of 80 columns whose keys are {@link #type}d, reading; history in {@code history}, if given. */
    private LineEditorConsole console(Optional<Path> history, Optional<OutputStream> exactMessages) throws IOException, InterruptedException {
        keyboard = new PipedOutputStream();
        Terminal terminal = TerminalBuilder.builder()
                .system(false)
                .streams(new PipedInputStream(keyboard, 1 << 16), screen)
                .type("xterm")
                .size(new Size(80, 24))
                .encoding(StandardCharsets.UTF_8)
                .build();
        console = LineEditorConsole.over(terminal, exactMessages, history, listener);
        console.idle("(server's turn) ");
        console.forwardTo(conversation);
        int drawn = screen.text().length();
        console.start();
        screen.await("(server's turn) ", drawn); // the editor reads (keys typed before it did would meet the terminal's own line mode)
        return console;
    }

    private LineEditorConsole console() throws IOException, InterruptedException {
        return console(Optional.empty(), Optional.empty());
    }

    private void type(String keys) throws IOException {
        keyboard.write(keys.getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    /** The next answer the console hands over; fails after ten seconds. */
    private Input answer() throws InterruptedException {
        Input answer = answers.poll(10, TimeUnit.SECONDS);
        if (answer == null) {
            throw new AssertionError("no answer; the screen shows:\n" + screen.text());
        }
        return answer;
    }

    /** A line entered at {@code you> }. */
    private static Input line(String text) {
        return new Input.OperatorLine(text, true);
    }

    /** A line entered while no question showed: handed over all the same, for the session to refuse. */
    private static Input unprompted(String text) {
        return new Input.OperatorLine(text, false);
    }

    @Test
    void eachLineEnteredInTurnIsTheAnswerToItsQuestionExactlyAsTyped() throws Exception {
        LineEditorConsole console = console();
        console.ask(conversation);
        type("h\u00e9llo, \u4e16\u754c" + ENTER);
        assertEquals(line("h\u00e9llo, \u4e16\u754c"), answer());
        console.ask(conversation);
        type("\"quoted\" \\ back !! and !$" + ENTER);
        assertEquals(line("\"quoted\" \\ back !! and !$"), answer(), "no quote or backslash continues it, no history expansion");
        console.ask(conversation);
        type(ENTER);
        type("after an empty one" + ENTER);
        assertEquals(line("after an empty one"), answer(), "Enter on an empty line says nothing; the question stays open");
        assertTrue(answers.isEmpty());
    }

    @Test
    void aLineEnteredOutOfTurnIsHandedOverUnpromptedOnceAndUpRecallsIt() throws Exception {
        LineEditorConsole console = console();
        type("too early" + ENTER);
        assertEquals(unprompted("too early"), answer(), "the console decides nothing: the session refuses it");
        console.ask(conversation);
        type("in turn" + ENTER);
        assertEquals(line("in turn"), answer(), "the question gets the line entered at its prompt, not the earlier one");
        console.ask(conversation);
        type(UP + UP + ENTER);
        assertEquals(line("too early"), answer(), "the history kept the refused line, and Up recalls it");
        assertTrue(answers.isEmpty());
        assertEquals(List.of(), listener.events);
    }

    @Test
    void aWithdrawnQuestionLeavesNoPromptAndTheNextLineIsUnprompted() throws Exception {
        LineEditorConsole console = console();
        console.ask(conversation);
        screen.await("you> ");
        int drawn = screen.text().length();
        console.withdraw(conversation);
        screen.await("(server's turn) ", drawn);
        type("for no one" + ENTER);
        assertEquals(unprompted("for no one"), answer());
    }

    @Test
    void linesGoToTheConversationInFrontAndOnlyItsQuestionPrompts() throws Exception {
        LineEditorConsole console = console();
        BlockingQueue<Input> next = new ArrayBlockingQueue<>(4);
        Consumer<Input> behind = next::add;
        console.ask(behind);
        type("for the one in front" + ENTER);
        assertEquals(unprompted("for the one in front"), answer(), "a question from a conversation not in front prompts nothing");
        console.forwardTo(behind); // the desk: the next in line is in front now
        type("for the next" + ENTER);
        assertEquals(line("for the next"), next.poll(10, TimeUnit.SECONDS), "its question, asked before it came to the front, is open");
        assertTrue(answers.isEmpty(), "nothing more for the one that was in front");
    }

    @Test
    void aHalfTypedLineIsSetAsideWhenAnotherConversationComesInFrontAndNeverReachesIt() throws Exception {
        LineEditorConsole console = console();
        BlockingQueue<Input> next = new ArrayBlockingQueue<>(4);
        Consumer<Input> behind = next::add;
        console.ask(conversation);
        type("I was just about to say");
        screen.await("you> I was just about to say");
        int drawn = screen.text().length();
        console.forwardTo(behind); // the client in front left; the next one is in front now
        screen.await(LineEditorConsole.SET_ASIDE, drawn);
        console.ask(behind);
        type(ENTER);
        type("hello, next" + ENTER);
        assertEquals(line("hello, next"), next.poll(10, TimeUnit.SECONDS), "what was typed for the other went nowhere");
        assertTrue(next.isEmpty() && answers.isEmpty(), "nothing else, to either: " + next + answers);
        console.ask(behind);
        type(UP + UP + ENTER);
        assertEquals(line("I was just about to say"), next.poll(10, TimeUnit.SECONDS), "the history kept it: Up recalls it, to send on purpose");
    }

    @Test
    void theSameConversationInFrontAgainSetsNothingAside() throws Exception {
        LineEditorConsole console = console();
        console.ask(conversation);
        type("still typing");
        screen.await("you> still typing");
        console.forwardTo(conversation);
        type(" to you" + ENTER);
        assertEquals(line("still typing to you"), answer());
        assertFalse(screen.text().contains(LineEditorConsole.SET_ASIDE), screen.text());
    }

    @Test
    void aPasteOfSeveralLinesIsRefusedAsAWholeAndTheQuestionStaysOpen() throws Exception {
        LineEditorConsole console = console();
        console.ask(conversation);
        type("\u001B[200~first line\nsecond line\nthird\u001B[201~" + ENTER); // what a terminal sends for a bracketed paste
        screen.await("parley: not sent: a message is one line, and that was 3; press Up to edit it");
        type("one line" + ENTER);
        assertEquals(line("one line"), answer(), "no part of the paste was sent; the question was still open");
        assertTrue(answers.isEmpty());
    }

    @Test
    void ctrlDEndsTheInputTellingTheOpenQuestion() throws Exception {
        LineEditorConsole console = console();
        console.ask(conversation);
        type(CTRL_D);
        assertEquals(new Input.OperatorDone(), answer());
        console.ask(conversation);
        assertEquals(new Input.OperatorDone(), answer(), "a question asked after the end is answered at once");
        assertEquals(List.of(), listener.events, "the open question was told, so the listener is not");
    }

    @Test
    void ctrlDWithNoQuestionOpenTellsTheListener() throws Exception {
        console();
        type(CTRL_D);
        assertEquals("input ended", listener.awaitFirst());
    }

    @Test
    void ctrlCIsTheListenersToActOn() throws Exception {
        LineEditorConsole console = console();
        console.ask(conversation);
        type("half a thought" + CTRL_C);
        assertEquals("interrupted", listener.awaitFirst());
        assertTrue(answers.isEmpty(), "nothing is sent");
    }

    @Test
    void statusLinesAndMessagesArePrintedAboveTheLineBeingTypedWhichStaysWhole() throws Exception {
        LineEditorConsole console = console();
        console.ask(conversation);
        type("half typed");
        screen.await("you> half typed");
        int before = screen.text().length();
        console.status("parley: a status line");
        console.message("server", "hello \u001B[2Jthere");
        String shown = screen.await("server> hello ^[[2Jthere", before);
        int status = shown.indexOf("parley: a status line", before);
        int message = shown.indexOf("server> hello ^[[2Jthere", before);
        String after = shown.substring(before);
        assertTrue(status >= 0 && message > status, "printed in order, the peer's text rendered safe: " + after);
        assertTrue(startsALine(shown, status) && startsALine(shown, message), "each on a line of its own, not after the typed text: " + after);
        assertTrue(shown.lastIndexOf("you> half typed") > message, "the prompt and the typed text drawn again below them: " + after);
        assertFalse(screen.raw().contains("\u001B[2J"), "nothing of the peer's reaches the terminal raw");

        type(" and finished" + ENTER);
        assertEquals(line("half typed and finished"), answer(), "what was typed is intact");
    }

    @Test
    void messagesGoToTheExactStreamWhenStandardOutputIsNotTheTerminal() throws Exception {
        ByteArrayOutputStream exact = new ByteArrayOutputStream();
        LineEditorConsole console = console(Optional.empty(), Optional.of(exact));
        console.message("server", "hello \u001B[31mred");
        console.status("parley: a status line");
        screen.await("parley: a status line");
        assertEquals("hello ^[[31mred\n", exact.toString(StandardCharsets.UTF_8), "an exact line, rendered safe, no label");
        assertFalse(screen.text().contains("hello"), "not on the terminal");
    }

    @Test
    void theHistoryIsTheFileItIsGivenReadAtTheStartAndWrittenAsLinesAreEntered() throws Exception {
        Path history = dir.resolve("client.history");
        Files.createFile(history, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        LineEditorConsole first = console(Optional.of(history), Optional.empty());
        first.ask(conversation);
        type("remember me" + ENTER);
        assertEquals(line("remember me"), answer());
        type("refused, but kept" + ENTER);
        assertEquals(unprompted("refused, but kept"), answer());
        first.close();
        List<String> saved = Files.readAllLines(history);
        assertEquals(2, saved.size(), saved.toString());
        assertTrue(saved.get(0).endsWith(":remember me") && saved.get(1).endsWith(":refused, but kept"), saved.toString());
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(history),
                "the file the caller made private stays private");
        try (var files = Files.list(dir)) {
            assertEquals(List.of(history), files.toList(), "no other file is written");
        }

        answers.clear();
        LineEditorConsole second = console(Optional.of(history), Optional.empty());
        second.ask(conversation);
        type(UP + UP + ENTER);
        assertEquals(line("remember me"), answer(), "the next run recalls what the last one kept");
    }

    /** True when the text at {@code at} starts at the left of the screen (after a carriage return or a line feed). */
    private static boolean startsALine(String screen, int at) {
        return at == 0 || screen.charAt(at - 1) == '\r' || screen.charAt(at - 1) == '\n';
    }
}
