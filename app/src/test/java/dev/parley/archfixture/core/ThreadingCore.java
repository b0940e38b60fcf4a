package dev.parley.archfixture.core;

/** Deliberately bad: a core class that starts a thread and sleeps. */
public class ThreadingCore {
    public void run() throws InterruptedException {
        new Thread(() -> { }).start();
        Thread.sleep(1);
    }
}
