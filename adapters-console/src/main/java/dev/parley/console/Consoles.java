package dev.parley.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Opens the console that suits the process's standard streams. */
public final class Consoles {

    /** The longest line a person or a script may type: the wire's own limit applies when it is sent. */
    static final int MAX_TYPED_BYTES = Integer.MAX_VALUE - 16;

    /** The consoles that changed the terminal, for {@link #restoreTerminal}. */
    private static final Set<Console> EDITORS = ConcurrentHashMap.newKeySet();

    private Consoles() {}

    /**
     * Puts the terminal back as it was before any line editor took it: for a process about to halt
     * (a fatal error, a signal) without closing its console the usual way.
     */
    public static void restoreTerminal() {
        EDITORS.forEach(Console::close);
    }

    /**
     * The console for {@code mode}, not yet reading ({@link Console#start}): plain streams for a pipe; JLine's line editor for a person at a
     * terminal (JLine is loaded only then, so a pipe pays nothing for it), or, if the terminal
     * cannot be opened, plain streams with prompts.
     *
     * @param history the line editor's history file, when one can be kept
     */
    public static Console open(Terminals.Mode mode, InputStream in, OutputStream out, PrintStream err, Optional<Path> history,
            boolean verbose, Console.Listener listener) {
        if (mode == Terminals.Mode.LINE_EDITOR || mode == Terminals.Mode.LINE_EDITOR_ON_STDERR) {
            try {
                Console editor = LineEditorConsole.open(mode == Terminals.Mode.LINE_EDITOR ? Optional.empty() : Optional.of(out),
                        history, verbose, listener);
                EDITORS.add(editor);
                return editor;
            } catch (IOException | RuntimeException e) {
                err.println("parley: no line editor (" + e.getMessage() + "); reading plain lines");
            }
        }
        return new StreamConsole(in, out, err, mode != Terminals.Mode.PIPED, MAX_TYPED_BYTES, listener);
    }
}
