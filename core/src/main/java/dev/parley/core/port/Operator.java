package dev.parley.core.port;

/**
 * Port: this side's person (or a script on stdin), asked to speak. The answer is not returned: it
 * comes back later, from the operator's own thread or input, as an
 * {@link dev.parley.core.session.Input.OperatorLine} or
 * {@link dev.parley.core.session.Input.OperatorDone} for the session. Adapters: the console, a
 * scripted operator in tests.
 */
public interface Operator {

    /** It is this side's turn: prompt for the next line ({@link dev.parley.core.session.Action.AskOperator}). */
    void ask();
}
