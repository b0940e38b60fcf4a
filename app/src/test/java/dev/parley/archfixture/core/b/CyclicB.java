package dev.parley.archfixture.core.b;

import dev.parley.archfixture.core.a.CyclicA;

/** Deliberately bad: the other half of a package cycle in the core. */
public class CyclicB {
    public CyclicA other() {
        return new CyclicA();
    }
}
