package dev.parley.app;

/** A running command that a signal can stop: the client, or the server. */
interface Program {

    /** Runs to the end; returns the exit code. */
    int run() throws Exception;

    /** Ends it early, telling the peers (SIGINT, SIGTERM). */
    void stop();
}
