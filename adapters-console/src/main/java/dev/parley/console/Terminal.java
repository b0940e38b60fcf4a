package dev.parley.console;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether this process talks to a person at a terminal or to a pipe. */
public final class Terminal {

    private Terminal() {}

    /**
     * True when stdin and stdout are both a terminal. On JDK 22+ {@link System#console()} may be
     * non-null for pipes too, so {@code Console.isTerminal()} is used where the runtime has it.
     */
    public static boolean isInteractive() {
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
