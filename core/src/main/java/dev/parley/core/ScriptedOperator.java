package dev.parley.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An operator that says prepared lines in order, whatever it hears, then ends its input. Used by
 * the {@code file:} responder and as a fake in tests.
 */
public final class ScriptedOperator implements Operator {

    private final ArrayDeque<String> lines;
    private final List<Optional<String>> heard = new ArrayList<>();

    public ScriptedOperator(List<String> lines) {
        this.lines = new ArrayDeque<>(lines);
    }

    public static ScriptedOperator saying(String... lines) {
        return new ScriptedOperator(List.of(lines));
    }

    @Override
    public synchronized Optional<String> nextMessage(Optional<String> heard) {
        this.heard.add(heard);
        return Optional.ofNullable(lines.poll());
    }

    /** What the operator was shown each time it was asked, in order. */
    public synchronized List<Optional<String>> heard() {
        return List.copyOf(heard);
    }
}
