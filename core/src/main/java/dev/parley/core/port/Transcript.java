package dev.parley.core.port;

import dev.parley.core.session.Action.Sent;
import dev.parley.core.session.Outcome;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Port: where one side's conversation is shown or recorded as it happens (a terminal, a server's
 * log, a JSON Lines file, a test's list). Text from the peer is raw: an adapter that shows it to a
 * person or writes it to a log renders it safely. Each method does nothing unless overridden: an
 * adapter implements what it shows.
 */
public interface Transcript {

    /**
     * The peer said {@code message} in its turn (never bye, which ends the conversation instead).
     *
     * @param message the peer's message, raw
     */
    default void heard(String message) {
        // shown nowhere
    }

    /**
     * This side sent {@code what}: a message, bye, a failure report or a notice.
     *
     * @param what what was sent
     */
    default void said(Sent what) {
        // shown nowhere
    }

    /**
     * Something this side's person should know that is not a message: a refused line, the peer's notice.
     *
     * @param text the notice (it may quote the peer: raw)
     */
    default void notice(String text) {
        // shown nowhere
    }

    /**
     * The conversation is over; called exactly once.
     *
     * @param outcome how it ended
     */
    default void ended(Outcome outcome) {
        // shown nowhere
    }

    /**
     * This transcript, then {@code next}: the conversation recorded in two places (a log and a
     * file, a terminal and a file), each call made on this one first.
     *
     * @param next where each call goes after this transcript
     * @return a transcript that hands every call to both, in that order
     */
    default Transcript andThen(Transcript next) {
        Objects.requireNonNull(next, "next");
        Transcript first = this;
        return new Transcript() {
            @Override
            public void heard(String message) {
                first.heard(message);
                next.heard(message);
            }

            @Override
            public void said(Sent what) {
                first.said(what);
                next.said(what);
            }

            @Override
            public void notice(String text) {
                first.notice(text);
                next.notice(text);
            }

            @Override
            public void ended(Outcome outcome) {
                first.ended(outcome);
                next.ended(outcome);
            }
        };
    }

    /**
     * A transcript that shows nothing and hands the ending to {@code ended} (a log line, a test's list).
     *
     * @param ended what to do with the outcome when the conversation ends
     * @return a transcript that ignores all but the ending
     */
    static Transcript endingOnly(Consumer<Outcome> ended) {
        Objects.requireNonNull(ended, "ended");
        return new Transcript() {
            @Override
            public void ended(Outcome outcome) {
                ended.accept(outcome);
            }
        };
    }
}
