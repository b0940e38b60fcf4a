package dev.parley.archfixture.core.a;

import dev.parley.archfixture.core.b.CyclicB;

/** Deliberately bad: half of a package cycle in the core. */
public class CyclicA {
    public CyclicB other() {
        return new CyclicB();
    }
}
