package dev.parley.core.desk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The desk's tables, cell by cell: every input for a client or an operator in every state it can
 * be in. The verdicts expected are those of the tables printed in {@link Desk}'s header, which are
 * checked to be the code's own; an illegal input must change nothing at all.
 */
class DeskTableTest {

    /** The tables printed in Desk's header: each input's name, then its cells, one per state of its subject. */
    private static Map<String, List<String>> printed;

    @BeforeAll
    static void readThePrintedTables() throws IOException {
        String source = Files.readString(Path.of("src/main/java/dev/parley/core/desk/Desk.java"), StandardCharsets.UTF_8);
        String section = source.substring(source.indexOf("<h2>The tables</h2>"));
        printed = new LinkedHashMap<>();
        int from = 0;
        for (Class<? extends Enum<?>> states : List.of(Desk.ClientState.class, Desk.OperatorState.class)) {
            int start = section.indexOf("<pre>", from) + "<pre>".length();
            from = section.indexOf("</pre>", start);
            List<List<String>> rows = section.substring(start, from).lines()
                    .map(line -> line.replaceFirst("^\\s*\\* ?", ""))
                    .filter(line -> line.contains("|"))
                    .map(line -> Arrays.stream(line.split("\\|")).map(String::strip).toList())
                    .toList();
            List<String> columns = Arrays.stream(states.getEnumConstants()).map(Enum::name).toList();
            assertEquals(columns, rows.get(0).subList(1, rows.get(0).size()), "the printed table's columns: the states, in their order");
            rows.subList(1, rows.size()).forEach(row -> printed.put(row.get(0), row.subList(1, row.size())));
        }
    }

    /** One input of each kind, about the client c or the operator o; a new kind does not compile until it has one here. */
    private static DeskInput sample(DeskInput.Kind kind) {
        return switch (kind) {
            case CLIENT_ARRIVED -> new DeskInput.ClientArrived("c", "conversation c");
            case CLIENT_LEFT -> new DeskInput.ClientLeft("c");
            case OPERATOR_JOINED -> new DeskInput.OperatorJoined("o", "ann");
            case OPERATOR_LEFT -> new DeskInput.OperatorLeft("o");
            case PASS -> new DeskInput.Pass("o");
            case AWAY -> new DeskInput.Away("o");
            case BACK -> new DeskInput.Back("o");
            case WHO -> new DeskInput.Who("o");
        };
    }

    private static String name(DeskInput.Kind kind) {
        return sample(kind).getClass().getSimpleName();
    }

    @Test
    void eachInputRecordHasAKindOfItsOwnNamedAfterIt() {
        Set<String> records = Arrays.stream(DeskInput.class.getPermittedSubclasses()).map(Class::getSimpleName).collect(Collectors.toSet());
        assertEquals(records, Arrays.stream(DeskInput.Kind.values()).map(DeskTableTest::name).collect(Collectors.toSet()));
        for (DeskInput.Kind kind : DeskInput.Kind.values()) {
            assertSame(kind, sample(kind).kind());
            assertEquals(name(kind).replaceAll("(?<=.)(?=\\p{Upper})", "_").toUpperCase(Locale.ROOT), kind.name());
        }
        Set<String> actions = Arrays.stream(DeskAction.class.getPermittedSubclasses()).map(Class::getSimpleName)
                .map(action -> action.replaceAll("(?<=.)(?=\\p{Upper})", "_").toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
        assertEquals(actions, Arrays.stream(DeskAction.Kind.values()).map(Enum::name).collect(Collectors.toSet()));
    }

    @Test
    void thePrintedTablesAreTheCodesTable() {
        assertEquals(Arrays.stream(DeskInput.Kind.values()).map(DeskTableTest::name).toList(), List.copyOf(printed.keySet()),
                "one printed row for each input, in the order of DeskInput.Kind");
        for (DeskInput.Kind kind : DeskInput.Kind.values()) {
            Desk.Row row = Desk.TABLE.get(kind);
            int states = row.subject() == Desk.Subject.CLIENT ? Desk.ClientState.values().length : Desk.OperatorState.values().length;
            List<String> code = new ArrayList<>();
            for (int state = 0; state < states; state++) {
                code.add(row.in(state).printed);
            }
            assertEquals(states, row.rules().length, name(kind));
            assertEquals(code, printed.get(name(kind)), name(kind));
        }
    }

    /** A desk where the client c, or the operator o, stands in one state, with others around it. */
    private record Situation(String name, Desk.Subject subject, Enum<?> state, Supplier<Desk> make) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Desk fed(DeskInput... inputs) {
        Desk desk = new Desk();
        for (DeskInput input : inputs) {
            desk.handle(input);
        }
        return desk;
    }

    private static DeskInput arrives(String client) {
        return new DeskInput.ClientArrived(client, "conversation " + client);
    }

    private static DeskInput joins(String operator) {
        return new DeskInput.OperatorJoined(operator, "name of " + operator);
    }

    private static Situation client(String name, Desk.ClientState state, DeskInput... inputs) {
        return new Situation(name, Desk.Subject.CLIENT, state, () -> fed(inputs));
    }

    private static Situation operator(String name, Desk.OperatorState state, DeskInput... inputs) {
        return new Situation(name, Desk.Subject.OPERATOR, state, () -> fed(inputs));
    }

    /** The client c and the operator o in every state, some states several ways (others waiting, passed, away). */
    private static List<Situation> situations() {
        return List.of(
                client("c never came", Desk.ClientState.ABSENT),
                client("c never came, others wait", Desk.ClientState.ABSENT, joins("p"), arrives("a"), arrives("b")),
                client("c left", Desk.ClientState.ABSENT, arrives("c"), new DeskInput.ClientLeft("c")),
                client("c waits, no operator", Desk.ClientState.WAITING, arrives("c")),
                client("c waits behind one", Desk.ClientState.WAITING, joins("p"), arrives("a"), arrives("c"), arrives("b")),
                client("c waits, passed", Desk.ClientState.WAITING, joins("p"), joins("q"), arrives("a"), arrives("c"),
                        new DeskInput.Pass("q")),
                client("c with an operator", Desk.ClientState.WITH_OPERATOR, joins("p"), arrives("c"), arrives("b")),
                client("c with an operator away", Desk.ClientState.WITH_OPERATOR, joins("p"), arrives("c"), new DeskInput.Away("p")),

                operator("o never came", Desk.OperatorState.ABSENT, arrives("a")),
                operator("o left", Desk.OperatorState.ABSENT, joins("o"), new DeskInput.OperatorLeft("o")),
                operator("o free", Desk.OperatorState.FREE, joins("o")),
                operator("o free, another busy", Desk.OperatorState.FREE, joins("p"), arrives("a"), joins("o")),
                operator("o free, having passed the one who waits", Desk.OperatorState.FREE, joins("p"), joins("o"), arrives("a"),
                        arrives("b"), new DeskInput.Pass("o")),
                operator("o busy", Desk.OperatorState.BUSY, joins("o"), arrives("a")),
                operator("o busy, others wait", Desk.OperatorState.BUSY, joins("o"), arrives("a"), arrives("b"), arrives("c")),
                operator("o away", Desk.OperatorState.AWAY, joins("o"), new DeskInput.Away("o"), arrives("a")),
                operator("o away, busy", Desk.OperatorState.AWAY_BUSY, joins("o"), arrives("a"), new DeskInput.Away("o"), arrives("b")));
    }

    @Test
    void theSituationsAreInTheStatesTheySayAndCoverEveryState() {
        Set<Enum<?>> states = EnumSet.noneOf(Desk.ClientState.class).stream().collect(Collectors.toSet());
        for (Situation situation : situations()) {
            Desk desk = situation.make().get();
            assertEquals(situation.state(), situation.subject() == Desk.Subject.CLIENT ? desk.clientState("c") : desk.operatorState("o"),
                    situation.name());
            states.add(situation.state());
        }
        Set<Enum<?>> all = new java.util.HashSet<>(EnumSet.allOf(Desk.ClientState.class));
        all.addAll(EnumSet.allOf(Desk.OperatorState.class));
        assertEquals(all, states);
    }

    @Test
    void everyCellGivesThePrintedVerdictAndAnIllegalInputChangesNothing() {
        int cells = 0;
        for (Situation situation : situations()) {
            for (DeskInput.Kind kind : DeskInput.Kind.values()) {
                if (Desk.TABLE.get(kind).subject() != situation.subject()) {
                    continue;
                }
                check(situation, kind);
                cells++;
            }
        }
        assertEquals(8 * 2 + 9 * 6, cells, "every input of a subject in every situation of it");
    }

    private static void check(Situation situation, DeskInput.Kind kind) {
        String cell = printed.get(name(kind)).get(situation.state().ordinal());
        String where = name(kind) + " to " + situation.name() + " (cell: " + cell + ")";
        Desk desk = situation.make().get();
        Desk twin = situation.make().get();
        DeskInput input = sample(kind);
        if (cell.equals("illegal")) {
            IllegalDeskInputException e = assertThrows(IllegalDeskInputException.class, () -> desk.handle(input), where);
            assertSame(input, e.input(), where);
            assertEquals(Snapshot.of(twin), Snapshot.of(desk), where + ": an illegal input changes nothing");
            return;
        }
        List<DeskAction> actions;
        try {
            actions = desk.handle(input);
        } catch (IllegalDeskInputException e) {
            throw new AssertionError(where + " is legal, but: " + e.getMessage(), e);
        }
        assertNotNull(actions, where);
        if (cell.startsWith("Tell: ")) {
            assertEquals(1, actions.size(), where + ": " + actions);
            assertSame(DeskAction.Tell.class, actions.get(0).getClass(), where);
            assertEquals(Snapshot.of(twin), Snapshot.of(desk), where + ": a Tell changes nothing");
        }
    }

    /** All that can be seen of a desk from outside, now and after the same further inputs. */
    private record Snapshot(List<String> line, List<String> operators, List<String> states, List<String> afterwards) {
        static Snapshot of(Desk desk) {
            List<String> states = new ArrayList<>();
            for (String id : List.of("a", "b", "c", "o", "p", "q")) {
                states.add(id + " " + desk.clientState(id) + " " + desk.operatorState(id) + " " + desk.clientOf(id) + " " + desk.operatorOf(id));
            }
            List<String> line = desk.line();
            List<String> operators = desk.operators();
            List<String> afterwards = new ArrayList<>();
            for (DeskInput next : List.of(arrives("z"), joins("y"), new DeskInput.Who("y"), joins("x"), new DeskInput.Who("x"))) {
                afterwards.add(next + " -> " + desk.handle(next));
            }
            return new Snapshot(line, operators, states, afterwards);
        }
    }
}
