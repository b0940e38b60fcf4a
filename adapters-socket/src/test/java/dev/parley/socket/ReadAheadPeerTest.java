package dev.parley.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.Incoming;
import dev.parley.core.contract.PeerContract;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Peer contract holds with read-ahead, and what arrives out of turn is handed over at once. */
class ReadAheadPeerTest extends PeerContract {

    private final List<Incoming> outOfTurn = new CopyOnWriteArrayList<>();
    private final CountDownLatch closedSeen = new CountDownLatch(1);

    @Override
    protected Pair connect() throws IOException {
        Pair sockets = LoopbackPairs.connectOver("127.0.0.1");
        return new Pair(sockets.near(), new ReadAheadPeer(sockets.far(), incoming -> {
            outOfTurn.add(incoming);
            if (incoming instanceof Incoming.Closed) {
                closedSeen.countDown();
            }
        }).start());
    }

    @Test
    void whatArrivesWhileNobodyListensIsHandedOverAndStillDelivered() throws Exception {
        Pair pair = connect();
        pair.near().send("early");
        pair.near().leave();
        assertTrue(closedSeen.await(5, TimeUnit.SECONDS), "the end of the wire is seen without a receive()");
        assertEquals(List.of(new Incoming.Message("early"), new Incoming.Message("bye"), new Incoming.Closed()), outOfTurn);
        assertEquals(new Incoming.Message("early"), pair.far().receive());
        assertEquals(new Incoming.Message("bye"), pair.far().receive());
        assertEquals(new Incoming.Closed(), pair.far().receive());
        pair.far().close();
    }

    @Test
    void whatArrivesWhileReceivingIsNotHandedOver() throws Exception {
        Pair pair = connect();
        Thread sender = new Thread(() -> {
            try {
                Thread.sleep(200);
                pair.near().send("answer");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        sender.start();
        assertEquals(new Incoming.Message("answer"), pair.far().receive());
        sender.join();
        assertEquals(List.of(), outOfTurn);
        pair.near().close();
        pair.far().close();
    }
}
