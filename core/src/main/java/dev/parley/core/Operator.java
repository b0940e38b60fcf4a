package dev.parley.core;

import java.util.Optional;

/** Port: whoever decides what this side says next (a person at a terminal, an echo, a script). */
public interface Operator {

    /**
     * The next message to say, after hearing {@code heard} (empty before the first message the
     * client says). Empty when this side has nothing more to say: its input ended.
     */
    Optional<String> nextMessage(Optional<String> heard);

    /**
     * True for an automatic responder (an echo, a script): a message of its that cannot be sent
     * ends the conversation with a failure, as asking it again would bring the same answer. A
     * person (the default) is told and asked again.
     */
    default boolean answersAutomatically() {
        return false;
    }
}
