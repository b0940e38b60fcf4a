package dev.parley.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.session.Input;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Role;
import dev.parley.core.testkit.RecordingTranscript;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One person, many conversations: one attended at a time, the rest told their place, in order. */
@Timeout(10)
class OperatorDeskTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PipedOutputStream keyboard = new PipedOutputStream();
    private final OperatorDesk desk;

    private final List<String> idle = new CopyOnWriteArrayList<>();
    /** Each conversation the desk said is in front of the person, in order. */
    private final List<Consumer<Input>> fronts = new CopyOnWriteArrayList<>();

    OperatorDeskTest() throws Exception {
        StreamConsole console = new StreamConsole(new PipedInputStream(keyboard), out, new PrintStream(err, true, StandardCharsets.UTF_8),
                false, 1024, new RecordingListener());
        desk = new OperatorDesk(new IdleRecording(console.start()));
    }

    /** A console that also writes down each idle label and each front it is given, to check what the person is shown and where their lines go. */
    private final class IdleRecording implements Console {
        private final Console console;

        IdleRecording(Console console) {
            this.console = console;
        }

        @Override
        public Console start() {
            return this;
        }

        @Override
        public void forwardTo(Consumer<Input> conversation) {
            fronts.add(conversation);
            console.forwardTo(conversation);
        }

        @Override
        public void ask(Consumer<Input> answer) {
            console.ask(answer);
        }

        @Override
        public void withdraw(Consumer<Input> answer) {
            console.withdraw(answer);
        }

        @Override
        public void idle(String label) {
            idle.add(label);
        }

        @Override
        public void message(String who, String text) {
            console.message(who, text);
        }

        @Override
        public void status(String line) {
            console.status(line);
        }

        @Override
        public void close() {
            console.close();
        }
    }

    private static final Outcome BYE = new Outcome(Outcome.Ending.PEER_SAID_BYE, Role.CLIENT, "");

    @Test
    void theFirstIsAttendedAndTheOthersWaitInOrderEachToldItsPlace() {
        List<Input> first = new CopyOnWriteArrayList<>();
        List<Input> second = new CopyOnWriteArrayList<>();
        List<Input> third = new CopyOnWriteArrayList<>();
        RecordingTranscript log = new RecordingTranscript();
        OperatorDesk.Seat one = desk.join(1, "a:1", first::add, log);
        desk.join(2, "b:2", second::add, log);
        OperatorDesk.Seat three = desk.join(3, "c:3", third::add, log);

        assertEquals(List.of(new Input.Attend(0), new Input.Attend(1), new Input.Attend(2)), first,
                "the attended one learns each time one more waits");
        assertEquals(List.of(new Input.Wait(1)), second);
        assertEquals(List.of(new Input.Wait(2)), third);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("parley: conversation 3 (c:3) waits; 2 ahead of it"),
                err.toString(StandardCharsets.UTF_8));

        one.ended(BYE);
        assertEquals(List.of(new Input.Wait(1), new Input.Attend(1)), second, "the next in line is attended; one waits behind it");
        assertEquals(List.of(new Input.Wait(2), new Input.Wait(1)), third, "and the one behind moves up");
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("now with conversation 2 (b:2); 1 client waiting"));
        assertEquals(List.of(BYE), List.of(log.outcome().orElseThrow()), "the ending reaches the server's log");

        three.ended(BYE);
        assertEquals(List.of(new Input.Wait(1), new Input.Attend(1), new Input.Attend(0)), second,
                "a waiting conversation that leaves: the attended one learns no one waits now");
    }

    @Test
    void thePersonAlwaysSeesWhetherAClientHasTheTurnOrNoOneIsThere() {
        assertTrue(desk.isEmpty());
        OperatorDesk.Seat one = desk.join(1, "a:1", input -> { }, new RecordingTranscript());
        assertTrue(!desk.isEmpty());
        one.ended(BYE);
        assertTrue(desk.isEmpty());
        assertEquals(List.of(OperatorDesk.NO_ONE, OperatorDesk.CLIENTS_TURN, OperatorDesk.NO_ONE), idle);
    }

    @Test
    void thePersonsLinesGoToTheAttendedConversationOnlyWhenItAsks() throws Exception {
        BlockingQueue<Input> first = new LinkedBlockingQueue<>();
        OperatorDesk.Seat one = desk.join(1, "a:1", first::add, new RecordingTranscript());
        one.heard("hello");
        assertEquals("hello\n", out.toString(StandardCharsets.UTF_8));
        one.ask();
        keyboard.write("hi there\n".getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
        assertEquals(new Input.Attend(0), first.poll(5, TimeUnit.SECONDS));
        assertEquals(new Input.OperatorLine("hi there"), first.poll(5, TimeUnit.SECONDS));
        assertEquals(List.of(), List.copyOf(first), "nothing more");
    }

    @Test
    void thePersonsLinesGoToWhoeverIsInFrontAndWithNoOneThereTheDeskAnswers() {
        List<Input> first = new CopyOnWriteArrayList<>();
        List<Input> second = new CopyOnWriteArrayList<>();
        Input typed = new Input.OperatorLine("typed", false);
        fronts.get(0).accept(typed);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("parley: not sent (no client)\n"), err.toString(StandardCharsets.UTF_8));

        OperatorDesk.Seat one = desk.join(1, "a:1", first::add, new RecordingTranscript());
        OperatorDesk.Seat two = desk.join(2, "b:2", second::add, new RecordingTranscript());
        assertEquals(2, fronts.size(), "the one attended is in front; one who waits is not");
        fronts.get(1).accept(typed);
        assertEquals(List.of(new Input.Attend(0), new Input.Attend(1), typed), first, "told it is attended before any line comes");

        one.ended(BYE);
        assertEquals(3, fronts.size());
        fronts.get(2).accept(typed);
        assertEquals(List.of(new Input.Wait(1), new Input.Attend(0), typed), second, "the next in line is in front once attended");

        two.ended(BYE);
        assertEquals(4, fronts.size());
        assertSame(fronts.get(0), fronts.get(3), "no one in front: the desk answers again");
        assertEquals(List.of(3, 3), List.of(first.size(), second.size()), "nothing more went to either conversation");
    }
}
