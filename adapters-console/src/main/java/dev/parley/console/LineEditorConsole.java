package dev.parley.console;

import dev.parley.core.session.Input;
import java.io.IOError;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.Widget;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The console for a person at a terminal, with JLine's line editor: arrows, history (Up), Ctrl-A/E
 * and the rest, typed text kept whole (no 4,095-byte limit of the terminal's own line mode).
 *
 * <p>The editor always reads, so typing is never garbled: messages and status lines are printed
 * above the line being edited, which stays as it was. The prompt says whose turn it is: {@code you> }
 * while the conversation in front asks, else the {@linkplain #idle idle label}. Each line entered
 * goes to the conversation that was in front as Enter was pressed, saying whether it was entered at
 * {@code you> }; the session decides whether it is sent. When another conversation comes in front
 * (or none), a half-typed line is set aside: it goes to the history, the editor is cleared, and one
 * status line says so, so that a line typed for one conversation is never sent to another. A paste
 * of several lines is not a line: it is refused here, as an editing matter, with a notice; an empty
 * line is nothing said. The history keeps every line entered (Up recalls it).
 *
 * <p>Ctrl-D on an empty line ends the input; Ctrl-C is the listener's to act on. The history is
 * kept in a file of the caller's choosing; event expansion is off, so {@code !!} is sent as typed.
 */
public final class LineEditorConsole implements Console {

    static final String YOU = "you> ";

    /** The widget that puts the prompt for the present state on the screen. */
    private static final String REFRESH = "parley-refresh";

    /** The widget that makes the conversation in {@link #coming} the one in front, setting a half-typed line aside. */
    private static final String NEW_FRONT = "parley-new-front";

    /** What the person is told when a half-typed line is set aside. */
    static final String SET_ASIDE = "parley: the conversation in front changed; what you were typing was not sent (Up recalls it)";

    private final Terminal terminal;
    private final LineReaderImpl reader;
    private final Listener listener;
    /** Where messages go when standard output is not the terminal; else null (shown above the editor). */
    private final ExactLines exact;
    private final Front front = new Front();
    /** Held while the conversation in front changes: one change at a time. */
    private final Object fronts = new Object();
    /** The conversation coming in front, for {@link #NEW_FRONT}; the line's destination as Enter was pressed. */
    private Consumer<Input> coming;
    private boolean setAside;
    private Front.Entry accepted;
    private String idle = "";
    private boolean ended;
    private boolean closed;

    private LineEditorConsole(Terminal terminal, Optional<Path> history, ExactLines exact, Listener listener) {
        this.terminal = terminal;
        this.listener = listener;
        this.exact = exact;
        LineReaderBuilder builder = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("parley")
                // A message is the line as typed: no quotes or backslashes that continue it, no !! expanded.
                .parser(new DefaultParser().quoteChars(new char[0]).escapeChars(new char[0]))
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.INSERT_TAB, true)
                .option(LineReader.Option.HISTORY_IGNORE_SPACE, false);
        history.ifPresent(file -> builder.variable(LineReader.HISTORY_FILE, file));
        this.reader = (LineReaderImpl) builder.build();
        reader.getWidgets().put(LineReader.CALLBACK_INIT, () -> {
            reader.setPrompt(prompt());
            return true;
        });
        reader.getWidgets().put(REFRESH, () -> {
            reader.setPrompt(prompt());
            reader.callWidget(LineReader.REDISPLAY); // redraws what differs from the screen: the old prompt goes
            return true;
        });
        // Widgets run under the reader's lock: a line accepted and the front changing happen one before the other.
        reader.getWidgets().put(NEW_FRONT, () -> {
            if (front.set(coming) && reader.getBuffer().length() > 0) {
                reader.getHistory().add(reader.getBuffer().toString());
                reader.getBuffer().clear();
                setAside = true;
            }
            reader.callWidget(REFRESH);
            return true;
        });
        Widget accept = reader.getWidgets().get(LineReader.ACCEPT_LINE);
        reader.getWidgets().put(LineReader.ACCEPT_LINE, () -> {
            accepted = front.entry(); // where this line goes, whatever comes in front before it is handed over
            return accept.apply();
        });
    }

    /**
     * Opens the process's terminal; {@link #start} starts reading it.
     *
     * @param exactMessages where messages go as exact lines, when standard output is not the
     *     terminal (the editor is then on standard error); empty to show them above the editor
     * @param history the history file, if one can be kept
     * @param verbose let JLine's own warnings through
     * @throws IOException when the terminal cannot be opened
     */
    public static LineEditorConsole open(Optional<OutputStream> exactMessages, Optional<Path> history, boolean verbose,
            Listener listener) throws IOException {
        if (!verbose) {
            Logger.getLogger("org.jline").setLevel(Level.OFF);
        }
        Terminal terminal = TerminalBuilder.builder()
                .system(true)
                // The foreign function API where the runtime has it (22+), else stty: no native library to unpack.
                .providers(Runtime.version().feature() >= 22 ? "ffm,exec" : "exec")
                .systemOutput(exactMessages.isPresent() ? TerminalBuilder.SystemOutput.ForcedSysErr : TerminalBuilder.SystemOutput.SysOut)
                .encoding(StandardCharsets.UTF_8)
                .build();
        return over(terminal, exactMessages, history, listener);
    }

    /** The console over {@code terminal}, which it closes when it is closed: the process's, or a test's on in-memory streams. */
    static LineEditorConsole over(Terminal terminal, Optional<OutputStream> exactMessages, Optional<Path> history, Listener listener) {
        return new LineEditorConsole(terminal, history, exactMessages.map(out -> new ExactLines(out, listener)).orElse(null), listener);
    }

    @Override
    public LineEditorConsole start() {
        Thread thread = new Thread(this::readLines, "parley-console");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private synchronized String prompt() {
        return closed ? "" : front.asks() ? YOU : idle;
    }

    @Override
    public void forwardTo(Consumer<Input> conversation) {
        boolean told;
        synchronized (fronts) { // not this console's lock, which the reader's widgets take under the reader's own
            coming = conversation;
            setAside = false;
            try {
                reader.callWidget(NEW_FRONT);
            } catch (IllegalStateException notReading) {
                front.set(conversation); // between two lines: nothing is being typed
            }
            told = setAside;
        }
        if (told) {
            status(SET_ASIDE);
        }
    }

    @Override
    public void ask(Consumer<Input> answer) {
        synchronized (this) {
            if (!ended) {
                front.ask(answer);
                answer = null;
            }
        }
        if (answer != null) {
            answer.accept(new Input.OperatorDone());
            return;
        }
        refresh();
    }

    @Override
    public void withdraw(Consumer<Input> answer) {
        if (front.withdraw(answer)) {
            refresh();
        }
    }

    @Override
    public void idle(String label) {
        synchronized (this) {
            idle = label;
        }
        refresh();
    }

    @Override
    public void message(String who, String text) {
        String safe = TerminalSafe.render(text);
        if (exact != null) {
            exact.write(safe);
        } else {
            reader.printAbove(who + "> " + safe);
        }
    }

    @Override
    public void status(String line) {
        reader.printAbove(line);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        refresh(); // no prompt left behind for the shell's to follow
        try {
            terminal.close(); // puts the terminal back as it was
        } catch (IOException e) {
            // the terminal has gone: nothing left to restore
        }
    }

    /** Shows the prompt for the present state now, if the editor is reading (else it will when it starts). */
    private void refresh() {
        try {
            reader.callWidget(REFRESH);
        } catch (IllegalStateException notReading) {
            // between two lines: the next line starts with the right prompt (CALLBACK_INIT)
        }
    }

    private void readLines() {
        while (true) {
            String line;
            try {
                line = reader.readLine(YOU);
            } catch (UserInterruptException e) {
                listener.interrupted();
                return;
            } catch (EndOfFileException | IOError e) {
                end(); // Ctrl-D on an empty line, or the terminal has gone
                return;
            }
            Front.Entry entry = accepted != null ? accepted : front.entry(); // accepted by a key other than Enter: now
            accepted = null;
            long lines = line.lines().count();
            if (lines > 1) {
                status("parley: not sent: a message is one line, and that was " + lines + "; press Up to edit it");
            } else if (line.isEmpty()) {
                continue; // Enter on an empty line says nothing
            } else if (!front.enter(line, entry)) {
                status(Front.NO_ONE_YET);
            }
        }
    }

    private void end() {
        Consumer<Input> answer;
        synchronized (this) {
            ended = true;
            answer = front.takeQuestion();
        }
        if (answer != null) {
            answer.accept(new Input.OperatorDone());
        } else {
            listener.inputEnded();
        }
    }
}
