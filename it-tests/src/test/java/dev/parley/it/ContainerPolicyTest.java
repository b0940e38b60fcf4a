package dev.parley.it;

import static dev.parley.it.ContainerPolicy.Decision.FAIL;
import static dev.parley.it.ContainerPolicy.Decision.RUN;
import static dev.parley.it.ContainerPolicy.Decision.SKIP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The skip rule is a property of the build: under CI a missing Docker fails, never skips. */
class ContainerPolicyTest {

    @Test
    void withDockerTheContainerTestsRun() {
        assertEquals(RUN, ContainerPolicy.decide(true, null));
        assertEquals(RUN, ContainerPolicy.decide(true, "true"));
    }

    @Test
    void withoutDockerUnderCiTheyFail() {
        assertEquals(FAIL, ContainerPolicy.decide(false, "true"));
        assertEquals(FAIL, ContainerPolicy.decide(false, "TRUE "));
    }

    @Test
    void withoutDockerOnADevelopersMachineTheySkip() {
        assertEquals(SKIP, ContainerPolicy.decide(false, null));
        assertEquals(SKIP, ContainerPolicy.decide(false, ""));
        assertEquals(SKIP, ContainerPolicy.decide(false, "false"));
    }

    @Test
    void requireFailsUnderCiWhenDockerIsMissing() {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            assertThrows(AssertionFailedError.class, () -> ContainerPolicy.require(false));
        } else {
            assertThrows(TestAbortedException.class, () -> ContainerPolicy.require(false));
        }
    }
}
