package dev.parley.console;

import dev.parley.core.port.Operator;
import dev.parley.core.port.Transcript;
import dev.parley.core.session.Action.Sent;
import dev.parley.core.session.Input;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The person at a console server's terminal, shared by all its conversations, one at a time: the
 * first in line is attended (its messages shown, the person asked for its answers); the others
 * wait, each told its place ({@link Input.Wait}), and the person sees how many wait. When the
 * attended conversation ends, the next in line is attended ({@link Input.Attend}). The desk tells
 * the console which conversation is in front ({@link Console#forwardTo}): the person's lines go to
 * it, and its session decides what they are; with no one there, the desk answers them.
 *
 * <p>Conversations run on the server's event loops, the person's input on its own thread: every
 * method here may be called from any of them, and each conversation is told things only through
 * the {@code post} it joined with (to its own event loop), never called directly.
 */
public final class OperatorDesk {

    /** What the person sees for a prompt while no one is connected, and while a client has the turn. */
    static final String NO_ONE = "(no client) ";
    static final String CLIENTS_TURN = "(client's turn) ";

    private final Console console;
    private final List<Seat> line = new ArrayList<>();
    /** Where the person's lines go while no one is in front. */
    private final Consumer<Input> noOne;

    public OperatorDesk(Console console) {
        this.console = console;
        this.noOne = input -> {
            if (input instanceof Input.OperatorLine) {
                console.status("parley: not sent (no client)");
            }
        };
        console.idle(NO_ONE);
        console.forwardTo(noOne);
    }

    /** True when no conversation is attended or waiting: the person's input ending now leaves nothing to answer. */
    public synchronized boolean isEmpty() {
        return line.isEmpty();
    }

    /**
     * A new conversation joins the line; {@code post} hands inputs to its session; {@code record}
     * gets everything that happens in it. Attended at once if no one else is.
     */
    public Seat join(int id, String remote, Consumer<Input> post, Transcript record) {
        Seat seat = new Seat(id, remote, post, record);
        int ahead;
        // Decided and posted under one lock, so each conversation is told in the order things happened.
        synchronized (this) {
            line.add(seat);
            ahead = line.size() - 1;
            if (ahead == 0) {
                seat.post.accept(new Input.Attend(0));
                console.forwardTo(seat.answers); // after the Attend: its lines reach a session the person is with
            } else {
                seat.post.accept(new Input.Wait(ahead));
                line.get(0).post.accept(new Input.Attend(ahead)); // the one attended learns that others wait
            }
        }
        if (ahead == 0) {
            console.idle(CLIENTS_TURN);
        } else {
            console.status("parley: conversation " + id + " (" + remote + ") waits; " + ahead + " ahead of it");
        }
        return seat;
    }

    private void leave(Seat seat) {
        console.withdraw(seat.answers);
        Seat next;
        int waiting;
        synchronized (this) {
            int at = line.indexOf(seat);
            if (at < 0) {
                return;
            }
            line.remove(at);
            next = at == 0 && !line.isEmpty() ? line.get(0) : null;
            if (!line.isEmpty()) {
                line.get(0).post.accept(new Input.Attend(line.size() - 1)); // the one attended, and how many wait
            }
            if (at == 0) {
                console.forwardTo(next != null ? next.answers : noOne);
            }
            for (int i = Math.max(1, at); i < line.size(); i++) {
                line.get(i).post.accept(new Input.Wait(i)); // each behind moves up one place
            }
            waiting = line.size() - 1;
        }
        if (next != null) {
            console.status("parley: now with conversation " + next.id + " (" + next.remote + ")"
                    + (waiting == 0 ? "" : "; " + waiting + (waiting == 1 ? " client waiting" : " clients waiting")));
        }
        console.idle(waiting < 0 ? NO_ONE : CLIENTS_TURN);
    }

    /**
     * One conversation's place at the desk: its operator and its transcript. What happens is shown
     * to the person and recorded in {@code record} (the server's log, a transcript file): all of
     * it, the person's own words included, which the screen shows already.
     */
    public final class Seat implements Operator, Transcript {
        private final int id;
        private final String remote;
        private final Consumer<Input> post;
        private final Transcript record;
        private final ConsoleTranscript shown;
        /** What the person answers goes to this conversation's session. */
        private final Consumer<Input> answers;

        Seat(int id, String remote, Consumer<Input> post, Transcript record) {
            this.id = id;
            this.remote = remote;
            this.post = post;
            this.record = record;
            this.shown = new ConsoleTranscript(console, Role.CLIENT, "parley: ");
            this.answers = post::accept;
        }

        @Override
        public void ask() {
            console.ask(answers);
        }

        @Override
        public void heard(String message) {
            shown.heard(message);
            record.heard(message);
        }

        @Override
        public void said(Sent what) {
            record.said(what);
        }

        @Override
        public void notice(String text) {
            shown.notice(text);
            record.notice(text);
        }

        @Override
        public void ended(Outcome outcome) {
            record.ended(outcome);
            leave(this);
        }
    }
}
