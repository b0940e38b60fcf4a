package dev.parley.core.testkit;

import dev.parley.core.Outcome;
import dev.parley.core.Transcript;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A transcript that remembers what it was shown, for assertions. */
public final class RecordingTranscript implements Transcript {

    private final List<String> heard = new ArrayList<>();
    private final List<String> notices = new ArrayList<>();
    private final List<Outcome> outcomes = new ArrayList<>();

    @Override
    public synchronized void heard(String message) {
        heard.add(message);
    }

    @Override
    public synchronized void notice(String text) {
        notices.add(text);
    }

    @Override
    public synchronized void ended(Outcome outcome) {
        outcomes.add(outcome);
    }

    public synchronized List<String> heard() {
        return List.copyOf(heard);
    }

    public synchronized List<String> notices() {
        return List.copyOf(notices);
    }

    /** The outcome, once the conversation has ended. */
    public synchronized Optional<Outcome> outcome() {
        return outcomes.isEmpty() ? Optional.empty() : Optional.of(outcomes.get(0));
    }

    /** How many times {@link #ended} was called (the contract says exactly once). */
    public synchronized int endings() {
        return outcomes.size();
    }
}
