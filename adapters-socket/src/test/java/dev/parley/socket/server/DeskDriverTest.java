package dev.parley.socket.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.desk.DeskAction;
import dev.parley.core.port.DeskOperator;
import dev.parley.core.port.Transcript;
import dev.parley.core.contract.TranscriptContract;
import dev.parley.core.session.Input;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Role;
import dev.parley.core.testkit.RecordingTranscript;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The desk's driver with its thread in a test's hands (a queue of tasks, run when the test says):
 * conversations and operators meet, every answer goes only to the conversation it was entered for,
 * commands reach the desk, and what a conversation says goes to the operator it is with.
 */
class DeskDriverTest {

    private final Queue<Runnable> deskThread = new ArrayDeque<>();
    private final List<Throwable> bugs = new ArrayList<>();
    private final DeskDriver driver = new DeskDriver(deskThread::add, bugs::add);

    private static final Outcome BYE = new Outcome(Outcome.Ending.PEER_SAID_BYE, Role.CLIENT, "");

    /** Runs what was handed to the desk, in order, until nothing is left. */
    private void settle() {
        while (!deskThread.isEmpty()) {
            deskThread.poll().run();
        }
    }

    /** An operator's port that writes down each call, and keeps its way back to the desk. */
    private static class Operator implements DeskOperator {
        final List<String> calls = new ArrayList<>();
        DeskOperator.Lines lines;

        @Override
        public void joined(DeskOperator.Lines lines) {
            this.lines = lines;
            calls.add("joined");
        }

        @Override
        public void with(String conversation, String label, int waiting) {
            calls.add("with " + conversation + " " + label + " " + waiting);
        }

        @Override
        public void heard(String conversation, String message) {
            calls.add("heard " + conversation + " " + message);
        }

        @Override
        public void ask(String conversation) {
            calls.add("ask " + conversation);
        }

        @Override
        public void notice(String conversation, String text) {
            calls.add("notice " + conversation + " " + text);
        }

        @Override
        public void ended(String conversation, Outcome outcome) {
            calls.add("ended " + conversation + " " + outcome.describe());
        }

        @Override
        public void handedBack(String conversation, DeskAction.Why why) {
            calls.add("handed back " + conversation + " " + why);
        }

        @Override
        public void tell(String text) {
            calls.add("tell " + text);
        }

        List<String> take() {
            List<String> taken = List.copyOf(calls);
            calls.clear();
            return taken;
        }
    }

    private Operator operator(String name) {
        Operator operator = new Operator();
        driver.join(name, operator);
        settle();
        return operator;
    }

    private DeskDriver.Seat arrives(RecordingConversation conversation) {
        DeskDriver.Seat seat = driver.seat(conversation, new RecordingTranscript());
        settle();
        return seat;
    }

    private static String label(int id) {
        return "conversation " + id + " (198.51.100.7:" + (40000 + id) + ")";
    }

    @Nested
    class OneOperator {
        private final Operator ann = operator("ann");
        private final RecordingConversation one = new RecordingConversation(1);
        private final RecordingConversation two = new RecordingConversation(2);

        @Test
        void theFirstConversationIsAttendedItsWordsGoToTheOperatorAndTheAnswerToIt() {
            DeskDriver.Seat seat = arrives(one);
            assertEquals(List.of("joined", "with 1 " + label(1) + " 0"), ann.take());
            assertEquals(List.of(new Input.Attend(0)), one.posted);
            seat.heard("hello");
            seat.ask();
            settle();
            assertEquals(List.of("heard 1 hello", "ask 1"), ann.take());
            ann.lines.entered("1", new Input.OperatorLine("hi there", true));
            settle();
            assertEquals(List.of(new Input.Attend(0), new Input.OperatorLine("hi there", true)), one.posted);
        }

        @Test
        void aLineEnteredForAConversationNoLongerInFrontReachesNoOneAndTheOperatorIsTold() {
            DeskDriver.Seat first = arrives(one);
            arrives(two);
            assertEquals(List.of(new Input.Wait(1)), two.posted);
            first.ended(BYE);
            settle();
            assertEquals(List.of("joined", "with 1 " + label(1) + " 0", "tell " + label(2) + " waits; number 1 in line",
                    "ended 1 client said bye", "with 2 " + label(2) + " 0"), ann.take());
            ann.lines.entered("1", new Input.OperatorLine("I was just about to say", true));
            ann.lines.entered(null, new Input.OperatorLine("typed with no one in front", false));
            settle();
            assertEquals(List.of("tell not sent (typed for conversation 1, no longer in front of you): 'I was just about to say'",
                    "tell " + DeskDriver.NO_CLIENT), ann.take());
            assertEquals(List.of(new Input.Wait(1), new Input.Attend(0)), two.posted, "nothing of it reached the next conversation");
        }

        @Test
        void aCommandAtThePromptIsTheDesksAndTheQuestionStaysOpen() {
            DeskDriver.Seat seat = arrives(one);
            seat.ask();
            settle();
            ann.take();
            ann.lines.entered("1", new Input.OperatorLine("/who", true));
            ann.lines.entered("1", new Input.OperatorLine("/nonsense", true));
            ann.lines.entered("1", new Input.OperatorLine("//who said that?", true));
            settle();
            assertEquals(List.of("tell no one waits; operators: ann (you, with " + label(1) + ")", "ask 1",
                    "tell not sent: /nonsense is no command; " + dev.parley.core.desk.Command.HELP, "ask 1"), ann.take());
            assertEquals(List.of(new Input.Attend(0), new Input.OperatorLine("/who said that?", true)), one.posted,
                    "a client's line is never a command; // sends one that starts with /");
        }

        @Test
        void passWithAnotherWaitingTakesItAndTheClientPassedIsShownAgainLater() {
            DeskDriver.Seat first = arrives(one);
            arrives(two);
            ann.take();
            ann.lines.entered("1", new Input.OperatorLine("/pass", false));
            settle();
            assertEquals(List.of("handed back 1 PASSED", "tell passed " + label(1) + " back to the front of the line",
                    "with 2 " + label(2) + " 1"), ann.take());
            assertEquals(List.of(new Input.Attend(0), new Input.Attend(1), new Input.Wait(1)), one.posted,
                    "the session is handed back to the line, first");
            first.heard("are you there?");
            settle();
            assertEquals(List.of(), ann.take(), "a conversation in line shows nothing to anyone");
        }

        @Test
        void theOperatorsInputEndingLeavesOnlyTheConversationItWasFor() {
            arrives(one);
            ann.lines.entered("1", new Input.OperatorDone());
            ann.lines.entered("7", new Input.OperatorDone());
            settle();
            assertEquals(List.of(new Input.Attend(0), new Input.OperatorDone()), one.posted);
        }

        @Test
        void onceEmptyWaitsForTheLastConversationToEnd() {
            List<String> ran = new ArrayList<>();
            DeskDriver.Seat first = arrives(one);
            DeskDriver.Seat second = arrives(two);
            driver.onceEmpty(() -> ran.add("stopped"));
            first.ended(BYE);
            settle();
            assertEquals(List.of(), ran);
            second.ended(BYE);
            settle();
            assertEquals(List.of("stopped"), ran);
            driver.onceEmpty(() -> ran.add("at once"));
            settle();
            assertEquals(List.of("stopped", "at once"), ran);
        }
    }

    @Nested
    class SeveralOperators {
        @Test
        void anOperatorWhoLeavesHandsItsClientToTheNextWhoIsShownTheQuestion() {
            Operator ann = operator("ann");
            RecordingConversation one = new RecordingConversation(1);
            DeskDriver.Seat seat = arrives(one);
            seat.heard("help?");
            seat.ask();
            settle();
            Operator bob = operator("bob");
            ann.lines.left();
            ann.lines.entered("1", new Input.OperatorLine("too late", true));
            settle();
            assertEquals(List.of("joined", "with 1 " + label(1) + " 0"), bob.take());
            assertEquals(List.of(new Input.Attend(0), new Input.Wait(1), new Input.Attend(0)), one.posted,
                    "back in line, then attended by bob: its session shows him the question again");
            assertEquals(List.of("joined", "with 1 " + label(1) + " 0", "heard 1 help?", "ask 1"), ann.take(),
                    "nothing after it left, its late line included");
        }
    }

    @Test
    void aBugInAnOperatorsPortIsReportedAndTheDeskGoesOn() {
        Operator broken = new Operator() {
            @Override
            public void tell(String text) {
                throw new IllegalStateException("broken port");
            }
        };
        driver.join("broken", broken);
        settle();
        broken.lines.entered(null, new Input.OperatorLine("/who", false));
        settle();
        assertEquals(1, bugs.size());
        RecordingConversation one = new RecordingConversation(1);
        arrives(one);
        assertTrue(broken.calls.contains("with 1 " + label(1) + " 0"), broken.calls.toString());
    }

    /** The seat keeps the Transcript contract: everything goes to what records the conversation, exactly. */
    @Nested
    class SeatTranscript extends TranscriptContract {
        private final RecordingTranscript recorded = new RecordingTranscript();

        @Override
        protected Transcript transcript() {
            return driver.seat(new RecordingConversation(9), recorded);
        }

        @Override
        protected String shown() {
            return String.join("\n", recorded.heard()) + "\n" + recorded.outcome().map(o -> o.detail() + " " + o.describe()).orElse("");
        }

        @Override
        protected boolean writesText() {
            return false;
        }
    }
}
