package dev.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.desk.Desk;
import dev.parley.core.desk.DeskAction;
import dev.parley.core.desk.DeskInput;
import dev.parley.core.desk.IllegalDeskInputException;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shared log read as every replica reads it: who owns what, replicas gone, entries ignored; desks fed by it agree. */
class ReplayTest {

    private final Replay replay = new Replay("aaaa");

    private List<DeskInput> take(Entry entry) {
        return replay.take(entry).stream().map(Replay.Applied::input).toList();
    }

    @Test
    void aReplicaGoneTakesItsClientsThenItsOperatorsInTheOrderTheyCame() {
        take(Entry.input("bbbb", new DeskInput.OperatorJoined("bbbb.operator 1", "bob")));
        take(Entry.input("bbbb", new DeskInput.ClientArrived("bbbb.2", "two")));
        take(Entry.input("aaaa", new DeskInput.ClientArrived("aaaa.1", "one")));
        take(Entry.input("bbbb", new DeskInput.ClientArrived("bbbb.1", "one of b")));
        assertEquals(Set.of("bbbb"), replay.others());
        assertEquals(List.of(new DeskInput.ClientLeft("bbbb.2"), new DeskInput.ClientLeft("bbbb.1"),
                new DeskInput.OperatorLeft("bbbb.operator 1")), take(Entry.gone("aaaa", "bbbb")));
        assertEquals(Set.of(), replay.others());
        assertEquals(List.of(), take(Entry.gone("cccc", "bbbb")), "the first declaration counts");
        assertEquals(List.of(), take(Entry.input("bbbb", new DeskInput.ClientArrived("bbbb.3", "late"))), "a gone replica's later entries are ignored");
        assertEquals(1, replay.ignored());
    }

    @Test
    void noReplicaSpeaksForAnothersClientsOrOperators() {
        take(Entry.input("bbbb", new DeskInput.ClientArrived("bbbb.1", "one")));
        assertEquals(List.of(), take(Entry.input("cccc", new DeskInput.ClientLeft("bbbb.1"))));
        assertEquals(List.of(), take(Entry.input("cccc", new DeskInput.Pass("bbbb.operator 1"))));
        assertEquals(List.of(), take(Entry.input("cccc", new DeskInput.ClientArrived("plain", "no replica"))));
        assertEquals(3, replay.ignored());
    }

    @Test
    void aClientLeftCarriesHowItsConversationEnded() {
        Outcome bye = new Outcome(Outcome.Ending.PEER_SAID_BYE, Role.CLIENT, "");
        take(Entry.input("bbbb", new DeskInput.ClientArrived("bbbb.1", "one")));
        assertEquals(List.of(new Replay.Applied(new DeskInput.ClientLeft("bbbb.1"), bye)), replay.take(Entry.left("bbbb", "bbbb.1", bye)));
    }

    @Test
    void aReplicaLearnsWhenItIsDeclaredGoneItself() {
        assertFalse(replay.selfGone());
        take(Entry.gone("bbbb", "aaaa"));
        assertTrue(replay.selfGone());
        assertTrue(replay.isGone("aaaa"));
    }

    @Test
    void desksFedTheSameLogThroughTheirReplaysTakeTheSameActions() {
        List<Entry> log = List.of(
                Entry.input("aaaa", new DeskInput.ClientArrived("aaaa.1", "one")),
                Entry.input("bbbb", new DeskInput.OperatorJoined("bbbb.operator 1", "bob")),
                Entry.input("bbbb", new DeskInput.ClientArrived("bbbb.1", "two")),
                Entry.input("aaaa", new DeskInput.OperatorJoined("aaaa.operator 1", "ann")),
                Entry.input("aaaa", new DeskInput.ClientArrived("aaaa.2", "three")),
                Entry.gone("aaaa", "bbbb"),
                Entry.input("bbbb", new DeskInput.Pass("bbbb.operator 1")),
                Entry.left("aaaa", "aaaa.1", new Outcome(Outcome.Ending.PEER_SAID_BYE, Role.CLIENT, "")));
        assertEquals(actions(new Replay("aaaa"), log), actions(new Replay("bbbb"), log));
        assertEquals(actions(new Replay("aaaa"), log), actions(new Replay("cccc"), log));
    }

    private static List<DeskAction> actions(Replay replay, List<Entry> log) {
        Desk desk = new Desk();
        List<DeskAction> out = new ArrayList<>();
        for (Entry entry : log) {
            for (Replay.Applied applied : replay.take(entry)) {
                try {
                    out.addAll(desk.handle(applied.input()));
                } catch (IllegalDeskInputException moot) {
                    out.add(null);
                }
            }
        }
        return out;
    }
}
