package dev.parley.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.responder.Responder;
import dev.parley.core.wire.Framing;
import dev.parley.core.wire.LineFraming;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The session's table, cell by cell: every input in every state, on every kind of session. The
 * verdicts expected are those of the table printed in {@link Session}'s header, which is checked to
 * be the code's own; an illegal input must change nothing at all, and a cell that says "nothing"
 * must do nothing.
 */
class SessionTableTest {

    private static final long T0 = Long.MAX_VALUE - 1_000_000_000L; // only differences count: the clock may wrap
    private static final long SECOND = 1_000_000_000L;
    private static final Framing LINE = new LineFraming(16);
    private static final Limits LIMITS = new Limits(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(5));

    /** The table printed in Session's header: each input's name, then its cells (taken by, then one per state). */
    private static Map<String, List<String>> printed;

    @BeforeAll
    static void readThePrintedTable() throws IOException {
        String source = Files.readString(Path.of("src/main/java/dev/parley/core/session/Session.java"), StandardCharsets.UTF_8);
        String section = source.substring(source.indexOf("<h2>The table</h2>"));
        String pre = section.substring(section.indexOf("<pre>") + "<pre>".length(), section.indexOf("</pre>"));
        List<List<String>> rows = pre.lines()
                .map(line -> line.replaceFirst("^\\s*\\* ?", ""))
                .filter(line -> line.contains("|"))
                .map(line -> Arrays.stream(line.split("\\|")).map(String::strip).toList())
                .toList();
        List<String> columns = new ArrayList<>(List.of("input", "taken by"));
        Arrays.stream(State.values()).map(State::name).forEach(columns::add);
        assertEquals(columns, rows.get(0), "the printed table's columns: the states, in their order");
        printed = new LinkedHashMap<>();
        rows.subList(1, rows.size()).forEach(row -> printed.put(row.get(0), row.subList(1, row.size())));
    }

    /** One input of each kind; a switch expression, so a new kind does not compile until it has one here. */
    private static Input sample(Input.Kind kind) {
        return switch (kind) {
            case OPEN -> new Input.Open();
            case REFUSE -> new Input.Refuse(new Refusal.Busy(1));
            case PEER_BYTES -> new Input.PeerBytes("late\n".getBytes(StandardCharsets.UTF_8));
            case PEER_CLOSED -> new Input.PeerClosed();
            case PEER_GONE -> new Input.PeerGone();
            case PEER_FAILED -> new Input.PeerFailed("reset");
            case OPERATOR_LINE -> new Input.OperatorLine("a line");
            case OPERATOR_DONE -> new Input.OperatorDone();
            case STOP -> new Input.Stop();
            case TICK -> new Input.Tick();
            case ATTEND -> new Input.Attend(1);
            case WAIT -> new Input.Wait(2);
            case DROP -> new Input.Drop(new Refusal.ShortOfMemory());
            case OUTPUT_BLOCKED -> new Input.OutputBlocked();
            case OUTPUT_FLOWING -> new Input.OutputFlowing();
        };
    }

    /** The name of the input a kind stands for, as the printed table has it. */
    private static String name(Input.Kind kind) {
        return sample(kind).getClass().getSimpleName();
    }

    @Test
    void eachInputRecordHasAKindOfItsOwnNamedAfterIt() {
        Set<String> records = Arrays.stream(Input.class.getPermittedSubclasses()).map(Class::getSimpleName).collect(Collectors.toSet());
        assertEquals(records, Arrays.stream(Input.Kind.values()).map(SessionTableTest::name).collect(Collectors.toSet()));
        for (Input.Kind kind : Input.Kind.values()) {
            assertSame(kind, sample(kind).kind());
            assertEquals(name(kind).replaceAll("(?<=.)(?=\\p{Upper})", "_").toUpperCase(Locale.ROOT), kind.name(),
                    "the kind a rule trusts to read its input by");
        }
    }

    @Test
    void thePrintedTableIsTheCodesTable() {
        assertEquals(Arrays.stream(Input.Kind.values()).map(SessionTableTest::name).toList(), List.copyOf(printed.keySet()),
                "one printed row for each input, in the order of Input.Kind");
        for (Input.Kind kind : Input.Kind.values()) {
            Session.Row row = Session.TABLE.get(kind);
            List<String> code = new ArrayList<>(List.of(row.takenBy().printed));
            Arrays.stream(State.values()).map(state -> row.in(state).printed).forEach(code::add);
            assertEquals(code, printed.get(name(kind)), name(kind));
        }
    }

    /** A session of one kind, driven into one state. */
    private record Situation(String name, State state, Set<Session.TakenBy> takes, boolean peerEnded, Supplier<Session> make) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final Set<Session.TakenBy> PERSON = EnumSet.of(Session.TakenBy.ANY, Session.TakenBy.PERSON);
    private static final Set<Session.TakenBy> DESK = EnumSet.allOf(Session.TakenBy.class);
    private static final Set<Session.TakenBy> RESPONDER = EnumSet.of(Session.TakenBy.ANY);

    private static Session fed(Session session, Input... inputs) {
        for (Input input : inputs) {
            session.handle(T0, input);
        }
        return session;
    }

    private static Input bytes(String text) {
        return new Input.PeerBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Situation at(String name, State state, Set<Session.TakenBy> takes, Supplier<Session> session, Input... inputs) {
        return new Situation(name, state, takes, false, () -> fed(session.get(), inputs));
    }

    private static Situation peerEnded(String name, Set<Session.TakenBy> takes, Supplier<Session> session, Input... inputs) {
        return new Situation(name, State.OWN_TURN, takes, true, () -> fed(session.get(), inputs));
    }

    /**
     * Every kind of session in every state it can be in, some states several ways (deadlines
     * running, a frame held, the peer's input ended). A server answered by a responder is never
     * left in OWN_TURN: the responder answers at once.
     */
    private static List<Situation> situations() {
        Supplier<Session> client = () -> Session.client(LINE, LIMITS);
        Supplier<Session> echo = () -> Session.server(LINE, LIMITS, Responder.echo());
        Supplier<Session> person = () -> Session.serverForOperator(LINE, LIMITS);
        Input open = new Input.Open();
        Input hi = bytes("hi\n");
        return List.of(
                at("client, new", State.NEW, PERSON, client),
                at("client, asked", State.OWN_TURN, PERSON, client, open),
                at("client, asked, the server's line begun", State.OWN_TURN, PERSON, client, open, bytes("unask")),
                at("client, waiting", State.PEER_TURN, PERSON, client, open, new Input.OperatorLine("hello")),
                at("client, waiting, a line begun, the server stalled", State.PEER_TURN, PERSON, client, open,
                        new Input.OperatorLine("hello"), bytes("par"), new Input.OutputBlocked()),
                at("client, closing", State.CLOSING, PERSON, client, open, new Input.OperatorLine("bye")),
                at("client, closed", State.CLOSED, PERSON, client, open, new Input.PeerFailed("reset")),

                at("echo server, new", State.NEW, RESPONDER, echo),
                at("echo server, waiting", State.PEER_TURN, RESPONDER, echo, open),
                at("echo server, waiting, a line begun", State.PEER_TURN, RESPONDER, echo, open, hi, bytes("par")),
                at("echo server, closing", State.CLOSING, RESPONDER, echo, open, new Input.Stop()),
                at("echo server, closed", State.CLOSED, RESPONDER, echo, open, new Input.PeerClosed()),

                at("person's server, attended before it opened", State.NEW, DESK, person, new Input.Attend(1)),
                at("person's server, attended, others waiting", State.PEER_TURN, DESK, person, open, new Input.Attend(2)),
                at("person's server, asked", State.OWN_TURN, DESK, person, open, new Input.Attend(), hi),
                at("person's server, asked, a message held", State.OWN_TURN, DESK, person, open, new Input.Attend(), bytes("hi\nnext\n")),
                peerEnded("person's server, asked, the client half-closed", DESK, person, open, new Input.Attend(), hi,
                        new Input.PeerClosed()),
                at("person's server, closing", State.CLOSING, DESK, person, open, new Input.Attend(), new Input.OperatorDone()),
                at("person's server, closed", State.CLOSED, DESK, person, open, new Input.Attend(), bytes("bye\n")),

                at("person's server, in line before it opened", State.NEW, DESK, person, new Input.Wait(3)),
                at("person's server, in line", State.PEER_TURN, DESK, person, open, new Input.Wait(3)),
                at("person's server, in line, a message unshown", State.OWN_TURN, DESK, person, open, new Input.Wait(3), hi),
                peerEnded("person's server, in line, a message unshown, the client half-closed", DESK, person, open,
                        new Input.Wait(3), hi, new Input.PeerClosed()),
                at("person's server, in line, dropped", State.CLOSING, DESK, person, open, new Input.Wait(3),
                        new Input.Drop(new Refusal.ShortOfMemory())),
                at("person's server, in line, its client gone", State.CLOSED, DESK, person, open, new Input.Wait(3),
                        new Input.PeerFailed("reset")),

                at("person's server, asked, handed back", State.OWN_TURN, DESK, person, open, new Input.Attend(), hi,
                        new Input.Wait(1)),
                at("person's server, attended, handed back", State.PEER_TURN, DESK, person, open, new Input.Attend(),
                        new Input.Wait(2)),

                at("refusing server, new", State.NEW, DESK, () -> Session.refusing(LINE)),
                at("refusing server, refused", State.CLOSING, DESK, () -> Session.refusing(LINE), new Input.Refuse(new Refusal.Busy(1))));
    }

    @Test
    void theSituationsAreInTheStatesTheySayAndCoverEveryState() {
        for (Situation situation : situations()) {
            Session session = situation.make().get();
            assertEquals(situation.state(), session.state(), situation.name());
        }
        assertEquals(EnumSet.allOf(State.class), situations().stream().map(Situation::state).collect(Collectors.toSet()));
    }

    @Test
    void everyCellGivesThePrintedVerdictAndAnIllegalInputChangesNothing() {
        int cells = 0;
        for (Situation situation : situations()) {
            for (Input.Kind kind : Input.Kind.values()) {
                check(situation, kind);
                cells++;
            }
        }
        assertEquals(situations().size() * Input.Kind.values().length, cells);
    }

    private static void check(Situation situation, Input.Kind kind) {
        List<String> row = printed.get(name(kind));
        String cell = row.get(1 + situation.state().ordinal());
        boolean taken = situation.takes().stream().anyMatch(taker -> taker.printed.equals(row.get(0)));
        boolean readsThePeer = kind == Input.Kind.PEER_BYTES || kind == Input.Kind.PEER_CLOSED;
        // (c): once the peer's input has ended, PeerBytes and PeerClosed are illegal.
        boolean illegal = !taken || cell.equals("illegal") || (situation.peerEnded() && readsThePeer);
        String where = name(kind) + " to " + situation.name() + " (cell: " + cell + ")";

        Session session = situation.make().get();
        Session twin = situation.make().get();
        Input input = sample(kind);
        if (illegal) {
            IllegalInputException e = assertThrows(IllegalInputException.class, () -> session.handle(T0 + 3 * SECOND, input), where);
            assertEquals(situation.state(), e.state(), where);
            assertSame(input, e.input(), where);
            assertEquals(Snapshot.of(twin), Snapshot.of(session), where + ": an illegal input changes nothing");
            return;
        }
        List<Action> actions;
        try {
            actions = session.handle(T0 + 3 * SECOND, input);
        } catch (IllegalInputException e) {
            throw new AssertionError(where + " is legal, but: " + e.getMessage(), e);
        }
        if (cell.equals("nothing") || cell.equals("drained")) {
            assertEquals(List.of(), actions, where);
            assertEquals(Snapshot.of(twin), Snapshot.of(session), where + ": nothing changes");
        }
    }

    @Test
    void aLineEnteredWhileNoQuestionShowedIsNeverSentAnywhereAndChangesNothing() {
        // Consoles hand over every line entered; an unprompted one is the session's to refuse, in every cell.
        for (Situation situation : situations()) {
            Input line = new Input.OperatorLine("a line", false);
            String where = line + " to " + situation.name();
            Session session = situation.make().get();
            Session twin = situation.make().get();
            if (!situation.takes().contains(Session.TakenBy.PERSON) || situation.state() == State.NEW) {
                assertThrows(IllegalInputException.class, () -> session.handle(T0 + 3 * SECOND, line), where);
                assertEquals(Snapshot.of(twin), Snapshot.of(session), where + ": an illegal input changes nothing");
                continue;
            }
            List<Action> actions = session.handle(T0 + 3 * SECOND, line);
            assertEquals(situation.state() == State.CLOSED ? 0 : 1, actions.size(), where + ": " + actions);
            actions.forEach(action -> assertSame(Action.ShowNotice.class, action.getClass(), where + ": " + actions));
            assertEquals(Snapshot.of(twin), Snapshot.of(session), where + ": a line not sent changes nothing");
        }
    }

    @Test
    void aPersonsByeLeavesInOrOutOfTurnAskedOrNotAndOnlyOnceTheConversationHasEnded() {
        // Either side may say bye at any time (docs/PROTOCOL.md): a person's bye is never "not your turn".
        for (Situation situation : situations()) {
            if (!situation.takes().contains(Session.TakenBy.PERSON) || situation.state() == State.NEW) {
                continue;
            }
            for (boolean prompted : List.of(true, false)) {
                Input bye = new Input.OperatorLine(" Bye ", prompted);
                String where = bye + " to " + situation.name();
                Session session = situation.make().get();
                List<Action> actions = session.handle(T0 + 3 * SECOND, bye);
                switch (situation.state()) {
                    case PEER_TURN, OWN_TURN -> {
                        assertEquals(Outcome.Ending.SAID_BYE, session.outcome().orElseThrow().ending(), where + ": " + actions);
                        assertEquals(new Action.Send(new Action.Sent.Bye(), "bye\n".getBytes(StandardCharsets.UTF_8)), actions.get(0), where);
                        assertTrue(session.state() == State.CLOSING || session.state() == State.CLOSED, where); // CLOSED: stalled (j)
                    }
                    case CLOSING -> assertEquals(List.of(new Action.ShowNotice("not sent (the conversation has ended): ' Bye '")), actions, where);
                    case CLOSED -> assertEquals(List.of(), actions, where);
                    default -> throw new AssertionError(where);
                }
            }
        }
    }

    /**
     * All that can be seen of a session from outside, now and after the same further inputs (an
     * operator's line, the peer's bytes, the operator coming, time passing): two sessions with equal
     * snapshots cannot be told apart.
     */
    private record Snapshot(State state, OptionalLong deadline, boolean wantsPeerBytes, int bufferedBytes,
            Optional<Outcome> outcome, List<String> afterwards) {

        static Snapshot of(Session session) {
            State state = session.state();
            OptionalLong deadline = session.deadline();
            boolean wants = session.wantsPeerBytes();
            int buffered = session.bufferedBytes();
            Optional<Outcome> outcome = session.outcome();
            List<String> afterwards = new ArrayList<>();
            long at = T0 + 4 * SECOND;
            for (Input next : List.of(new Input.OperatorLine("reply"), bytes("more\n"), new Input.OutputBlocked(),
                    new Input.Attend(1), new Input.Tick(), new Input.Tick(), new Input.Tick())) {
                at += next instanceof Input.Tick ? 30 * SECOND : SECOND;
                try {
                    afterwards.add(next + " -> " + session.handle(at, next));
                } catch (IllegalInputException e) {
                    afterwards.add(next + " -> illegal: " + e.getMessage());
                }
                afterwards.add(session.state() + " " + session.deadline() + " " + session.wantsPeerBytes()
                        + " " + session.bufferedBytes());
            }
            return new Snapshot(state, deadline, wants, buffered, outcome, afterwards);
        }
    }

    @Test
    void theSnapshotTellsSessionsApart() {
        // The check above is only as good as its snapshot: sessions that differ only inside differ in it.
        Supplier<Session> asked = () -> fed(Session.serverForOperator(LINE, LIMITS), new Input.Open(), new Input.Attend(), bytes("hi\n"));
        Session held = fed(asked.get(), bytes("next\n"));
        Session partial = fed(asked.get(), bytes("nex"));
        Session unasked = fed(Session.serverForOperator(LINE, LIMITS), new Input.Open(), new Input.Wait(1), bytes("hi\n"));
        Session blocked = fed(asked.get(), new Input.OutputBlocked());
        List<Snapshot> snapshots = Stream.of(asked.get(), held, partial, unasked, blocked).map(Snapshot::of).toList();
        assertEquals(snapshots.size(), Set.copyOf(snapshots).size(), snapshots.toString());
        Session later = asked.get();
        later.handle(T0 + SECOND, new Input.Tick()); // legal, and changes nothing that can be seen
        assertEquals(Snapshot.of(asked.get()), Snapshot.of(later));
    }
}
