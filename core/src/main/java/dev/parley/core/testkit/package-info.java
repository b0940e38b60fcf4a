/**
 * Fakes for tests and for learning: two real sessions joined in memory with no threads
 * ({@link dev.parley.core.testkit.Link}), an in-memory wire ({@link dev.parley.core.testkit.Pipe}),
 * a scripted operator, a recording transcript.
 *
 * <p>They ship in the core's jar, as Netty ships its {@code EmbeddedChannel} in its transport: they
 * use nothing but the JDK and the core (no test framework), a program may run a {@code Link} as well
 * as a test, and they are public API under the same versioning and baseline as the rest. What needs
 * JUnit, the ports' contract tests, is in the tests jar instead
 * ({@code dev.parley.core.contract}, classifier {@code tests}).
 */
package dev.parley.core.testkit;
