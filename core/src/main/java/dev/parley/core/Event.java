package dev.parley.core;

import java.util.Locale;
import java.util.Objects;

/** Something a party did to the conversation: said a message, said bye, or hung up. */
public sealed interface Event {

    /** The party that caused the event. */
    Role by();

    /** An ordinary message; only the party holding the turn may say one. */
    record Say(Role by, String text) implements Event {
        public Say {
            Objects.requireNonNull(by, "by");
            Objects.requireNonNull(text, "text");
        }
    }

    /** The party said bye: the conversation ends. Either party may say it at any time. */
    record Bye(Role by) implements Event {
        public Bye {
            Objects.requireNonNull(by, "by");
        }
    }

    /** The party's input ended or its connection went away: the conversation ends. */
    record Hangup(Role by) implements Event {
        public Hangup {
            Objects.requireNonNull(by, "by");
        }
    }

    /**
     * Classifies a message a party said. This is the one place where "bye" is decided: the whole
     * message, stripped of surrounding white space and case-folded with {@link Locale#ROOT}.
     */
    static Event said(Role by, String text) {
        return isBye(text) ? new Bye(by) : new Say(by, text);
    }

    /** True when {@code text} ends the conversation. */
    static boolean isBye(String text) {
        return text.strip().toLowerCase(Locale.ROOT).equals("bye");
    }
}
