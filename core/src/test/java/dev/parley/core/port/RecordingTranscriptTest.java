package dev.parley.core.port;

import dev.parley.core.contract.TranscriptContract;
import dev.parley.core.testkit.RecordingTranscript;

/** The test kit's recording transcript keeps the {@link Transcript} contract: in memory, exactly. */
class RecordingTranscriptTest extends TranscriptContract {

    private final RecordingTranscript transcript = new RecordingTranscript();

    @Override
    protected Transcript transcript() {
        return transcript;
    }

    @Override
    protected String shown() {
        return shown(transcript);
    }

    @Override
    protected boolean writesText() {
        return false;
    }

    /** What a recording transcript holds, as text: the messages heard, then the ending. */
    static String shown(RecordingTranscript transcript) {
        return String.join("\n", transcript.heard()) + "\n"
                + transcript.outcome().map(Object::toString).orElse("")
                + transcript.outcome().map(o -> o.describe()).orElse("");
    }
}
