package dev.parley.archfixture.console;

/** A console adapter class in the fixture. */
public class ConsoleThing {
    public String render(String text) {
        return text;
    }
}
