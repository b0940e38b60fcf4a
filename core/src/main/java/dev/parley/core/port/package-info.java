/**
 * The ports a driver implements to carry out a session's actions (the wire, the operator, the
 * transcript), and {@link dev.parley.core.port.Actions}, which routes each action to its port.
 */
package dev.parley.core.port;
