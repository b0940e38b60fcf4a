package dev.parley.app.cli;

import dev.parley.core.session.Outcome;

/** Exit codes: what scripts rely on. */
public final class Exits {
    /** The conversation ended by someone's bye (or this side's input ending, or a stop that told the peer), or the server stopped cleanly. */
    public static final int OK = 0;
    /** A runtime failure: refused, unknown host, port in use, a limit hit, a peer's failure report. */
    public static final int FAILURE = 1;
    /** The command line was wrong. */
    public static final int USAGE = 2;
    /** The connection was cut off: it closed or was lost with no bye from either side (a killed server, a reset, a truncation). */
    public static final int CUT_OFF = 3;

    private Exits() {}

    /** A client's exit code for how its conversation ended: the one place that tells a bye from a cut-off from a failure. */
    public static int of(Outcome outcome) {
        switch (outcome.ending()) {
            case PEER_CLOSED:
            case PEER_CUT_OFF:
            case PEER_LOST:
                return CUT_OFF;
            default:
                return outcome.isNormal() ? OK : FAILURE;
        }
    }
}
