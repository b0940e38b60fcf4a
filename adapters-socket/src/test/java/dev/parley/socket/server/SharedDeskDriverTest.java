package dev.parley.socket.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.desk.DeskAction;
import dev.parley.core.desk.DeskInput;
import dev.parley.core.port.DeskOperator;
import dev.parley.core.port.DeskReplication;
import dev.parley.core.session.Input;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Refusal;
import dev.parley.core.session.Role;
import dev.parley.core.testkit.RecordingTranscript;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Two replicas' desk drivers sharing one desk through an in-memory log the test hands out, entry by
 * entry, and turns it delivers when it says: no threads, no broker. Each replica carries out only
 * what is about its own clients and operators, and a turn waits for the log it was sent after.
 */
class SharedDeskDriverTest {

    private static final Outcome BYE = new Outcome(Outcome.Ending.PEER_SAID_BYE, Role.CLIENT, "");

    /** The shared log and the turns in flight. */
    private final List<Object[]> log = new ArrayList<>();
    private final Map<String, Replica> replicas = new TreeMap<>();
    private final List<Throwable> bugs = new ArrayList<>();

    /** One replica: its desk's tasks (a queue run by the test), its driver, its receiver, the turns sent to it. */
    private final class Replica implements DeskReplication {
        final String id;
        final Queue<Runnable> thread = new ArrayDeque<>();
        final DeskDriver driver;
        final Queue<Turn> inbox = new ArrayDeque<>();
        Receiver receiver;
        int read;
        /** The turns it relays never leave it. */
        boolean losing;

        Replica(String id) {
            this.id = id;
            this.driver = new DeskDriver(thread::add, bugs::add, this, Runnable::run);
            replicas.put(id, this);
            driver.start();
        }

        @Override
        public String replica() {
            return id;
        }

        @Override
        public void start(Receiver to) {
            receiver = to;
        }

        @Override
        public void append(DeskInput input) {
            log.add(new Object[] {input, null});
        }

        @Override
        public void left(String client, Outcome outcome) {
            log.add(new Object[] {new DeskInput.ClientLeft(client), outcome});
        }

        @Override
        public void relay(Turn turn) {
            if (losing) {
                receiver.lost(turn); // as an adapter whose outgoing queue is full says so
            } else {
                replicas.get(Turn.replicaOf(turn.to())).inbox.add(turn);
            }
        }

        /** Applies the log as far as it goes. */
        void readLog() {
            while (read < log.size()) {
                Object[] entry = log.get(read++);
                receiver.apply(read, (DeskInput) entry[0], (Outcome) entry[1]);
                run();
            }
        }

        void deliverTurns() {
            while (!inbox.isEmpty()) {
                receiver.relayed(inbox.poll());
                run();
            }
        }

        void run() {
            while (!thread.isEmpty()) {
                thread.poll().run();
            }
        }
    }

    private final Replica a = new Replica("aaaa");
    private final Replica b = new Replica("bbbb");

    /** Every replica runs its thread and reads the log, then takes its turns, until nothing moves. */
    private void settle() {
        for (int round = 0; round < 10; round++) {
            for (Replica replica : replicas.values()) {
                replica.run();
                replica.readLog();
            }
            for (Replica replica : replicas.values()) {
                replica.deliverTurns();
            }
        }
        assertEquals(List.of(), bugs);
    }

    private static final class Operator implements DeskOperator {
        final List<String> calls = new ArrayList<>();
        DeskOperator.Lines lines;
        String front;

        @Override
        public void joined(DeskOperator.Lines lines) {
            this.lines = lines;
        }

        @Override
        public void with(String conversation, String label, int waiting) {
            front = conversation;
            calls.add("with " + conversation);
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
            calls.add("ended " + conversation + " " + outcome.ending());
        }

        @Override
        public void handedBack(String conversation, DeskAction.Why why) {
            calls.add("handed back " + conversation + " " + why);
        }

        @Override
        public void tell(String text) {
            calls.add("tell " + text);
        }

        void say(String text) {
            lines.entered(front, new Input.OperatorLine(text, true));
        }
    }

    private Operator operator(Replica at) {
        Operator operator = new Operator();
        at.driver.join("op", operator);
        settle();
        return operator;
    }

    private DeskDriver.Seat arrives(Replica at, RecordingConversation conversation) {
        DeskDriver.Seat seat = at.driver.seat(conversation, new RecordingTranscript());
        settle();
        return seat;
    }

    @Test
    void aClientOnOneReplicaIsAnsweredByAnOperatorOnAnother() {
        Operator bob = operator(b);
        RecordingConversation one = new RecordingConversation(1);
        DeskDriver.Seat seat = arrives(a, one);
        assertEquals(List.of("with aaaa.1"), bob.calls);
        assertEquals(List.of(new Input.Attend(0)), one.posted, "the session learns it is attended, on its own replica only");

        seat.heard("hello");
        seat.ask();
        settle();
        assertEquals(List.of("with aaaa.1", "heard aaaa.1 hello", "ask aaaa.1"), bob.calls);
        bob.say("hi there");
        settle();
        assertEquals(new Input.OperatorLine("hi there", true), one.posted.get(1));

        seat.ended(BYE);
        settle();
        assertEquals("ended aaaa.1 PEER_SAID_BYE", bob.calls.get(3), "told as the log says, with how it ended");
    }

    @Test
    void clientsOfBothReplicasWaitInOneLineInTheOrderTheLogGaveThem() {
        RecordingConversation one = new RecordingConversation(1);
        RecordingConversation two = new RecordingConversation(2);
        RecordingConversation three = new RecordingConversation(3);
        arrives(a, one);
        arrives(b, two);
        arrives(a, three);
        assertEquals(List.of(new Input.Wait(1)), one.posted);
        assertEquals(List.of(new Input.Wait(2)), two.posted, "its place in the whole desk");
        assertEquals(List.of(new Input.Wait(3)), three.posted);
        assertEquals(2, a.driver.waiting(Front.TCP), "each replica counts its own");
        assertEquals(1, b.driver.waiting(Front.TCP));

        Operator bob = operator(b);
        assertEquals(List.of("with aaaa.1"), bob.calls, "the longest waiting, whatever its replica");
        assertEquals(new Input.Wait(1), two.posted.get(1));
        assertEquals(1, a.driver.waiting(Front.TCP));
        assertEquals(1, b.driver.operatorsOnline());
        assertEquals(0, a.driver.operatorsOnline());
    }

    @Test
    void aTurnWaitsUntilTheReceiversDeskHasCaughtUpWithTheSenders() {
        Operator bob = operator(b);
        RecordingConversation one = new RecordingConversation(1);
        DeskDriver.Seat seat = a.driver.seat(one, new RecordingTranscript());
        a.run();
        a.readLog(); // A knows bob is with its client; B has not read that far
        seat.heard("early");
        a.run();
        b.deliverTurns();
        assertEquals(List.of(), bob.calls, "held: B's desk does not know they are together yet");
        b.readLog();
        assertEquals(List.of("with aaaa.1", "heard aaaa.1 early"), bob.calls);
    }

    @Test
    void anAnswerEnteredBeforeAPassReachesTheClientAsOnOneServer() {
        Operator bob = operator(b);
        RecordingConversation one = new RecordingConversation(1);
        arrives(a, one);
        bob.say("typed for one");
        bob.lines.entered("aaaa.1", new Input.OperatorLine("/pass", false));
        b.run();
        b.readLog();
        a.readLog(); // A applied the pass (and bob, alone, took it back) before the answer came
        a.deliverTurns();
        assertTrue(one.posted.contains(new Input.OperatorLine("typed for one", true)));
    }

    @Test
    void anAnswerComingAfterAnotherOperatorTookTheClientIsNotDelivered() {
        Operator bob = operator(b);
        RecordingConversation one = new RecordingConversation(1);
        arrives(a, one);
        Operator ann = operator(a);
        bob.say("typed for one");
        bob.lines.entered("aaaa.1", new Input.OperatorLine("/pass", false));
        b.run();
        b.readLog();
        a.readLog();
        assertEquals("with aaaa.1", ann.calls.get(ann.calls.size() - 1));
        a.deliverTurns();
        assertTrue(one.posted.stream().noneMatch(new Input.OperatorLine("typed for one", true)::equals), "ann has it now: " + one.posted);
    }

    @Test
    void aReplicaGoneSendsItsOperatorsClientsBackToTheLineForAnother() {
        Operator bob = operator(b);
        RecordingConversation one = new RecordingConversation(1);
        arrives(a, one);
        Operator ann = operator(a);
        log.add(new Object[] {new DeskInput.OperatorLeft("bbbb.operator 1"), null}); // B declared gone
        settle();
        assertEquals(List.of("with aaaa.1"), ann.calls, "back to the front of the line, and taken by the operator left");
    }

    @Test
    void withTheOtherReplicasOutOfReachConversationsAcrossThemEndAndNewClientsAreRefused() {
        Operator bob = operator(b);
        RecordingConversation one = new RecordingConversation(1);
        arrives(a, one);
        a.receiver.reachable(false);
        b.receiver.reachable(false);
        a.run();
        b.run();
        Refusal.Unavailable unreachable = new Refusal.Unavailable("the help desk's other servers");
        assertEquals(new Input.Drop(unreachable), one.posted.get(one.posted.size() - 1));
        assertEquals("ended aaaa.1 DROPPED", bob.calls.get(bob.calls.size() - 1));
        RecordingConversation two = new RecordingConversation(2);
        a.driver.seat(two, new RecordingTranscript());
        a.run();
        assertEquals(List.of(new Input.Drop(unreachable)), two.posted, "refused: nothing appended for it");
        a.receiver.reachable(true);
        a.run();
        RecordingConversation three = new RecordingConversation(3);
        arrives(a, three);
        assertEquals(List.of(new Input.Wait(1)), three.posted.subList(0, 1), "served again once they are back");
    }

    @Test
    void turnsHeldForALaggingDeskAreChargedToTheMemoryBudgetAndGivenBackWhenDelivered() {
        MemoryBudget memory = new MemoryBudget(1 << 20);
        b.driver.account(memory);
        Operator bob = operator(b);
        RecordingConversation one = new RecordingConversation(1);
        DeskDriver.Seat seat = a.driver.seat(one, new RecordingTranscript());
        a.run();
        a.readLog();
        seat.heard("early");
        a.run();
        b.deliverTurns();
        assertTrue(memory.held() > 0, "held for B's desk, and counted");
        b.readLog();
        assertEquals("heard aaaa.1 early", bob.calls.get(1));
        assertEquals(0, memory.held(), "delivered: given back");
    }

    @Test
    void aTurnForAClientHereThatDoesNotFitTheBudgetEndsItsConversationWithMemory() {
        MemoryBudget memory = new MemoryBudget(64);
        a.driver.account(memory);
        Operator bob = operator(b);
        RecordingConversation one = new RecordingConversation(1);
        arrives(a, one);
        bob.say("x".repeat(100));
        settle();
        assertEquals(new Input.Drop(new Refusal.ShortOfMemory()), one.posted.get(one.posted.size() - 1));
        assertEquals(0, memory.held(), "nothing held for it");
    }

    @Test
    void aTurnForAnOperatorHereThatDoesNotFitPassesItsClientBackOnceAndTellsIt() {
        MemoryBudget memory = new MemoryBudget(64);
        b.driver.account(memory);
        Operator bob = operator(b);
        RecordingConversation one = new RecordingConversation(1);
        DeskDriver.Seat seat = arrives(a, one);
        seat.heard("y".repeat(100));
        seat.heard("z".repeat(100));
        settle();
        assertEquals(1, bob.calls.stream().filter(call -> call.startsWith("tell memory: ")).count(), bob.calls.toString());
        assertTrue(bob.calls.stream().noneMatch(call -> call.startsWith("heard")), "nothing shown that was not held");
        assertTrue(bob.calls.contains("tell passed conversation 1 (198.51.100.7:40001) back to the front of the line"), bob.calls.toString());
        assertEquals(0, memory.held());
    }

    @Test
    void aTurnFromAClientHereThatNeverLeftEndsItsConversationRatherThanLeaveItWaiting() {
        Operator bob = operator(b);
        RecordingConversation one = new RecordingConversation(1);
        DeskDriver.Seat seat = arrives(a, one);
        a.losing = true;
        seat.heard("never arrives");
        seat.ask();
        settle();
        assertEquals(new Input.Drop(new Refusal.Unavailable("the help desk's other servers")), one.posted.get(one.posted.size() - 1));
        assertTrue(bob.calls.stream().noneMatch(call -> call.startsWith("heard")), bob.calls.toString());
    }

    @Test
    void aLineFromAnOperatorHereThatNeverLeftIsToldNotSentAndTheQuestionAskedAgain() {
        Operator bob = operator(b);
        RecordingConversation one = new RecordingConversation(1);
        DeskDriver.Seat seat = arrives(a, one);
        seat.ask();
        settle();
        b.losing = true;
        bob.say("never arrives");
        settle();
        assertTrue(one.posted.stream().noneMatch(Input.OperatorLine.class::isInstance), "the client still waits for an answer: " + one.posted);
        assertEquals(List.of("tell not sent (the help desk could not carry it to the server of conversation aaaa.1): 'never arrives'; type it again",
                "ask aaaa.1"), bob.calls.subList(bob.calls.size() - 2, bob.calls.size()));

        b.losing = false;
        bob.say("this one does");
        settle();
        assertEquals(new Input.OperatorLine("this one does", true), one.posted.get(one.posted.size() - 1));
    }

    @Test
    void theAdaptersQueuedAppendsAreChargedAfterEachInput() {
        MemoryBudget memory = new MemoryBudget(1 << 20);
        Queue<Runnable> thread = new ArrayDeque<>();
        long[] queued = {0};
        DeskReplication counting = new DeskReplication() {
            @Override
            public String replica() {
                return "cccc";
            }

            @Override
            public void start(Receiver receiver) {}

            @Override
            public void append(DeskInput input) {
                queued[0] += 100; // the broker is away: it waits
            }

            @Override
            public void left(String client, Outcome outcome) {}

            @Override
            public void relay(Turn turn) {}

            @Override
            public long heldBytes() {
                return queued[0];
            }
        };
        DeskDriver driver = new DeskDriver(thread::add, bugs::add, counting, Runnable::run);
        driver.account(memory);
        driver.start();
        driver.seat(new RecordingConversation(1), new RecordingTranscript());
        driver.seat(new RecordingConversation(2), new RecordingTranscript());
        while (!thread.isEmpty()) {
            thread.poll().run();
        }
        assertEquals(200, memory.held());
    }

    @Test
    void turnsStampedWithAPositionTheLogNeverReachesGiveWayToRealOnesAndHoldBackNone() {
        MemoryBudget memory = new MemoryBudget(8192);
        b.driver.account(memory);
        Operator bob = operator(b);
        RecordingConversation one = new RecordingConversation(1);
        DeskDriver.Seat seat = arrives(a, one);
        for (int i = 0; i < 50; i++) { // a lying replica's turns: held for a desk that never gets there
            b.receiver.relayed(new DeskReplication.Turn(Long.MAX_VALUE, DeskReplication.TurnKind.HEARD, "bbbb.operator 1", "ffff.1",
                    "x".repeat(300), false));
        }
        b.run();
        assertTrue(memory.held() <= 8192 / 4, "a quarter of the budget at most: " + memory.held());
        seat.heard("a real one");
        settle();
        assertEquals("heard aaaa.1 a real one", bob.calls.get(bob.calls.size() - 1), bob.calls.toString());
    }

    @Test
    void aTurnStillAheadOfTheDeskHoldsBackNoOther() {
        Operator bob = operator(b);
        RecordingConversation one = new RecordingConversation(1);
        DeskDriver.Seat seat = arrives(a, one);
        b.receiver.relayed(new DeskReplication.Turn(Long.MAX_VALUE, DeskReplication.TurnKind.HEARD, "bbbb.operator 1", "ffff.1", "ahead",
                false));
        seat.heard("a real one");
        settle();
        assertEquals("heard aaaa.1 a real one", bob.calls.get(bob.calls.size() - 1), bob.calls.toString());
    }
}
