package dev.parley.core.port;

import dev.parley.core.session.Action;
import java.util.List;

/** Carries a session's actions out on the ports, in order: the one place an action meets an adapter. */
public final class Actions {

    /** Where one kind of action goes; it is handed only actions of its kind. */
    @FunctionalInterface
    private interface Route {
        void carryOut(Action action, Peer peer, Operator operator, Transcript transcript);
    }

    /** The operator of a side answered by a responder, which is never asked. */
    private static final Operator NONE = () -> {
        throw new IllegalStateException("a side answered by a responder was asked for an operator: it has none");
    };

    private Actions() {}

    /**
     * Each kind of action's route. A switch expression: a kind without its route does not compile.
     * The routes capture nothing, so each is one object, made once.
     */
    private static Route route(Action.Kind kind) {
        return switch (kind) {
            case SEND -> (action, peer, operator, transcript) -> {
                Action.Send send = (Action.Send) action;
                peer.send(send.bytes());
                transcript.said(send.what());
            };
            case SHOW -> (action, peer, operator, transcript) -> transcript.heard(((Action.Show) action).message());
            case SHOW_NOTICE -> (action, peer, operator, transcript) -> transcript.notice(((Action.ShowNotice) action).text());
            case ASK_OPERATOR -> (action, peer, operator, transcript) -> operator.ask();
            case END_OUTPUT -> (action, peer, operator, transcript) -> peer.endOutput();
            case CLOSE -> (action, peer, operator, transcript) -> peer.close();
            case ENDED -> (action, peer, operator, transcript) -> transcript.ended(((Action.Ended) action).outcome());
        };
    }

    /**
     * Carries out {@code actions} on {@code peer}, {@code operator} and {@code transcript}, in
     * order: {@link Action.Send} writes to the peer and tells the transcript what was said,
     * {@link Action.Show} and {@link Action.ShowNotice} go to the transcript, {@link Action.AskOperator}
     * to the operator, {@link Action.EndOutput} and {@link Action.Close} to the peer, and
     * {@link Action.Ended} to the transcript. The ports neither block nor throw: a write that failed
     * is fed to the session by the driver, as {@link dev.parley.core.session.Input.PeerFailed}, once
     * this has returned (the <a href="package-summary.html#the-drivers-contract">driver's contract</a>).
     *
     * @param actions what {@link dev.parley.core.session.Session#handle} returned
     * @param peer the wire to the other side
     * @param operator this side's person (never asked on a side answered by a responder)
     * @param transcript where the conversation is shown or recorded
     */
    public static void carryOut(List<Action> actions, Peer peer, Operator operator, Transcript transcript) {
        for (Action action : actions) {
            route(action.kind()).carryOut(action, peer, operator, transcript);
        }
    }

    /**
     * Carries out {@code actions} for a side answered by a responder, which has no operator (a
     * server made by {@link dev.parley.core.session.Session#server Session.server}): as
     * {@link #carryOut(List, Peer, Operator, Transcript)}, where asking the operator is a bug.
     *
     * @param actions what the session of a {@link dev.parley.core.responder.Responder} returned
     * @param peer the wire to the other side
     * @param transcript where the conversation is shown or recorded
     * @throws IllegalStateException on {@link Action.AskOperator}, which such a session never returns
     */
    public static void carryOut(List<Action> actions, Peer peer, Transcript transcript) {
        carryOut(actions, peer, NONE, transcript);
    }
}
