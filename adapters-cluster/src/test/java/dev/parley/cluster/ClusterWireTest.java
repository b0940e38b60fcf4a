package dev.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.core.desk.DeskInput;
import dev.parley.core.port.DeskReplication.Turn;
import dev.parley.core.port.DeskReplication.TurnKind;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Role;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Entries and turns survive the wire; what no replica wrote is Malformed, never a crash. */
class ClusterWireTest {

    @Test
    void everyKindOfEntryComesBackAsItWasWritten() throws Exception {
        List<Entry> entries = List.of(
                Entry.input("aaaa", new DeskInput.ClientArrived("aaaa.1", "conversation 1 (203.0.113.9:5) \u00e9\u2603")),
                Entry.input("aaaa", new DeskInput.OperatorJoined("aaaa.operator 1", "ann")),
                Entry.input("aaaa", new DeskInput.OperatorLeft("aaaa.operator 1")),
                Entry.input("aaaa", new DeskInput.Pass("aaaa.operator 1")),
                Entry.input("aaaa", new DeskInput.Away("aaaa.operator 1")),
                Entry.input("aaaa", new DeskInput.Back("aaaa.operator 1")),
                Entry.input("aaaa", new DeskInput.Who("aaaa.operator 1")),
                Entry.input("aaaa", new DeskInput.ClientLeft("aaaa.1")),
                Entry.left("aaaa", "aaaa.1", new Outcome(Outcome.Ending.PEER_CUT_OFF, Role.CLIENT, "half a line")),
                Entry.gone("aaaa", "bbbb"));
        for (Entry entry : entries) {
            assertEquals(entry, ClusterWire.entry(ClusterWire.entry(entry)));
        }
    }

    @Test
    void aTurnComesBackWithItsSender() throws Exception {
        Turn turn = new Turn(42, TurnKind.LINE, "bbbb.operator 1", "aaaa.7", "hello\u2603", true);
        assertEquals(new ClusterWire.Relayed("bbbb", turn), ClusterWire.turn(ClusterWire.turn("bbbb", turn)));
    }

    @Test
    void whatNoReplicaWroteIsMalformed() {
        byte[] good = ClusterWire.entry(Entry.input("aaaa", new DeskInput.ClientArrived("aaaa.1", "one")));
        for (int cut = 0; cut < good.length; cut++) {
            byte[] shorter = Arrays.copyOf(good, cut);
            assertThrows(ClusterWire.Malformed.class, () -> ClusterWire.entry(shorter), "cut at " + cut);
        }
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        assertThrows(ClusterWire.Malformed.class, () -> ClusterWire.entry(longer));
        byte[] huge = good.clone();
        huge[good.length - 7] = 0x7f; // the high byte of the label's length (then its 3 bytes): far past the message
        assertThrows(ClusterWire.Malformed.class, () -> ClusterWire.entry(huge));
        byte[] version = good.clone();
        version[0] = 9;
        assertThrows(ClusterWire.Malformed.class, () -> ClusterWire.entry(version));
        assertThrows(ClusterWire.Malformed.class, () -> ClusterWire.turn(good));
    }

    @Test
    void aUrlsSecretNeverReachesALogLine() {
        assertEquals("nats://***@127.0.0.1:4222", ClusterSettings.masked("nats://s3cret@127.0.0.1:4222"));
        assertEquals("nats://***@host:4222", ClusterSettings.masked("nats://user:pa@ss@host:4222"));
        assertEquals("nats://127.0.0.1:4222", ClusterSettings.masked("nats://127.0.0.1:4222"));
    }
}
