package dev.parley.cluster;

import dev.parley.core.desk.DeskInput;
import dev.parley.core.session.Outcome;
import java.util.Objects;

/**
 * One entry of the shared desk's log, as a replica appends it: an input of the desk, a client that
 * left (with how), or a replica gone with all its clients and operators.
 *
 * @param origin the replica that appended it
 * @param input the desk's input (a {@link DeskInput.ClientLeft} for a client that left); null for a replica gone
 * @param outcome how a client's conversation ended, for a {@link DeskInput.ClientLeft}; else null
 * @param gone the replica gone; null for the others
 */
record Entry(String origin, DeskInput input, Outcome outcome, String gone) {

    Entry {
        Objects.requireNonNull(origin, "origin");
        if ((input == null) == (gone == null)) {
            throw new IllegalArgumentException("an entry is an input or a replica gone");
        }
    }

    static Entry input(String origin, DeskInput input) {
        return new Entry(origin, input, null, null);
    }

    static Entry left(String origin, String client, Outcome outcome) {
        return new Entry(origin, new DeskInput.ClientLeft(client), outcome, null);
    }

    static Entry gone(String origin, String replica) {
        return new Entry(origin, null, null, replica);
    }
}
