package dev.parley.archfixture.core;

/** Deliberately bad: a core class that waits and notifies. */
public class WaitingCore {
    public void pause(Object monitor) throws InterruptedException {
        monitor.wait();
        monitor.notifyAll();
    }
}
