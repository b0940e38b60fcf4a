/**
 * Fakes for tests and for learning: two real sessions joined in memory with no threads
 * ({@link dev.parley.core.testkit.Link}), a scripted operator, a recording transcript.
 */
package dev.parley.core.testkit;
