/**
 * The ports a driver implements to carry out a session's actions (the wire, the operator, the
 * transcript), and {@link dev.parley.core.port.Actions}, which routes each action to its port.
 *
 * <h2 id="the-drivers-contract">The driver's contract</h2>
 *
 * <p>A driver owns the I/O, the clock and the thread; the
 * {@link dev.parley.core.session.Session Session} owns the rules. Whatever the transport, a driver:
 *
 * <ol>
 * <li><b>Feeds one session from one thread at a time</b> (a socket's thread, an event loop): the
 * session takes no lock. What happens on another thread (a person's line read by a console) is
 * handed to that thread first, through a queue or an event loop's {@code execute}.</li>
 * <li><b>Opens it, then tells it what happens, with the time.</b>
 * {@link dev.parley.core.session.Input.Open Open} first (or
 * {@link dev.parley.core.session.Input.Refuse Refuse}, to turn the connection away), then each
 * thing as it happens, with a monotonic count of nanoseconds such as {@link System#nanoTime()}
 * (only differences count).</li>
 * <li><b>Carries out every action, in order, before the next input.</b> What
 * {@link dev.parley.core.session.Session#handle Session.handle} returns goes to
 * {@link dev.parley.core.port.Actions#carryOut Actions.carryOut} (or a switch over
 * {@link dev.parley.core.session.Action#kind() Action.kind()}), all of it, before the session is
 * handed anything else. A port never calls {@code handle} itself: an operator's answer, and a
 * failure met by a port, come back afterwards as inputs.</li>
 * <li><b>Reads only while the session wants the peer's bytes</b>
 * ({@link dev.parley.core.session.Session#wantsPeerBytes() wantsPeerBytes()}; otherwise the bytes
 * wait in the network: that is the session's back-pressure). Each read is handed over as
 * {@link dev.parley.core.session.Input.PeerBytes PeerBytes} (the buffer may be reused at once), the
 * end of the peer's input as {@link dev.parley.core.session.Input.PeerClosed PeerClosed} (and it
 * reads no more), a failed read as {@link dev.parley.core.session.Input.PeerFailed PeerFailed}.</li>
 * <li><b>Writes without blocking and without throwing.</b> A {@link dev.parley.core.port.Peer}'s
 * methods return at once: what cannot be written yet is queued, in order. They cannot throw either:
 * a failed write is kept, what is sent after it dropped, and once {@code carryOut} has returned the
 * driver feeds the failure as {@code PeerFailed} (unless the session has closed meanwhile). While
 * the conversation is open, a queue that stops draining (the peer takes none of the bytes) is
 * told as {@link dev.parley.core.session.Input.OutputBlocked OutputBlocked}, and its draining again
 * as {@link dev.parley.core.session.Input.OutputFlowing OutputFlowing}: a peer that takes nothing
 * for the idle timeout is then ended ("took none of the replies").</li>
 * <li><b>Ticks at the deadline.</b> After every {@code handle} it asks
 * {@link dev.parley.core.session.Session#deadline() deadline()} again, and hands the session a
 * {@link dev.parley.core.session.Input.Tick Tick} once that time has come. A tick too early is
 * harmless (nothing happens before a deadline has passed), so a driver may tick whenever it
 * wakes; a late one acts late by as much. A deadline turned into a socket timeout or a selector's
 * wait is rounded <em>up</em> to the unit, and is at least 1: a wait of 0 usually means for
 * ever.</li>
 * <li><b>Waits for another input when the session neither reads nor has a deadline.</b> Not
 * {@code wantsPeerBytes()}, no {@code deadline()}, and not closed: nothing happens until another
 * input, so the driver neither reads nor ticks; it waits for its operator's line
 * ({@link dev.parley.core.session.Input.OperatorLine OperatorLine},
 * {@link dev.parley.core.session.Input.OperatorDone OperatorDone}), for the operator's desk
 * ({@link dev.parley.core.session.Input.Attend Attend}), for a
 * {@link dev.parley.core.session.Input.Stop Stop}, or for a blocked output to flow again. (A
 * session answered by a {@link dev.parley.core.responder.Responder Responder} never waits so: it
 * wants the peer's bytes until it is closed.)</li>
 * <li><b>Closes when told, and stops when closed.</b>
 * {@link dev.parley.core.session.Action.EndOutput EndOutput} half-closes once what was sent is
 * written; {@link dev.parley.core.session.Action.Close Close} releases the connection once what was
 * sent is written. Close comes with the state {@link dev.parley.core.session.State#CLOSED CLOSED},
 * after {@link dev.parley.core.session.Action.Ended Ended} (exactly once): from then on the driver
 * reads, ticks and feeds nothing more. Between the ending and Close the session lingers in
 * {@link dev.parley.core.session.State#CLOSING CLOSING} (at most
 * {@link dev.parley.core.session.Session#LINGER LINGER}), reading the peer until it closes, so
 * that the last words are read rather than lost to a reset: the driver goes on reading and
 * ticking. To end a conversation from outside (Ctrl-C, a shutdown) it feeds
 * {@link dev.parley.core.session.Input.Stop Stop}.</li>
 * </ol>
 *
 * <p>An input the session's table refuses raises
 * {@link dev.parley.core.session.IllegalInputException IllegalInputException} and changes nothing:
 * it is a bug of the driver's.
 *
 * <h2>A side answered by a responder</h2>
 *
 * <p>A server whose replies come from a {@link dev.parley.core.responder.Responder Responder}
 * never asks for an operator: {@link dev.parley.core.port.Actions#carryOut(java.util.List, Peer,
 * Transcript) Actions.carryOut(actions, peer, transcript)} carries its actions out with none (and
 * throws {@link IllegalStateException} if asked, which such a session never does).
 *
 * <h2 id="blocking-drivers">What a blocking driver gives up</h2>
 *
 * <p>A driver may write with blocking calls (a {@code java.net.Socket}'s stream, a thread for each
 * connection), as the repository's {@code examples/BlockingServer} does. Its peer then breaks the
 * rule that calls never block, and gives up what rests on it: a peer that reads none of the
 * replies fills the socket's buffers and holds the writing thread in {@code write}, past the idle
 * timeout, for as long as it keeps the connection open. The blocked thread cannot feed
 * {@code OutputBlocked}, so the session is never told, and its "took none of the replies" ending
 * cannot fire; such a peer fails the {@code PeerContract} of the tests jar, by design. A driver gets
 * it back with writes that cannot block: a writer thread with a queue (feeding
 * {@code OutputBlocked} when the queue passes a bound, {@code OutputFlowing} when it drains), or
 * non-blocking I/O with a selector, as the examples' {@code PipeDriver} and Parley's own client do.
 */
package dev.parley.core.port;
