package dev.parley.app.wiring;

import dev.parley.console.Terminals;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The process's standard streams, UTF-8 whatever the locale, and which of them is a terminal; tests
 * pass byte streams instead, as a pipe. {@link #messages} is standard output unwrapped: a write to
 * it that fails throws (where a {@link PrintStream} would only set a flag), so a client whose reader
 * has gone ({@code | head -1}) learns it at once. Whether the streams are a terminal is asked only
 * when a command needs it (not for {@code --version}: it costs a file system lookup at start-up).
 */
public final class Streams {

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final OutputStream messages;
    private Terminals.Mode mode;
    private Boolean errTerminal;

    /** Byte streams, or any streams used as pipes. */
    public Streams(InputStream in, PrintStream out, PrintStream err) {
        this(in, out, err, Terminals.Mode.PIPED, false, out);
    }

    private Streams(InputStream in, PrintStream out, PrintStream err, Terminals.Mode mode, Boolean errTerminal, OutputStream messages) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.mode = mode;
        this.errTerminal = errTerminal;
        this.messages = messages;
    }

    /** The real stdin, stdout and stderr of this process. */
    public static Streams system() {
        FileOutputStream stdout = new FileOutputStream(FileDescriptor.out);
        return new Streams(new FileInputStream(FileDescriptor.in),
                new PrintStream(stdout, false, StandardCharsets.UTF_8),
                new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8),
                null, null, stdout);
    }

    public InputStream in() {
        return in;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    /** Standard output as bytes, where a failed write throws. */
    public OutputStream messages() {
        return messages;
    }

    /** Which of the standard streams are a terminal. */
    public synchronized Terminals.Mode mode() {
        if (mode == null) {
            mode = Terminals.mode();
        }
        return mode;
    }

    /** True when standard error is a terminal, whatever the other streams are (progress shown in place is for it). */
    public synchronized boolean errIsTerminal() {
        if (errTerminal == null) {
            errTerminal = Terminals.stderrIsTerminal();
        }
        return errTerminal;
    }

    /** True when a person types on standard input (prompts, banners and refusals are for them). */
    public boolean person() {
        return mode() != Terminals.Mode.PIPED;
    }

    /** Flushes both output streams. */
    public void flush() {
        out.flush();
        err.flush();
    }
}
