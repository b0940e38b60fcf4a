package dev.parley.core;

import java.util.Optional;

/** An operator that answers every message with the same text (the {@code echo} responder). */
public final class EchoOperator implements Operator {

    @Override
    public Optional<String> nextMessage(Optional<String> heard) {
        return Optional.of(heard.orElseThrow(
                () -> new IllegalStateException("an echo operator cannot speak first; use it on the server")));
    }

    @Override
    public boolean answersAutomatically() {
        return true;
    }
}
