package dev.parley.core.port;

import dev.parley.core.session.Action;
import java.util.List;

/** Carries a session's actions out on the ports, in order: the one place an action meets an adapter. */
public final class Actions {

    private Actions() {}

    /**
     * Carries out {@code actions} on {@code peer}, {@code operator} and {@code transcript}, in
     * order: {@link Action.Send} writes to the peer and tells the transcript what was said,
     * {@link Action.Show} and {@link Action.Notice} go to the transcript, {@link Action.AskOperator}
     * to the operator, {@link Action.EndOutput} and {@link Action.Close} to the peer, and
     * {@link Action.Ended} to the transcript.
     *
     * @param actions what {@link dev.parley.core.session.Session#handle} returned
     * @param peer the wire to the other side
     * @param operator this side's person (never asked on a side answered by a responder)
     * @param transcript where the conversation is shown or recorded
     */
    public static void carryOut(List<Action> actions, Peer peer, Operator operator, Transcript transcript) {
        for (Action action : actions) {
            if (action instanceof Action.Send) {
                Action.Send send = (Action.Send) action;
                peer.send(send.bytes());
                transcript.said(send.what());
            } else if (action instanceof Action.Show) {
                transcript.heard(((Action.Show) action).message());
            } else if (action instanceof Action.Notice) {
                transcript.notice(((Action.Notice) action).text());
            } else if (action instanceof Action.AskOperator) {
                operator.ask();
            } else if (action instanceof Action.EndOutput) {
                peer.endOutput();
            } else if (action instanceof Action.Close) {
                peer.close();
            } else {
                transcript.ended(((Action.Ended) action).outcome());
            }
        }
    }
}
