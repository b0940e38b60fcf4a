package dev.parley.core;

import dev.parley.core.Outcome.Ending;
import dev.parley.core.wire.UnsendableMessageException;
import java.util.Objects;
import java.util.Optional;

/**
 * Drives one conversation over the ports: asks the {@link Operator} when this side holds the turn,
 * listens to the {@link Peer} when the other side does, and lets {@link Turns} judge every step.
 *
 * <p>Everything the adapters do is decided here: when to send, when to show, when to say bye and
 * close. The loop blocks only inside the ports; it starts no thread and reads no clock.
 *
 * <p>Two calls may come from other threads while {@link #run()} is blocked: {@link #stop()} (a
 * signal, a server shutting down) leaves at once, in or out of turn; {@link #interject} hands in
 * what the peer sent while it was this side's turn (an adapter reading ahead), so that a peer
 * leaving is noticed even while the local person is still typing. Either one ends the
 * conversation "early": the outcome is fixed there, reported to the transcript once, and returned
 * by {@link #run()} when it wakes.
 */
public final class Conversation {

    private final Role me;
    private final Peer peer;
    private final Operator operator;
    private final Transcript transcript;
    private final Turns turns = new Turns();
    private final Object reporting = new Object();
    private Optional<String> heard = Optional.empty();
    private Outcome early;
    private Outcome finished;
    private boolean reported;

    public Conversation(Role me, Peer peer, Operator operator, Transcript transcript) {
        this.me = Objects.requireNonNull(me, "me");
        this.peer = Objects.requireNonNull(peer, "peer");
        this.operator = Objects.requireNonNull(operator, "operator");
        this.transcript = Objects.requireNonNull(transcript, "transcript");
    }

    /**
     * Runs the conversation to its end over a blocking {@link Peer} and returns how it ended.
     * Closes the peer. This is {@link #open()}, then {@link #deliver} of each {@link
     * Peer#receive()}, until the conversation ends.
     */
    public Outcome run() {
        try {
            Optional<Outcome> ended = open();
            while (ended.isEmpty()) {
                ended = deliver(peer.receive());
            }
            return ended.get();
        } catch (RuntimeException e) {
            peer.close();
            throw e;
        }
    }

    /**
     * Push-style start, for event loops that read the peer themselves: says this side's first
     * messages if it holds the turn (the client speaks first). Returns the outcome if the
     * conversation already ended; the peer is then closed and the transcript told.
     */
    public Optional<Outcome> open() {
        return settle(answer());
    }

    /**
     * Push-style step: the peer's side delivered {@code incoming} in its turn. Hears it, then, while
     * this side holds the turn, asks the operator and speaks. Returns the outcome once the
     * conversation has ended; the peer is then closed and the transcript told (once).
     */
    public Optional<Outcome> deliver(Incoming incoming) {
        Optional<Outcome> ended = earlyOutcome();
        if (ended.isEmpty()) {
            ended = incoming instanceof Incoming.Message
                    ? hear(((Incoming.Message) incoming).text())
                    : Optional.of(endedByPeer(incoming));
        }
        if (ended.isEmpty()) {
            ended = answer();
        }
        return settle(ended);
    }

    private Optional<Outcome> settle(Optional<Outcome> ended) {
        if (ended.isPresent()) {
            synchronized (this) {
                finished = ended.get();
            }
            peer.close();
            report(ended.get());
        }
        return ended;
    }

    /**
     * Leaves the conversation now: says bye (if the framing carries it) whoever holds the turn. The
     * bye is sent while holding the lock, so {@link #run()} cannot close the peer under it.
     */
    public synchronized void stop() {
        if (early != null || turns.state() == State.ENDED) {
            return;
        }
        turns.apply(new Event.Bye(me));
        early = end(Ending.STOPPED, "");
        peer.leave();
    }

    /**
     * The peer sent {@code incoming} while this side was not listening. If it ends the conversation
     * (bye, close, failure, loss) the conversation ends now, the transcript is told, and the outcome
     * is returned; an ordinary message is left for the next turn (empty is returned). Once the
     * conversation has ended, it changes nothing and returns how it ended.
     */
    public Optional<Outcome> interject(Incoming incoming) {
        Outcome outcome;
        synchronized (this) {
            if (early != null || finished != null || turns.state() == State.ENDED) {
                return Optional.ofNullable(early != null ? early : finished);
            }
            if (incoming instanceof Incoming.Message && !Event.isBye(((Incoming.Message) incoming).text())) {
                return Optional.empty();
            }
            outcome = peerEnded(incoming);
            early = outcome;
        }
        report(outcome);
        return Optional.of(outcome);
    }

    /** The current state, for observers. */
    public synchronized State state() {
        return turns.state();
    }

    /** Tells the transcript once; a second caller waits until the first has finished telling it. */
    private void report(Outcome outcome) {
        synchronized (reporting) {
            if (!reported) {
                reported = true;
                transcript.ended(outcome);
            }
        }
    }

    /** While this side holds the turn, asks the operator and speaks. Empty while the conversation goes on. */
    private Optional<Outcome> answer() {
        while (true) {
            Optional<Outcome> ended = earlyOutcome();
            if (ended.isPresent() || !state().isTurnOf(me)) {
                return ended;
            }
            ended = speak(operator.nextMessage(heard));
            if (ended.isPresent()) {
                return ended;
            }
        }
    }

    /** This side's turn: say the operator's message, or leave. Empty while the conversation goes on. */
    private Optional<Outcome> speak(Optional<String> message) {
        if (message.isEmpty()) {
            return leave(new Event.Hangup(me), Ending.INPUT_ENDED);
        }
        Event event = Event.said(me, message.get());
        if (event instanceof Event.Bye) {
            return leave(event, Ending.SAID_BYE);
        }
        Optional<Outcome> ended = earlyOutcome();
        if (ended.isPresent()) {
            return ended;
        }
        try {
            peer.send(message.get());
        } catch (UnsendableMessageException e) {
            if (operator.answersAutomatically()) {
                return Optional.of(unsendable(e.getMessage()));
            }
            transcript.notice("not sent: " + e.getMessage());
            return Optional.empty();
        } catch (PeerLostException e) {
            return Optional.of(ending(new Event.Hangup(me.other()), Ending.PEER_LOST, e.getMessage()));
        }
        return advance(event);
    }

    private Optional<Outcome> leave(Event event, Ending ending) {
        synchronized (this) {
            if (early != null) {
                return Optional.of(early);
            }
            turns.apply(event);
        }
        peer.leave();
        return Optional.of(end(ending, ""));
    }

    /** The peer said {@code text} in its turn. Empty while the conversation goes on. */
    private Optional<Outcome> hear(String text) {
        Event event = Event.said(me.other(), text);
        Optional<Outcome> ended = advance(event);
        if (ended.isPresent()) {
            return ended;
        }
        if (event instanceof Event.Bye) {
            return Optional.of(end(Ending.PEER_SAID_BYE, ""));
        }
        transcript.heard(text);
        heard = Optional.of(text);
        return Optional.empty();
    }

    private synchronized Outcome endedByPeer(Incoming incoming) {
        return early != null ? early : peerEnded(incoming);
    }

    /** Applies the end the peer brought about and names it. The caller holds the lock. */
    private Outcome peerEnded(Incoming incoming) {
        if (incoming instanceof Incoming.Message) {
            turns.apply(new Event.Bye(me.other()));
            return end(Ending.PEER_SAID_BYE, "");
        }
        if (incoming instanceof Incoming.TooLong) {
            String what = "line longer than " + ((Incoming.TooLong) incoming).limit() + " bytes";
            turns.apply(new Event.Hangup(me));
            peer.fail(what);
            return end(Ending.PEER_LINE_TOO_LONG, what);
        }
        turns.apply(new Event.Hangup(me.other()));
        if (incoming instanceof Incoming.Closed) {
            return end(Ending.PEER_CLOSED, "");
        }
        if (incoming instanceof Incoming.Failed) {
            return end(Ending.PEER_FAILED, ((Incoming.Failed) incoming).reason());
        }
        return end(Ending.PEER_LOST, ((Incoming.Lost) incoming).reason());
    }

    /**
     * An automatic answer the framing cannot carry: asking again would bring the same answer, so
     * the conversation ends here and the peer is told why.
     */
    private synchronized Outcome unsendable(String reason) {
        if (early != null) {
            return early;
        }
        turns.apply(new Event.Hangup(me));
        peer.fail("the reply could not be sent: " + reason);
        return end(Ending.UNSENDABLE_REPLY, reason);
    }

    /** Applies a closing event and names the ending, unless the conversation already ended early. */
    private synchronized Outcome ending(Event event, Ending ending, String detail) {
        if (early != null) {
            return early;
        }
        turns.apply(event);
        return end(ending, detail);
    }

    /** Applies {@code event}; the early outcome instead if the conversation already ended early. */
    private synchronized Optional<Outcome> advance(Event event) {
        if (early != null) {
            return Optional.of(early);
        }
        turns.apply(event);
        return Optional.empty();
    }

    private synchronized Optional<Outcome> earlyOutcome() {
        return Optional.ofNullable(early);
    }

    private Outcome end(Ending ending, String detail) {
        return new Outcome(ending, me.other(), detail);
    }
}
