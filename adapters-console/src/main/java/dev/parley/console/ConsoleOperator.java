package dev.parley.console;

import dev.parley.core.desk.DeskAction;
import dev.parley.core.port.DeskOperator;
import dev.parley.core.session.Input;
import dev.parley.core.session.Outcome;
import java.util.function.Consumer;

/**
 * The person at a console server's terminal as one operator at the desk: the client in front's
 * messages are shown, its questions put at the {@code you> } prompt, and each line the person enters
 * goes back tagged with the conversation that was in front when it was entered (the console is told
 * whenever that changes: {@link Console#forwardTo}, which sets a half-typed line aside). The prompt
 * says whether a client has the turn or no one is there. The desk's driver calls it from its one
 * thread; the person's lines come from the console's.
 */
public final class ConsoleOperator implements DeskOperator {

    /** What the person sees for a prompt while no one is in front, and while a client has the turn. */
    static final String NO_ONE = "(no client) ";
    static final String CLIENTS_TURN = "(client's turn) ";

    private final Console console;
    private DeskOperator.Lines lines;
    /** The conversation in front, or null. */
    private String conversation;
    /** Where the person's lines go now: tagged with the conversation in front, or with none. */
    private Consumer<Input> front;

    /** The person at {@code console}; the console starts with no one in front. */
    public ConsoleOperator(Console console) {
        this.console = console;
        console.idle(NO_ONE);
    }

    @Override
    public void joined(DeskOperator.Lines lines) {
        this.lines = lines;
        noOne();
    }

    @Override
    public void with(String conversation, String label, int waiting) {
        this.conversation = conversation;
        DeskOperator.Lines to = lines;
        front = input -> to.entered(conversation, input);
        console.forwardTo(front);
        console.idle(CLIENTS_TURN);
        console.status("parley: now with " + TerminalSafe.render(label)
                + (waiting == 0 ? "" : "; " + waiting + (waiting == 1 ? " client waiting" : " clients waiting")));
    }

    @Override
    public void heard(String conversation, String message) {
        if (conversation.equals(this.conversation)) {
            console.message("client", message);
        }
    }

    @Override
    public void ask(String conversation) {
        if (conversation.equals(this.conversation)) {
            console.ask(front);
        }
    }

    @Override
    public void notice(String conversation, String text) {
        if (conversation.equals(this.conversation)) {
            console.status("parley: " + TerminalSafe.render(text));
        }
    }

    /** The ending itself is the server's log's to show, on the same console. */
    @Override
    public void ended(String conversation, Outcome outcome) {
        if (conversation.equals(this.conversation)) {
            noOne();
        }
    }

    @Override
    public void handedBack(String conversation, DeskAction.Why why) {
        if (conversation.equals(this.conversation)) {
            noOne();
        }
    }

    @Override
    public void tell(String text) {
        console.status("parley: " + TerminalSafe.render(text));
    }

    /** No one in front: the person's lines go to the desk with no conversation (commands work; answers are not sent). */
    private void noOne() {
        if (front != null) {
            console.withdraw(front);
        }
        conversation = null;
        DeskOperator.Lines to = lines;
        front = input -> to.entered(null, input);
        console.forwardTo(front);
        console.idle(NO_ONE);
    }
}
