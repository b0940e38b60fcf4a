package dev.parley.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.desk.DeskAction;
import dev.parley.core.port.DeskOperator;
import dev.parley.core.session.Input;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Role;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The person at a console server's terminal as an operator at the desk: shown the client in
 * front, asked for its answers, and every line handed back tagged with the conversation it was
 * entered for (a pipe here: each line answers the question asked).
 */
@Timeout(10)
class ConsoleOperatorTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PipedOutputStream keyboard = new PipedOutputStream();
    private final BlockingQueue<String> entered = new LinkedBlockingQueue<>();
    private final ConsoleOperator operator;

    ConsoleOperatorTest() throws Exception {
        StreamConsole console = new StreamConsole(new PipedInputStream(keyboard), out, new PrintStream(err, true, StandardCharsets.UTF_8),
                false, 1024, new RecordingListener());
        operator = new ConsoleOperator(console.start());
        operator.joined(new DeskOperator.Lines() {
            @Override
            public void entered(String conversation, Input input) {
                entered.add(conversation + ": " + input);
            }

            @Override
            public void left() {
                entered.add("left");
            }
        });
    }

    private void type(String text) throws Exception {
        keyboard.write(text.getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theClientInFrontIsShownAndEachAnswerGoesBackTaggedWithIt() throws Exception {
        operator.with("3", "conversation 3 (192.0.2.1:5000)", 2);
        assertTrue(err().contains("parley: now with conversation 3 (192.0.2.1:5000); 2 clients waiting\n"), err());
        operator.heard("3", "hello");
        operator.ask("3");
        type("hi there\n");
        assertEquals("3: " + new Input.OperatorLine("hi there", true), entered.poll(5, TimeUnit.SECONDS));
        assertEquals("hello\n", out.toString(StandardCharsets.UTF_8), "a pipe's messages: exact lines");
    }

    @Test
    void whatIsForAnotherConversationIsNotShown() throws Exception {
        operator.with("3", "conversation 3", 0);
        operator.heard("4", "not yours");
        operator.notice("4", "not yours either");
        operator.ask("4");
        type("an answer\n");
        operator.ask("3");
        assertEquals("3: " + new Input.OperatorLine("an answer", true), entered.poll(5, TimeUnit.SECONDS));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertFalse(err().contains("not yours"), err());
    }

    @Test
    void onceTheConversationEndsItsQuestionIsWithdrawnAndTheNextLineIsForTheNextConversation() throws Exception {
        operator.with("3", "conversation 3", 0);
        operator.ask("3");
        operator.ended("3", new Outcome(Outcome.Ending.PEER_SAID_BYE, Role.CLIENT, ""));
        operator.ask("3");
        type("late\n");
        operator.with("5", "conversation 5", 0);
        operator.ask("5");
        assertEquals("5: " + new Input.OperatorLine("late", true), entered.poll(5, TimeUnit.SECONDS),
                "not an answer to the conversation that ended, whose question is gone");
    }

    @Test
    void aConversationPassedBackIsNoLongerInFront() throws Exception {
        operator.with("5", "conversation 5", 0);
        operator.ask("5");
        operator.handedBack("5", DeskAction.Why.PASSED);
        operator.ask("5");
        type("for whom?\n");
        operator.with("6", "conversation 6", 0);
        operator.ask("6");
        assertEquals("6: " + new Input.OperatorLine("for whom?", true), entered.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void theDesksWordsAndTheClientsNoticesAreStatusLinesRenderedSafe() {
        operator.with("3", "conversation 3 (\u001B[2Jevil)", 0);
        operator.notice("3", "client: \u202Eflipped");
        operator.tell("conversation 4 (\u001B]0;x\u0007) waits; number 1 in line");
        String err = err();
        assertFalse(err.contains("\u001B") || err.contains("\u202E") || err.contains("\u0007"), err);
        assertTrue(err.contains("parley: client: \\u202Eflipped"), err);
        assertEquals("", out.toString(StandardCharsets.UTF_8), "stdout carries the clients' messages only");
    }
}
