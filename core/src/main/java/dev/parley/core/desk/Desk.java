package dev.parley.core.desk;

import static dev.parley.core.desk.Desk.Rule.*;

import dev.parley.core.desk.DeskAction.Why;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The operators' desk, as a pure object: which clients wait and in what order, which operator is
 * with which client, and who is away. Every rule of the queue is here, in one place.
 *
 * <h2>Theory of operation</h2>
 *
 * <p>A driver tells the desk what happened, as a {@link DeskInput}, and carries out the
 * {@link DeskAction}s that {@link #handle} returns, in order. The desk never reads, writes, waits,
 * locks or looks at a clock (no rule needs time: each conversation's deadlines are its session's);
 * one thread at a time drives it. It is deterministic: the same inputs in the same order give the
 * same actions and the same state, whatever the JVM (nothing depends on hash order), so desks fed
 * one ordered log of inputs agree, each carrying out only the actions about its own clients and
 * operators. Clients and operators are plain string ids.
 *
 * <p>First come, first served across all operators: clients wait in one line, in the order they
 * arrived; free operators in the order they became free. Whenever a free operator may take a
 * waiting client, the longest-waiting such client goes to the operator free the longest that may
 * take it ({@link DeskAction.Connect}). An operator away is offered nobody (assigning clients to
 * absent agents strands them); a conversation under way when it steps away goes on. A client whose
 * operator leaves, is cut off or passes it goes back to the <em>front</em> of the line, and is
 * never lost. A client passed by an operator is offered to the others first: the one who passed it
 * takes it back only when it has no one else to take and no other operator is present (not away)
 * to take it, so it is not stranded when no one else is there. Every waiting client is told its place whenever it changes
 * ({@link DeskAction.Place}), every client with an operator how many wait whenever that changes
 * ({@link DeskAction.Others}), and every operator when a client comes to wait.
 *
 * <h2>The tables</h2>
 *
 * <p>What each input does, by the state of the client or operator it names. They are the code's
 * own: {@link #handle} looks every input up once, before anything changes, and carries out the
 * rule it finds (a test checks that this copy and the code's agree, cell by cell). After every
 * input that is not illegal: (z).
 *
 * <pre>
 * client input  | ABSENT    | WAITING        | WITH_OPERATOR
 * --------------+-----------+----------------+--------------
 * ClientArrived | queue (a) | illegal        | illegal
 * ClientLeft    | illegal   | leave line (b) | release (c)
 * </pre>
 *
 * <pre>
 * operator input | ABSENT   | FREE            | BUSY           | AWAY            | AWAY_BUSY
 * ---------------+----------+-----------------+----------------+-----------------+---------------
 * OperatorJoined | join (d) | illegal         | illegal        | illegal         | illegal
 * OperatorLeft   | illegal  | leave (e)       | hand back (e)  | leave (e)       | hand back (e)
 * Pass           | illegal  | Tell: no client | pass (f)       | Tell: no client | pass (f)
 * Away           | illegal  | step away (g)   | step away (g)  | Tell: away      | Tell: away
 * Back           | illegal  | Tell: not away  | Tell: not away | come back (h)   | come back (h)
 * Who            | illegal  | who (i)         | who (i)        | who (i)         | who (i)
 *
 * States: a client is ABSENT (never arrived, or left), WAITING in line, or WITH_OPERATOR. An
 *     operator is ABSENT (never joined, or left), FREE, BUSY (with a client), AWAY (free, offered
 *     nobody) or AWAY_BUSY (with a client, offered nobody after it).
 * (a) The client joins the back of the line; once (z) is done, if it waits, every operator is told
 *     (Tell: LABEL waits; number N in line).
 * (b) It leaves the line; those behind move up.
 * (c) Its operator is free again (or away, if it stepped away meanwhile).
 * (d) The operator is free, the last of the free operators.
 * (e) It leaves the desk. Its client, if any, is handed back (HandedBack OPERATOR_LEFT, Place 1)
 *     to the front of the line.
 * (f) Its client is handed back (HandedBack PASSED, Place 1) to the front of the line, marked as
 *     passed by it; the operator is told, and is free (or stays away). The mark goes when another
 *     takes it.
 * (g) Away: offered nobody (its client, if any, stays with it); it is told so.
 * (h) No longer away: free, if it has no client; it is told so.
 * (i) It is told who waits (the first ten, in order, and how many more) and where each operator is.
 * (z) Dispatch: while a free operator may take a waiting client, the first such client in line is
 *     taken by the first such operator in the free order (Connect, with how many wait then). An
 *     operator may take any client it did not pass; one it passed only when none other waits and
 *     no other operator is present (joined, not away) to take it, and it is told why. Then each waiting client
 *     whose place changed is told it (Place, in line order), and each client with an operator
 *     whose count of waiting clients changed is told it (Others, in the order operators joined).
 * </pre>
 *
 * <p>An input the tables call illegal raises {@link IllegalDeskInputException} and changes nothing.
 */
public final class Desk {

    /** How many waiting clients {@code Who} names; it counts the rest. */
    static final int WHO_NAMES = 10;

    /** Where a client stands: the columns of the clients' table. */
    public enum ClientState {
        /** Not at the desk: never arrived, or left. */
        ABSENT,
        /** In line, waiting for an operator. */
        WAITING,
        /** An operator is with it. */
        WITH_OPERATOR
    }

    /** Where an operator stands: the columns of the operators' table. */
    public enum OperatorState {
        /** Not at the desk: never joined, or left. */
        ABSENT,
        /** Free, and offered the next client. */
        FREE,
        /** With a client. */
        BUSY,
        /** Free, but away: offered nobody. */
        AWAY,
        /** With a client, and away: offered nobody once it is done. */
        AWAY_BUSY
    }

    private final Map<String, Client> clients = new LinkedHashMap<>();
    private final Map<String, Operator> operators = new LinkedHashMap<>();
    /** The clients waiting, in order: the first is the next to be taken. */
    private final List<Client> line = new ArrayList<>();
    /** The operators free and not away, in the order they became free. */
    private final List<Operator> free = new ArrayList<>();
    /** The first place in line that may have changed while handling this input. */
    private int firstMoved = Integer.MAX_VALUE;
    /** The client that arrived with this input, told to the operators if it waits. */
    private Client arrived;

    /** A client at the desk. */
    private static final class Client {
        final String id;
        final String label;
        Operator with;
        /** The operator that passed it, until another takes it. */
        Operator passedBy;
        /** The place it was last told (0: none since it last waited). */
        int toldPlace;
        /** How many wait, as it was last told while with an operator (-1: not yet). */
        int toldWaiting = -1;

        Client(String id, String label) {
            this.id = id;
            this.label = label;
        }
    }

    /** An operator at the desk. */
    private static final class Operator {
        final String id;
        final String name;
        Client with;
        boolean away;

        Operator(String id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    /** An empty desk: no client, no operator. */
    public Desk() {
        // nothing yet
    }

    /**
     * Handles {@code input} and returns what to do, in order.
     *
     * @param input what happened
     * @return the actions to carry out, in order; empty when there is nothing to do
     * @throws IllegalDeskInputException if the rules do not allow {@code input} now; nothing changes
     */
    public List<DeskAction> handle(DeskInput input) {
        Rule rule = ruleFor(Objects.requireNonNull(input, "input"));
        List<DeskAction> out = new ArrayList<>(4);
        rule.step.take(this, input, out);
        dispatch(out);
        tellChanges(out);
        return out;
    }

    // ---- the tables ----------------------------------------------------------------------------------------

    /** Whose state an input's row is looked up by. */
    enum Subject {
        CLIENT,
        OPERATOR
    }

    /** What one step of the rules does with an input; it is handed only inputs of its row. */
    @FunctionalInterface
    private interface Step {
        void take(Desk desk, DeskInput input, List<DeskAction> out);
    }

    /** The rules that the cells of the tables name: each is one step. */
    enum Rule {
        ILLEGAL("illegal", null),
        QUEUE("queue (a)", (d, input, out) -> d.queue((DeskInput.ClientArrived) input)),
        LEAVE_LINE("leave line (b)", (d, input, out) -> d.leaveLine(d.clients.get(((DeskInput.ClientLeft) input).client()))),
        RELEASE("release (c)", (d, input, out) -> d.release(d.clients.get(((DeskInput.ClientLeft) input).client()))),
        JOIN("join (d)", (d, input, out) -> d.join((DeskInput.OperatorJoined) input)),
        LEAVE("leave (e)", (d, input, out) -> d.leave(d.operator(input), out)),
        HAND_BACK("hand back (e)", (d, input, out) -> d.leave(d.operator(input), out)),
        NO_CLIENT("Tell: no client", (d, input, out) -> out.add(new DeskAction.Tell(d.operator(input).id, "no client to pass"))),
        PASS("pass (f)", (d, input, out) -> d.pass(d.operator(input), out)),
        STEP_AWAY("step away (g)", (d, input, out) -> d.stepAway(d.operator(input), out)),
        ALREADY_AWAY("Tell: away", (d, input, out) -> out.add(new DeskAction.Tell(d.operator(input).id,
                "away already: no client is offered to you until /back"))),
        NOT_AWAY("Tell: not away", (d, input, out) -> out.add(new DeskAction.Tell(d.operator(input).id,
                "not away: clients are offered to you"))),
        COME_BACK("come back (h)", (d, input, out) -> d.comeBack(d.operator(input), out)),
        WHO("who (i)", (d, input, out) -> out.add(new DeskAction.Tell(d.operator(input).id, d.who(d.operator(input)))));

        /** As the header's tables print it. */
        final String printed;
        private final Step step;

        Rule(String printed, Step step) {
            this.printed = printed;
            this.step = step;
        }
    }

    /** A row of a table: whose state it is looked up by, and its rule in each of that subject's states, in their order. */
    record Row(Subject subject, Rule... rules) {
        Rule in(int state) {
            return rules[state];
        }
    }

    /** The tables, built once from {@link #row}: each input's row, by its kind. */
    static final Map<DeskInput.Kind, Row> TABLE;

    static {
        Map<DeskInput.Kind, Row> table = new EnumMap<>(DeskInput.Kind.class);
        for (DeskInput.Kind kind : DeskInput.Kind.values()) {
            table.put(kind, row(kind));
        }
        TABLE = Collections.unmodifiableMap(table);
    }

    /** The header's tables, row by row. A switch expression: an input without its row does not compile. */
    private static Row row(DeskInput.Kind input) {
        return switch (input) {
            //                                                ABSENT   WAITING       WITH_OPERATOR
            case CLIENT_ARRIVED -> new Row(Subject.CLIENT,    QUEUE,   ILLEGAL,      ILLEGAL);
            case CLIENT_LEFT -> new Row(Subject.CLIENT,       ILLEGAL, LEAVE_LINE,   RELEASE);
            //                                                ABSENT   FREE          BUSY       AWAY          AWAY_BUSY
            case OPERATOR_JOINED -> new Row(Subject.OPERATOR, JOIN,    ILLEGAL,      ILLEGAL,   ILLEGAL,      ILLEGAL);
            case OPERATOR_LEFT -> new Row(Subject.OPERATOR,   ILLEGAL, LEAVE,        HAND_BACK, LEAVE,        HAND_BACK);
            case PASS -> new Row(Subject.OPERATOR,            ILLEGAL, NO_CLIENT,    PASS,      NO_CLIENT,    PASS);
            case AWAY -> new Row(Subject.OPERATOR,            ILLEGAL, STEP_AWAY,    STEP_AWAY, ALREADY_AWAY, ALREADY_AWAY);
            case BACK -> new Row(Subject.OPERATOR,            ILLEGAL, NOT_AWAY,     NOT_AWAY,  COME_BACK,    COME_BACK);
            case WHO -> new Row(Subject.OPERATOR,             ILLEGAL, WHO,          WHO,       WHO,          WHO);
        };
    }

    /** The rule for {@code input} now; an input the tables call illegal is refused before anything changes. */
    private Rule ruleFor(DeskInput input) {
        Row row = TABLE.get(input.kind());
        String subject = input.subject();
        int state = row.subject() == Subject.CLIENT ? clientState(subject).ordinal() : operatorState(subject).ordinal();
        Rule rule = row.in(state);
        if (rule == ILLEGAL) {
            throw new IllegalDeskInputException(input, row.subject() == Subject.CLIENT
                    ? "client " + subject + " is " + clientState(subject) : "operator " + subject + " is " + operatorState(subject));
        }
        return rule;
    }

    private Operator operator(DeskInput input) {
        return operators.get(input.subject());
    }

    // ---- the rules, in the tables' order -------------------------------------------------------------------

    private void queue(DeskInput.ClientArrived input) {
        Client client = new Client(input.client(), input.label());
        clients.put(client.id, client);
        line.add(client);
        moved(line.size() - 1);
        arrived = client;
    }

    private void leaveLine(Client client) {
        int at = line.indexOf(client);
        line.remove(at);
        moved(at);
        clients.remove(client.id);
    }

    private void release(Client client) {
        Operator operator = client.with;
        operator.with = null;
        clients.remove(client.id);
        becomeFree(operator);
    }

    private void join(DeskInput.OperatorJoined input) {
        Operator operator = new Operator(input.operator(), input.name());
        operators.put(operator.id, operator);
        free.add(operator);
    }

    private void leave(Operator operator, List<DeskAction> out) {
        operators.remove(operator.id);
        free.remove(operator);
        if (operator.with != null) {
            handBack(operator, Why.OPERATOR_LEFT, out).passedBy = null;
        }
    }

    private void pass(Operator operator, List<DeskAction> out) {
        Client client = handBack(operator, Why.PASSED, out);
        client.passedBy = operator;
        out.add(new DeskAction.Tell(operator.id, "passed " + client.label + " back to the front of the line"));
        becomeFree(operator);
    }

    private void stepAway(Operator operator, List<DeskAction> out) {
        operator.away = true;
        free.remove(operator);
        out.add(new DeskAction.Tell(operator.id, (operator.with == null ? "away" : "away once this conversation ends")
                + ": no client is offered to you until /back"));
    }

    private void comeBack(Operator operator, List<DeskAction> out) {
        operator.away = false;
        if (operator.with == null) {
            free.add(operator);
        }
        out.add(new DeskAction.Tell(operator.id, "back: clients are offered to you again"));
    }

    private String who(Operator asking) {
        StringBuilder text = new StringBuilder(line.isEmpty() ? "no one waits" : line.size() + " waiting: ");
        for (int i = 0; i < Math.min(line.size(), WHO_NAMES); i++) {
            text.append(i == 0 ? "" : ", ").append(line.get(i).label);
        }
        if (line.size() > WHO_NAMES) {
            text.append(", and ").append(line.size() - WHO_NAMES).append(" more");
        }
        text.append("; operators: ");
        boolean first = true;
        for (Operator operator : operators.values()) {
            text.append(first ? "" : ", ").append(operator.name).append(" (").append(operator == asking ? "you, " : "")
                    .append(operator.away ? "away" : "").append(operator.away && operator.with != null ? ", " : "")
                    .append(operator.with != null ? "with " + operator.with.label : operator.away ? "" : "free").append(')');
            first = false;
        }
        return text.toString();
    }

    // ---- what the rules share ------------------------------------------------------------------------------

    /** The operator's client goes back to the front of the line; the operator is with no one. */
    private Client handBack(Operator operator, Why why, List<DeskAction> out) {
        Client client = operator.with;
        operator.with = null;
        client.with = null;
        client.toldWaiting = -1;
        line.add(0, client);
        moved(0);
        out.add(new DeskAction.HandedBack(client.id, operator.id, why));
        client.toldPlace = 1;
        out.add(new DeskAction.Place(client.id, 1)); // its session learns it waits, even if another takes it at once
        return client;
    }

    /** An operator with no client is free again, the last of the free, unless it is away. */
    private void becomeFree(Operator operator) {
        if (!operator.away) {
            free.add(operator);
        }
    }

    private void moved(int at) {
        firstMoved = Math.min(firstMoved, at);
    }

    /** (z): free operators take the clients they may, first come, first served. */
    private void dispatch(List<DeskAction> out) {
        List<Client> taken = new ArrayList<>();
        while (!free.isEmpty() && !line.isEmpty()) {
            Client client = null;
            Operator operator = null;
            int at = 0;
            search:
            for (; at < line.size(); at++) {
                for (Operator candidate : free) {
                    if (line.get(at).passedBy != candidate) {
                        client = line.get(at);
                        operator = candidate;
                        break search;
                    }
                }
            }
            if (client == null) {
                // Each free operator passed every client that waits: one of them is not stranded if no one else is there.
                operator = free.stream().filter(this::alone).findFirst().orElse(null);
                if (operator == null) {
                    break; // another operator is there for them
                }
                at = 0;
                client = line.get(0);
            }
            line.remove(at);
            moved(at);
            free.remove(operator);
            client.with = operator;
            operator.with = client;
            client.toldPlace = 0;
            taken.add(client);
        }
        for (Client client : taken) {
            client.toldWaiting = line.size();
            out.add(new DeskAction.Connect(client.with.id, client.id, client.label, line.size()));
            if (client.passedBy == client.with) {
                out.add(new DeskAction.Tell(client.with.id, "no other operator is here to take " + client.label
                        + ": it is yours again"));
            }
            client.passedBy = null;
        }
    }

    /** No operator but {@code operator} is present (joined, not away) to take a client. */
    private boolean alone(Operator operator) {
        for (Operator other : operators.values()) {
            if (other != operator && !other.away) {
                return false;
            }
        }
        return true;
    }

    /** (z): the places that changed, the counts of waiting clients that changed, and a newcomer who waits. */
    private void tellChanges(List<DeskAction> out) {
        for (int at = Math.min(firstMoved, line.size()); at < line.size(); at++) {
            Client client = line.get(at);
            if (client.toldPlace != at + 1) {
                client.toldPlace = at + 1;
                out.add(new DeskAction.Place(client.id, at + 1));
            }
        }
        firstMoved = Integer.MAX_VALUE;
        for (Operator operator : operators.values()) {
            Client client = operator.with;
            if (client != null && client.toldWaiting != line.size()) {
                client.toldWaiting = line.size();
                out.add(new DeskAction.Others(client.id, line.size()));
            }
        }
        if (arrived != null && arrived.with == null && clients.get(arrived.id) == arrived) {
            for (Operator operator : operators.values()) {
                out.add(new DeskAction.Tell(operator.id, arrived.label + " waits; number " + arrived.toldPlace + " in line"));
            }
        }
        arrived = null;
    }

    // ---- what drivers and tests may ask ---------------------------------------------------------------------

    /**
     * Where the client {@code client} stands now.
     *
     * @param client a client's id
     * @return its state; {@link ClientState#ABSENT} for an id the desk does not know
     */
    public ClientState clientState(String client) {
        Client known = clients.get(client);
        return known == null ? ClientState.ABSENT : known.with == null ? ClientState.WAITING : ClientState.WITH_OPERATOR;
    }

    /**
     * Where the operator {@code operator} stands now.
     *
     * @param operator an operator's id
     * @return its state; {@link OperatorState#ABSENT} for an id the desk does not know
     */
    public OperatorState operatorState(String operator) {
        Operator known = operators.get(operator);
        if (known == null) {
            return OperatorState.ABSENT;
        }
        if (known.away) {
            return known.with == null ? OperatorState.AWAY : OperatorState.AWAY_BUSY;
        }
        return known.with == null ? OperatorState.FREE : OperatorState.BUSY;
    }

    /**
     * The client the operator {@code operator} is with, if any: the one conversation its answers may go to.
     *
     * @param operator an operator's id
     * @return the client's id, or empty when it is with no one (or unknown)
     */
    public Optional<String> clientOf(String operator) {
        Operator known = operators.get(operator);
        return known == null || known.with == null ? Optional.empty() : Optional.of(known.with.id);
    }

    /**
     * The operator the client {@code client} is with, if any.
     *
     * @param client a client's id
     * @return the operator's id, or empty when it waits (or is unknown)
     */
    public Optional<String> operatorOf(String client) {
        Client known = clients.get(client);
        return known == null || known.with == null ? Optional.empty() : Optional.of(known.with.id);
    }

    /**
     * The clients waiting, in order: the first is the next to be taken.
     *
     * @return their ids, a copy
     */
    public List<String> line() {
        return line.stream().map(client -> client.id).toList();
    }

    /**
     * How many clients wait.
     *
     * @return the length of the line
     */
    public int waiting() {
        return line.size();
    }

    /**
     * The operators at the desk, in the order they joined.
     *
     * @return their ids, a copy
     */
    public List<String> operators() {
        return List.copyOf(operators.keySet());
    }

    @Override
    public String toString() {
        return "Desk[" + line.size() + " waiting, " + operators.size() + " operators]";
    }
}
