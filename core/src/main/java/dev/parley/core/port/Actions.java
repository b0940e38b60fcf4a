package dev.parley.core.port;

import dev.parley.core.session.Action;
import java.util.List;

/** Carries a session's actions out on the ports, in order: the one place an action meets an adapter. */
public final class Actions {

    private Actions() {}

    /** Carries out {@code actions} on {@code peer}, {@code operator} and {@code transcript}. */
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
