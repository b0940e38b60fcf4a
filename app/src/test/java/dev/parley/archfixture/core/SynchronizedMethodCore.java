package dev.parley.archfixture.core;

/** Deliberately bad: a core class with a synchronized method. */
public class SynchronizedMethodCore {
    private int count;

    public synchronized void add() {
        count++;
    }
}
