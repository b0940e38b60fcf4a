package dev.parley.socket.client;

import dev.parley.core.desk.MalformedOperatorLineException;
import dev.parley.core.desk.OperatorWire;
import dev.parley.core.port.DeskOperator;
import dev.parley.core.session.Input;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Role;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * The server's desk as an operator program sees it, over the operators' protocol
 * ({@link OperatorWire}): each line the server sends becomes a call on the local {@link DeskOperator}
 * (the person at a terminal, or a pipe), and each line the person enters goes back tagged with the
 * conversation that was in front when it was entered ({@code line ID TEXT}, or {@code unasked}).
 * Everything from the server is hostile: a line that does not follow the protocol is answered with a
 * failure line and the operator leaves; the port renders what it shows. The server's lines come on
 * the connection's thread (the {@link Link}'s), the person's from any.
 */
public final class RemoteDesk implements DeskOperator.Lines {

    /** The connection, as this needs it: safe from any thread, never blocking. */
    public interface Link {

        /** Sends one line (without its line feed). */
        void send(String line);

        /** Writes what was sent, then closes: the operator leaves the desk. */
        void leave();

        /** Runs {@code task} on the connection's thread, where the server's lines are handled. */
        void execute(Runnable task);
    }

    /** What the program hears of the desk, on the connection's thread. */
    public interface Events {

        /** The server admitted the operator, as {@code name} (raw). */
        void welcomed(String name);

        /** The server refused the operator, or reported a failure, with its failure line's {@code reason} (raw); it closes next. */
        void failed(String reason);

        /**
         * The server sent a line that does not follow the operators' protocol: it was told, and the
         * operator leaves.
         *
         * @param reason what was wrong with it (rendered safe by the codec)
         */
        void unreadable(String reason);
    }

    private final DeskOperator operator;
    private final Link link;
    private final Events events;
    private final BooleanSupplier spent;
    private final int maxMessageBytes;
    /** On the connection's thread: the conversation in front, and whether it asks now. */
    private String inFront;
    private boolean asking;
    private volatile boolean welcomed;
    private volatile boolean gone;

    /**
     * @param operator the local operator: told {@link DeskOperator#joined} now, then what the server says
     * @param link the connection to the server
     * @param events what the program is told
     * @param spent true once the person has nothing left to answer with (a pipe whose lines are all
     *     used): the operator then leaves as soon as it is with no one
     * @param maxMessageBytes the longest answer sent (a longer one is refused here, as the server would)
     */
    public RemoteDesk(DeskOperator operator, Link link, Events events, BooleanSupplier spent, int maxMessageBytes) {
        this.operator = operator;
        this.link = link;
        this.events = events;
        this.spent = spent;
        this.maxMessageBytes = maxMessageBytes;
        operator.joined(this);
    }

    /** The hello that opens the connection, for {@code name}. */
    public static String hello(String name) {
        return OperatorWire.encode(new OperatorWire.Hello(name));
    }

    /** True once the server has admitted the operator. Safe from any thread. */
    public boolean welcomed() {
        return welcomed;
    }

    // ---- from the server, on the connection's thread --------------------------------------------------------

    /** One line from the server (an {@link OperatorConnection.Receiver}). */
    public void line(String line) {
        if (gone) {
            return;
        }
        OperatorWire.ToOperator message;
        try {
            message = OperatorWire.decodeToOperator(line);
        } catch (MalformedOperatorLineException e) {
            String reason = (welcomed ? "" : "no operators' welcome: ") + e.getMessage();
            link.send(OperatorWire.encode(new OperatorWire.Failure("cannot read the server's line: " + reason)));
            leave();
            events.unreadable(reason);
            return;
        }
        if (!welcomed && message instanceof OperatorWire.Tell) {
            return; // nothing before the welcome is for the operator (a clients' port's notice, before it refuses it)
        }
        if (!welcomed && !(message instanceof OperatorWire.Welcome) && !(message instanceof OperatorWire.Failure)) {
            link.send(OperatorWire.encode(new OperatorWire.Failure("expected welcome first")));
            leave();
            events.unreadable("no operators' welcome first");
            return;
        }
        if (message instanceof OperatorWire.Welcome welcome) {
            welcomed = true;
            events.welcomed(welcome.name());
            leaveIfSpent();
        } else if (message instanceof OperatorWire.With with) {
            inFront = with.conversation();
            asking = false;
            operator.with(with.conversation(), with.label(), with.waiting());
        } else if (message instanceof OperatorWire.Said said) {
            operator.heard(said.conversation(), said.text());
        } else if (message instanceof OperatorWire.Ask ask) {
            asking = ask.conversation().equals(inFront);
            operator.ask(ask.conversation());
        } else if (message instanceof OperatorWire.Notice notice) {
            operator.notice(notice.conversation(), notice.text());
        } else if (message instanceof OperatorWire.Ended ended) {
            // The wire carries the ending in words: shown as the conversation's last notice, and the port
            // is told it as the server's report.
            operator.notice(ended.conversation(), "ended: " + ended.text());
            operator.ended(ended.conversation(), new Outcome(Outcome.Ending.PEER_FAILED, Role.SERVER, ended.text()));
            free(ended.conversation());
        } else if (message instanceof OperatorWire.Back back) {
            operator.handedBack(back.conversation(), back.why());
            free(back.conversation());
        } else if (message instanceof OperatorWire.Tell tell) {
            operator.tell(tell.text());
        } else {
            events.failed(((OperatorWire.Failure) message).reason());
        }
    }

    /** The operator is with no one now, if {@code conversation} was in front; a spent pipe leaves then. */
    private void free(String conversation) {
        if (conversation.equals(inFront)) {
            inFront = null;
            asking = false;
            leaveIfSpent();
        }
    }

    private void leaveIfSpent() {
        if (inFront == null && spent.getAsBoolean()) {
            leave();
        }
    }

    // ---- from the person, on any thread ---------------------------------------------------------------------

    @Override
    public void entered(String conversation, Input input) {
        if (gone) {
            return;
        }
        if (input instanceof Input.OperatorDone) {
            leave(); // the person's input ended while a client asked: it goes back to the front of the line
            return;
        }
        Input.OperatorLine line = (Input.OperatorLine) input;
        int bytes = line.text().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxMessageBytes) {
            link.execute(() -> {
                operator.tell("not sent: " + bytes + " bytes, longer than " + maxMessageBytes + " (--max-line-bytes)");
                if (line.prompted() && asking && conversation != null && conversation.equals(inFront)) {
                    operator.ask(conversation); // the question is still open
                }
            });
            return;
        }
        if (line.prompted() && conversation != null) {
            link.execute(() -> {
                if (conversation.equals(inFront)) {
                    asking = false;
                }
            });
        }
        link.send(OperatorWire.encode(new OperatorWire.Line(conversation, line.text(), line.prompted())));
    }

    @Override
    public void left() {
        leave();
    }

    /** Leaves the desk: the connection is closed once what was sent is written. Idempotent, from any thread. */
    public void leave() {
        gone = true;
        link.leave();
    }
}
