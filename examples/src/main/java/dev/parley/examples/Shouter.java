package dev.parley.examples;

import dev.parley.core.responder.Responder;
import java.util.Locale;

/**
 * A responder of your own: it answers each message in capitals, with an exclamation mark. Like
 * every {@link Responder} it is pure (no I/O, no clock, no state), so one instance serves every
 * conversation.
 */
public final class Shouter implements Responder {

    /** The one responder; it keeps no state. */
    public Shouter() {
        // nothing to set up
    }

    @Override
    public String reply(int turn, String heard) {
        return heard.toUpperCase(Locale.ROOT) + "!";
    }
}
