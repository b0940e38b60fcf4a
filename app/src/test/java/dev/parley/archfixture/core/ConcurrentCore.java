package dev.parley.archfixture.core;

import java.util.concurrent.atomic.AtomicInteger;

/** Deliberately bad: a core class that uses java.util.concurrent. */
public class ConcurrentCore {
    private final AtomicInteger count = new AtomicInteger();

    public int next() {
        return count.incrementAndGet();
    }
}
