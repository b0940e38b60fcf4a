package dev.parley.socket;

import dev.parley.core.Event;
import dev.parley.core.Incoming;
import dev.parley.core.Peer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * A {@link Peer} that reads ahead on its own thread, so that what the peer sends while this side
 * is not listening (above all: bye, or closing) is seen at once and handed to {@code outOfTurn},
 * typically {@link dev.parley.core.Conversation#interject}. Everything read is still delivered
 * by {@link #receive()} in order. At most {@value #AHEAD} messages are read ahead.
 */
public final class ReadAheadPeer implements Peer {

    static final int AHEAD = 16;

    private final Peer delegate;
    private final Consumer<Incoming> outOfTurn;
    private final BlockingQueue<Incoming> arrived = new ArrayBlockingQueue<>(AHEAD);
    private int listening;

    /** Wraps {@code delegate}; reading starts with {@link #start()}, once {@code outOfTurn} is ready. */
    public ReadAheadPeer(Peer delegate, Consumer<Incoming> outOfTurn) {
        this.delegate = delegate;
        this.outOfTurn = outOfTurn;
    }

    /** Starts reading ahead on a daemon thread. */
    public ReadAheadPeer start() {
        Thread reader = new Thread(this::readAhead, "parley-read-ahead");
        reader.setDaemon(true);
        reader.start();
        return this;
    }

    private void readAhead() {
        try {
            boolean endingRead = false;
            while (true) {
                Incoming incoming = delegate.receive();
                arrived.put(incoming);
                boolean heardInTurn;
                synchronized (this) {
                    heardInTurn = listening > 0;
                }
                // What follows an ending (the close after "!busy" or after bye) is only the tail of the
                // wire: handing it over could overtake the ending itself, still on its way in turn.
                if (!heardInTurn && !endingRead) {
                    outOfTurn.accept(incoming);
                }
                endingRead |= !(incoming instanceof Incoming.Message) || Event.isBye(((Incoming.Message) incoming).text());
                if (incoming instanceof Incoming.Closed || incoming instanceof Incoming.Lost) {
                    return; // nothing can follow the end of the wire
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Incoming receive() {
        synchronized (this) {
            listening++;
        }
        try {
            return arrived.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Incoming.Lost("interrupted");
        } finally {
            synchronized (this) {
                listening--;
            }
        }
    }

    @Override
    public void send(String message) {
        delegate.send(message);
    }

    @Override
    public void leave() {
        delegate.leave();
    }

    @Override
    public void fail(String reason) {
        delegate.fail(reason);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
