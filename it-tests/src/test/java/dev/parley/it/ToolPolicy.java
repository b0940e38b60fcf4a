package dev.parley.it;

import java.io.File;
import java.io.PrintStream;
import java.util.Locale;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether the tests that need a tool from outside the JDK (Docker, tmux, zsh, haproxy, Chromium,
 * openssl, ncat) run, skip or fail. On a developer's machine without the tool they skip, with a
 * warning saying how to get it; under CI ({@code CI=true}) a missing tool fails the build, so a
 * green CI always means they ran.
 * {@code .ci/run} installs and starts every one of them.
 */
final class ToolPolicy {

    enum Decision { RUN, SKIP, FAIL }

    private ToolPolicy() {}

    static Decision decide(boolean available, String ciVariable) {
        if (available) {
            return Decision.RUN;
        }
        return "true".equalsIgnoreCase(ciVariable == null ? "" : ciVariable.trim()) ? Decision.FAIL : Decision.SKIP;
    }

    /** Applies the decision for this process: returns to run, aborts to skip, throws to fail. */
    static void require(String tool, boolean available, String howToGet) {
        require(tool, available, howToGet, System.getenv("CI"), System.err);
    }

    /** As {@link #require(String, boolean, String)}, with the CI variable and the warnings' stream given. */
    static void require(String tool, boolean available, String howToGet, String ciVariable, PrintStream warnings) {
        switch (decide(available, ciVariable)) {
            case FAIL:
                Assertions.fail(tool + " is not available and CI=true: the tests that need it must run in CI; " + howToGet
                        + " (.ci/run does)");
                break;
            case SKIP:
                String why = tool + " is not available: the tests that need it are skipped here (they run in CI; " + howToGet + ")";
                warnings.println("[WARNING] " + why); // a skipped class shows no reason in the summary
                Assumptions.abort(why);
                break;
            default:
                break;
        }
    }

    /** True when {@code command} is an executable file on the PATH. */
    static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            File file = new File(dir, command);
            if (file.isFile() && file.canExecute()) {
                return true;
            }
        }
        return false;
    }

    /** Requires {@code command} on the PATH, installed from Debian's package {@code debianPackage}. */
    static void requireCommand(String command, String debianPackage) {
        require(command.toLowerCase(Locale.ROOT), onPath(command), "apt-get install " + debianPackage);
    }
}
