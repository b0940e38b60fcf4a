package dev.parley.core.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.Incoming;
import dev.parley.core.Peer;
import dev.parley.core.PeerLostException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the in-memory link promises beyond the Peer contract, which is single-threaded: a receive
 * blocked on one thread is woken by whatever ends it on another, as a socket's would be.
 */
@Timeout(10)
class InMemoryLinkTest {

    private final InMemoryLink link = new InMemoryLink();

    /** A receive running on its own thread, already waiting when this returns. */
    private static final class BlockedReceive {
        final CompletableFuture<Incoming> result = new CompletableFuture<>();
        final AtomicBoolean interruptKept = new AtomicBoolean();
        final Thread thread;

        BlockedReceive(Peer peer) throws InterruptedException {
            thread = new Thread(() -> {
                result.complete(peer.receive());
                interruptKept.set(Thread.currentThread().isInterrupted());
            }, "blocked-receive");
            thread.setDaemon(true);
            thread.start();
            for (int i = 0; i < 500 && thread.getState() != Thread.State.WAITING; i++) {
                Thread.sleep(10);
            }
            assertEquals(Thread.State.WAITING, thread.getState(), "the receive waits while nothing has arrived");
        }

        Incoming get() throws Exception {
            return result.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aBlockedReceiveWakesForAMessageSentFromAnotherThread() throws Exception {
        BlockedReceive receive = new BlockedReceive(link.server());
        link.client().send("hello");
        assertEquals(new Incoming.Message("hello"), receive.get());
    }

    @Test
    void closingTheFarEndWakesABlockedReceiveWithClosed() throws Exception {
        BlockedReceive receive = new BlockedReceive(link.server());
        link.client().close();
        assertEquals(new Incoming.Closed(), receive.get());
    }

    @Test
    void closingAnEndWakesItsOwnBlockedReceiveAsLost() throws Exception {
        BlockedReceive receive = new BlockedReceive(link.server());
        link.server().close();
        assertEquals(new Incoming.Lost("closed locally"), receive.get());
    }

    @Test
    void anInterruptedReceiveIsLostAndKeepsTheInterrupt() throws Exception {
        BlockedReceive receive = new BlockedReceive(link.server());
        receive.thread.interrupt();
        assertEquals(new Incoming.Lost("interrupted"), receive.get());
        receive.thread.join(5000);
        assertTrue(receive.interruptKept.get(), "the interrupt is kept for the caller to see");
    }

    @Test
    void aReceiveOnAClosedEndIsLostAtOnce() {
        link.server().close();
        assertEquals(new Incoming.Lost("closed locally"), link.server().receive());
    }

    @Test
    void sendingToAClosedEndIsALostConnection() {
        link.server().close();
        PeerLostException e = assertThrows(PeerLostException.class, () -> link.client().send("anyone?"));
        assertEquals("the other end is closed", e.getMessage());
    }
}
