package dev.parley.archfixture.app.cli;

import dev.parley.archfixture.app.wiring.WiringThing;

/** Deliberately bad: the command line reaches into the wiring. */
public class CliThingUsingWiring {
    public String use(String text) {
        return new WiringThing().wire(text);
    }
}
