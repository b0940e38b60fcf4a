package dev.parley.it;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether the container tests run, skip or fail. On a developer's machine without Docker they
 * skip with a clear message; under CI ({@code CI=true}) a missing Docker fails the build, so a
 * green CI always means the containers ran.
 */
final class ContainerPolicy {

    enum Decision { RUN, SKIP, FAIL }

    private ContainerPolicy() {}

    static Decision decide(boolean dockerAvailable, String ciVariable) {
        if (dockerAvailable) {
            return Decision.RUN;
        }
        return "true".equalsIgnoreCase(ciVariable == null ? "" : ciVariable.trim()) ? Decision.FAIL : Decision.SKIP;
    }

    /** Applies the decision for this process: returns to run, aborts to skip, throws to fail. */
    static void require(boolean dockerAvailable) {
        switch (decide(dockerAvailable, System.getenv("CI"))) {
            case FAIL:
                Assertions.fail("Docker is not available and CI=true: the container tests must run in CI;"
                        + " start dockerd first (.ci/run does)");
                break;
            case SKIP:
                String why = "Docker is not available: the cross-container tests are skipped here"
                        + " (they run in CI; start dockerd to run them)";
                System.err.println("[WARNING] " + why); // a skipped class shows no reason in the summary
                Assumptions.abort(why);
                break;
            default:
                break;
        }
    }
}
