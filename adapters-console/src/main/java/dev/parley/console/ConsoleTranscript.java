package dev.parley.console;

import dev.parley.core.port.Transcript;
import dev.parley.core.session.Action.Sent;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Role;
import java.io.PrintStream;

/**
 * The terminal as the {@link Transcript} port. Piped, each peer message is exactly one line on
 * stdout with nothing added, and notices go to stderr; interactive, messages are labelled with who
 * said them. Everything from the peer is rendered {@linkplain TerminalSafe terminal-safe}, on
 * stdout and stderr alike.
 */
public final class ConsoleTranscript implements Transcript {

    private final PrintStream messages;
    private final PrintStream status;
    private final boolean interactive;
    private final Role peer;
    private final String prefix;

    /**
     * @param prefix put before each status line, e.g. {@code "parley: "} or a conversation id
     */
    public ConsoleTranscript(PrintStream messages, PrintStream status, boolean interactive, Role peer, String prefix) {
        this.messages = messages;
        this.status = status;
        this.interactive = interactive;
        this.peer = peer;
        this.prefix = prefix;
    }

    @Override
    public void heard(String message) {
        String safe = TerminalSafe.render(message);
        // One write per message: text and line feed together, then flushed for whoever reads the pipe.
        messages.print((interactive ? peer.label() + "> " + safe : safe) + "\n");
        messages.flush();
    }

    @Override
    public void said(Sent what) {
        // what this side says is what its person typed: already on the screen, or in its pipe
    }

    @Override
    public void notice(String text) {
        status.println(prefix + TerminalSafe.render(text));
        status.flush();
    }

    @Override
    public void ended(Outcome outcome) {
        status.println(prefix + TerminalSafe.render(outcome.describe(), 500));
        status.flush();
    }
}
