package dev.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.core.port.DeskReplication.Turn;
import dev.parley.core.port.DeskReplication.TurnKind;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the client library discarded, read back: a turn of this replica's is lost, nothing else is. */
class NatsDeskTest {

    private final NatsDesk desk = new NatsDesk(new ClusterSettings(List.of("nats://127.0.0.1:4222"), "help"), why -> {}, line -> {});
    private final Turn turn = new Turn(7, TurnKind.HEARD, "bbbb.operator 1", desk.replica() + ".3", "hello", false);

    private static NatsMessage message(String subject, byte[] data) {
        return NatsMessage.builder().subject(subject).data(data).build();
    }

    @Test
    void aDiscardedTurnOfThisReplicasIsGivenBackAsLost() {
        assertEquals(Optional.of(turn), desk.lostTurn(message("parley.help.to.bbbb", ClusterWire.turn(desk.replica(), turn))));
    }

    @Test
    void aHeartbeatAnotherReplicasTurnOrBytesNoReplicaWroteAreNotTurnsLost() {
        assertEquals(Optional.empty(), desk.lostTurn(message("parley.help.alive", desk.replica().getBytes(StandardCharsets.UTF_8))));
        assertEquals(Optional.empty(), desk.lostTurn(message("parley.help.to.bbbb", ClusterWire.turn("cccc", turn))));
        assertEquals(Optional.empty(), desk.lostTurn(message("parley.help.to.bbbb", new byte[] {1, 2, 3})));
        assertEquals(Optional.empty(), desk.lostTurn(message("parley.other.to.bbbb", ClusterWire.turn(desk.replica(), turn))));
    }
}
