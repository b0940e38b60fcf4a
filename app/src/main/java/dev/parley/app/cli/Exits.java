package dev.parley.app.cli;

/** Exit codes: what scripts rely on. */
public final class Exits {
    /** The conversation ended normally (bye or clean close), or the server stopped cleanly. */
    public static final int OK = 0;
    /** A runtime failure: refused, unknown host, lost connection, port in use. */
    public static final int FAILURE = 1;
    /** The command line was wrong. */
    public static final int USAGE = 2;

    private Exits() {}
}
