package dev.parley.console;

import dev.parley.core.session.Input;
import java.util.function.Consumer;

/**
 * The conversation in front of a person at a console, and whether it asks them now: where each line
 * they enter goes, and whether they entered it at the prompt. It decides nothing about the line:
 * the session does. Safe from any thread.
 */
final class Front {

    /** What a person is told of a line entered before the program said which conversation is in front. */
    static final String NO_ONE_YET = "parley: not sent (no conversation yet)";

    private Consumer<Input> conversation;
    private Consumer<Input> asking;

    /** Lines entered from now go to {@code conversation}; true when it is not the one in front until now. */
    synchronized boolean set(Consumer<Input> conversation) {
        boolean changed = this.conversation != conversation;
        this.conversation = conversation;
        return changed;
    }

    synchronized void ask(Consumer<Input> conversation) {
        asking = conversation;
    }

    /** Forgets {@code conversation}'s question; true when it was the one asking. */
    synchronized boolean withdraw(Consumer<Input> conversation) {
        if (asking != conversation) {
            return false;
        }
        asking = null;
        return true;
    }

    /** True while the conversation in front asks: the person sees {@code you> }. */
    synchronized boolean asks() {
        return asking != null && asking == conversation;
    }

    /** The question open now, taken (the person's input has ended), or null. */
    synchronized Consumer<Input> takeQuestion() {
        Consumer<Input> question = asking;
        asking = null;
        return question;
    }

    /**
     * Hands {@code line} to the conversation in front, in or out of turn, prompted when it was asking
     * (its question is then answered); false when no conversation is in front yet.
     */
    boolean enter(String line) {
        return enter(line, entry());
    }

    /**
     * Where a line entered now goes, and whether at the prompt: taken as the person presses Enter,
     * so that the line goes there even if another conversation comes in front before it is handed over.
     */
    synchronized Entry entry() {
        return new Entry(conversation, asks());
    }

    /**
     * Hands {@code line} to the conversation that was in front when it was entered ({@code entry}),
     * prompted if it was asking then (its question is answered, if it is still open); false when
     * no conversation was in front.
     */
    boolean enter(String line, Entry entry) {
        if (entry.conversation() == null) {
            return false;
        }
        synchronized (this) {
            if (entry.prompted() && asking == entry.conversation()) {
                asking = null;
            }
        }
        entry.conversation().accept(new Input.OperatorLine(line, entry.prompted()));
        return true;
    }

    /** The conversation in front when a line was entered, and whether it was asking then. */
    record Entry(Consumer<Input> conversation, boolean prompted) {}
}
