package dev.parley.console;

import dev.parley.core.port.Operator;
import dev.parley.core.port.Transcript;
import dev.parley.core.session.Action.Sent;
import dev.parley.core.session.Input;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Role;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The person at a console server's terminal, shared by all its conversations, one at a time: the
 * first in line is attended (its messages shown, the person asked for its answers); the others
 * wait, each told its place ({@link Input.Wait}), and the person sees how many wait. When the
 * attended conversation ends, the next in line is attended ({@link Input.Attend}).
 *
 * <p>Conversations run on the server's event loops, the person's input on its own thread: every
 * method here may be called from any of them, and each conversation is told things only through
 * the {@code post} it joined with (to its own event loop), never called directly.
 */
public final class OperatorDesk {

    private final ConsoleInput input;
    private final PrintStream messages;
    private final PrintStream status;
    private final boolean interactive;
    private final List<Seat> line = new ArrayList<>();

    public OperatorDesk(ConsoleInput input, PrintStream messages, PrintStream status, boolean interactive) {
        this.input = input;
        this.messages = messages;
        this.status = status;
        this.interactive = interactive;
    }

    /**
     * A new conversation joins the line; {@code post} hands inputs to its session; {@code log} also
     * gets its ending (the server's log). Attended at once if no one else is.
     */
    public Seat join(int id, String remote, Consumer<Input> post, Transcript log) {
        Seat seat = new Seat(id, remote, post, log);
        int ahead;
        // Decided and posted under one lock, so each conversation is told in the order things happened.
        synchronized (this) {
            line.add(seat);
            ahead = line.size() - 1;
            if (ahead == 0) {
                seat.post.accept(new Input.Attend(0));
            } else {
                seat.post.accept(new Input.Wait(ahead));
                line.get(0).post.accept(new Input.Attend(ahead)); // the one attended learns that others wait
            }
        }
        if (ahead > 0) {
            status.println("parley: conversation " + id + " with " + remote + " waits for you; "
                    + ahead + (ahead == 1 ? " conversation" : " conversations") + " ahead of it");
            status.flush();
        }
        return seat;
    }

    private void leave(Seat seat) {
        input.withdraw(seat.answers);
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
            for (int i = Math.max(1, at); i < line.size(); i++) {
                line.get(i).post.accept(new Input.Wait(i)); // each behind moves up one place
            }
            waiting = line.size() - 1;
        }
        if (next != null) {
            status.println("parley: now with conversation " + next.id + " (" + next.remote + ")"
                    + (waiting == 0 ? "" : "; " + waiting + (waiting == 1 ? " client waiting" : " clients waiting")));
            status.flush();
        }
    }

    /** One conversation's place at the desk: its operator and its transcript. */
    public final class Seat implements Operator, Transcript {
        private final int id;
        private final String remote;
        private final Consumer<Input> post;
        private final Transcript log;
        private final ConsoleTranscript shown;
        /** What the person answers goes to this conversation's session. */
        private final Consumer<Input> answers;

        Seat(int id, String remote, Consumer<Input> post, Transcript log) {
            this.id = id;
            this.remote = remote;
            this.post = post;
            this.log = log;
            this.shown = new ConsoleTranscript(messages, status, interactive, Role.CLIENT, "parley: ");
            this.answers = post::accept;
        }

        @Override
        public void ask() {
            input.ask(answers);
        }

        @Override
        public void heard(String message) {
            shown.heard(message);
        }

        @Override
        public void said(Sent what) {
            // the person's own words are on the screen already
        }

        @Override
        public void notice(String text) {
            shown.notice(text);
        }

        @Override
        public void ended(Outcome outcome) {
            log.ended(outcome);
            leave(this);
        }
    }
}
