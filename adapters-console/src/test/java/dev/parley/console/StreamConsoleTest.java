package dev.parley.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.session.Input;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The console over plain streams: a pipe's exact lines, or a person typing with no line editor. */
@Timeout(10)
class StreamConsoleTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final AwaitableOutput err = new AwaitableOutput();
    private final BlockingQueue<Input> answers = new ArrayBlockingQueue<>(16);
    /** The conversation in front of a person: what it is handed goes to {@link #answers}. */
    private final Consumer<Input> conversation = answers::add;
    private final RecordingListener listener = new RecordingListener();
    private final PipedOutputStream keyboard = new PipedOutputStream();

    private StreamConsole console(java.io.InputStream in, boolean person) {
        StreamConsole console = new StreamConsole(in, out, new PrintStream(err, true, StandardCharsets.UTF_8), person, 16, listener);
        console.forwardTo(conversation);
        return console.start();
    }

    private StreamConsole reading(String input) {
        return console(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), false);
    }

    private StreamConsole typing(boolean person) throws IOException {
        return console(new PipedInputStream(keyboard), person);
    }

    private void type(String text) throws IOException {
        keyboard.write(text.getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    private Input next(Console console) throws InterruptedException {
        console.ask(answers::add);
        Input answer = answers.poll(5, TimeUnit.SECONDS);
        if (answer == null) {
            throw new AssertionError("no answer");
        }
        return answer;
    }

    private String err() {
        return err.raw();
    }

    @Test
    void eachQuestionGetsTheNextLineThenTheEndUtf8WithCrlfAndAnUnterminatedLastLine() throws Exception {
        StreamConsole console = reading("h\u00e9\r\nlast");
        assertEquals(new Input.OperatorLine("h\u00e9"), next(console));
        assertEquals(new Input.OperatorLine("last"), next(console));
        assertEquals(new Input.OperatorDone(), next(console));
        assertEquals(new Input.OperatorDone(), next(console), "the end stays the end");
    }

    @Test
    void pipedMessagesAreExactLinesRenderedSafeAndStatusLinesGoToStderr() {
        StreamConsole console = reading("");
        console.message("server", "hello");
        console.status("parley: a status");
        console.message("server", "\u001B[2Jwiped?");
        assertEquals("hello\n^[[2Jwiped?\n", out.toString(StandardCharsets.UTF_8), "nothing added, nothing raw");
        assertEquals("parley: a status\n", err());
    }

    @Test
    void aPersonIsPromptedOnlyWhileAskedAndSeesWhoSpoke() throws Exception {
        StreamConsole console = typing(true);
        console.message("server", "hi");
        assertEquals("server> hi\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("", err(), "no prompt before a question");
        console.ask(conversation);
        assertEquals("you> ", err());
        type("typed\n");
        assertEquals(new Input.OperatorLine("typed", true), answers.poll(5, TimeUnit.SECONDS));

        err.reset();
        StreamConsole pipe = reading("a\n");
        next(pipe);
        assertEquals("", err(), "a pipe is never prompted");
    }

    @Test
    void aLineAPersonTypesOutOfTurnIsHandedOverAtOnceUnpromptedNeverKeptForLater() throws Exception {
        StreamConsole console = typing(true);
        type("too early\n");
        assertEquals(new Input.OperatorLine("too early", false), answers.poll(5, TimeUnit.SECONDS),
                "the console decides nothing: the session refuses it");
        console.ask(conversation);
        type("in turn\n");
        assertEquals(new Input.OperatorLine("in turn", true), answers.poll(5, TimeUnit.SECONDS), "the question gets the line typed after it");
        assertEquals("you> ", err(), "nothing said of the early line: that is the session's to say");
    }

    @Test
    void aPipesLinesWaitForTheirQuestionsNeverGoingToTheConversationInFront() throws Exception {
        StreamConsole console = typing(false);
        type("an answer\n");
        BlockingQueue<Input> asker = new ArrayBlockingQueue<>(1);
        console.ask(asker::add);
        assertEquals(new Input.OperatorLine("an answer"), asker.poll(5, TimeUnit.SECONDS));
        assertTrue(answers.isEmpty(), "a script's line is not typed out of turn: it waits for a question");
    }

    @Test
    void aWithdrawnQuestionLeavesTheLineForTheNextOne() throws Exception {
        StreamConsole console = typing(false);
        BlockingQueue<Input> gone = new ArrayBlockingQueue<>(1);
        console.ask(gone::add);
        console.withdraw(gone::add); // a different reference: not withdrawn
        Consumer<Input> asker = gone::add;
        console.ask(asker);
        console.withdraw(asker);
        type("for the next\n");
        assertEquals(new Input.OperatorLine("for the next"), next(console));
        assertEquals(0, gone.size(), "a conversation that ended is not answered");
    }

    @Test
    void theEndOfInputIsToldOnlyWhenNothingIsLeftAndNoOneAsks() throws Exception {
        reading("");
        assertEquals("input ended", listener.awaitFirst());

        RecordingListener asked = new RecordingListener();
        StreamConsole console = new StreamConsole(new PipedInputStream(keyboard), out, new PrintStream(err, true, StandardCharsets.UTF_8),
                false, 16, asked).start();
        console.ask(answers::add);
        keyboard.close();
        assertEquals(new Input.OperatorDone(), answers.poll(5, TimeUnit.SECONDS), "the open question gets the end");
        assertEquals(List.of(), asked.events, "so the listener is not told");
    }

    @Test
    void aPipeIsSpentOnlyOnceItHasEndedAndEveryLineWasTaken() throws Exception {
        StreamConsole console = reading("a\nb\n");
        assertEquals(new Input.OperatorLine("a"), next(console));
        assertFalse(console.spent(), "a line is left");
        assertEquals(new Input.OperatorLine("b"), next(console));
        assertEquals(new Input.OperatorDone(), next(console));
        assertTrue(console.spent());
    }

    @Test
    void anOverlongInputLineIsRefusedWithANoticeAndReadingGoesOn() throws Exception {
        StreamConsole console = reading("x".repeat(17) + "\nshort\n");
        assertEquals(new Input.OperatorLine("short"), next(console));
        assertEquals("parley: input line longer than 16 bytes; not sent, type a shorter one\n", err());
    }

    @Test
    void aClosedPipeOnStdoutIsToldOnceAndNothingMoreIsWritten() throws Exception {
        int[] writes = {0};
        OutputStream gone = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                writes[0]++;
                throw new IOException("Broken pipe");
            }
        };
        StreamConsole console = new StreamConsole(new ByteArrayInputStream(new byte[0]), gone,
                new PrintStream(err, true, StandardCharsets.UTF_8), false, 16, listener);
        console.message("server", "one");
        console.message("server", "two");
        assertEquals(List.of("output failed (broken pipe): Broken pipe"), listener.events);
        assertEquals(1, writes[0]);
    }

    @Test
    void readingAheadIsBoundedSoAHugePipeIsNotHeldInMemory() throws Exception {
        PipedOutputStream pipe = new PipedOutputStream();
        StreamConsole console = console(new PipedInputStream(pipe, 64 * 1024), false);
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < 100_000; i++) {
                    pipe.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
                }
                pipe.close();
            } catch (IOException e) {
                // the reader stopped
            }
        });
        writer.setDaemon(true);
        writer.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (console.readAhead() < StreamConsole.AHEAD && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(StreamConsole.AHEAD, console.readAhead(), "lines are read ahead up to the bound, and no further");
        assertTrue(writer.isAlive(), "so the writer of a huge pipe is held back");
        for (int i = 0; i < 100_000; i++) {
            assertEquals(new Input.OperatorLine("line " + i), next(console));
        }
        assertEquals(new Input.OperatorDone(), next(console));
    }
}
