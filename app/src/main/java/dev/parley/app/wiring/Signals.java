package dev.parley.app.wiring;

import dev.parley.console.Consoles;

/**
 * Ctrl-C and SIGTERM: the running program is stopped (it tells its peers, within a bounded time)
 * and the process exits with the code {@link Program#stop} returns. Once the program has returned
 * on its own, a signal does nothing more than end the process.
 */
public final class Signals extends Thread {

    private final Program program;
    private final Streams streams;
    private boolean disarmed;

    private Signals(Program program, Streams streams) {
        super("parley-signal");
        this.program = program;
        this.streams = streams;
    }

    /** Runs {@code program} with the signals handled; returns its exit code. */
    public static int handling(Program program, Streams streams) throws Exception {
        Signals hook = new Signals(program, streams);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return program.run();
        } finally {
            hook.disarm();
        }
    }

    private synchronized void disarm() {
        disarmed = true;
    }

    @Override
    public void run() {
        synchronized (this) {
            if (disarmed) {
                return;
            }
        }
        if (streams.person()) {
            streams.err().println(); // the shell's prompt starts on a line of its own, not after ^C
        }
        int code = program.stop();
        Consoles.restoreTerminal();
        streams.flush();
        Runtime.getRuntime().halt(code);
    }
}
