/**
 * The ports' contract tests (JUnit 5), shipped in the core's tests jar (classifier {@code tests}):
 * subclass {@link dev.parley.core.contract.PeerContract} or
 * {@link dev.parley.core.contract.TranscriptContract} in your tests to check an adapter of your own.
 * A package of its own, which the module {@code dev.parley.core} does not hold, so the contracts
 * work on the module path as on the class path; on the module path the tests jar is the automatic
 * module {@code dev.parley.core.contract}.
 */
package dev.parley.core.contract;
