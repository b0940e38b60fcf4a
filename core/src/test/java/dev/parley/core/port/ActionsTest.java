package dev.parley.core.port;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.core.session.Action;
import dev.parley.core.session.Action.Sent;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Each action reaches its port, in order: the one routing table between the session and the adapters. */
class ActionsTest {

    private final List<String> calls = new ArrayList<>();

    private final Peer peer = new Peer() {
        @Override
        public void send(byte[] bytes) {
            calls.add("peer.send " + new String(bytes, java.nio.charset.StandardCharsets.UTF_8).trim());
        }

        @Override
        public void endOutput() {
            calls.add("peer.endOutput");
        }

        @Override
        public void close() {
            calls.add("peer.close");
        }
    };

    private final Transcript transcript = new Transcript() {
        @Override
        public void heard(String message) {
            calls.add("heard " + message);
        }

        @Override
        public void said(Sent what) {
            calls.add("said " + what);
        }

        @Override
        public void notice(String text) {
            calls.add("notice " + text);
        }

        @Override
        public void ended(Outcome outcome) {
            calls.add("ended " + outcome.ending());
        }
    };

    @Test
    void everyActionGoesToItsPortInOrder() {
        Outcome bye = new Outcome(Outcome.Ending.SAID_BYE, Role.SERVER, "");
        Actions.carryOut(List.of(
                new Action.Show("hi"),
                new Action.Notice("note"),
                new Action.AskOperator(),
                new Action.Send(new Sent.Message("hello"), "hello\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                new Action.EndOutput(),
                new Action.Ended(bye),
                new Action.Close()), peer, () -> calls.add("operator.ask"), transcript);
        assertEquals(List.of("heard hi", "notice note", "operator.ask", "peer.send hello", "said Message[text=hello]",
                "peer.endOutput", "ended SAID_BYE", "peer.close"), calls);
    }

    @Test
    void anEndingOnlyTranscriptShowsNothingAndHandsOnTheEnding() {
        AtomicReference<Outcome> seen = new AtomicReference<>();
        Transcript t = Transcript.endingOnly(seen::set);
        t.heard("x");
        t.said(new Sent.Bye());
        t.notice("y");
        Outcome outcome = new Outcome(Outcome.Ending.PEER_CLOSED, Role.CLIENT, "");
        t.ended(outcome);
        assertEquals(outcome, seen.get());
    }
}
