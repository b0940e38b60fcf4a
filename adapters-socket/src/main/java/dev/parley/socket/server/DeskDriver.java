package dev.parley.socket.server;

import dev.parley.core.desk.Command;
import dev.parley.core.desk.Desk;
import dev.parley.core.desk.DeskAction;
import dev.parley.core.desk.DeskInput;
import dev.parley.core.port.DeskOperator;
import dev.parley.core.port.DeskReplication;
import dev.parley.core.port.Operator;
import dev.parley.core.port.Transcript;
import dev.parley.core.session.Action.Sent;
import dev.parley.core.session.Input;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Refusal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The operators' desk, one task at a time: the server's conversations answered by people and the
 * operators at the desk meet here. Everything that happens (a conversation opened or ended, a
 * client's message or question, an operator joined, left or entered a line) is handed to
 * {@code tasks} (a serial executor: one task at a time, in order; in the server a
 * {@link SerialExecutor}, run by the thread that hands the task over), turned into
 * {@link DeskInput}s for the {@link Desk}, and its actions are carried out: each conversation is
 * told through its {@link ConversationHandle#post} (to its own event loop: {@link Input.Attend},
 * {@link Input.Wait}, the operator's lines), each operator through its {@link DeskOperator} port.
 * Nothing here is touched by two threads at once, so nothing is locked.
 *
 * <p>A conversation's messages, notices and questions go to the operator it is with, and to no
 * one while it waits. An operator's line is read once ({@link Command#parse}): a command goes to the
 * desk; an answer goes to the conversation it was entered for only while the operator is still with
 * it, else the operator is told it was not sent (a line typed for one conversation never reaches
 * another). A command entered at the prompt leaves the question open: the operator is asked again.
 *
 * <p>A desk shared by replicas ({@link DeskReplication}) is the same desk: the inputs go to the
 * shared log and are applied as it gives them back; the actions about clients and operators of
 * other replicas are theirs to carry out, and a conversation's turns between a client here and an
 * operator there are relayed (see {@code Shared} at the end: the seam).
 */
public final class DeskDriver {

    /** What the person is told of an answer entered with no one in front. */
    static final String NO_CLIENT = "not sent (no client)";

    private final Executor tasks;
    private final Consumer<Throwable> bug;
    private final Desk desk = new Desk();
    private final Map<String, Client> clients = new HashMap<>();
    private final Map<String, DeskOperator> operators = new HashMap<>();
    /** What waits for the desk to be empty. */
    private final List<Runnable> whenEmpty = new ArrayList<>();
    private final AtomicInteger joined = new AtomicInteger();
    /** The conversations answered for questions asked by clients of other replicas, for the operators here. */
    private final Set<String> askedThere = new HashSet<>();
    /** What the metrics read, from any thread: this server's operators, and its clients waiting by front. */
    private final AtomicInteger online = new AtomicInteger();
    private final Map<Front, AtomicInteger> waitingHere = new EnumMap<>(Front.class);
    /** The desk shared with other replicas, or null for a desk of this server alone. */
    private final Shared shared;

    /** A conversation at the desk, as the desk knows it. */
    private static final class Client {
        final Consumer<Input> post;
        final String label;
        final Front front;
        /** Its session asked its operator, and no answer went to it since. */
        boolean asked;
        /** It waits in line (counted in {@link #waitingHere}). */
        boolean waiting;
        /** A shared desk's: the operator it was last with, and the log positions from and until which (exclusive). */
        String pairedWith;
        long pairedAt;
        long unpairedAt;

        Client(Consumer<Input> post, String label, Front front) {
            this.post = post;
            this.label = label;
            this.front = front;
        }
    }

    /**
     * A desk whose work {@code tasks} runs.
     *
     * @param tasks runs one task at a time, in the order given (a {@link SerialExecutor}, a single-thread executor)
     * @param bug told of a bug in a port or the desk (the task is dropped, the desk goes on)
     */
    public DeskDriver(Executor tasks, Consumer<Throwable> bug) {
        this(tasks, bug, null, null);
    }

    /**
     * A desk whose work {@code tasks} runs, shared through {@code replication} with other
     * servers (null: this server's alone). Call {@link #start} before the first conversation.
     *
     * @param tasks runs one task at a time, in the order given (a {@link SerialExecutor}, a single-thread executor)
     * @param bug told of a bug in a port or the desk (the task is dropped, the desk goes on)
     * @param replication the shared log and the other replicas, or null
     * @param inbound hands what the replication's threads say (the log, turns, reachability) to the desk's
     *     tasks, so that those threads never run the desk's work (a thread of its own in the server;
     *     ignored without {@code replication})
     */
    public DeskDriver(Executor tasks, Consumer<Throwable> bug, DeskReplication replication, Executor inbound) {
        this.tasks = tasks;
        this.bug = bug;
        this.shared = replication == null ? null : new Shared(replication, inbound);
        for (Front front : Front.values()) {
            waitingHere.put(front, new AtomicInteger());
        }
    }

    /** How many operators are at the desk on this server now. Safe from any thread. */
    public int operatorsOnline() {
        return online.get();
    }

    /**
     * How many of this server's conversations that came in through {@code front} wait in line now. Safe from any thread.
     *
     * @param front the way they came in
     * @return how many wait
     */
    public int waiting(Front front) {
        return waitingHere.get(front).get();
    }

    /** Counts {@code client} as waiting or not. */
    private void waiting(Client client, boolean now) {
        if (client.waiting != now) {
            client.waiting = now;
            waitingHere.get(client.front).addAndGet(now ? 1 : -1);
        }
    }

    /**
     * Charges what the shared desk holds for this server (turns from other replicas until they are
     * delivered, the adapter's appends waiting for the log) to {@code memory}, the server's account.
     * Call it before {@link #start}; a desk of this server alone holds nothing of its own.
     */
    void account(MemoryBudget memory) {
        if (shared != null) {
            shared.memory = memory;
        }
    }

    /** Starts receiving the shared desk's log (a desk of this server alone has nothing to start). */
    public void start() {
        if (shared != null) {
            shared.replication.start(shared);
        }
    }

    /**
     * A conversation answered by the desk's operators opens: it joins the line. Call it on the
     * conversation's event loop, before its session opens; the seat is its operator and its
     * transcript.
     *
     * @param conversation the conversation, to be told things through {@link ConversationHandle#post}
     * @param record what records the conversation besides the operator (the log, a transcript file)
     * @return the conversation's seat at the desk
     */
    public Seat seat(ConversationHandle conversation, Transcript record) {
        Seat seat = new Seat(prefix() + conversation.id(), record);
        String label = "conversation " + conversation.id() + " (" + conversation.remote() + ")";
        run(() -> {
            if (shared != null && !shared.reachable) {
                conversation.post(new Input.Drop(Shared.UNREACHABLE)); // refused: no one could answer it
                return;
            }
            clients.put(seat.id, new Client(conversation::post, label, conversation.front()));
            input(new DeskInput.ClientArrived(seat.id, label));
        });
        return seat;
    }

    /**
     * An operator comes to the desk: {@code operator} is told {@link DeskOperator#joined} first.
     *
     * @param name how other operators are told of it
     * @param operator the operator's port
     * @return the operator's lines, the same {@link DeskOperator#joined} is given: usable at once
     *     (from any thread), for what it enters is handed to the desk after its joining
     */
    public DeskOperator.Lines join(String name, DeskOperator operator) {
        Lines lines = new Lines(prefix() + "operator " + joined.incrementAndGet());
        run(() -> {
            operators.put(lines.operator, operator);
            online.incrementAndGet();
            operator.joined(lines);
            input(new DeskInput.OperatorJoined(lines.operator, name));
        });
        return lines;
    }

    /**
     * Runs {@code action} as a desk task once no conversation is at the desk (attended or
     * waiting): at once if none is, else when the last one ends.
     *
     * @param action what to do when the desk is empty
     */
    public void onceEmpty(Runnable action) {
        run(() -> {
            if (clients.isEmpty()) {
                action.run();
            } else {
                whenEmpty.add(action);
            }
        });
    }

    /** Hands {@code task} to the desk's tasks; a bug in it is reported and the desk goes on. */
    private void run(Runnable task) {
        try {
            tasks.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    bug.accept(e);
                }
            });
        } catch (RejectedExecutionException e) {
            // the server has stopped, and the desk with it
        }
    }

    /** Carries out the desk's actions, in order. A switch expression: a kind without its step does not compile. */
    private void carryOut(List<DeskAction> actions) {
        for (DeskAction action : actions) {
            Runnable step = switch (action.kind()) {
                case CONNECT -> () -> connect((DeskAction.Connect) action);
                case PLACE -> () -> client(((DeskAction.Place) action).client()).ifPresent(client -> {
                    waiting(client, true);
                    client.post.accept(new Input.Wait(((DeskAction.Place) action).place()));
                });
                case OTHERS -> () -> client(((DeskAction.Others) action).client())
                        .ifPresent(client -> client.post.accept(new Input.Attend(((DeskAction.Others) action).waiting())));
                case HANDED_BACK -> () -> handedBack((DeskAction.HandedBack) action);
                case TELL -> () -> Optional.ofNullable(operators.get(((DeskAction.Tell) action).operator()))
                        .ifPresent(operator -> operator.tell(((DeskAction.Tell) action).text()));
            };
            step.run();
        }
    }

    /** The operator is with the client: the session learns it is attended, then the operator whom it is with. */
    private void connect(DeskAction.Connect connect) {
        client(connect.client()).ifPresent(client -> {
            client.asked = false;
            waiting(client, false);
            if (shared != null) {
                if (!connect.operator().equals(client.pairedWith)) { // back with the same one: its late lines still count
                    client.pairedWith = connect.operator();
                    client.pairedAt = shared.applied;
                }
                client.unpairedAt = Long.MAX_VALUE;
            }
            client.post.accept(new Input.Attend(connect.waiting()));
        });
        DeskOperator operator = operators.get(connect.operator());
        if (operator != null) {
            askedThere.remove(connect.client());
            operator.with(connect.client(), connect.label(), connect.waiting());
        }
    }

    /** The client {@code id}, if it is this server's and still here: the actions about others are theirs. */
    private Optional<Client> client(String id) {
        return Optional.ofNullable(clients.get(id));
    }

    /** Back in line: its question is withdrawn; an operator who passed it is told (one who left is gone). */
    private void handedBack(DeskAction.HandedBack back) {
        client(back.client()).ifPresent(client -> {
            client.asked = false;
            client.unpairedAt = shared == null ? 0 : shared.applied;
        });
        askedThere.remove(back.client());
        if (shared != null) {
            shared.passedForMemory.remove(back.client());
        }
        DeskOperator operator = operators.get(back.operator());
        if (operator != null && back.why() == DeskAction.Why.PASSED) {
            operator.handedBack(back.client(), back.why());
        }
    }

    /** The operator {@code conversation} is with, if any. */
    private Optional<DeskOperator> operatorOf(String conversation) {
        return desk.operatorOf(conversation).map(operators::get);
    }

    // ---- desk tasks: what a conversation's seat says ----------------------------------------------

    private void asked(String conversation) {
        Client client = clients.get(conversation);
        if (client != null) {
            client.asked = true;
            toOperator(conversation, DeskReplication.TurnKind.ASK, "", operator -> operator.ask(conversation));
        }
    }

    /** Tells {@code conversation}'s operator something: here, or relayed to its replica. */
    private void toOperator(String conversation, DeskReplication.TurnKind kind, String text, Consumer<DeskOperator> here) {
        Optional<String> operator = desk.operatorOf(conversation);
        if (operator.isEmpty()) {
            return;
        }
        DeskOperator local = operators.get(operator.get());
        if (local != null) {
            here.accept(local);
        } else if (shared != null) {
            shared.relay(kind, operator.get(), conversation, text, false);
        }
    }

    private void ended(String conversation, Outcome outcome) {
        Client gone = clients.remove(conversation);
        if (gone != null) {
            waiting(gone, false);
        }
        if (shared != null) {
            if (gone != null) {
                shared.replication.left(conversation, outcome); // its operator, wherever, is told as the log says
            }
        } else {
            operatorOf(conversation).ifPresent(operator -> operator.ended(conversation, outcome));
            carryOut(desk.handle(new DeskInput.ClientLeft(conversation)));
        }
        if (clients.isEmpty() && !whenEmpty.isEmpty()) {
            List<Runnable> now = List.copyOf(whenEmpty);
            whenEmpty.clear();
            now.forEach(Runnable::run);
        }
    }

    // ---- desk tasks: what an operator enters ------------------------------------------------------

    private void entered(String operatorId, String conversation, Input input) {
        DeskOperator operator = operators.get(operatorId);
        if (operator == null) {
            return; // it has left: what it sent after is nobody's
        }
        boolean inFront = conversation != null && desk.clientOf(operatorId).filter(conversation::equals).isPresent();
        if (input instanceof Input.OperatorDone) {
            if (inFront) {
                toClient(operatorId, conversation, input); // its input ended while that conversation asked
            }
            return;
        }
        Input.OperatorLine line = (Input.OperatorLine) input;
        Command command = Command.parse(operatorId, line.text());
        if (command instanceof Command.Say say) {
            if (inFront) {
                if (line.prompted()) {
                    client(conversation).ifPresent(client -> client.asked = false);
                    askedThere.remove(conversation);
                }
                toClient(operatorId, conversation, new Input.OperatorLine(say.text(), line.prompted()));
            } else {
                Client gone = conversation == null ? null : clients.get(conversation);
                operator.tell(conversation == null ? NO_CLIENT : "not sent (typed for " + (gone != null ? gone.label
                        : "conversation " + conversation) + ", no longer in front of you): " + quote(say.text()));
            }
            return;
        }
        if (command instanceof Command.ToDesk toDesk) {
            input(toDesk.input());
        } else {
            operator.tell(((Command.Unknown) command).notice());
        }
        Client asking = inFront ? clients.get(conversation) : null;
        boolean asked = asking != null ? asking.asked : inFront && askedThere.contains(conversation);
        if (line.prompted() && asked && desk.clientOf(operatorId).filter(conversation::equals).isPresent()) {
            operator.ask(conversation); // a command answers no one: the question is still open
        }
    }

    private void left(String operatorId) {
        if (operators.containsKey(operatorId)) {
            input(new DeskInput.OperatorLeft(operatorId));
            operators.remove(operatorId);
            online.decrementAndGet();
        }
    }

    private static String quote(String text) {
        return "'" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'";
    }

    /** One operator's way back to the desk. */
    private final class Lines implements DeskOperator.Lines {
        private final String operator;

        Lines(String operator) {
            this.operator = operator;
        }

        @Override
        public void entered(String conversation, Input input) {
            run(() -> DeskDriver.this.entered(operator, conversation, input));
        }

        @Override
        public void left() {
            run(() -> DeskDriver.this.left(operator));
        }
    }

    /**
     * One conversation's place at the desk: its session's operator (the question goes to whoever is
     * with it) and its transcript (everything is recorded; what is for the operator goes to it).
     * Called on the conversation's event loop.
     */
    public final class Seat implements Operator, Transcript {
        private final String id;
        private final Transcript record;

        Seat(String id, Transcript record) {
            this.id = id;
            this.record = record;
        }

        @Override
        public void ask() {
            run(() -> asked(id));
        }

        @Override
        public void heard(String message) {
            record.heard(message);
            run(() -> toOperator(id, DeskReplication.TurnKind.HEARD, message, operator -> operator.heard(id, message)));
        }

        @Override
        public void said(Sent what) {
            record.said(what);
        }

        @Override
        public void notice(String text) {
            record.notice(text);
            run(() -> toOperator(id, DeskReplication.TurnKind.NOTICE, text, operator -> operator.notice(id, text)));
        }

        @Override
        public void ended(Outcome outcome) {
            record.ended(outcome);
            run(() -> DeskDriver.this.ended(id, outcome));
        }
    }

    // ---- the seam: a desk shared with other replicas -------------------------------------------------------

    /** How this server's ids start: its replica's id and a dot when the desk is shared, else nothing. */
    private String prefix() {
        return shared == null ? "" : shared.replication.replica() + ".";
    }

    /** What happened here goes to the desk: at once, or through the shared log (applied when it comes back). */
    private void input(DeskInput input) {
        if (shared == null) {
            carryOut(desk.handle(input));
        } else {
            shared.replication.append(input);
            shared.recount();
        }
    }

    /** An operator's line (or the end of its input) for {@code conversation}: posted here, or relayed to its replica. */
    private void toClient(String operator, String conversation, Input input) {
        Client client = clients.get(conversation);
        if (client != null) {
            client.post.accept(input);
        } else if (shared != null) {
            if (input instanceof Input.OperatorLine line) {
                shared.relay(DeskReplication.TurnKind.LINE, operator, conversation, line.text(), line.prompted());
            } else {
                shared.relay(DeskReplication.TurnKind.DONE, operator, conversation, "", false);
            }
        }
    }

    /**
     * The shared desk's log and the turns relayed from other replicas, handed to the desk's tasks. The
     * log is applied in order; an input that the log's order made illegal (a gone replica's leaves came
     * first) is dropped by every replica alike. A turn waits until this desk has applied the log as far
     * as its sender's had, then goes to its client or operator only if they are still together.
     *
     * <p>What it holds is charged to the server's memory account: each turn from its arrival (on the
     * adapter's thread, before it waits for the desk's tasks) until it is delivered or dropped, and
     * the adapter's queued appends after each input. Held turns may take a quarter of the budget and
     * {@link #MAX_HELD} turns; room is made by refusing those farthest ahead of the desk. A turn that
     * still does not fit is refused, never held uncounted: a client here is
     * ended with {@code !memory}, as a connection holding too much is; an operator here is told and its
     * client (on another replica) is passed back to the line, for another operator.
     */
    private final class Shared implements DeskReplication.Receiver {

        /** What a client is told when it cannot be served for want of the other replicas. */
        static final Refusal UNREACHABLE = new Refusal.Unavailable("the help desk's other servers");
        /** How an operator here is told its client's conversation ended when the log says so with no reason (its replica is gone). */
        static final Outcome GONE = new Outcome(Outcome.Ending.PEER_LOST, dev.parley.core.session.Role.CLIENT, "its server left the help desk");
        /** The most turns held for a desk that lags behind their senders'; more are refused. */
        static final int MAX_HELD = 4096;

        final DeskReplication replication;
        /** The log's last position applied (desk thread). */
        long applied;
        /** Turns ahead of this desk, in arrival order, and what they cost (desk thread). */
        final ArrayDeque<DeskReplication.Turn> held = new ArrayDeque<>();
        long heldBytes;
        /** Whether the other replicas can be reached (desk thread). */
        boolean reachable = true;
        /** The server's memory account, once it has one (null: nothing is charged, as in a test of the desk alone). */
        volatile MemoryBudget memory;
        /** The adapter's held bytes as last charged (desk thread). */
        long appendsCharged;
        /** Clients of other replicas passed back for memory, until the log hands them back (desk thread): passed once. */
        final Set<String> passedForMemory = new HashSet<>();

        /** Hands the adapter's calls on: its threads (NATS's dispatcher, which reads the heartbeats too) never wait on the desk. */
        final Executor inbound;

        Shared(DeskReplication replication, Executor inbound) {
            this.replication = replication;
            this.inbound = inbound;
        }

        /** {@code task} as a desk task, handed over by the inbound thread. */
        private void fromAdapter(Runnable task) {
            try {
                inbound.execute(() -> run(task));
            } catch (RejectedExecutionException e) {
                // the server has stopped, and the desk with it
            }
        }

        void relay(DeskReplication.TurnKind kind, String operator, String client, String text, boolean prompted) {
            replication.relay(new DeskReplication.Turn(applied, kind, operator, client, text, prompted));
        }

        @Override
        public void apply(long position, DeskInput input, Outcome outcome) {
            fromAdapter(() -> applied(position, input, outcome));
        }

        @Override
        public void relayed(DeskReplication.Turn turn) {
            MemoryBudget account = memory;
            boolean taken = account == null || account.take(cost(turn));
            fromAdapter(() -> {
                if (taken || makeRoom(turn, account)) {
                    hold(turn);
                } else {
                    refuse(turn);
                }
            });
        }

        /**
         * Holds {@code turn} (its cost taken) until the desk catches up: within {@link #MAX_HELD} turns
         * and a quarter of the budget, room made by refusing the held turns farthest ahead of the desk
         * (a turn stamped with a position the log never reaches, from a replica that lies, is the first
         * to go), or the turn itself when it is the farthest.
         */
        private void hold(DeskReplication.Turn turn) {
            MemoryBudget account = memory;
            long most = account == null ? Long.MAX_VALUE : account.limit() / 4;
            while (!held.isEmpty() && (held.size() >= MAX_HELD || heldBytes + cost(turn) > most)) {
                DeskReplication.Turn farthest = farthest();
                if (farthest.position() <= turn.position()) {
                    given(turn);
                    refuse(turn);
                    return;
                }
                held.remove(farthest);
                heldBytes -= cost(farthest);
                given(farthest);
                refuse(farthest);
            }
            held.add(turn);
            heldBytes += cost(turn);
            release();
        }

        /** The budget had no room for {@code turn}: the held turns farther ahead are refused until it fits. */
        private boolean makeRoom(DeskReplication.Turn turn, MemoryBudget account) {
            while (!held.isEmpty() && farthest().position() > turn.position()) {
                DeskReplication.Turn farthest = farthest();
                held.remove(farthest);
                heldBytes -= cost(farthest);
                given(farthest);
                refuse(farthest);
                if (account.take(cost(turn))) {
                    return true;
                }
            }
            return false;
        }

        private DeskReplication.Turn farthest() {
            DeskReplication.Turn farthest = held.peekFirst();
            for (DeskReplication.Turn each : held) {
                if (each.position() > farthest.position()) {
                    farthest = each;
                }
            }
            return farthest;
        }

        /** What a turn costs while held: its strings on the heap (2 bytes a char at most) and the objects. */
        static long cost(DeskReplication.Turn turn) {
            return 2L * (turn.text().length() + turn.operator().length() + turn.client().length()) + 128;
        }

        private void given(DeskReplication.Turn turn) {
            MemoryBudget account = memory;
            if (account != null) {
                account.give(cost(turn));
            }
        }

        /** The adapter's held bytes now, charged (the change): after each input appended and each entry applied. */
        void recount() {
            MemoryBudget account = memory;
            if (account != null) {
                long now = replication.heldBytes();
                account.change(now - appendsCharged);
                appendsCharged = now;
            }
        }

        /**
         * A turn this server cannot hold: the conversation it belongs to does not go on without it. Its
         * client here is ended ({@code !memory}); its operator here is told, and passes its client (of
         * another replica) back to the line, once.
         */
        private void refuse(DeskReplication.Turn turn) {
            Client client = clients.get(turn.client());
            if (client != null) {
                client.post.accept(new Input.Drop(new Refusal.ShortOfMemory()));
                return;
            }
            DeskOperator operator = operators.get(turn.operator());
            if (operator != null && desk.clientOf(turn.operator()).filter(turn.client()::equals).isPresent()
                    && passedForMemory.add(turn.client())) {
                operator.tell("memory: this server is short of memory and could not hold what conversation " + turn.client()
                        + " sent; passed back to the line");
                input(new DeskInput.Pass(turn.operator()));
            }
        }

        /**
         * A turn relayed from here that never left: the conversation cannot go on as if it had arrived.
         * A client here waits for an operator who will not hear it: it is ended, told the desk is
         * unavailable. An operator here whose line did not reach its client (still with it) is told it
         * was not sent, and asked again if the line answered the client's question.
         */
        @Override
        public void lost(DeskReplication.Turn turn) {
            run(() -> {
                Client client = clients.get(turn.client());
                if (client != null) {
                    client.post.accept(new Input.Drop(UNREACHABLE));
                    return;
                }
                DeskOperator operator = operators.get(turn.operator());
                if (operator == null || !desk.clientOf(turn.operator()).filter(turn.client()::equals).isPresent()) {
                    return; // no longer together: the line was for no one now
                }
                if (turn.kind() == DeskReplication.TurnKind.LINE) {
                    operator.tell("not sent (the help desk could not carry it to the server of conversation " + turn.client()
                            + "): " + quote(turn.text()) + "; type it again");
                    if (turn.prompted()) {
                        askedThere.add(turn.client());
                        operator.ask(turn.client());
                    }
                }
            });
        }

        @Override
        public void reachable(boolean now) {
            fromAdapter(() -> reachableNow(now));
        }

        private void applied(long position, DeskInput input, Outcome outcome) {
            applied = position;
            if (input instanceof DeskInput.ClientLeft left) {
                String client = left.client();
                askedThere.remove(client);
                passedForMemory.remove(client);
                operatorOf(client).ifPresent(operator -> operator.ended(client, outcome != null ? outcome : GONE));
            }
            try {
                carryOut(desk.handle(input));
            } catch (dev.parley.core.desk.IllegalDeskInputException overtaken) {
                // every replica drops it alike: the log's order made it moot
            }
            release();
            recount();
        }

        /**
         * Delivers the held turns this desk has caught up with, in arrival order, and gives back what each
         * cost; one still ahead holds back no other (a sender's own turns come in position order).
         */
        private void release() {
            for (java.util.Iterator<DeskReplication.Turn> each = held.iterator(); each.hasNext();) {
                DeskReplication.Turn turn = each.next();
                if (turn.position() <= applied) {
                    each.remove();
                    heldBytes -= cost(turn);
                    given(turn);
                    deliver(turn);
                }
            }
        }


        /**
         * What a client said goes to its operator only while they are still together (an operator is
         * shown only the client in front). What an operator entered goes to its client if they were
         * together when it was entered, as on one server, where it would have reached the client
         * before a pass that the log put after it; never once another operator has taken the client.
         */
        private void deliver(DeskReplication.Turn turn) {
            DeskOperator operator = operators.get(turn.operator());
            Client client = clients.get(turn.client());
            if (client != null) {
                if (!turn.operator().equals(client.pairedWith) || turn.position() < client.pairedAt || turn.position() >= client.unpairedAt) {
                    return;
                }
            } else if (!desk.operatorOf(turn.client()).filter(turn.operator()::equals).isPresent()) {
                return; // no longer together: the turn is moot, as it would be on one server
            }
            switch (turn.kind()) {
                case HEARD -> ifHere(operator, o -> o.heard(turn.client(), turn.text()));
                case NOTICE -> ifHere(operator, o -> o.notice(turn.client(), turn.text()));
                case ASK -> ifHere(operator, o -> {
                    askedThere.add(turn.client());
                    o.ask(turn.client());
                });
                case LINE -> {
                    if (client != null) {
                        if (turn.prompted()) {
                            client.asked = false;
                        }
                        client.post.accept(new Input.OperatorLine(turn.text(), turn.prompted()));
                    }
                }
                case DONE -> {
                    if (client != null) {
                        client.post.accept(new Input.OperatorDone());
                    }
                }
            }
        }

        private void ifHere(DeskOperator operator, Consumer<DeskOperator> step) {
            if (operator != null) {
                step.accept(operator);
            }
        }

        /**
         * The other replicas out of reach: conversations between a client here and an operator there
         * end (told why), and so, for the operators here, do those with a client there; new clients
         * are refused until they are back. Conversations within this server go on.
         */
        private void reachableNow(boolean now) {
            reachable = now;
            if (now) {
                return;
            }
            for (Map.Entry<String, Client> entry : clients.entrySet()) {
                desk.operatorOf(entry.getKey()).filter(operator -> !operators.containsKey(operator))
                        .ifPresent(operator -> entry.getValue().post.accept(new Input.Drop(UNREACHABLE)));
            }
            for (Map.Entry<String, DeskOperator> entry : operators.entrySet()) {
                desk.clientOf(entry.getKey()).filter(client -> !clients.containsKey(client)).ifPresent(client -> entry.getValue()
                        .ended(client, new Outcome(Outcome.Ending.DROPPED, dev.parley.core.session.Role.CLIENT, UNREACHABLE.reason())));
            }
        }
    }
}
