package dev.parley.core.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.session.Action;
import dev.parley.core.session.Action.Sent;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Role;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Each action reaches its port, in order: the one routing table between the session and the adapters. */
class ActionsTest {

    private final List<String> calls = new ArrayList<>();

    private final Peer peer = new Peer() {
        @Override
        public void send(byte[] bytes) {
            calls.add("peer.send " + new String(bytes, StandardCharsets.UTF_8).trim());
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

    /** One action of each kind, in the order the test expects them carried out. */
    private static final List<Action> EVERY_KIND = List.of(
            new Action.Show("hi"),
            new Action.ShowNotice("note"),
            new Action.AskOperator(),
            new Action.Send(new Sent.Message("hello"), "hello\n".getBytes(StandardCharsets.UTF_8)),
            new Action.EndOutput(),
            new Action.Ended(new Outcome(Outcome.Ending.SAID_BYE, Role.SERVER, "")),
            new Action.Close());

    @Test
    void everyActionGoesToItsPortInOrder() {
        Actions.carryOut(EVERY_KIND, peer, () -> calls.add("operator.ask"), transcript);
        assertEquals(List.of("heard hi", "notice note", "operator.ask", "peer.send hello", "said Message[text=hello]",
                "peer.endOutput", "ended SAID_BYE", "peer.close"), calls);
        assertEquals(EnumSet.allOf(Action.Kind.class), EVERY_KIND.stream().map(Action::kind).collect(Collectors.toSet()),
                "every kind of action is carried out above");
    }

    @Test
    void eachRecordHasAKindOfItsOwnNamedAfterIt() {
        Set<String> records = Arrays.stream(Action.class.getPermittedSubclasses()).map(Class::getSimpleName).collect(Collectors.toSet());
        assertEquals(records, EVERY_KIND.stream().map(a -> a.getClass().getSimpleName()).collect(Collectors.toSet()));
        for (Action action : EVERY_KIND) {
            assertEquals(action.getClass().getSimpleName().replaceAll("(?<=.)(?=\\p{Upper})", "_").toUpperCase(Locale.ROOT),
                    action.kind().name(), "the kind a route trusts to cast by");
        }
    }

    @Test
    void aSideAnsweredByAResponderNeedsNoOperator() {
        List<Action> withoutAsking = EVERY_KIND.stream().filter(a -> !(a instanceof Action.AskOperator)).toList();
        Actions.carryOut(withoutAsking, peer, transcript);
        assertEquals(List.of("heard hi", "notice note", "peer.send hello", "said Message[text=hello]",
                "peer.endOutput", "ended SAID_BYE", "peer.close"), calls);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Actions.carryOut(List.of(new Action.AskOperator()), peer, transcript));
        assertTrue(e.getMessage().contains("responder"), e.getMessage());
    }
}
