package dev.parley.core.testkit;

import dev.parley.core.port.Transcript;
import dev.parley.core.session.Action.Sent;
import dev.parley.core.session.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A transcript that remembers what it was shown, for assertions. Single-threaded, like a session. */
public final class RecordingTranscript implements Transcript {

    private final List<String> heard = new ArrayList<>();
    private final List<Sent> said = new ArrayList<>();
    private final List<String> notices = new ArrayList<>();
    private final List<Outcome> outcomes = new ArrayList<>();

    /** A transcript that has recorded nothing yet. */
    public RecordingTranscript() {
        // the lists start empty
    }

    @Override
    public void heard(String message) {
        heard.add(message);
    }

    @Override
    public void said(Sent what) {
        said.add(what);
    }

    @Override
    public void notice(String text) {
        notices.add(text);
    }

    @Override
    public void ended(Outcome outcome) {
        outcomes.add(outcome);
    }

    /**
     * The peer's messages, in order.
     *
     * @return a copy of what was heard
     */
    public List<String> heard() {
        return List.copyOf(heard);
    }

    /**
     * Everything this side sent (messages, bye, failure reports, notices), in order.
     *
     * @return a copy of what was said
     */
    public List<Sent> said() {
        return List.copyOf(said);
    }

    /**
     * The texts of the messages this side sent, in order.
     *
     * @return the messages alone, without bye, failure reports or notices
     */
    public List<String> messagesSaid() {
        List<String> texts = new ArrayList<>();
        for (Sent s : said) {
            if (s instanceof Sent.Message) {
                texts.add(((Sent.Message) s).text());
            }
        }
        return texts;
    }

    /**
     * The notices this side's person was given, in order.
     *
     * @return a copy of the notices
     */
    public List<String> notices() {
        return List.copyOf(notices);
    }

    /**
     * The outcome, once the conversation has ended.
     *
     * @return the first outcome recorded, or empty
     */
    public Optional<Outcome> outcome() {
        return outcomes.isEmpty() ? Optional.empty() : Optional.of(outcomes.get(0));
    }

    /**
     * How many times {@link #ended} was called (the contract says exactly once).
     *
     * @return the number of endings recorded
     */
    public int endings() {
        return outcomes.size();
    }
}
