package dev.parley.archfixture.app;

import dev.parley.archfixture.console.ConsoleThing;

/** The fixture's app layer, so that every layer of the layered rule exists. */
public class Wiring {
    public String wire() {
        return new ConsoleThing().render("x");
    }
}
