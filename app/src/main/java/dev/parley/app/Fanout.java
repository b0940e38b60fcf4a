package dev.parley.app;

import dev.parley.core.port.Transcript;
import dev.parley.core.session.Action.Sent;
import dev.parley.core.session.Outcome;

/** One conversation recorded in two places (the log and a transcript file, the terminal and a file), in that order. */
final class Fanout implements Transcript {

    private final Transcript first;
    private final Transcript second;

    private Fanout(Transcript first, Transcript second) {
        this.first = first;
        this.second = second;
    }

    static Transcript of(Transcript first, Transcript second) {
        return new Fanout(first, second);
    }

    @Override
    public void heard(String message) {
        first.heard(message);
        second.heard(message);
    }

    @Override
    public void said(Sent what) {
        first.said(what);
        second.said(what);
    }

    @Override
    public void notice(String text) {
        first.notice(text);
        second.notice(text);
    }

    @Override
    public void ended(Outcome outcome) {
        first.ended(outcome);
        second.ended(outcome);
    }
}
