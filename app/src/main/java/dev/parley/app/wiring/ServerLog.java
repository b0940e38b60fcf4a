package dev.parley.app.wiring;

import dev.parley.console.TerminalSafe;
import dev.parley.core.desk.OperatorWire;
import dev.parley.core.port.Transcript;
import dev.parley.core.session.Outcome;
import dev.parley.socket.server.ConversationHandle;
import dev.parley.socket.server.ServerEvents;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The server's log, one line per event: listening, each conversation opened and ended (with how),
 * refusals and crashes. Text that came from a peer is rendered safe and cut to
 * {@value #LOGGED_CHARS} characters, so a hostile peer can neither forge lines nor flood the log.
 * With timestamps, each line starts with the time (RFC 3339, UTC, milliseconds); quiet, the
 * openings and the normal endings are left out.
 */
final class ServerLog implements ServerEvents {

    /** The most of a peer's text quoted in one log line. */
    static final int LOGGED_CHARS = 200;

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z' ", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** How the log is kept: where its lines go, and what they carry. */
    record Style(Consumer<String> lines, boolean verbose, boolean timestamps, boolean quiet, Clock clock) {}

    private final Style style;
    private final Runnable afterListening;
    private final Refusals refusals;
    private volatile String fingerprint;
    private volatile Function<String, String> clientNames = key -> "";
    private volatile Function<String, String> operatorNames = key -> "";

    ServerLog(Style style, Runnable afterListening) {
        this.style = style;
        this.afterListening = afterListening;
        this.refusals = new Refusals(this::line);
    }

    /** Writes one line of the log. */
    void line(String text) {
        style.lines().accept(style.timestamps() ? TIME.format(style.clock().instant()) + text : text);
    }

    /** With TLS: the fingerprint printed after the listening line, and the names clients and operators have in their files. */
    void tls(String fingerprint, Optional<Function<String, String>> names, Optional<Function<String, String>> operators) {
        this.fingerprint = fingerprint;
        names.ifPresent(n -> clientNames = n);
        operators.ifPresent(n -> operatorNames = n);
    }

    @Override
    public void listening(String address) {
        line("listening on " + address);
        if (fingerprint != null) {
            line("fingerprint " + fingerprint);
        }
        afterListening.run();
    }

    @Override
    public void opened(ConversationHandle conversation) {
        if (!style.quiet()) {
            String key = conversation.clientKey();
            String name = key == null ? "" : clientNames.apply(key);
            line("conversation " + conversation.id() + " with " + conversation.remote() + " opened"
                    + (!conversation.tls() ? "" : key == null ? " (TLS)" : " (TLS, client " + key + (name.isEmpty() ? "" : " " + name) + ")"));
        }
    }

    @Override
    public void operatorJoined(String remote, String name, String key) {
        String named = key == null ? "" : operatorNames.apply(key);
        line("operator " + TerminalSafe.forLog(name, OperatorWire.MAX_NAME_CHARS) + " (" + remote + ") joined the desk"
                + (key == null ? "" : " (TLS, operator " + key + (named.isEmpty() ? "" : " " + named) + ")"));
    }

    @Override
    public void operatorLeft(String remote, String name, String how) {
        line("operator " + TerminalSafe.forLog(name, OperatorWire.MAX_NAME_CHARS) + " (" + remote + ") left the desk: "
                + TerminalSafe.forLog(how, LOGGED_CHARS));
    }

    @Override
    public void refused(String remote, String reason) {
        refusals.refused(remote, reason);
    }

    @Override
    public void acceptFailed(String reason) {
        line("parley: warning: cannot accept connections: " + reason
                + (reason.contains("too many open files") ? " (the open-file limit, ulimit -n, is reached)" : "")
                + "; pausing accepts for a second at a time until it clears");
    }

    @Override
    public void acceptingAgain() {
        line("parley: accepting connections again");
    }

    /** Stops the summary of refusals, printing what it still counts. */
    void close() {
        refusals.close();
    }

    @Override
    public void crashed(ConversationHandle conversation, Throwable e) {
        bug("conversation " + conversation.id() + " with " + conversation.remote() + " failed: " + e
                + "; closed it (a bug: please report it)", e);
    }

    /** A bug in the operators' desk or an operator's port: that step is dropped, the desk goes on. */
    void deskFailed(Throwable e) {
        bug("the operators' desk failed: " + e + "; it goes on without that step (a bug: please report it)", e);
    }

    /** A line for a bug, with its stack trace under --verbose. */
    private void bug(String text, Throwable e) {
        line(text);
        if (style.verbose()) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            trace.toString().lines().forEach(style.lines());
        }
    }

    /**
     * The log's transcript of one conversation: its notices and its ending, not its messages (nor
     * an automatic responder's replies); {@code whenEnded} hears the ending too.
     */
    Transcript conversation(ConversationHandle conversation, Consumer<Outcome> whenEnded) {
        return new Transcript() {
            @Override
            public void notice(String text) {
                line(who() + ": " + TerminalSafe.forLog(text, LOGGED_CHARS));
            }

            @Override
            public void ended(Outcome outcome) {
                if (!style.quiet() || !outcome.isNormal()) {
                    line(who() + " ended: " + TerminalSafe.forLog(outcome.describe(), LOGGED_CHARS));
                }
                whenEnded.accept(outcome);
            }

            /** Made for each line, not kept: an idle conversation holds no string of its own. */
            private String who() {
                return "conversation " + conversation.id() + " with " + conversation.remote();
            }
        };
    }
}
