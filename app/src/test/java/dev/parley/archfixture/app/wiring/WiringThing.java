package dev.parley.archfixture.app.wiring;

/** A wiring class of the fixture's app. */
public class WiringThing {
    public String wire(String text) {
        return text;
    }
}
