package dev.parley.core.port;

import dev.parley.core.desk.DeskAction;
import dev.parley.core.session.Input;
import dev.parley.core.session.Outcome;

/**
 * Port: one operator at the desk (the person at the server's terminal, a remote operator), as the
 * desk's driver speaks to it: told which conversation is in front of it, shown that client's
 * messages and notices, asked for its answers. Conversations are named by the desk's client ids.
 * The driver calls it from one thread, in order, and never waits for it: an adapter queues what it
 * cannot do at once. What the operator enters goes back through {@link Lines}, each line tagged
 * with the conversation it was entered for, so that a line can never reach another conversation.
 * Adapters: the console ({@code ConsoleOperator}); a remote operator's connection.
 */
public interface DeskOperator {

    /**
     * The operator is at the desk; what it enters goes to {@code lines}. Called once, first.
     *
     * @param lines where the operator's lines go
     */
    void joined(Lines lines);

    /**
     * The operator is now with {@code conversation}: what it enters from now is for that one.
     *
     * @param conversation the conversation's id
     * @param label how to name it to the operator (it holds the client's address: render it safely)
     * @param waiting how many clients wait in line now
     */
    void with(String conversation, String label, int waiting);

    /**
     * The client of {@code conversation} said {@code message}.
     *
     * @param conversation the conversation's id
     * @param message the client's message, raw
     */
    void heard(String conversation, String message);

    /**
     * {@code conversation} asks for the operator's answer (its session's
     * {@link dev.parley.core.session.Action.AskOperator}).
     *
     * @param conversation the conversation's id
     */
    void ask(String conversation);

    /**
     * A notice of {@code conversation}'s, for the operator: a line not sent and why, the client
     * half-closed, the client's own notice.
     *
     * @param conversation the conversation's id
     * @param text the notice, raw (it may quote the client)
     */
    void notice(String conversation, String text);

    /**
     * {@code conversation} ended; the operator is with no one until the next {@link #with}.
     *
     * @param conversation the conversation's id
     * @param outcome how it ended, from the server's side
     */
    void ended(String conversation, Outcome outcome);

    /**
     * {@code conversation} went back to the line (passed); the operator is with no one until the
     * next {@link #with}.
     *
     * @param conversation the conversation's id
     * @param why why it was handed back
     */
    void handedBack(String conversation, DeskAction.Why why);

    /**
     * A status line from the desk: who waits, a pass done, the answer to {@code /who}, a line not
     * sent for a conversation no longer in front.
     *
     * @param text what to tell the operator, raw (labels hold clients' addresses, names are operators')
     */
    void tell(String text);

    /**
     * What an operator enters, back to the desk's driver. Safe from any thread; never blocks.
     */
    interface Lines {

        /**
         * The operator entered {@code input} for {@code conversation}: an
         * {@link Input.OperatorLine} (an answer, or a command: see
         * {@link dev.parley.core.desk.Command}), or {@link Input.OperatorDone} (its input ended
         * while that conversation asked). An answer reaches that conversation only while the
         * operator is still with it; else the operator is told it was not sent.
         *
         * @param conversation the id of the conversation in front when it was entered, or null when no one was
         * @param input what the operator entered
         */
        void entered(String conversation, Input input);

        /** The operator left the desk, or was cut off: its client goes back to the front of the line. */
        void left();
    }
}
