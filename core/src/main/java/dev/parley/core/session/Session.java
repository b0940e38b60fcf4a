package dev.parley.core.session;

import static dev.parley.core.session.Deadline.FIRST_MESSAGE;
import static dev.parley.core.session.Deadline.IDLE;
import static dev.parley.core.session.Deadline.LINE;
import static dev.parley.core.session.Session.Rule.*;
import static dev.parley.core.session.Session.TakenBy.ANY;
import static dev.parley.core.session.Session.TakenBy.DESK;
import static dev.parley.core.session.Session.TakenBy.PERSON;

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
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * {@link Input.OperatorLine}). A person's console hands over every line the person enters, in or
 * out of turn, saying whether it was entered at the prompt that asked for it; which lines are sent,
 * and what the person is told of the others, is decided here (e). A person's {@code bye} leaves at
 * once, in or out of turn: either side may say bye at any time. A server's person is shared by many
 * conversations (the operators' desk, {@code dev.parley.core.desk}): a session waiting for a person
 * ({@link Input.Wait}) tells its peer its place and shows nothing until one comes
 * ({@link Input.Attend}); a person may hand it back to the line, and the next is shown the message
 * waiting for an answer.
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
 * answer); a person is told at once. A peer that has gone ({@link Input.PeerGone}: a browser's
 * WebSocket Close) reads nothing more: nothing is held for it, the conversation ends at once. A
 * server may not send ahead: a message from the server in the client's turn is a protocol failure
 * ({@code PEER_OUT_OF_TURN}); its bye, notices and failure reports may come at any time.
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
 * <p>What each input does in each state. It is the code's own: {@link #handle} looks every input
 * up in it once, before anything changes, and carries out the rule it finds (a test checks that
 * this copy and the code's agree, cell by cell).
 *
 * <pre>
 * input         | taken by | NEW              | PEER_TURN          | OWN_TURN           | CLOSING          | CLOSED
 * --------------+----------+------------------+--------------------+--------------------+------------------+--------
 * Open          | any      | start (a)        | illegal            | illegal            | illegal          | illegal
 * Refuse        | any      | refuse (b)       | illegal            | illegal            | illegal          | illegal
 * PeerBytes     | any      | illegal          | take frames (c, d) | take frames (c, d) | drained          | illegal
 * PeerClosed    | any      | illegal          | input ends (c, d)  | input ends (c, d)  | Close            | nothing
 * PeerGone      | any      | illegal          | gone (k)           | gone (k)           | Close            | nothing
 * PeerFailed    | any      | illegal          | end PEER_LOST      | end PEER_LOST      | Close            | nothing
 * OperatorLine  | person   | illegal          | bye, or not sent   | speak (e)          | Notice: not sent | nothing
 * OperatorDone  | person   | illegal          | leave INPUT_ENDED  | leave INPUT_ENDED  | nothing          | nothing
 * Stop          | any      | end STOPPED      | leave STOPPED      | leave STOPPED      | nothing          | nothing
 * Tick          | any      | nothing          | deadlines (g)      | deadlines (g)      | linger (f)       | nothing
 * Attend        | desk     | attended (i)     | attended (i)       | attended (i)       | nothing          | nothing
 * Wait          | desk     | wait in line (h) | wait in line (h)   | wait in line (h)   | nothing          | nothing
 * Drop          | any      | illegal          | fail DROPPED       | fail DROPPED       | nothing          | nothing
 * OutputBlocked | any      | illegal          | stalled (j)        | stalled (j)        | nothing          | nothing
 * OutputFlowing | any      | illegal          | flowing (j)        | flowing (j)        | nothing          | nothing
 *
 * taken by: which sessions take the input at all; every other session refuses it, in every state.
 *     any: every session. person: a side answered by a person (a client, or a server for an
 *     operator). desk: a server answered by a person shared by many conversations.
 * end E: Ended E, Close; CLOSED. fail E: Send the reason as a failure line (when the framing has
 *     one), EndOutput, Ended E; CLOSING. leave E: see (f).
 * (a) client: OWN_TURN, AskOperator. server: PEER_TURN, the idle deadline starts.
 * (b) fail REFUSED, the refusal as the reason.
 * (c) PEER_TURN: each complete frame in turn: a message is heard (Show; the responder answers at
 *     once, or AskOperator) and the turn passes; bye ends (end PEER_SAID_BYE); a failure report
 *     ends (end PEER_FAILED); a notice is shown (Notice); a too-long line is refused (fail
 *     PEER_LINE_TOO_LONG); the end of input ends (end PEER_CLOSED); a frame the end of input cut
 *     off (a last line without its line feed) is never heard, shown or answered: end PEER_CUT_OFF,
 *     its text as the detail. Bytes restart the idle deadline. Once the peer's input has ended,
 *     PeerBytes and PeerClosed are illegal.
 * (d) OWN_TURN: the next frame only: bye, failure and too long end as in (c); a notice is shown;
 *     on the client a message is out of turn (fail PEER_OUT_OF_TURN) and the end of input or a
 *     cut-off frame ends at once; on the server a message, the end of input or a cut-off frame is
 *     held for the peer's next turn (a person with it is told of the end at once).
 * (e) A person's bye leaves, in or out of turn, asked or not: leave SAID_BYE (f). Any other line is
 *     sent only if the person was asked and entered it at that question's prompt (prompted): a
 *     message the framing cannot carry gets a ShowNotice and the person is asked again (a responder's
 *     reply ends the conversation instead: fail UNSENDABLE_REPLY); otherwise Send it; PEER_TURN,
 *     and held frames are taken as in (c). A line not sent changes nothing, and the ShowNotice says
 *     why: the peer's turn (so it is in PEER_TURN, and in OWN_TURN before the server's person
 *     came), entered before this side's turn came (asked, not prompted), or the conversation has
 *     ended (CLOSING: a bye too). Consoles hand over every line entered: this is the one place a
 *     line out of turn is refused.
 * (f) leave E: Send bye (when the framing has one), EndOutput, Ended E; CLOSING. linger: Close
 *     (CLOSED) once LINGER has passed since the ending.
 * (g) idle (PEER_TURN, no bytes for the idle timeout): fail IDLE_TIMEOUT. line (part of a frame
 *     held for the line timeout): fail LINE_TIMEOUT. Also the deadlines of (i) and (j).
 * (h) The operator is not with this conversation: it is told its place in line (Send a notice),
 *     and the clock of (i) starts. A conversation an operator was with is handed back to the line:
 *     it is told so, no one is asked now, and the message waiting for an answer is kept for the
 *     next operator (shown and asked on the Attend that brings one, as in (i)).
 * (i) The first-message clock. A client that has said nothing has the first-message timeout to
 *     say something, counted from the first time it shares the operator: it is told to wait in
 *     line (from its arrival), or is attended while others wait. The clock never restarts. It
 *     counts only while the operator is with it and others wait: then, once it has passed, fail
 *     IDLE_TIMEOUT, on a Tick or at once on the Attend that brings the operator to a client whose
 *     time ran out in line. Attend again updates how many wait. In OWN_TURN, the operator coming
 *     is shown the message heard meanwhile (Show, and a Notice if the client has half-closed since)
 *     and asked (AskOperator).
 * (j) stalled: the peer takes none of this side's bytes; if it takes none for the idle timeout:
 *     fail IDLE_TIMEOUT. Any ending while it takes none closes at once (CLOSED, Close): it would
 *     not read the last words. Its own idle deadline passing meanwhile gives the same reason (it
 *     was not read: it took none). flowing: it takes them again, and that clock stops.
 * (k) The peer reads nothing more: PEER_TURN: its input ends, as in (c) (a line begun is cut off);
 *     OWN_TURN: end PEER_CLOSED, and what was held for its next turn goes with it.
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
    /** The time of the input being handled: taken once, at the top of {@link #handle}. */
    private long now;
    private boolean attended;
    private int othersWaiting;
    private boolean asked;
    /** The peer's next frame, taken ahead while this side holds the turn. */
    private Frame held;
    /**
     * A server answered by a shared person: the message waiting for its answer, kept until it is
     * answered (shown when a person comes, and again to the next if this one hands it back).
     */
    private String question;
    /** What {@link #held} and {@link #question} cost the heap, counted once as each is kept. */
    private int heldCost;
    private int questionCost;
    private boolean peerEnded;
    private int turn;
    private Outcome outcome;
    /** The peer takes none of this side's bytes (j). */
    private boolean outputBlocked;

    /** The deadlines set ({@link Deadline#bit}), and when each passes: restarted without allocating. */
    private int deadlines;
    private long idleAt;
    private long lineAt;
    private long firstMessageAt;
    private long stalledAt;
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
        Rule rule = ruleFor(Objects.requireNonNull(input, "input"));
        this.now = now;
        List<Action> out = new ArrayList<>(4);
        rule.step.take(this, input, out);
        return out;
    }

    // ---- the table ---------------------------------------------------------------------------------------

    /** Which sessions take an input at all: the table's "taken by" column. */
    enum TakenBy {
        ANY("any", null),
        PERSON("person", "this side is answered by a responder, not a person"),
        DESK("desk", "only a server answered by a person is attended or waits for one");

        /** As the header's table prints it. */
        final String printed;
        private final String refusal;

        TakenBy(String printed, String refusal) {
            this.printed = printed;
            this.refusal = refusal;
        }

        boolean includes(Session session) {
            return this == ANY || session.responder == null && (this == PERSON || session.me == Role.SERVER);
        }
    }

    /** What one step of the rules does with an input; it is handed only inputs of its row. */
    @FunctionalInterface
    private interface Step {
        void take(Session session, Input input, List<Action> out);
    }

    /** The rules that the cells of the table name: each is one step. */
    enum Rule {
        ILLEGAL("illegal", null),
        NOTHING("nothing", (s, input, out) -> { }),
        DRAINED("drained", (s, input, out) -> { }), // what the peer sends after the end is not read
        START("start (a)", (s, input, out) -> s.start(out)),
        REFUSE("refuse (b)", (s, input, out) -> s.fail(Ending.REFUSED, ((Input.Refuse) input).refusal().reason(), out)),
        TAKE_FRAMES("take frames (c, d)", (s, input, out) -> s.takeBytes((Input.PeerBytes) input, out)),
        INPUT_ENDS("input ends (c, d)", (s, input, out) -> s.peerInputEnds(out)),
        GONE("gone (k)", (s, input, out) -> s.peerGone(out)),
        LOST("end PEER_LOST", (s, input, out) -> s.endAndClose(Ending.PEER_LOST, ((Input.PeerFailed) input).reason(), out)),
        CLOSE("Close", (s, input, out) -> s.close(out)),
        NOT_SENT("Notice: not sent", (s, input, out) -> s.notSent(((Input.OperatorLine) input).text(), out)),
        BYE_OR_NOT_SENT("bye, or not sent", (s, input, out) -> s.byeOrNotSent(((Input.OperatorLine) input).text(), out)),
        SPEAK("speak (e)", (s, input, out) -> s.speakIfAsked((Input.OperatorLine) input, out)),
        INPUT_ENDED("leave INPUT_ENDED", (s, input, out) -> s.leave(Ending.INPUT_ENDED, out)),
        STOPPED("leave STOPPED", (s, input, out) -> s.leave(Ending.STOPPED, out)),
        STOPPED_UNOPENED("end STOPPED", (s, input, out) -> s.endAndClose(Ending.STOPPED, "", out)),
        DEADLINES("deadlines (g)", (s, input, out) -> s.deadlines(out)),
        LINGERED("linger (f)", (s, input, out) -> s.linger(out)),
        ATTEND("attended (i)", (s, input, out) -> s.attend(((Input.Attend) input).othersWaiting(), out)),
        WAIT("wait in line (h)", (s, input, out) -> s.waitInLine(((Input.Wait) input).ahead(), out)),
        DROP("fail DROPPED", (s, input, out) -> s.fail(Ending.DROPPED, ((Input.Drop) input).reason().reason(), out)),
        STALLED("stalled (j)", (s, input, out) -> s.output(true)),
        FLOWING("flowing (j)", (s, input, out) -> s.output(false));

        /** As the header's table prints it. */
        final String printed;
        private final Step step;

        Rule(String printed, Step step) {
            this.printed = printed;
            this.step = step;
        }
    }

    /** A row of the table: who takes the input, and its rule in each state, in the order of {@link State}. */
    record Row(TakenBy takenBy, Rule... rules) {
        Rule in(State state) {
            return rules[state.ordinal()];
        }
    }

    /** The table, built once from {@link #row}: each input's row, by its kind. */
    static final Map<Input.Kind, Row> TABLE;

    static {
        Map<Input.Kind, Row> table = new EnumMap<>(Input.Kind.class);
        for (Input.Kind kind : Input.Kind.values()) {
            table.put(kind, row(kind));
        }
        TABLE = Collections.unmodifiableMap(table);
    }

    /**
     * The header's table, row by row. A switch expression: an input without its row does not
     * compile. A rule that reads its input's fields is in that input's row only.
     */
    private static Row row(Input.Kind input) {
        return switch (input) {
            //                                    NEW               PEER_TURN    OWN_TURN     CLOSING   CLOSED
            case OPEN -> new Row(ANY,             START,            ILLEGAL,     ILLEGAL,     ILLEGAL,  ILLEGAL);
            case REFUSE -> new Row(ANY,           REFUSE,           ILLEGAL,     ILLEGAL,     ILLEGAL,  ILLEGAL);
            case PEER_BYTES -> new Row(ANY,       ILLEGAL,          TAKE_FRAMES, TAKE_FRAMES, DRAINED,  ILLEGAL);
            case PEER_CLOSED -> new Row(ANY,      ILLEGAL,          INPUT_ENDS,  INPUT_ENDS,  CLOSE,    NOTHING);
            case PEER_GONE -> new Row(ANY,        ILLEGAL,          GONE,        GONE,        CLOSE,    NOTHING);
            case PEER_FAILED -> new Row(ANY,      ILLEGAL,          LOST,        LOST,        CLOSE,    NOTHING);
            case OPERATOR_LINE -> new Row(PERSON, ILLEGAL,          BYE_OR_NOT_SENT, SPEAK,   NOT_SENT, NOTHING);
            case OPERATOR_DONE -> new Row(PERSON, ILLEGAL,          INPUT_ENDED, INPUT_ENDED, NOTHING,  NOTHING);
            case STOP -> new Row(ANY,             STOPPED_UNOPENED, STOPPED,     STOPPED,     NOTHING,  NOTHING);
            case TICK -> new Row(ANY,             NOTHING,          DEADLINES,   DEADLINES,   LINGERED, NOTHING);
            case ATTEND -> new Row(DESK,          ATTEND,           ATTEND,      ATTEND,      NOTHING,  NOTHING);
            case WAIT -> new Row(DESK,            WAIT,             WAIT,        WAIT,        NOTHING,  NOTHING);
            case DROP -> new Row(ANY,             ILLEGAL,          DROP,        DROP,        NOTHING,  NOTHING);
            case OUTPUT_BLOCKED -> new Row(ANY,   ILLEGAL,          STALLED,     STALLED,     NOTHING,  NOTHING);
            case OUTPUT_FLOWING -> new Row(ANY,   ILLEGAL,          FLOWING,     FLOWING,     NOTHING,  NOTHING);
        };
    }

    /** The rule for {@code input} now; an input the table calls illegal is refused before anything changes. */
    private Rule ruleFor(Input input) {
        Row row = TABLE.get(input.kind());
        Rule rule = row.in(state);
        if (!row.takenBy().includes(this)) {
            throw new IllegalInputException(state, input, row.takenBy().refusal);
        } else if (rule == ILLEGAL) {
            throw new IllegalInputException(state, input, switch (state) {
                case NEW -> "the conversation has not opened";
                case PEER_TURN, OWN_TURN, CLOSING -> "the conversation has opened already";
                case CLOSED -> "the connection is closed";
            });
        } else if (peerEnded && (rule == TAKE_FRAMES || rule == INPUT_ENDS)) {
            throw new IllegalInputException(state, input, "the peer's input has ended");
        }
        return rule;
    }

    // ---- the rules, in the table's order -------------------------------------------------------------------

    private void start(List<Action> out) {
        if (me == Role.CLIENT) {
            state = State.OWN_TURN;
            ask(out);
        } else {
            peerTurn();
        }
    }

    private void takeBytes(Input.PeerBytes bytes, List<Action> out) {
        decoder.feed(bytes.bytes(), bytes.offset(), bytes.length());
        if (state == State.PEER_TURN) {
            start(IDLE, limits.idleTimeout()); // a byte is a sign of life
        }
        takeFrames(out);
        watchPartialFrame();
    }

    private void peerInputEnds(List<Action> out) {
        peerEnded = true;
        decoder.endOfInput();
        stop(LINE);
        takeFrames(out);
    }

    /** The peer reads nothing more (k): nothing is held for a turn it will not take. */
    private void peerGone(List<Action> out) {
        if (state == State.PEER_TURN) {
            peerInputEnds(out); // every whole frame was taken: the end, or a line it cut off, ends it
        } else {
            peerEnded = true;
            endAndClose(Ending.PEER_CLOSED, "", out);
        }
    }

    /** A line of the person's that is not sent, and why: the one place a line out of turn is refused (e). */
    private void notSent(String text, List<Action> out) {
        String why = state == State.CLOSING ? "the conversation has ended"
                : asked ? "entered before your turn came"
                : me.other().label() + "'s turn";
        out.add(new Action.ShowNotice("not sent (" + why + "): " + quote(text)));
    }

    /** A person's line in the peer's turn: bye leaves at once; anything else is not sent (e). */
    private void byeOrNotSent(String text, List<Action> out) {
        if (isBye(text)) {
            leave(Ending.SAID_BYE, out);
        } else {
            notSent(text, out);
        }
    }

    private void speakIfAsked(Input.OperatorLine line, List<Action> out) {
        if (isBye(line.text())) {
            leave(Ending.SAID_BYE, out); // in or out of turn, asked or not
            return;
        }
        if (!asked || !line.prompted()) {
            notSent(line.text(), out); // entered before the question showed, or before the server's person came
            return;
        }
        asked = false;
        speak(line.text(), out);
        takeFrames(out);
    }

    private void deadlines(List<Action> out) {
        if (passed(LINE)) {
            fail(Ending.LINE_TIMEOUT, limits.lineReason(), out);
        } else if (passed(Deadline.STALLED)) {
            fail(Ending.IDLE_TIMEOUT, limits.stalledReason(), out);
        } else if (firstMessageDue()) {
            fail(Ending.IDLE_TIMEOUT, limits.firstMessageReason(), out);
        } else if (passed(IDLE)) {
            // While the peer takes none of the replies its messages are not read either: say why.
            fail(Ending.IDLE_TIMEOUT, isSet(Deadline.STALLED) ? limits.stalledReason() : limits.idleReason(), out);
        }
    }

    private void linger(List<Action> out) {
        if (passed(Deadline.LINGER)) {
            close(out);
        }
    }

    private void attend(int othersWaiting, List<Action> out) {
        this.othersWaiting = othersWaiting;
        boolean cameNow = !attended;
        attended = true;
        if (othersWaiting > 0) {
            startFirstMessageClock();
        }
        if (firstMessageDue()) {
            fail(Ending.IDLE_TIMEOUT, limits.firstMessageReason(), out); // its time passed while it waited in line
        } else if (cameNow && state == State.OWN_TURN && question != null) {
            out.add(new Action.Show(question));
            if (held instanceof Frame.End || held instanceof Frame.CutOff) {
                out.add(halfClosed(held));
            }
            ask(out);
        }
    }

    private void waitInLine(int place, List<Action> out) {
        boolean handedBack = attended;
        attended = false;
        asked = false; // handed back: no one is asked until the next operator comes; the question is kept
        startFirstMessageClock(); // from its arrival: its place in line is no time to think of a first message
        framing.notice((handedBack ? "back in line for the next operator" : "waiting for the operator")
                + "; you are number " + place + " in line")
                .ifPresent(bytes -> out.add(new Action.Send(new Sent.Notice("waiting: number " + place), bytes)));
    }

    /** The peer stopped taking this side's bytes, or took them again: the idle clock runs meanwhile (j). */
    private void output(boolean blocked) {
        outputBlocked = blocked;
        if (!blocked) {
            stop(Deadline.STALLED);
        } else if (!isSet(Deadline.STALLED)) {
            start(Deadline.STALLED, limits.idleTimeout());
        }
    }

    // ---- what the rules share --------------------------------------------------------------------------

    /** Takes the peer's frames while the rules let it: each in its turn, or one ahead (c, d). */
    private void takeFrames(List<Action> out) {
        while (talking()) {
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
            } else if (frame instanceof Frame.Notice notice) {
                out.add(new Action.ShowNotice(me.other().label() + ": " + notice.text()));
            } else if (frame instanceof Frame.Failure failure) {
                endAndClose(Ending.PEER_FAILED, failure.reason(), out);
            } else if (frame instanceof Frame.End || frame instanceof Frame.CutOff) {
                if (ahead && me == Role.SERVER) {
                    held = frame; // a half-close: the client can still read the answer
                    heldCost = frame instanceof Frame.CutOff cut ? heapCost(cut.text()) : 0;
                    if (attended && responder == null) {
                        out.add(halfClosed(frame));
                    }
                    return;
                }
                if (frame instanceof Frame.CutOff cut) {
                    endAndClose(Ending.PEER_CUT_OFF, cut.text(), out); // never heard: not a message
                } else {
                    endAndClose(Ending.PEER_CLOSED, "", out);
                }
            } else if (frame instanceof Frame.Message message) {
                if (isBye(message.text())) {
                    endAndClose(Ending.PEER_SAID_BYE, "", out);
                } else if (!ahead) {
                    hear(message.text(), out);
                } else if (me == Role.SERVER) {
                    held = frame; // pipelined: the client's next turn
                    heldCost = heapCost(message.text());
                    return;
                } else {
                    fail(Ending.PEER_OUT_OF_TURN, "out of turn: the " + me.other().label()
                            + " sent a message while it was the " + me.label() + "'s turn to speak", out);
                }
            } else {
                throw new IllegalStateException("a frame of no known kind: " + frame);
            }
        }
    }

    /** What a person holding the turn is told when the client ends its input (a half-close). */
    private Action halfClosed(Frame end) {
        return new Action.ShowNotice(me.other().label() + " closed its side of the connection"
                + (end instanceof Frame.CutOff ? " in the middle of a line (cut off, not a message)" : "")
                + "; it can still read your answer");
    }

    /** The peer said {@code text} in its turn: this side answers. */
    private void hear(String text, List<Action> out) {
        state = State.OWN_TURN;
        stop(IDLE);
        int thisTurn = turn++;
        if (responder != null) {
            out.add(new Action.Show(text));
            speak(responder.reply(thisTurn, text), out);
            return;
        }
        if (me == Role.SERVER) {
            question = text; // kept until answered: for the person to come, or the next one
            questionCost = heapCost(text);
        }
        if (attended) {
            out.add(new Action.Show(text));
            ask(out);
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
                out.add(new Action.ShowNotice("not sent: " + e.getMessage() + "; type another message"));
                ask(out);
            }
            return;
        }
        out.add(new Action.Send(new Sent.Message(text), bytes));
        question = null;
        questionCost = 0;
        peerTurn();
    }

    private void ask(List<Action> out) {
        asked = true;
        out.add(new Action.AskOperator());
    }

    private void peerTurn() {
        state = State.PEER_TURN;
        start(IDLE, limits.idleTimeout());
    }

    private boolean talking() {
        return state == State.PEER_TURN || state == State.OWN_TURN;
    }

    /** Starts the line deadline when part of a frame arrives, and stops it once none is pending. */
    private void watchPartialFrame() {
        if (!talking()) {
            return;
        }
        if (!decoder.hasPartialFrame()) {
            stop(LINE);
        } else if (!isSet(LINE)) {
            start(LINE, limits.lineTimeout());
        }
    }

    /**
     * Starts the first-message clock of (i), once: the first time this conversation shares the
     * server's person with another (it waits in line, or is attended while others wait) before its
     * client has said anything.
     */
    private void startFirstMessageClock() {
        if (!isSet(FIRST_MESSAGE) && turn == 0 && (state == State.NEW || state == State.PEER_TURN)) {
            start(FIRST_MESSAGE, limits.firstMessageTimeout());
        }
    }

    /** The first-message deadline counts: the person is with a client that has said nothing, and others wait. */
    private boolean firstMessageCounts() {
        return attended && othersWaiting > 0 && turn == 0 && state == State.PEER_TURN;
    }

    private boolean firstMessageDue() {
        return firstMessageCounts() && passed(FIRST_MESSAGE);
    }

    /** This side leaves: bye (when the framing has one), then the output ends (f). */
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
        forgetTheConversation();
        start(Deadline.LINGER, LINGER);
    }

    private void end(Ending ending, String detail, List<Action> out) {
        outcome = new Outcome(ending, me.other(), detail);
        out.add(new Action.Ended(outcome));
    }

    private void endAndClose(Ending ending, String detail, List<Action> out) {
        end(ending, detail, out);
        close(out);
    }

    private void close(List<Action> out) {
        state = State.CLOSED;
        forgetTheConversation();
        out.add(new Action.Close());
    }

    /**
     * Once it has ended: no deadline (but the linger that closing sets), nothing held for a turn,
     * and what the peer sent before the end is not read (its memory goes at once).
     */
    private void forgetTheConversation() {
        decoder.clear();
        deadlines = 0;
        asked = false;
        held = null;
        question = null;
        heldCost = 0;
        questionCost = 0;
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
     * The state now: the column of the table that the next input is looked up in.
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
        int counted = firstMessageCounts() ? deadlines : deadlines & ~FIRST_MESSAGE.bit();
        if (counted == 0) {
            return OptionalLong.empty();
        }
        long first = 0;
        boolean found = false;
        for (Deadline d : Deadline.ALL) {
            if ((counted & d.bit()) != 0 && (!found || at(d) - first < 0)) {
                first = at(d);
                found = true;
            }
        }
        return OptionalLong.of(first);
    }

    // ---- the deadlines, as plain fields --------------------------------------------------------------

    /** Sets {@code which} to {@code timeout} after now; a zero timeout waits for ever: then it is not set. */
    private void start(Deadline which, Duration timeout) {
        if (timeout.isZero()) {
            stop(which);
            return;
        }
        long at = now + timeout.toNanos();
        switch (which) {
            case IDLE -> idleAt = at;
            case LINE -> lineAt = at;
            case FIRST_MESSAGE -> firstMessageAt = at;
            case STALLED -> stalledAt = at;
            case LINGER -> lingerAt = at;
        }
        deadlines |= which.bit();
    }

    private void stop(Deadline which) {
        deadlines &= ~which.bit();
    }

    private boolean isSet(Deadline which) {
        return (deadlines & which.bit()) != 0;
    }

    /** Whether {@code which} is set and now is at or past it. */
    private boolean passed(Deadline which) {
        return isSet(which) && Deadline.reached(at(which), now);
    }

    private long at(Deadline which) {
        return switch (which) {
            case IDLE -> idleAt;
            case LINE -> lineAt;
            case FIRST_MESSAGE -> firstMessageAt;
            case STALLED -> stalledAt;
            case LINGER -> lingerAt;
        };
    }

    /**
     * Memory held for what the peer sent and this side has not finished with, in bytes (about), for
     * a server's memory budget: the decoder's bytes (a partial line, a read not taken yet), the frame
     * taken ahead of its turn, and, on a server answered by a shared person, the message waiting
     * for its answer (see {@link #heapCost}).
     *
     * @return the bytes held for the peer's data
     */
    public int bufferedBytes() {
        return decoder.bufferedBytes() + heldCost + questionCost;
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
