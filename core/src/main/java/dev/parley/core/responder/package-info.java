/** Automatic answers for a server: the {@link dev.parley.core.responder.Responder} port, an echo, a script. */
package dev.parley.core.responder;
