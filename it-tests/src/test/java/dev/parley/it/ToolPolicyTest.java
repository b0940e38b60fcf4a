package dev.parley.it;

import static dev.parley.it.ToolPolicy.Decision.FAIL;
import static dev.parley.it.ToolPolicy.Decision.RUN;
import static dev.parley.it.ToolPolicy.Decision.SKIP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The skip rule is a property of the build: under CI a missing tool fails, never skips. */
class ToolPolicyTest {

    private final ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    private final PrintStream to = new PrintStream(warnings, true, StandardCharsets.UTF_8);

    @Test
    void withTheToolTheTestsRun() {
        assertEquals(RUN, ToolPolicy.decide(true, null));
        assertEquals(RUN, ToolPolicy.decide(true, "true"));
    }

    @Test
    void withoutItUnderCiTheyFail() {
        assertEquals(FAIL, ToolPolicy.decide(false, "true"));
        assertEquals(FAIL, ToolPolicy.decide(false, "TRUE "));
        assertThrows(AssertionFailedError.class, () -> ToolPolicy.require("Docker", false, "start dockerd", "true", to));
    }

    @Test
    void withoutItOnADevelopersMachineTheySkipSayingHowToGetIt() {
        assertEquals(SKIP, ToolPolicy.decide(false, null));
        assertEquals(SKIP, ToolPolicy.decide(false, ""));
        assertEquals(SKIP, ToolPolicy.decide(false, "false"));
        assertThrows(TestAbortedException.class, () -> ToolPolicy.require("tmux", false, "apt-get install tmux", null, to));
        assertTrue(warnings.toString(StandardCharsets.UTF_8).contains("tmux is not available")
                && warnings.toString(StandardCharsets.UTF_8).contains("apt-get install tmux"), warnings.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theShellsPathIsSearchedForCommands() {
        assertTrue(ToolPolicy.onPath("sh"));
        assertEquals(false, ToolPolicy.onPath("no-such-command-anywhere"));
    }
}
