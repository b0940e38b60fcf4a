package dev.parley.archfixture.core;

import java.time.Instant;

/** Deliberately bad: a core class that reads the clock. */
public class ClockReadingCore {
    public long stamp() {
        return Instant.now().toEpochMilli() + System.nanoTime();
    }
}
