package dev.parley.core.session;

import dev.parley.core.responder.Responder;
import dev.parley.core.session.Action.Sent;
import dev.parley.core.session.Outcome.Ending;
import dev.parley.core.wire.Frame;
import dev.parley.core.wire.FrameDecoder;
import dev.parley.core.wire.FrameTooLongException;
import dev.parley.core.wire.Framing;
import dev.parley.core.wire.UnsendableMessageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One conversation, as a pure object: every rule of Parley's protocol, in one place.
 *
 * <h2>Theory of operation</h2>
 *
 * <p>A driver (a Netty handler, a client's socket loop, a test) owns the I/O. It tells the session
 * what happened, as an {@link Input} with the time it happened, and carries out the {@link Action}s
 * that {@link #handle} returns, in order: send these bytes, show this, ask the operator, end the
 * output, close, it ended like this. The session never reads, writes, waits, locks, starts a thread
 * or looks at a clock; one thread at a time drives it. Time is a number (nanoseconds from any
 * origin, read by the driver from a monotonic counter) given with every input; the session says
 * when it next needs to be told the time ({@link #deadline()}), and the driver sends a
 * {@link Input.Tick} then.
 *
 * <p>The client speaks first; the server answers each message exactly once; turns alternate until
 * someone says {@code bye} (see {@link #isBye}), the input of a side ends, the connection fails, or a
 * limit is hit. The session decodes the peer's bytes itself, lazily, one frame at a time, with its
 * {@link Framing}; it encodes what this side says with the same framing, and refuses what the
 * framing cannot carry. A side that ends the conversation says why on the wire when the framing can
 * ({@code bye}, or a failure line such as {@code !idle: ...}), ends its output, and drains the
 * peer's input until the peer closes or {@link #LINGER} has passed, so that its last words are read
 * rather than lost to a reset.
 *
 * <p>Who answers on this side is either a {@link Responder} (automatic: the session calls it and
 * sends the reply at once) or a person ({@link Action.AskOperator}, answered later by
 * {@link Input.OperatorLine}). A server's person is shared by many conversations: a session waiting
 * for that person ({@link Input.Wait}) tells its peer its place and shows nothing until the person
 * comes ({@link Input.Attend}).
 *
 * <p>Clients who have said nothing cannot keep one who has spoken waiting for long: with others
 * waiting, a silent client has the first-message timeout from its arrival (see (i)). Every client
 * ahead of a newcomer in line started its clock before the newcomer came, and the one attended
 * started it at the latest when the newcomer came to wait; so one timeout after its arrival every
 * silent client ahead of it has gone, and it waits only for those who spoke. (Offering the person
 * first to clients who have spoken would also do, but it reorders the line, first come no longer
 * first served, and the line, an adapter, would have to learn from each session whether it spoke;
 * the clock keeps the rule here, and the line in arrival order.)
 *
 * <h2>Pipelined input</h2>
 *
 * <p>A client may send ahead (a script, a paste of several lines): the server takes the messages in
 * order, one per turn, as if each had come in its turn. While this side holds the turn it looks at
 * the peer's next frame only: a {@code bye}, a failure report or a too-long line ends the
 * conversation at once (the peer is leaving; the operator must not answer someone gone); a message
 * is held for the peer's next turn, and no more input is read ({@link #wantsPeerBytes()} is false)
 * until it is taken, so a session never holds more than one read's bytes. The end of the client's
 * input while the server holds the turn is held too (a half-close: the client can still read the
 * answer); a person is told at once. A server may not send ahead: a message from the server in the
 * client's turn is a protocol failure ({@code PEER_OUT_OF_TURN}); its bye, notices and failure
 * reports may come at any time.
 *
 * <h2>Cut-off frames</h2>
 *
 * <p>A frame that the end of the peer's input cuts off ({@link Frame.CutOff}: line framing's last
 * line without its line feed) is never a message: what the peer would have said is unknown (an
 * {@code I agree to pay $1000} whose {@code -- NOT} never came). It ends the conversation in its
 * place with {@link Ending#PEER_CUT_OFF}, a failure, its text in the outcome's detail for the
 * driver to show marked as cut off; it is not answered. Raw framing has no frames to cut.
 *
 * <h2>The table</h2>
 *
 * <pre>
 * input          | NEW                | PEER_TURN                  | OWN_TURN                          | CLOSING        | CLOSED
 * ---------------+--------------------+----------------------------+-----------------------------------+----------------+--------
 * Open           | start (a)          | illegal                    | illegal                           | illegal        | illegal
 * Refuse         | refuse (b)         | illegal                    | illegal                           | illegal        | illegal
 * PeerBytes      | illegal            | take frames (c)            | look ahead (d)                    | drained        | illegal
 * PeerClosed     | illegal            | take frames, then end (c)  | client: end; server: held (d)     | Close          | nothing
 * PeerFailed     | illegal            | end PEER_LOST, Close       | end PEER_LOST, Close              | Close          | nothing
 * OperatorLine   | illegal            | Notice: not your turn      | speak (e) if asked, else Notice   | Notice         | nothing
 * OperatorDone   | illegal            | leave INPUT_ENDED (f)      | leave INPUT_ENDED (f)             | nothing        | nothing
 * Stop           | end STOPPED, Close | leave STOPPED (f)          | leave STOPPED (f)                 | nothing        | nothing
 * Tick           | nothing            | idle and line deadlines (g)| line deadline (g)                 | linger: Close  | nothing
 * Attend         | attended           | attended (i)               | attended: Show, AskOperator       | nothing        | nothing
 * Wait           | Send notice (h, i) | Send notice (h, i)         | Send notice (h)                   | nothing        | nothing
 * Drop           | illegal            | fail DROPPED               | fail DROPPED                      | nothing        | nothing
 * OutputBlocked  | illegal            | the idle clock runs (j)    | the idle clock runs (j)           | nothing        | nothing
 * OutputFlowing  | illegal            | it stops                   | it stops                          | nothing        | nothing
 *
 * (a) client: OWN_TURN, AskOperator. server: PEER_TURN, the idle deadline starts.
 * (b) Send the refusal as a failure line, EndOutput, Ended REFUSED; CLOSING.
 * (c) Each complete frame in turn: a message is heard (Show; the responder answers at once, or
 *     AskOperator) and the turn passes; bye ends (PEER_SAID_BYE, Close); a failure report ends
 *     (PEER_FAILED, Close); a notice is shown (Notice); a too-long line is refused (fail, below);
 *     the end of input ends (PEER_CLOSED, Close); a frame the end of input cut off (a last line
 *     without its line feed) is never heard, shown or answered: it ends (PEER_CUT_OFF, its text
 *     as the detail, Close).
 * (d) The next frame only: bye, failure and too long end as in (c); a notice is shown; on the
 *     client a message is out of turn (fail PEER_OUT_OF_TURN) and the end of input or a cut-off
 *     frame ends at once; on the server a message, the end of input or a cut-off frame is held
 *     for the peer's next turn.
 * (e) bye: leave SAID_BYE (f). A message the framing cannot carry: a person gets a Notice and is
 *     asked again; a responder's reply ends the conversation (fail UNSENDABLE_REPLY). Otherwise
 *     Send it; PEER_TURN, and held frames are taken as in (c).
 * (f) leave: Send bye (when the framing has one), EndOutput, Ended; CLOSING.
 * (g) idle (PEER_TURN, no bytes for the idle timeout): fail IDLE_TIMEOUT. line (part of a frame
 *     held for the line timeout): fail LINE_TIMEOUT. Also the deadlines of (i) and (j).
 *     fail: Send the reason as a failure line (when the framing has one), EndOutput, Ended; CLOSING.
 * (h) Only while the operator is not with this conversation: it is told its place in line.
 * (i) The first-message clock. A client that has said nothing has the first-message timeout to
 *     say something, counted from the first time it shares the operator: it is told to wait in
 *     line (from its arrival), or is attended while others wait. The clock never restarts. It
 *     counts only while the operator is with it and others wait: then, once it has passed, fail
 *     IDLE_TIMEOUT, on a Tick or at once on the Attend that brings the operator to a client whose
 *     time ran out in line. Attend again updates how many wait.
 * (j) A peer that takes none of this side's bytes for the idle timeout: fail IDLE_TIMEOUT. Any
 *     ending while it takes none closes at once (CLOSED, Close): it would not read the last words.
 *     Its own idle deadline passing meanwhile gives the same reason (it was not read: it took none).
 * </pre>
 *
 * <p>An input the table calls illegal raises {@link IllegalInputException} and changes nothing.
 * {@link Action.Ended} comes exactly once, with or before {@link Action.Close}; nothing comes after
 * Close.
 */
public final class Session {

    /** How long a closing session drains the peer's input, waiting for it to close, before closing itself. */
    public static final Duration LINGER = Duration.ofSeconds(2);

    /** A string's own object and its array's header, on a 64-bit JVM. */
    private static final int STRING_OVERHEAD = 40;

    private final Role me;
    private final Framing framing;
    private final Limits limits;
    private final Responder responder;
    private final FrameDecoder decoder;

    private State state = State.NEW;
    private boolean attended;
    private boolean asked;
    /** The peer's next frame, taken ahead while this side holds the turn. */
    private Frame held;
    /** A message heard before the server's person came to this conversation. */
    private String unshown;
    /** What {@link #held} and {@link #unshown} cost the heap, counted once as each is kept. */
    private int heldCost;
    private int unshownCost;
    private boolean peerEnded;
    private int turn;
    private Outcome outcome;

    private int othersWaiting;

    private long now;
    private boolean idleArmed;
    private long idleAt;
    private boolean lineArmed;
    private long lineAt;
    /** The first-message clock has started (see (i)); it is never restarted. */
    private boolean firstStarted;
    private long firstAt;
    private boolean stalledArmed;
    private long stalledAt;
    private boolean outputBlocked;
    private long lingerAt;

    private Session(Role me, Framing framing, Limits limits, Responder responder, boolean attended) {
        this.me = Objects.requireNonNull(me, "me");
        this.framing = Objects.requireNonNull(framing, "framing");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.responder = responder;
        this.attended = attended;
        this.decoder = framing.newDecoder();
    }

    /**
     * A client's session: a person (or a script on stdin) speaks first.
     *
     * @param framing how messages are laid out on the wire, both ways
     * @param limits how long to wait for the server ({@link Limits#NONE}: for ever)
     * @return a session in state {@link State#NEW}, waiting for {@link Input.Open}
     */
    public static Session client(Framing framing, Limits limits) {
        return new Session(Role.CLIENT, framing, limits, null, true);
    }

    /**
     * A server's session whose replies come from {@code responder}, at once.
     *
     * @param framing how messages are laid out on the wire, both ways
     * @param limits how long to wait for the client
     * @param responder what answers each message the client says
     * @return a session in state {@link State#NEW}, waiting for {@link Input.Open} or {@link Input.Refuse}
     */
    public static Session server(Framing framing, Limits limits, Responder responder) {
        return new Session(Role.SERVER, framing, limits, Objects.requireNonNull(responder, "responder"), true);
    }

    /**
     * A server's session answered by a person shared with other conversations: it shows nothing
     * and asks nothing until {@link Input.Attend} says the person is with it.
     *
     * @param framing how messages are laid out on the wire, both ways
     * @param limits how long to wait for the client
     * @return a session in state {@link State#NEW}, waiting for {@link Input.Open} or {@link Input.Refuse}
     */
    public static Session serverForOperator(Framing framing, Limits limits) {
        return new Session(Role.SERVER, framing, limits, null, false);
    }

    /**
     * A server's session for a connection it will not take: it is given {@link Input.Refuse}, never
     * Open, so no one answers it; it says why, then drains and closes as any ending does.
     *
     * @param framing how the refusal is laid out on the wire (raw framing cannot say it, and only closes)
     * @return a session in state {@link State#NEW}, waiting for {@link Input.Refuse}
     */
    public static Session refusing(Framing framing) {
        return new Session(Role.SERVER, framing, Limits.NONE, null, false);
    }

    /**
     * Handles {@code input}, which happened at time {@code now} (nanoseconds; only differences
     * count), and returns what to do, in order.
     *
     * @param now when {@code input} happened, in nanoseconds from any origin (the driver's
     *     monotonic counter); only differences between the times given count
     * @param input what happened
     * @return the actions to carry out, in order; empty when there is nothing to do
     * @throws IllegalInputException if the rules do not allow {@code input} now; nothing changes
     */
    public List<Action> handle(long now, Input input) {
        Objects.requireNonNull(input, "input");
        List<Action> out = new ArrayList<>(4);
        if (input instanceof Input.PeerBytes) {
            peerBytes(now, (Input.PeerBytes) input, out);
        } else if (input instanceof Input.OperatorLine) {
            operatorLine(now, (Input.OperatorLine) input, out);
        } else if (input instanceof Input.Tick) {
            this.now = now;
            tick(out);
        } else if (input instanceof Input.Open) {
            open(now, input, out);
        } else if (input instanceof Input.Refuse) {
            requireState(input, State.NEW, "a conversation is refused instead of being opened");
            this.now = now;
            fail(Ending.REFUSED, ((Input.Refuse) input).refusal().reason(), out);
        } else if (input instanceof Input.PeerClosed) {
            peerClosed(now, input, out);
        } else if (input instanceof Input.PeerFailed) {
            peerFailed(now, (Input.PeerFailed) input, out);
        } else if (input instanceof Input.OperatorDone) {
            operatorDone(now, input, out);
        } else if (input instanceof Input.Stop) {
            this.now = now;
            stop(out);
        } else if (input instanceof Input.Attend) {
            attend(now, (Input.Attend) input, out);
        } else if (input instanceof Input.Wait) {
            waiting(now, (Input.Wait) input, out);
        } else if (input instanceof Input.Drop) {
            drop(now, (Input.Drop) input, out);
        } else {
            output(now, input);
        }
        return out;
    }

    // ---- the inputs, one method each, in the table's order ---------------------------------------------

    private void open(long now, Input input, List<Action> out) {
        requireState(input, State.NEW, "a conversation opens once");
        this.now = now;
        if (me == Role.CLIENT) {
            state = State.OWN_TURN;
            ask(out);
        } else {
            peerTurn();
        }
    }

    private void peerBytes(long now, Input.PeerBytes bytes, List<Action> out) {
        if (state == State.CLOSING) {
            return; // drained: what the peer sends after the end is not read
        }
        requireState(bytes, state == State.PEER_TURN || state == State.OWN_TURN, "bytes come only while the conversation is open");
        if (peerEnded) {
            throw new IllegalInputException(state, bytes, "the peer's input has ended");
        }
        this.now = now;
        decoder.feed(bytes.bytes(), bytes.offset(), bytes.length());
        if (state == State.PEER_TURN) {
            idleAt = now + limits.idleTimeout().toNanos();
        }
        takeFrames(out);
        watchPartialFrame();
    }

    private void peerClosed(long now, Input input, List<Action> out) {
        if (state == State.CLOSED) {
            return;
        }
        requireState(input, state != State.NEW, "the connection has not opened");
        this.now = now;
        if (state == State.CLOSING) {
            close(out);
            return;
        }
        if (peerEnded) {
            throw new IllegalInputException(state, input, "the peer's input has already ended");
        }
        peerEnded = true;
        decoder.endOfInput();
        lineArmed = false;
        takeFrames(out);
    }

    private void peerFailed(long now, Input.PeerFailed failed, List<Action> out) {
        if (state == State.CLOSED) {
            return;
        }
        requireState(failed, state != State.NEW, "the connection has not opened");
        this.now = now;
        if (state != State.CLOSING) {
            end(Ending.PEER_LOST, failed.reason(), out);
        }
        close(out);
    }

    private void operatorLine(long now, Input.OperatorLine line, List<Action> out) {
        requireOperator(line);
        requireState(line, state != State.NEW, "the conversation has not opened");
        this.now = now;
        if (state == State.CLOSED) {
            return; // nothing after Close: the driver tells a person whose line no conversation takes
        }
        if (state == State.OWN_TURN && asked) {
            asked = false;
            speak(line.text(), out);
            takeFrames(out);
        } else {
            out.add(new Action.Notice("not sent: " + quote(line.text()) + (state == State.CLOSING
                    ? " (the conversation has ended)"
                    : " (it is not your turn: wait for the " + me.other().label() + ")")));
        }
    }

    private void operatorDone(long now, Input input, List<Action> out) {
        requireOperator(input);
        requireState(input, state != State.NEW, "the conversation has not opened");
        this.now = now;
        if (state == State.PEER_TURN || state == State.OWN_TURN) {
            leave(Ending.INPUT_ENDED, out);
        }
    }

    private void stop(List<Action> out) {
        if (state == State.NEW) {
            end(Ending.STOPPED, "", out);
            close(out);
        } else if (state == State.PEER_TURN || state == State.OWN_TURN) {
            leave(Ending.STOPPED, out);
        }
    }

    private void tick(List<Action> out) {
        if (state == State.CLOSING) {
            if (now - lingerAt >= 0) {
                close(out);
            }
        } else if (state == State.PEER_TURN || state == State.OWN_TURN) {
            if (lineArmed && now - lineAt >= 0) {
                fail(Ending.LINE_TIMEOUT, limits.lineReason(), out);
            } else if (stalledArmed && now - stalledAt >= 0) {
                fail(Ending.IDLE_TIMEOUT, limits.stalledReason(), out);
            } else if (firstMessageDue()) {
                fail(Ending.IDLE_TIMEOUT, limits.firstMessageReason(), out);
            } else if (idleArmed && state == State.PEER_TURN && now - idleAt >= 0) {
                // While the peer takes none of the replies its messages are not read either: say why.
                fail(Ending.IDLE_TIMEOUT, stalledArmed ? limits.stalledReason() : limits.idleReason(), out);
            }
        }
    }

    private void attend(long now, Input.Attend attend, List<Action> out) {
        if (responder != null || me != Role.SERVER) {
            throw new IllegalInputException(state, attend, "only a server answered by a person is attended");
        }
        this.now = now;
        if (state == State.CLOSING || state == State.CLOSED) {
            return;
        }
        othersWaiting = attend.othersWaiting();
        boolean cameNow = !attended;
        attended = true;
        if (othersWaiting > 0) {
            startFirstMessageClock();
        }
        if (firstMessageDue()) {
            fail(Ending.IDLE_TIMEOUT, limits.firstMessageReason(), out); // its time passed while it waited in line
        } else if (cameNow && state == State.OWN_TURN && unshown != null) {
            out.add(new Action.Show(unshown));
            unshown = null;
            unshownCost = 0;
            if (held instanceof Frame.End || held instanceof Frame.CutOff) {
                out.add(halfClosed(held));
            }
            ask(out);
        }
    }

    /**
     * Starts the first-message clock of (i), once: the first time this conversation shares the
     * server's person with another (it waits in line, or is attended while others wait) before its
     * client has said anything.
     */
    private void startFirstMessageClock() {
        if (!firstStarted && turn == 0 && (state == State.NEW || state == State.PEER_TURN)
                && !limits.firstMessageTimeout().isZero()) {
            firstStarted = true;
            firstAt = now + limits.firstMessageTimeout().toNanos();
        }
    }

    /** The first-message deadline counts: the person is with a client that has said nothing, and others wait. */
    private boolean firstMessageArmed() {
        return firstStarted && attended && othersWaiting > 0 && turn == 0 && state == State.PEER_TURN;
    }

    private boolean firstMessageDue() {
        return firstMessageArmed() && now - firstAt >= 0;
    }

    private void drop(long now, Input.Drop drop, List<Action> out) {
        requireState(drop, state != State.NEW, "a conversation that never opened is refused, not dropped");
        this.now = now;
        if (state == State.PEER_TURN || state == State.OWN_TURN) {
            fail(Ending.DROPPED, drop.reason().reason(), out);
        }
    }

    /** The peer stopped taking this side's bytes, or took them again: the idle clock runs meanwhile. */
    private void output(long now, Input input) {
        requireState(input, state != State.NEW, "nothing was sent before the conversation opened");
        this.now = now;
        outputBlocked = input instanceof Input.OutputBlocked;
        if (input instanceof Input.OutputFlowing || limits.idleTimeout().isZero()) {
            stalledArmed = false;
        } else if (!stalledArmed && (state == State.PEER_TURN || state == State.OWN_TURN)) {
            stalledArmed = true;
            stalledAt = now + limits.idleTimeout().toNanos();
        }
    }

    private void waiting(long now, Input.Wait wait, List<Action> out) {
        if (responder != null || me != Role.SERVER) {
            throw new IllegalInputException(state, wait, "only a server answered by a person waits for it");
        }
        this.now = now;
        if (state == State.CLOSING || state == State.CLOSED || attended) {
            return; // a conversation the operator is with does not wait
        }
        startFirstMessageClock(); // from its arrival: its place in line is no time to think of a first message
        framing.notice("waiting for the operator, who is talking to someone else; " + wait.ahead()
                + (wait.ahead() == 1 ? " conversation is" : " conversations are") + " ahead of you")
                .ifPresent(bytes -> out.add(new Action.Send(new Sent.Notice("waiting: " + wait.ahead() + " ahead"), bytes)));
    }

    // ---- the rules ------------------------------------------------------------------------------------

    /** Takes the peer's frames while the rules let it: each in its turn, or one ahead (see the header). */
    private void takeFrames(List<Action> out) {
        while (state == State.PEER_TURN || state == State.OWN_TURN) {
            boolean ahead = state == State.OWN_TURN;
            if (ahead && held != null) {
                return; // one frame ahead at most: it waits for the peer's turn
            }
            Frame frame;
            if (held != null) {
                frame = held;
                held = null;
                heldCost = 0;
            } else {
                try {
                    frame = decoder.next();
                } catch (FrameTooLongException e) {
                    fail(Ending.PEER_LINE_TOO_LONG, e.getMessage(), out);
                    return;
                }
            }
            if (frame instanceof Frame.NeedData) {
                return;
            }
            if (frame instanceof Frame.Notice) {
                out.add(new Action.Notice(me.other().label() + ": " + ((Frame.Notice) frame).text()));
            } else if (frame instanceof Frame.Failure) {
                end(Ending.PEER_FAILED, ((Frame.Failure) frame).reason(), out);
                close(out);
            } else if (frame instanceof Frame.End || frame instanceof Frame.CutOff) {
                if (ahead && me == Role.SERVER) {
                    held = frame; // a half-close: the client can still read the answer
                    heldCost = frame instanceof Frame.CutOff ? heapCost(((Frame.CutOff) frame).text()) : 0;
                    if (attended && responder == null) {
                        out.add(halfClosed(frame));
                    }
                    return;
                }
                if (frame instanceof Frame.CutOff) {
                    end(Ending.PEER_CUT_OFF, ((Frame.CutOff) frame).text(), out); // never heard: not a message
                } else {
                    end(Ending.PEER_CLOSED, "", out);
                }
                close(out);
            } else {
                String text = ((Frame.Message) frame).text();
                if (isBye(text)) {
                    end(Ending.PEER_SAID_BYE, "", out);
                    close(out);
                } else if (!ahead) {
                    hear(text, out);
                } else if (me == Role.SERVER) {
                    held = frame; // pipelined: the client's next turn
                    heldCost = heapCost(text);
                    return;
                } else {
                    fail(Ending.PEER_OUT_OF_TURN, "out of turn: the " + me.other().label()
                            + " sent a message while it was the " + me.label() + "'s turn to speak", out);
                }
            }
        }
    }

    /** What a person holding the turn is told when the client ends its input (a half-close). */
    private Action halfClosed(Frame end) {
        return new Action.Notice(me.other().label() + " closed its side of the connection"
                + (end instanceof Frame.CutOff ? " in the middle of a line (cut off, not a message)" : "")
                + "; it can still read your answer");
    }

    /** The peer said {@code text} in its turn: this side answers. */
    private void hear(String text, List<Action> out) {
        state = State.OWN_TURN;
        idleArmed = false;
        int thisTurn = turn++;
        if (responder != null) {
            out.add(new Action.Show(text));
            speak(responder.reply(thisTurn, text), out);
        } else if (attended) {
            out.add(new Action.Show(text));
            ask(out);
        } else {
            unshown = text;
            unshownCost = heapCost(text);
        }
    }

    /** This side says {@code text} in its turn; the caller then takes what the peer sent ahead. */
    private void speak(String text, List<Action> out) {
        if (isBye(text)) {
            leave(Ending.SAID_BYE, out);
            return;
        }
        byte[] bytes;
        try {
            bytes = framing.encode(text);
        } catch (UnsendableMessageException e) {
            if (responder != null) {
                fail(Ending.UNSENDABLE_REPLY, e.getMessage(), out);
            } else {
                out.add(new Action.Notice("not sent: " + e.getMessage() + "; type another message"));
                ask(out);
            }
            return;
        }
        out.add(new Action.Send(new Sent.Message(text), bytes));
        peerTurn();
    }

    private void ask(List<Action> out) {
        asked = true;
        out.add(new Action.AskOperator());
    }

    private void peerTurn() {
        state = State.PEER_TURN;
        idleArmed = !limits.idleTimeout().isZero();
        idleAt = now + limits.idleTimeout().toNanos();
    }

    /** Starts the line deadline when part of a frame arrives, and stops it once none is pending. */
    private void watchPartialFrame() {
        if (state != State.PEER_TURN && state != State.OWN_TURN) {
            return;
        }
        if (!decoder.hasPartialFrame()) {
            lineArmed = false;
        } else if (!lineArmed && !limits.lineTimeout().isZero()) {
            lineArmed = true;
            lineAt = now + limits.lineTimeout().toNanos();
        }
    }

    /** This side leaves: bye (when the framing has one), then the output ends. */
    private void leave(Ending ending, List<Action> out) {
        framing.farewell().ifPresent(bytes -> out.add(new Action.Send(new Sent.Bye(), bytes)));
        closing(ending, "", out);
    }

    /** This side ends the conversation for a failure, and tells the peer why (when the framing can). */
    private void fail(Ending ending, String reason, List<Action> out) {
        framing.failure(reason).ifPresent(bytes -> out.add(new Action.Send(new Sent.Failure(reason), bytes)));
        closing(ending, reason, out);
    }

    private void closing(Ending ending, String detail, List<Action> out) {
        out.add(new Action.EndOutput());
        end(ending, detail, out);
        if (outputBlocked) {
            close(out); // a peer that takes nothing would not read these last words: no linger for it
            return;
        }
        state = State.CLOSING;
        lingerAt = now + LINGER.toNanos();
        forgetTheConversation();
    }

    private void end(Ending ending, String detail, List<Action> out) {
        outcome = new Outcome(ending, me.other(), detail);
        out.add(new Action.Ended(outcome));
    }

    private void close(List<Action> out) {
        state = State.CLOSED;
        forgetTheConversation();
        out.add(new Action.Close());
    }

    /**
     * Once it has ended: no deadline but the linger, nothing held for a turn, and what the peer
     * sent before the end is not read (its memory goes at once).
     */
    private void forgetTheConversation() {
        decoder.clear();
        idleArmed = false;
        lineArmed = false;
        firstStarted = false;
        stalledArmed = false;
        asked = false;
        held = null;
        unshown = null;
        heldCost = 0;
        unshownCost = 0;
    }

    // ---- checks and queries ------------------------------------------------------------------------------

    private void requireState(Input input, State required, String why) {
        requireState(input, state == required, why);
    }

    private void requireState(Input input, boolean allowed, String why) {
        if (!allowed) {
            throw new IllegalInputException(state, input, why);
        }
    }

    private void requireOperator(Input input) {
        if (responder != null) {
            throw new IllegalInputException(state, input, "this side is answered by a responder, not an operator");
        }
    }

    private static String quote(String text) {
        return "'" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'";
    }

    /**
     * True when {@code text} ends the conversation: the whole message is {@code bye} once stripped
     * of leading and trailing white space ({@link Character#isWhitespace}) and case-folded with
     * {@link Locale#ROOT}. This is the one place bye is decided.
     *
     * @param text a message, as said or heard
     * @return whether {@code text} is bye
     */
    public static boolean isBye(String text) {
        int from = 0;
        int to = text.length();
        while (from < to && Character.isWhitespace(text.codePointAt(from))) {
            from += Character.charCount(text.codePointAt(from));
        }
        while (to > from && Character.isWhitespace(text.codePointBefore(to))) {
            to -= Character.charCount(text.codePointBefore(to));
        }
        // As text.strip().toLowerCase(Locale.ROOT).equals("bye"), without copying a long message.
        return to - from == 3 && text.substring(from, to).toLowerCase(Locale.ROOT).equals("bye");
    }

    /**
     * The state now: the row of the table that the next input is looked up in.
     *
     * @return the state now
     */
    public State state() {
        return state;
    }

    /**
     * Which side this session speaks for.
     *
     * @return {@link Role#CLIENT} or {@link Role#SERVER}
     */
    public Role role() {
        return me;
    }

    /**
     * How the conversation ended, once it has: the outcome of {@link Action.Ended}.
     *
     * @return the outcome, or empty while the conversation goes on
     */
    public Optional<Outcome> outcome() {
        return Optional.ofNullable(outcome);
    }

    /**
     * Whether the driver should read the peer now. False while the session holds a frame ahead of
     * its turn (back-pressure: the peer's bytes wait in the network), and once closed.
     *
     * @return true when the driver should read the peer and hand over what it reads
     */
    public boolean wantsPeerBytes() {
        return switch (state) {
            case PEER_TURN -> !peerEnded;
            case OWN_TURN -> held == null && !peerEnded;
            case CLOSING -> true;
            default -> false;
        };
    }

    /**
     * When the session next needs a {@link Input.Tick}, if it has a deadline at all. The driver
     * asks again after each {@link #handle}: the deadline moves as the conversation does.
     *
     * @return the time of the next deadline, on the clock of the times given to {@link #handle},
     *     or empty when nothing will happen without another input
     */
    public OptionalLong deadline() {
        if (state == State.CLOSING) {
            return OptionalLong.of(lingerAt);
        }
        boolean peerTurn = state == State.PEER_TURN;
        long next = 0;
        boolean any = false;
        long[] at = {idleAt, lineAt, firstAt, stalledAt};
        boolean[] armed = {idleArmed && peerTurn, lineArmed, firstMessageArmed(), stalledArmed};
        for (int i = 0; i < at.length; i++) {
            if (armed[i] && (!any || at[i] - next < 0)) {
                next = at[i];
                any = true;
            }
        }
        return any ? OptionalLong.of(next) : OptionalLong.empty();
    }

    /**
     * Memory held for what the peer sent and this side has not finished with, in bytes (about), for
     * a server's memory budget: the decoder's bytes (a partial line, a read not taken yet), the frame
     * taken ahead of its turn, and a message heard before the server's person came (see
     * {@link #heapCost}).
     *
     * @return the bytes held for the peer's data
     */
    public int bufferedBytes() {
        return decoder.bufferedBytes() + heldCost + unshownCost;
    }

    /**
     * What a kept message costs the heap: its characters (one byte each when all are Latin-1, as
     * the JDK's compact strings store them, else two) and the string's and array's headers.
     */
    private static int heapCost(String text) {
        int perChar = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xFF) {
                perChar = 2;
                break;
            }
        }
        return STRING_OVERHEAD + perChar * text.length();
    }

    @Override
    public String toString() {
        return "Session[" + me.label() + ", " + state + "]";
    }
}
