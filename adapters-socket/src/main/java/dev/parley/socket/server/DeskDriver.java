package dev.parley.socket.server;

import dev.parley.core.desk.Command;
import dev.parley.core.desk.Desk;
import dev.parley.core.desk.DeskAction;
import dev.parley.core.desk.DeskInput;
import dev.parley.core.port.DeskOperator;
import dev.parley.core.port.Operator;
import dev.parley.core.port.Transcript;
import dev.parley.core.session.Action.Sent;
import dev.parley.core.session.Input;
import dev.parley.core.session.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * The operators' desk on one thread: the server's conversations answered by people and the
 * operators at the desk meet here. Everything that happens (a conversation opened or ended, a
 * client's message or question, an operator joined, left or entered a line) is handed to
 * {@code deskThread} (a serial executor: one task at a time, in order), turned into
 * {@link DeskInput}s for the {@link Desk}, and its actions are carried out: each conversation is
 * told through its {@link ConversationHandle#post} (to its own event loop: {@link Input.Attend},
 * {@link Input.Wait}, the operator's lines), each operator through its {@link DeskOperator} port.
 * Nothing here is touched from another thread, so nothing is locked.
 *
 * <p>A conversation's messages, notices and questions go to the operator it is with, and to no
 * one while it waits. An operator's line is read once ({@link Command#parse}): a command goes to the
 * desk; an answer goes to the conversation it was entered for only while the operator is still with
 * it, else the operator is told it was not sent (a line typed for one conversation never reaches
 * another). A command entered at the prompt leaves the question open: the operator is asked again.
 */
public final class DeskDriver {

    /** What the person is told of an answer entered with no one in front. */
    static final String NO_CLIENT = "not sent (no client)";

    private final Executor deskThread;
    private final Consumer<Throwable> bug;
    private final Desk desk = new Desk();
    private final Map<String, Client> clients = new HashMap<>();
    private final Map<String, DeskOperator> operators = new HashMap<>();
    /** What waits for the desk to be empty. */
    private final List<Runnable> whenEmpty = new ArrayList<>();
    private int joined;

    /** A conversation at the desk, as the desk's thread knows it. */
    private static final class Client {
        final Consumer<Input> post;
        final String label;
        /** Its session asked its operator, and no answer went to it since. */
        boolean asked;

        Client(Consumer<Input> post, String label) {
            this.post = post;
            this.label = label;
        }
    }

    /**
     * A desk whose work runs on {@code deskThread}.
     *
     * @param deskThread runs one task at a time, in the order given (a single-thread executor)
     * @param bug told of a bug in a port or the desk (the task is dropped, the desk goes on)
     */
    public DeskDriver(Executor deskThread, Consumer<Throwable> bug) {
        this.deskThread = deskThread;
        this.bug = bug;
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
        Seat seat = new Seat(String.valueOf(conversation.id()), record);
        String label = "conversation " + conversation.id() + " (" + conversation.remote() + ")";
        run(() -> {
            clients.put(seat.id, new Client(conversation::post, label));
            carryOut(desk.handle(new DeskInput.ClientArrived(seat.id, label)));
        });
        return seat;
    }

    /**
     * An operator comes to the desk: {@code operator} is told {@link DeskOperator#joined} first.
     *
     * @param name how other operators are told of it
     * @param operator the operator's port
     */
    public void join(String name, DeskOperator operator) {
        run(() -> {
            String id = "operator " + ++joined;
            operators.put(id, operator);
            operator.joined(new Lines(id));
            carryOut(desk.handle(new DeskInput.OperatorJoined(id, name)));
        });
    }

    /**
     * Runs {@code action} on the desk's thread once no conversation is at the desk (attended or
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

    /** Hands {@code task} to the desk's thread; a bug in it is reported and the desk goes on. */
    private void run(Runnable task) {
        try {
            deskThread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    bug.accept(e);
                }
            });
        } catch (RejectedExecutionException e) {
            // the server has stopped, and the desk's thread with it
        }
    }

    /** Carries out the desk's actions, in order. A switch expression: a kind without its step does not compile. */
    private void carryOut(List<DeskAction> actions) {
        for (DeskAction action : actions) {
            Runnable step = switch (action.kind()) {
                case CONNECT -> () -> connect((DeskAction.Connect) action);
                case PLACE -> () -> clients.get(((DeskAction.Place) action).client()).post
                        .accept(new Input.Wait(((DeskAction.Place) action).place()));
                case OTHERS -> () -> clients.get(((DeskAction.Others) action).client()).post
                        .accept(new Input.Attend(((DeskAction.Others) action).waiting()));
                case HANDED_BACK -> () -> handedBack((DeskAction.HandedBack) action);
                case TELL -> () -> operators.get(((DeskAction.Tell) action).operator()).tell(((DeskAction.Tell) action).text());
            };
            step.run();
        }
    }

    /** The operator is with the client: the session learns it is attended, then the operator whom it is with. */
    private void connect(DeskAction.Connect connect) {
        Client client = clients.get(connect.client());
        client.asked = false;
        client.post.accept(new Input.Attend(connect.waiting()));
        operators.get(connect.operator()).with(connect.client(), connect.label(), connect.waiting());
    }

    /** Back in line: its question is withdrawn; an operator who passed it is told (one who left is gone). */
    private void handedBack(DeskAction.HandedBack back) {
        clients.get(back.client()).asked = false;
        DeskOperator operator = operators.get(back.operator());
        if (operator != null && back.why() == DeskAction.Why.PASSED) {
            operator.handedBack(back.client(), back.why());
        }
    }

    /** The operator {@code conversation} is with, if any. */
    private Optional<DeskOperator> operatorOf(String conversation) {
        return desk.operatorOf(conversation).map(operators::get);
    }

    // ---- on the desk's thread: what a conversation's seat says ----------------------------------------------

    private void asked(String conversation) {
        Client client = clients.get(conversation);
        if (client != null) {
            client.asked = true;
            operatorOf(conversation).ifPresent(operator -> operator.ask(conversation));
        }
    }

    private void ended(String conversation, Outcome outcome) {
        operatorOf(conversation).ifPresent(operator -> operator.ended(conversation, outcome));
        clients.remove(conversation);
        carryOut(desk.handle(new DeskInput.ClientLeft(conversation)));
        if (clients.isEmpty() && !whenEmpty.isEmpty()) {
            List<Runnable> now = List.copyOf(whenEmpty);
            whenEmpty.clear();
            now.forEach(Runnable::run);
        }
    }

    // ---- on the desk's thread: what an operator enters ------------------------------------------------------

    private void entered(String operatorId, String conversation, Input input) {
        DeskOperator operator = operators.get(operatorId);
        if (operator == null) {
            return; // it has left: what it sent after is nobody's
        }
        boolean inFront = conversation != null && desk.clientOf(operatorId).filter(conversation::equals).isPresent();
        if (input instanceof Input.OperatorDone) {
            if (inFront) {
                clients.get(conversation).post.accept(input); // its input ended while that conversation asked
            }
            return;
        }
        Input.OperatorLine line = (Input.OperatorLine) input;
        Command command = Command.parse(operatorId, line.text());
        if (command instanceof Command.Say say) {
            if (inFront) {
                Client client = clients.get(conversation);
                if (line.prompted()) {
                    client.asked = false;
                }
                client.post.accept(new Input.OperatorLine(say.text(), line.prompted()));
            } else {
                Client gone = conversation == null ? null : clients.get(conversation);
                operator.tell(conversation == null ? NO_CLIENT : "not sent (typed for " + (gone != null ? gone.label
                        : "conversation " + conversation) + ", no longer in front of you): " + quote(say.text()));
            }
            return;
        }
        if (command instanceof Command.ToDesk toDesk) {
            carryOut(desk.handle(toDesk.input()));
        } else {
            operator.tell(((Command.Unknown) command).notice());
        }
        Client asking = inFront ? clients.get(conversation) : null;
        if (line.prompted() && asking != null && asking.asked && desk.clientOf(operatorId).filter(conversation::equals).isPresent()) {
            operator.ask(conversation); // a command answers no one: the question is still open
        }
    }

    private void left(String operatorId) {
        if (operators.containsKey(operatorId)) {
            carryOut(desk.handle(new DeskInput.OperatorLeft(operatorId)));
            operators.remove(operatorId);
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
            run(() -> operatorOf(id).ifPresent(operator -> operator.heard(id, message)));
        }

        @Override
        public void said(Sent what) {
            record.said(what);
        }

        @Override
        public void notice(String text) {
            record.notice(text);
            run(() -> operatorOf(id).ifPresent(operator -> operator.notice(id, text)));
        }

        @Override
        public void ended(Outcome outcome) {
            record.ended(outcome);
            run(() -> DeskDriver.this.ended(id, outcome));
        }
    }
}
