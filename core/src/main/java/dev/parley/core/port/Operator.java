package dev.parley.core.port;

/**
 * Port: this side's person (or a script on stdin), asked to speak. {@link #ask()} returns at once;
 * the answer comes back later, from the operator's own thread or input, as an
 * {@link dev.parley.core.session.Input.OperatorLine} or
 * {@link dev.parley.core.session.Input.OperatorDone}, which the driver hands to the session on its
 * own thread. A side answered by a {@link dev.parley.core.responder.Responder} has no operator
 * ({@link Actions#carryOut(java.util.List, Peer, Transcript)}). Adapters: the console, a scripted
 * operator in tests.
 */
public interface Operator {

    /** It is this side's turn: prompt for the next line ({@link dev.parley.core.session.Action.AskOperator}). */
    void ask();
}
