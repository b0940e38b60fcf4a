package dev.parley.examples;

import dev.parley.core.contract.TranscriptContract;
import dev.parley.core.port.Transcript;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The example's own {@link Transcript} keeps the port's contract: the core's
 * {@link TranscriptContract}, from its tests jar, on the module path.
 */
class PrintingTranscriptTest extends TranscriptContract {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @Override
    protected Transcript transcript() {
        return new PrintingTranscript("client", new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    @Override
    protected String shown() {
        return printed.toString(StandardCharsets.UTF_8);
    }
}
