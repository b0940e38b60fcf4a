/**
 * Parley's examples, a named module as a project of your own may be: it reads the core's module
 * alone, and its tests run the core's port contracts (the tests jar, package
 * {@code dev.parley.core.contract}) on the module path. On the class path the same classes run
 * unchanged, and this file is ignored.
 */
module dev.parley.examples {
    requires dev.parley.core;

    exports dev.parley.examples;
}
