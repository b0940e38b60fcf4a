package dev.parley.app.wiring;

import dev.parley.app.cli.Exits;

/** A running command that a signal can stop: the client, or the server. */
public interface Program {

    /** Runs to the end; returns the exit code. */
    int run() throws Exception;

    /**
     * Ends it early, telling the peers (SIGINT, SIGTERM), within a bounded time whatever the
     * connections are doing; returns the exit code: {@link Exits#OK} when the peers were told.
     */
    int stop();
}
