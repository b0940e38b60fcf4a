package dev.parley.archfixture.core;

/** Deliberately bad: a core class that writes to standard output. */
public class PrintingCore {
    public void show(String text) {
        System.out.println(text);
    }
}
