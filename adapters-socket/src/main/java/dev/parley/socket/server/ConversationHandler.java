package dev.parley.socket.server;

import dev.parley.core.session.Action;
import dev.parley.core.session.Input;
import dev.parley.core.session.Refusal;
import dev.parley.socket.Addresses;
import dev.parley.socket.ProcessErrors;
import dev.parley.socket.tls.TlsGate;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;

/**
 * The server's driver of one connection and its conversation, on the channel's event loop: Netty's
 * events become the session's inputs, which a {@link ChannelSession} hands over and carries out, so
 * the session needs no lock. Reads give the peer's bytes, the input shutdown event (or TLS's
 * close_notify) its end, an exception its failure, writability whether it takes its replies, and
 * {@link #post} what other threads say (a console's line, a stop). {@code channelInactive} is the
 * one door every ending passes: the session is told if it was not already, the slot is freed, the
 * memory given back.
 *
 * <p>Its connection joins the memory account when registered ({@link MemoryShare}), and counts
 * what it holds after each read and each input (its session's bytes, its unsent replies, what the
 * handlers before it hold, {@link HeldBytes}). It claims its slot at {@code channelActive}: at the
 * accept, or later when a handler before holds that back (the PROXY header; a front's handshake,
 * so a page request takes none). The conversation opens then, or is refused, told why; with TLS of
 * its own, once the handshake is {@link TlsHandshake.Done}, the slot held meanwhile.
 *
 * <p>Behind a front (the web's WebSocket; {@link TcpServer#listen}) the session's
 * {@link Action.EndOutput} is written for the front to carry out its own way, and the front may end
 * the conversation for what it cannot carry as a message ({@link Input.Drop}) or say its client has
 * gone whole ({@link Input.PeerGone}, not a half-close). A connection with no
 * conversation (not started, or refused before one) has what it sends dropped, and is closed when
 * its peer ends its input, on a stop, or for memory; a refusal from its transport
 * ({@link Input.Drop}) is logged. A front that answers it itself (a page) fires
 * {@link Action.EndOutput}: the output ends and it lingers as a closing session does ({@link Closing}).
 */
public final class ConversationHandler extends ChannelInboundHandlerAdapter implements ConversationHandle {

    private final int id;
    private final ServerSettings settings;
    private final Admission admission;
    private final ConversationFactory factory;
    private final ServerEvents events;
    private final LongSupplier clock;
    private final boolean behindFront;
    private final HeldBytes before;
    private final MemoryShare share;

    private ChannelHandlerContext ctx;
    private Admission.Slot slot;
    private ChannelSession session;
    private boolean ownTls;
    private boolean opened;
    private volatile String clientKey;

    ConversationHandler(int id, ServerSettings settings, Admission admission, MemoryBudget memory,
            ConversationFactory factory, ServerEvents events, LongSupplier clock, boolean behindFront, HeldBytes before) {
        this.id = id;
        this.settings = settings;
        this.admission = admission;
        this.factory = factory;
        this.events = events;
        this.clock = clock;
        this.behindFront = behindFront;
        this.before = before;
        this.share = new MemoryShare(memory, this::endForMemory);
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public String remote() {
        // Formatted when asked (log lines), not kept: an idle conversation holds no string of its own.
        return ctx == null ? "unknown" : Addresses.format(ProxyHeader.client(ctx.channel()));
    }

    @Override
    public boolean tls() {
        return ctx != null && ctx.pipeline().get(SslHandler.class) != null; // its own handshake, or a front's
    }

    @Override
    public Front front() {
        return behindFront ? Front.WEB : ownTls ? Front.TLS : Front.TCP;
    }

    @Override
    public String clientKey() {
        return clientKey;
    }

    /** True once its slot was asked for (admitted or refused): before, a front's handshake may still run. */
    boolean started() {
        return slot != null;
    }

    /** This connection's part of the memory account. */
    MemoryShare share() {
        return share;
    }

    /** The connection joins the memory account as it is registered, before anything it sends is read. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        share.join(ctx.executor());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        slot = admission.claim(ProxyHeader.client(ctx.channel()));
        if (ctx.pipeline().get(TlsHandshake.class) == null) {
            begin(); // else once the handshake is done
        }
    }

    /** Opens the conversation, or refuses it as decided when its slot was asked for. */
    private void begin() {
        Refusal refusal = slot.refusal();
        Conversation conversation;
        if (refusal == null) {
            opened = true;
            events.opened(this);
            conversation = factory.create(this);
        } else {
            events.refused(remote(), refusal.reason());
            conversation = Conversation.refusing(settings.framing());
        }
        session = new ChannelSession(ctx.channel(), conversation, behindFront, ownTls, clock, this::crashed, this::followMemory);
        session.take(refusal == null ? new Input.Open() : new Input.Refuse(refusal));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf bytes = (ByteBuf) msg;
        try {
            if (session != null) {
                session.take(ReadScratch.peerBytes(bytes));
            }
        } finally {
            bytes.release();
        }
    }

    /** A read is done: what the handlers before this one now hold (a frame not complete yet) is counted. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        followMemory();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof TlsHandshake.Done done) {
            ownTls = true;
            clientKey = done.clientKey();
            begin();
        } else if (session == null) {
            withoutConversation(ctx, event);
        } else if (event instanceof SslCloseCompletionEvent closed) {
            if (closed.isSuccess()) {
                session.closeNotified();
            }
        } else if (event instanceof ChannelInputShutdownEvent) {
            session.inputEnded();
        } else if (event instanceof Input.PeerGone) {
            session.gone(); // a front says its client has gone whole
        } else if (event instanceof TlsGate.WrongProtocol wrong) {
            session.take(new Input.PeerFailed(wrong.reason())); // a plaintext server's conversation, already open
        } else if (event instanceof Input.Drop drop) {
            session.take(drop); // a front refuses what it cannot carry as a message
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    /** What befalls a connection with no conversation: see the header. */
    private void withoutConversation(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent || event instanceof Input.PeerGone) {
            ctx.close();
        } else if (event instanceof Input.Drop drop) {
            refuse((tls() ? "tls: " : "") + drop.reason().reason());
        } else if (event instanceof Action.EndOutput) {
            Closing.endOutputAndLinger(ctx.channel()); // a front's own answer
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    /**
     * Whatever the pipeline throws ends this connection, with its reason in the log; only what
     * {@link ProcessErrors} says the JVM cannot survive (out of memory) goes on to stop the process.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (ProcessErrors.endProcess(cause)) {
            ProcessErrors.escalate(cause); // the app's handler stops the process
            return;
        }
        if (session != null) {
            session.failed(cause);
        } else if (ProcessErrors.connectionError(cause)) {
            refuse("failed: " + ProcessErrors.describe("its input", cause));
        }
        ctx.close();
    }

    /** A connection with no conversation is refused: one log line (unless it has gone already), then closed. */
    private void refuse(String reason) {
        if (ctx.channel().isOpen()) {
            events.refused(remote(), reason);
            ctx.close();
        }
    }

    /** A peer that takes none of its replies runs the idle clock like a silent one. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (session != null) {
            session.take(ctx.channel().isWritable() ? new Input.OutputFlowing() : new Input.OutputBlocked());
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** The one door: however the connection went, the session is told, the slot freed, the memory given back. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (session != null) {
            session.take(new Input.PeerFailed("connection closed"));
            session.stop();
        }
        if (slot != null) {
            slot.release();
        }
        share.leave();
        if (opened) {
            opened = false;
            events.closed(this);
        }
        ctx.fireChannelInactive();
    }

    /** A connection that never became active (closed during its registration) leaves the account here. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        share.leave();
    }

    @Override
    public void post(Input input) {
        ChannelHandlerContext context = ctx;
        if (context == null) {
            return;
        }
        try {
            context.executor().execute(() -> {
                if (session != null) {
                    session.take(input);
                } else if (input instanceof Input.Stop) {
                    context.close(); // a stop during a handshake: nothing to say yet
                }
            });
        } catch (RejectedExecutionException e) {
            // The server has stopped and its event loops with it: the conversation is closed.
        }
    }

    /** A bug in a session, a responder or a transcript: this conversation goes, the server stays. */
    private void crashed(Throwable e) {
        events.crashed(this, e);
        ctx.close();
    }

    /** The memory budget ends this connection (on its loop): a conversation under way is told why, any other closed. */
    private void endForMemory() {
        if (session == null || !session.endForMemory(before.heldBytes() > 0)) {
            ctx.close();
        }
    }

    /** Tells the memory account what this connection holds now: its session's bytes, its unsent replies, what the handlers before it hold. */
    private void followMemory() {
        share.count((session == null ? 0 : session.bufferedBytes()) + MemoryShare.unsent(ctx.channel()) + before.heldBytes());
    }
}
