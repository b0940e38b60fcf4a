package dev.parley.socket.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.desk.DeskAction;
import dev.parley.core.port.DeskOperator;
import dev.parley.core.session.Input;
import dev.parley.core.session.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wire-to-port adapter with fakes on both sides: the server's lines as port calls, the person's lines as wire lines. */
class RemoteDeskTest {

    /** The local operator: writes down each call. */
    private static final class Port implements DeskOperator {
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
            calls.add("ended " + conversation);
        }

        @Override
        public void handedBack(String conversation, DeskAction.Why why) {
            calls.add("back " + conversation + " " + why);
        }

        @Override
        public void tell(String text) {
            calls.add("tell " + text);
        }
    }

    /** The connection and the program: what was sent, whether it left, what the program heard. */
    private static final class Wire implements RemoteDesk.Link, RemoteDesk.Events {
        final List<String> sent = new ArrayList<>();
        final List<String> events = new ArrayList<>();
        boolean left;

        @Override
        public void send(String line) {
            if (!left) {
                sent.add(line);
            }
        }

        @Override
        public void leave() {
            left = true;
        }

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public void welcomed(String name) {
            events.add("welcomed " + name);
        }

        @Override
        public void failed(String reason) {
            events.add("failed " + reason);
        }

        @Override
        public void unreadable(String reason) {
            events.add("unreadable " + reason);
        }
    }

    private final Port port = new Port();
    private final Wire wire = new Wire();
    private boolean spent;
    private final RemoteDesk desk = new RemoteDesk(port, wire, wire, () -> spent, 10);

    private void server(String... lines) {
        for (String line : lines) {
            desk.line(line);
        }
    }

    @Test
    void eachServerLineIsOneCallOnThePortAndEachPersonsLineGoesBackTaggedWithItsConversation() {
        server("welcome ann", "with 7 2 conversation 7 (127.0.0.1:5000)", "said 7 two\\nlines \\\\ here", "ask 7",
                "notice 7 client half-closed", "tell 2 clients wait");
        port.lines.entered("7", new Input.OperatorLine("hi there", true));
        port.lines.entered("7", new Input.OperatorLine("/who", false));
        port.lines.entered(null, new Input.OperatorLine("anyone?", true));
        server("ended 7 client said bye");
        assertEquals(List.of("joined", "with 7 conversation 7 (127.0.0.1:5000) 2", "heard 7 two\nlines \\ here", "ask 7",
                "notice 7 client half-closed", "tell 2 clients wait", "notice 7 ended: client said bye", "ended 7"), port.calls);
        assertEquals(List.of("line 7 hi there", "unasked 7 /who", "line - anyone?"), wire.sent);
        assertEquals(List.of("welcomed ann"), wire.events);
        assertFalse(wire.left);
    }

    @Test
    void aPassedClientFreesTheOperatorAndAPipeWithNoLineLeftLeavesThen() {
        server("welcome ann", "with 3 0 c3", "ask 3");
        spent = true; // its last line went to the question
        port.lines.entered("3", new Input.OperatorLine("last", true));
        server("said 3 more?", "ask 3", "back 3 passed");
        assertEquals(List.of("joined", "with 3 c3 0", "ask 3", "heard 3 more?", "ask 3", "back 3 PASSED"), port.calls);
        assertEquals(List.of("line 3 last"), wire.sent);
        assertTrue(wire.left);
    }

    @Test
    void aPipeWithNothingLeftLeavesOnceWelcomedAndInputThatEndsAtAQuestionLeaves() {
        spent = true;
        server("welcome ann");
        assertTrue(wire.left);
        Wire other = new Wire();
        Port person = new Port();
        new RemoteDesk(person, other, other, () -> false, 10).line("welcome bob");
        person.lines.entered("4", new Input.OperatorDone());
        assertTrue(other.left);
        person.lines.entered("4", new Input.OperatorLine("too late", true));
        assertEquals(List.of(), other.sent);
    }

    @Test
    void aLineOverTheLimitIsNotSentAndTheQuestionStaysOpen() {
        server("welcome ann", "with 3 0 c3", "ask 3");
        port.lines.entered("3", new Input.OperatorLine("eleven byte", true));
        port.lines.entered("3", new Input.OperatorLine("ten bytes!", true));
        assertEquals(List.of("line 3 ten bytes!"), wire.sent);
        assertEquals(List.of("joined", "with 3 c3 0", "ask 3", "tell not sent: 11 bytes, longer than 10 (--max-line-bytes)", "ask 3"),
                port.calls);
    }

    @Test
    void theServersFailureLineIsReported() {
        server("!this is the clients' port; operators connect to the server's --operators port");
        assertEquals(List.of("failed this is the clients' port; operators connect to the server's --operators port"), wire.events);
        assertEquals(List.of("joined"), port.calls);
    }

    @Test
    void aLineOutsideTheProtocolIsAnsweredWithAFailureLineAndTheOperatorLeaves() {
        server("welcome ann", "with 3 0 c3", "said 3 bad \\q escape", "said 3 never shown");
        assertEquals(List.of("joined", "with 3 c3 0"), port.calls);
        assertEquals(List.of("!cannot read the server's line: unknown escape \\q (only \\\\, \\n and \\r)"), wire.sent);
        assertEquals(List.of("welcomed ann", "unreadable unknown escape \\q (only \\\\, \\n and \\r)"), wire.events);
        assertTrue(wire.left);
    }

    @Test
    void aServerThatDoesNotWelcomeIsNoOperatorsPort() {
        server("parley-operator/1 ann"); // a chat echo server, answering the hello
        assertEquals(List.of("unreadable no operators' welcome: unknown verb 'parley-operator/1'"), wire.events);
        assertTrue(wire.left);
        Wire other = new Wire();
        RemoteDesk early = new RemoteDesk(new Port(), other, other, () -> false, 10);
        early.line("!notice: waiting for the operator; you are number 1 in line"); // a clients' port, before it refuses
        assertEquals(List.of(), other.events);
        early.line("said 3 hello");
        assertEquals(List.of("unreadable no operators' welcome first"), other.events);
    }
}
