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
 * close. The loop blocks only inside the ports; it starts no thread and reads no clock. {@link
 * #stop()} may be called from another thread (a signal handler, a server shutting down) to leave
 * the conversation at once, in or out of turn.
 */
public final class Conversation {

    private final Role me;
    private final Peer peer;
    private final Operator operator;
    private final Transcript transcript;
    private final Turns turns = new Turns();
    private boolean stopped;

    public Conversation(Role me, Peer peer, Operator operator, Transcript transcript) {
        this.me = Objects.requireNonNull(me, "me");
        this.peer = Objects.requireNonNull(peer, "peer");
        this.operator = Objects.requireNonNull(operator, "operator");
        this.transcript = Objects.requireNonNull(transcript, "transcript");
    }

    /** Runs the conversation to its end and returns how it ended. Closes the peer. */
    public Outcome run() {
        Outcome outcome;
        try {
            outcome = converse();
        } finally {
            peer.close();
        }
        transcript.ended(outcome);
        return outcome;
    }

    /**
     * Leaves the conversation now: says bye (if the framing carries it) whoever holds the turn. The
     * bye is sent while holding the lock, so {@link #run()} cannot close the peer under it.
     */
    public synchronized void stop() {
        if (stopped || turns.state() == State.ENDED) {
            return;
        }
        stopped = true;
        turns.apply(new Event.Bye(me));
        peer.leave();
    }

    /** The current state, for observers. */
    public synchronized State state() {
        return turns.state();
    }

    private Outcome converse() {
        Optional<String> heard = Optional.empty();
        while (true) {
            if (isStopped()) {
                return stoppedOutcome();
            }
            Optional<Outcome> ended;
            if (state().isTurnOf(me)) {
                ended = speak(operator.nextMessage(heard));
            } else {
                Incoming incoming = peer.receive();
                if (incoming instanceof Incoming.Message) {
                    String text = ((Incoming.Message) incoming).text();
                    ended = hear(text);
                    heard = Optional.of(text);
                } else {
                    ended = Optional.of(peerEnded(incoming));
                }
            }
            if (ended.isPresent()) {
                return ended.get();
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
        if (isStopped()) {
            return Optional.of(stoppedOutcome());
        }
        try {
            peer.send(message.get());
        } catch (UnsendableMessageException e) {
            transcript.notice("not sent: " + e.getMessage());
            return Optional.empty();
        } catch (PeerLostException e) {
            return Optional.of(ending(new Event.Hangup(me.other()), Ending.PEER_LOST, e.getMessage()));
        }
        return advance(event) ? Optional.empty() : Optional.of(stoppedOutcome());
    }

    private Optional<Outcome> leave(Event event, Ending ending) {
        if (!advance(event)) {
            return Optional.of(stoppedOutcome());
        }
        peer.leave();
        return Optional.of(end(ending, ""));
    }

    /** The peer said {@code text} in its turn. Empty while the conversation goes on. */
    private Optional<Outcome> hear(String text) {
        Event event = Event.said(me.other(), text);
        if (!advance(event)) {
            return Optional.of(stoppedOutcome());
        }
        if (event instanceof Event.Bye) {
            return Optional.of(end(Ending.PEER_SAID_BYE, ""));
        }
        transcript.heard(text);
        return Optional.empty();
    }

    private Outcome peerEnded(Incoming incoming) {
        Event hangup = new Event.Hangup(me.other());
        if (incoming instanceof Incoming.Closed) {
            return ending(hangup, Ending.PEER_CLOSED, "");
        }
        if (incoming instanceof Incoming.Failed) {
            return ending(hangup, Ending.PEER_FAILED, ((Incoming.Failed) incoming).reason());
        }
        if (incoming instanceof Incoming.TooLong) {
            String what = "line longer than " + ((Incoming.TooLong) incoming).limit() + " bytes";
            Outcome outcome = ending(new Event.Hangup(me), Ending.PEER_LINE_TOO_LONG, what);
            if (outcome.ending() != Ending.STOPPED) {
                peer.fail(what);
            }
            return outcome;
        }
        return ending(hangup, Ending.PEER_LOST, ((Incoming.Lost) incoming).reason());
    }

    /** Applies a closing event and names the ending, unless a stop came first. */
    private Outcome ending(Event event, Ending ending, String detail) {
        return advance(event) ? end(ending, detail) : stoppedOutcome();
    }

    /** Applies {@code event} unless {@link #stop()} came first; false when stopped. */
    private synchronized boolean advance(Event event) {
        if (stopped) {
            return false;
        }
        turns.apply(event);
        return true;
    }

    private synchronized boolean isStopped() {
        return stopped;
    }

    private Outcome stoppedOutcome() {
        return end(Ending.STOPPED, "");
    }

    private Outcome end(Ending ending, String detail) {
        return new Outcome(ending, me.other(), detail);
    }
}
