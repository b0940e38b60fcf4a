package dev.parley.app;

import dev.parley.console.TerminalSafe;
import dev.parley.core.port.Transcript;
import dev.parley.core.session.Action.Sent;
import dev.parley.core.session.Outcome;
import dev.parley.socket.ConversationHandle;
import dev.parley.socket.ServerEvents;
import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * The server's log on stderr, one line per event: listening, each conversation opened and ended
 * (with how), refusals and crashes. Text that came from a peer is rendered safe and cut to
 * {@value #LOGGED_CHARS} characters, so a hostile peer can neither forge lines nor flood the log.
 */
final class ServerLog implements ServerEvents {

    /** The most of a peer's text quoted in one log line. */
    static final int LOGGED_CHARS = 200;

    private final PrintStream err;
    private final boolean verbose;
    private final Runnable afterListening;
    private final Refusals refusals;

    ServerLog(PrintStream err, boolean verbose, Runnable afterListening) {
        this.err = err;
        this.verbose = verbose;
        this.afterListening = afterListening;
        this.refusals = new Refusals(err);
    }

    @Override
    public void listening(String address) {
        err.println("listening on " + address);
        afterListening.run();
    }

    @Override
    public void opened(ConversationHandle conversation) {
        err.println("conversation " + conversation.id() + " with " + conversation.remote() + " opened");
    }

    @Override
    public void refused(String remote, String reason) {
        refusals.refused(remote, reason);
    }

    @Override
    public void acceptFailed(String reason) {
        err.println("parley: warning: cannot accept connections: " + reason
                + (reason.contains("too many open files") ? " (the open-file limit, ulimit -n, is reached)" : "")
                + "; pausing accepts for a second at a time until it clears");
    }

    @Override
    public void acceptingAgain() {
        err.println("parley: accepting connections again");
    }

    /** Stops the summary of refusals, printing what it still counts. */
    void close() {
        refusals.close();
    }

    @Override
    public void crashed(ConversationHandle conversation, RuntimeException e) {
        err.println("conversation " + conversation.id() + " with " + conversation.remote() + " failed: " + e
                + "; closed it (a bug: please report it)");
        if (verbose) {
            e.printStackTrace(err);
        }
    }

    /** The log's transcript of one conversation: its notices and its ending; {@code whenEnded} hears the ending too. */
    Transcript conversation(ConversationHandle conversation, Consumer<Outcome> whenEnded) {
        String who = "conversation " + conversation.id() + " with " + conversation.remote();
        return new Transcript() {
            @Override
            public void heard(String message) {
                // an automatic responder's messages are not logged
            }

            @Override
            public void said(Sent what) {
                // nor its replies
            }

            @Override
            public void notice(String text) {
                err.println(who + ": " + TerminalSafe.forLog(text, LOGGED_CHARS));
            }

            @Override
            public void ended(Outcome outcome) {
                err.println(who + " ended: " + TerminalSafe.forLog(outcome.describe(), LOGGED_CHARS));
                whenEnded.accept(outcome);
            }
        };
    }
}
