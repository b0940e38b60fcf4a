/**
 * The operators' desk as a pure object: {@link dev.parley.core.desk.Desk} takes
 * {@link dev.parley.core.desk.DeskInput}s (a client arrived or left, an operator joined, left,
 * passed, stepped away, came back, asked who waits) and returns {@link dev.parley.core.desk.DeskAction}s
 * (connect this operator with this client, tell this client its place...); the rules are in its
 * table. {@link dev.parley.core.desk.Command} reads an operator's line: an answer or a command.
 */
package dev.parley.core.desk;
