package dev.parley.core;

import java.util.Objects;
import java.util.Optional;

/**
 * An automatic operator that answers with a {@link Script}'s lines in order, whatever it hears,
 * then says bye (the {@code file:} responder). Each conversation has its own place in the script;
 * the script itself is shared.
 */
public final class ScriptResponder implements Operator {

    private final Script script;
    private int next;

    public ScriptResponder(Script script) {
        this.script = Objects.requireNonNull(script, "script");
    }

    @Override
    public Optional<String> nextMessage(Optional<String> heard) {
        return Optional.of(next < script.size() ? script.line(next++) : "bye");
    }

    @Override
    public boolean answersAutomatically() {
        return true;
    }
}
