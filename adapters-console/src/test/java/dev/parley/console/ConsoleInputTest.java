package dev.parley.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.core.session.Input;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Standard input as an operator's lines: one answer per question, from a pipe or a person. */
@Timeout(10)
class ConsoleInputTest {

    private final ByteArrayOutputStream prompts = new ByteArrayOutputStream();
    private final BlockingQueue<Input> answers = new ArrayBlockingQueue<>(16);

    private ConsoleInput reading(byte[] input, boolean interactive) {
        return new ConsoleInput(new ByteArrayInputStream(input), new PrintStream(prompts, true, StandardCharsets.UTF_8),
                interactive, 16).start();
    }

    private Input next(ConsoleInput input) throws InterruptedException {
        input.ask(answers::add);
        Input answer = answers.poll(5, TimeUnit.SECONDS);
        if (answer == null) {
            throw new AssertionError("no answer");
        }
        return answer;
    }

    @Test
    void eachQuestionGetsTheNextLineThenTheEndUtf8WithCrlfAndAnUnterminatedLastLine() throws Exception {
        ConsoleInput input = reading("h\u00e9\r\nlast".getBytes(StandardCharsets.UTF_8), false);
        assertEquals(new Input.OperatorLine("h\u00e9"), next(input));
        assertEquals(new Input.OperatorLine("last"), next(input));
        assertEquals(new Input.OperatorDone(), next(input));
        assertEquals(new Input.OperatorDone(), next(input), "the end stays the end");
    }

    @Test
    void promptsOnlyWhenInteractiveAndOnlyWhileWaitingForAPerson() throws Exception {
        PipedOutputStream keyboard = new PipedOutputStream();
        ConsoleInput person = new ConsoleInput(new PipedInputStream(keyboard), new PrintStream(prompts, true, StandardCharsets.UTF_8),
                true, 16).start();
        person.ask(answers::add);
        assertEquals("you> ", prompts.toString(StandardCharsets.UTF_8));
        keyboard.write("typed\n".getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
        assertEquals(new Input.OperatorLine("typed"), answers.poll(5, TimeUnit.SECONDS));

        prompts.reset();
        ConsoleInput pipe = reading("a\n".getBytes(StandardCharsets.UTF_8), false);
        next(pipe);
        assertEquals("", prompts.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aWithdrawnQuestionLeavesTheLineForTheNextOne() throws Exception {
        PipedOutputStream keyboard = new PipedOutputStream();
        ConsoleInput input = new ConsoleInput(new PipedInputStream(keyboard), new PrintStream(prompts, true, StandardCharsets.UTF_8),
                false, 16).start();
        BlockingQueue<Input> gone = new ArrayBlockingQueue<>(1);
        input.ask(gone::add);
        input.withdraw(gone::add); // a different reference: not withdrawn
        java.util.function.Consumer<Input> asker = gone::add;
        input.ask(asker);
        input.withdraw(asker);
        keyboard.write("for the next\n".getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
        assertEquals(new Input.OperatorLine("for the next"), next(input));
        assertEquals(0, gone.size(), "a conversation that ended is not answered");
    }

    @Test
    void anOverlongInputLineIsRefusedWithANoticeAndReadingGoesOn() throws Exception {
        ConsoleInput input = reading("x".repeat(17).concat("\nshort\n").getBytes(StandardCharsets.UTF_8), false);
        assertEquals(new Input.OperatorLine("short"), next(input));
        assertEquals("parley: input line longer than 16 bytes; not sent, type a shorter one\n",
                prompts.toString(StandardCharsets.UTF_8));
    }

    @Test
    void readingAheadIsBoundedSoAHugePipeIsNotHeldInMemory() throws Exception {
        PipedOutputStream pipe = new PipedOutputStream();
        ConsoleInput input = new ConsoleInput(new PipedInputStream(pipe, 64 * 1024), new PrintStream(prompts, true, StandardCharsets.UTF_8),
                false, 16).start();
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
        while (input.readAhead() < ConsoleInput.AHEAD && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(ConsoleInput.AHEAD, input.readAhead(), "lines are read ahead up to the bound, and no further");
        assertEquals(true, writer.isAlive(), "so the writer of a huge pipe is held back");
        for (int i = 0; i < 100_000; i++) {
            assertEquals(new Input.OperatorLine("line " + i), next(input));
        }
        assertEquals(new Input.OperatorDone(), next(input));
    }
}
