package dev.parley.core.contract;

import dev.parley.core.Transcript;
import dev.parley.core.testkit.RecordingTranscript;
import java.util.List;

class RecordingTranscriptTest extends TranscriptContract {
    @Override
    protected Probe create() {
        RecordingTranscript recording = new RecordingTranscript();
        return new Probe() {
            @Override
            public Transcript transcript() {
                return recording;
            }

            @Override
            public List<String> shownMessages() {
                return recording.heard();
            }
        };
    }
}
