/**
 * The conversation as a pure object: {@link dev.parley.core.session.Session} takes
 * {@link dev.parley.core.session.Input}s with the time they happened and returns
 * {@link dev.parley.core.session.Action}s; every rule of the protocol is in its table.
 */
package dev.parley.core.session;
