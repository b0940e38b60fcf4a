package dev.parley.archfixture.core;

/** Deliberately bad: a core class that takes a lock in a synchronized block. */
public class SynchronizedCore {
    private final Object lock = new Object();
    private int count;

    public void add() {
        synchronized (lock) {
            count++;
        }
    }
}
