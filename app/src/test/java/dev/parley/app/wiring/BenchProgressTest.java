package dev.parley.app.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.load.LoadGenerator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What `parley bench` writes on stderr as it runs: progress in place on a terminal, nothing else to a pipe. */
class BenchProgressTest {

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private BenchProgress progress(boolean terminal) {
        return new BenchProgress(new PrintStream(err, true, StandardCharsets.UTF_8), terminal);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void onATerminalEachSecondsProgressIsWrittenOverTheLastAndErasedAtTheEnd() {
        try (BenchProgress shown = progress(true)) {
            shown.progress(new LoadGenerator.Progress(100, 0, 0));
            shown.progress(new LoadGenerator.Progress(1, 1, 1));
            shown.progress(new LoadGenerator.Progress(19_000, 1_234_567, 2));
        }
        assertEquals("\r\033[Kbench: 100 conversations open, 0 round trips, 0 errors"
                + "\r\033[Kbench: 1 conversation open, 1 round trip, 1 error"
                + "\r\033[Kbench: 19,000 conversations open, 1,234,567 round trips, 2 errors"
                + "\r\033[K", err());
    }

    @Test
    void toAPipeOrAFileNoProgressAtAll() {
        try (BenchProgress piped = progress(false)) {
            piped.progress(new LoadGenerator.Progress(100, 5, 0));
        }
        assertEquals("", err());
    }

    @Test
    void aNoticeIsOneLineEitherWayAndARunTooShortForProgressLeavesNothingToErase() {
        for (boolean terminal : new boolean[] {true, false}) {
            err.reset();
            try (BenchProgress watcher = progress(terminal)) {
                watcher.notice("all 40 conversations come from one address");
            }
            assertEquals("parley: all 40 conversations come from one address\n", err(), "terminal: " + terminal);
        }
    }
}
