package dev.parley.console;

import java.io.Console;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/** Which of this process's standard streams is a terminal: a person there, or a pipe or a file. */
public final class Terminals {

    private Terminals() {}

    /** How the process talks to its user, from which of its standard streams are a terminal. */
    public enum Mode {
        /** Standard input is not a terminal: a script, exact lines in and out (the piped contract). */
        PIPED,
        /** A person at a terminal on standard input and output: the line editor, messages shown with who said them. */
        LINE_EDITOR,
        /**
         * A person types on the terminal, standard output goes elsewhere (to {@code tee}, to a file):
         * the line editor on standard error, messages as exact lines on standard output.
         */
        LINE_EDITOR_ON_STDERR,
        /** A person types on the terminal, and no standard stream shows a terminal: no editor, prompts on standard error. */
        TYPED
    }

    /** The mode of this process's standard streams. */
    public static Mode mode() {
        if (!isTerminal(0)) {
            return Mode.PIPED;
        }
        if (isTerminal(1)) {
            return Mode.LINE_EDITOR;
        }
        return isTerminal(2) ? Mode.LINE_EDITOR_ON_STDERR : Mode.TYPED;
    }

    /** True when standard error is a terminal (where that cannot be told, outside Linux, it is taken as not one). */
    public static boolean stderrIsTerminal() {
        return isTerminal(2);
    }

    /**
     * True when file descriptor {@code fd} (0, 1 or 2) is a terminal: on Linux, when it points to a
     * tty or a pseudo-terminal; elsewhere, from {@link System#console()} (stdin and stdout only).
     */
    static boolean isTerminal(int fd) {
        Path link = Path.of("/proc/self/fd/" + fd);
        try {
            String target = Files.readSymbolicLink(link).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            return fd != 2 && consoleIsTerminal();
        }
    }

    /**
     * True when the JVM has a console on a terminal. On JDK 22+ {@link System#console()} may be
     * non-null for pipes too, so {@code Console.isTerminal()} is used where the runtime has it.
     */
    private static boolean consoleIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // JDK 17-21: a console exists only for a terminal
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
