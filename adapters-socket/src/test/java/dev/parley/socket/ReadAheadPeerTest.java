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
    private final CountDownLatch byeSeen = new CountDownLatch(1);

    @Override
    protected Pair connect() throws IOException {
        Pair sockets = LoopbackPairs.connectOver("127.0.0.1");
        return new Pair(sockets.near(), new ReadAheadPeer(sockets.far(), incoming -> {
            outOfTurn.add(incoming);
            if (incoming.equals(new Incoming.Message("bye"))) {
                byeSeen.countDown();
            }
        }).start());
    }

    @Test
    void whatArrivesWhileNobodyListensIsHandedOverAndStillDelivered() throws Exception {
        Pair pair = connect();
        pair.near().send("early");
        pair.near().leave();
        assertTrue(byeSeen.await(5, TimeUnit.SECONDS), "what arrives is seen without a receive()");
        Thread.sleep(200); // time for the close that follows the bye to be read too
        assertEquals(List.of(new Incoming.Message("early"), new Incoming.Message("bye")), outOfTurn,
                "the close after bye is the tail of the wire, not handed over: it could overtake the bye");
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
