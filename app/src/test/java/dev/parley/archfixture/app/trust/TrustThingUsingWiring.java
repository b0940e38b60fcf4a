package dev.parley.archfixture.app.trust;

import dev.parley.archfixture.app.wiring.WiringThing;

/** Deliberately bad: a trust file reaches into the wiring. */
public class TrustThingUsingWiring {
    public String use(String text) {
        return new WiringThing().wire(text);
    }
}
