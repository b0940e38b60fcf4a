package dev.parley.socket;

/**
 * The one rule for a throwable raised while handling one connection: does it end the process, or
 * only that connection? Every front asks it (the TCP and TLS server, the web front behind it, the
 * client's driver, Netty's log), so a peer's input can end its own connection and nothing else.
 *
 * <p>The process ends for what says the JVM itself can no longer be trusted, whoever caused it:
 * <ul>
 * <li>{@link VirtualMachineError} other than {@link StackOverflowError}: {@link OutOfMemoryError}
 * (the memory account failed: the heap or direct memory is exhausted for every connection alike),
 * {@link InternalError} and {@link UnknownError} (the JVM says it is broken);
 * <li>{@link LinkageError}: a class that cannot be loaded or initialised is missing for every
 * connection from then on (a broken install, or a bug in us), so going on would refuse them all.
 * </ul>
 * Everything else ends only the connection: {@link StackOverflowError} is raised by the depth of
 * one computation (a parser fed a deeply nested input) and leaves the JVM whole once the stack has
 * unwound; an {@link AssertionError} or any other {@link Error} from a library states that this
 * connection's state broke an invariant. A fatal error anywhere in the causes counts (Netty wraps
 * what a decoder threw).
 */
public final class ProcessErrors {

    /** How many causes are looked at: a chain longer than this (or a cycle) is not followed further. */
    private static final int MAX_CAUSES = 16;

    private ProcessErrors() {}

    /** True when {@code thrown}, or one of its causes, must end the process. */
    public static boolean endProcess(Throwable thrown) {
        Throwable t = thrown;
        for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
            if ((t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) || t instanceof LinkageError) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code thrown}, or one of its causes, is an {@link Error} that ends only its connection. */
    public static boolean connectionError(Throwable thrown) {
        Throwable t = thrown;
        for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
            if (t instanceof Error) {
                return true;
            }
        }
        return false;
    }

    /** The connection's {@link Error} (the first in the causes) as what was wrong with {@code input}, for a log line or a person. */
    public static String describe(String input, Throwable thrown) {
        Throwable t = thrown;
        for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
            if (t instanceof StackOverflowError) {
                return input + " is nested too deeply to be parsed (" + t.getClass().getName() + ")";
            }
            if (t instanceof Error) {
                return input + " could not be processed (" + t + ")";
            }
        }
        return String.valueOf(thrown);
    }

    /** Hands {@code error} to this thread's uncaught-exception handler, the app's, which stops the process. */
    public static void escalate(Throwable error) {
        Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), error);
    }
}
