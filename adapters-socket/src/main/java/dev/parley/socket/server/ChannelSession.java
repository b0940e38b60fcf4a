package dev.parley.socket.server;

import dev.parley.core.port.Actions;
import dev.parley.core.port.Operator;
import dev.parley.core.port.Transcript;
import dev.parley.core.session.Input;
import dev.parley.core.session.Refusal;
import dev.parley.core.session.Session;
import dev.parley.core.session.State;
import dev.parley.socket.Addresses;
import dev.parley.socket.ProcessErrors;
import dev.parley.socket.tls.TlsFailures;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A conversation's {@link Session} on its channel, driven on the channel's event loop: each input
 * is handed to the session with the time, its actions are carried out (on a {@link ChannelPeer},
 * flushed once per input, and on the app's operator and transcript), then what the session now
 * wants is followed: reading while it wants the peer's bytes and the peer takes its replies
 * (back-pressure: a peer that does not read is not read either), and one tick at its next deadline
 * ({@link SessionClock}). Nothing is handed to it once it has closed. A bug in the session, a
 * responder or a transcript ends this conversation only: it is reported, and nothing more is handed
 * to it.
 *
 * <p>The end of the peer's input is its half-close; over the connection's own TLS, its close_notify,
 * and a half-close without one first is a truncation, a lost connection. (Behind a front, the front
 * says when the input ends, or that the peer has gone; a close_notify still ends it.) However many
 * of these come, the session is handed the first only.
 */
final class ChannelSession {

    private final Channel channel;
    private final Session session;
    private final Operator operator;
    private final Transcript transcript;
    private final ChannelPeer peer;
    private final SessionClock timer;
    private final LongSupplier clock;
    private final Consumer<Throwable> crashed;
    private final Runnable afterEach;
    private final boolean ownTls;
    private boolean broken;
    private boolean closeNotified;
    private boolean inputOver;

    /**
     * {@code conversation} on {@code channel}, over TLS of its own or not; {@code crashed} is told of
     * a bug that ends it, {@code afterEach} runs after each input is carried out.
     */
    ChannelSession(Channel channel, Conversation conversation, boolean behindFront, boolean ownTls, LongSupplier clock,
            Consumer<Throwable> crashed, Runnable afterEach) {
        this.channel = channel;
        this.session = conversation.session();
        this.operator = conversation.operator();
        this.transcript = conversation.transcript();
        this.peer = new ChannelPeer(channel, behindFront);
        this.timer = new SessionClock(channel.eventLoop(), clock, () -> take(new Input.Tick()));
        this.clock = clock;
        this.crashed = crashed;
        this.afterEach = afterEach;
        this.ownTls = ownTls;
    }

    /** Hands {@code input} to the session and carries out what it says; nothing once it has closed. */
    void take(Input input) {
        if (broken || session.state() == State.CLOSED) {
            return;
        }
        try {
            Actions.carryOut(session.handle(clock.getAsLong(), input), peer, operator, transcript);
        } catch (RuntimeException | Error e) {
            if (ProcessErrors.endProcess(e)) {
                throw e;
            }
            broken = true;
            crashed.accept(e);
            return;
        }
        peer.flush();
        boolean read = session.wantsPeerBytes() && channel.isWritable();
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
        }
        timer.follow(session.deadline());
        afterEach.run();
    }

    /** The peer's close_notify: the end of its input. */
    void closeNotified() {
        closeNotified = true;
        ended(new Input.PeerClosed());
    }

    /** The peer's side of the connection is shut: the end of its input, over TLS of its own only after its close_notify. */
    void inputEnded() {
        if (!ownTls) {
            ended(new Input.PeerClosed());
        } else if (!closeNotified) {
            take(new Input.PeerFailed("closed without TLS close_notify (truncated)"));
        }
    }

    /** The peer has gone whole (a front says so: a browser's WebSocket Close): it reads nothing more. */
    void gone() {
        ended(new Input.PeerGone());
    }

    /**
     * The end of the peer's input, handed over once: it may be told more than one way (a browser's
     * Close frame, then TLS's close_notify, then the socket's half-close), and the session takes
     * only one.
     */
    private void ended(Input end) {
        if (!inputOver) {
            inputOver = true;
            take(end);
        }
    }

    /** The connection failed with {@code cause}: the session is told why, in its transport's words. */
    void failed(Throwable cause) {
        take(new Input.PeerFailed(channel.pipeline().get(SslHandler.class) != null ? TlsFailures.serverSide(cause)
                : cause instanceof IOException ? Addresses.reason((IOException) cause)
                : ProcessErrors.connectionError(cause) ? ProcessErrors.describe("its input", cause) : String.valueOf(cause)));
    }

    /**
     * The memory budget ends this connection: a conversation under way is told why; if
     * {@code frontHolds} bytes that only the end of a frame or record would free, the connection
     * closes once its last words are written, without the linger. False when none was under way.
     */
    boolean endForMemory(boolean frontHolds) {
        if (session.state() != State.PEER_TURN && session.state() != State.OWN_TURN) {
            return false;
        }
        take(new Input.Drop(new Refusal.ShortOfMemory()));
        if (frontHolds) {
            peer.close();
        }
        return true;
    }

    /** The bytes the session holds ({@link Session#bufferedBytes()}). */
    long bufferedBytes() {
        return session.bufferedBytes();
    }

    /** The connection has closed: no more ticks. */
    void stop() {
        timer.stop();
    }
}
