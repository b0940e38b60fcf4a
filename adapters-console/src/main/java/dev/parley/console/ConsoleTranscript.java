package dev.parley.console;

import dev.parley.core.port.Transcript;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Role;

/**
 * The console as the {@link Transcript} port: the peer's messages as messages (the console renders
 * them safe), its notices and the ending as status lines, rendered safe here. What this side says
 * is not shown again: its person typed it (it is on the screen, or in its pipe).
 */
public final class ConsoleTranscript implements Transcript {

    /** The most of an ending's description shown (it may quote the peer). */
    static final int ENDING_CHARS = 500;

    private final Console console;
    private final Role peer;
    private final String prefix;

    /**
     * @param peer who the messages come from
     * @param prefix put before each status line, e.g. {@code "parley: "}
     */
    public ConsoleTranscript(Console console, Role peer, String prefix) {
        this.console = console;
        this.peer = peer;
        this.prefix = prefix;
    }

    @Override
    public void heard(String message) {
        console.message(peer.label(), message);
    }

    @Override
    public void notice(String text) {
        console.status(prefix + TerminalSafe.render(text));
    }

    @Override
    public void ended(Outcome outcome) {
        console.status(prefix + TerminalSafe.render(outcome.describe(), ENDING_CHARS));
    }
}
