package dev.parley.app.cli;

/** A failure the user can act on; its message is the one line shown, and it carries an exit code. */
public final class UserError extends Exception {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public UserError(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
