package dev.parley.socket.server;

import dev.parley.core.port.Actions;
import dev.parley.core.port.Operator;
import dev.parley.core.port.Transcript;
import dev.parley.core.session.Action;
import dev.parley.core.session.Input;
import dev.parley.core.session.Refusal;
import dev.parley.core.session.Session;
import dev.parley.core.session.State;
import dev.parley.socket.Addresses;
import dev.parley.socket.ProcessErrors;
import dev.parley.socket.tls.TlsFailures;
import dev.parley.socket.tls.TlsGate;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.OptionalLong;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The server's driver of one conversation: the only code that touches its {@link Session}, always
 * on the channel's event loop, so the session needs no lock.
 *
 * <p>Netty's events become inputs: {@code channelActive} opens (or refuses, when the server is
 * full), {@code channelRead} gives the peer's bytes, the input shutdown event its end, an
 * exception its failure, a scheduled task the time, and {@link #post} what other threads have to
 * say (a console's lines, a stop). The session's actions are carried out on a {@link ChannelPeer}
 * (writes queued, flushed once per input; ending the output and closing as {@link Closing} says)
 * and the app's operator and transcript. Reading follows {@link Session#wantsPeerBytes()} and the channel's writability
 * (back-pressure: a peer that does not read its replies is not read either). {@code channelInactive}
 * is the one door every ending passes: the session is told if it was not already, the slot is freed.
 *
 * <p>It is also the connection's part of the server's one memory account ({@link MemoryBudget}),
 * from the accept to the close, started or not: after each read and each input it counts what the
 * connection holds (its session's bytes, its unsent replies, and what the handlers before it hold,
 * {@link HeldBytes}) and tells the budget; when the budget ends it for holding the most, an open
 * conversation is told why ({@code !memory: ...}), any other connection is closed.
 *
 * <p>Behind a front (another transport's codec, such as the web's WebSocket; see
 * {@link TcpServer#listen}) nothing changes but three things: the conversation starts when the front
 * passes {@code channelActive} on (once its handshake is done), the output ends through the
 * pipeline ({@link ChannelPeer}), and the front may end the conversation for what it cannot carry
 * as a message by firing an {@link Input.Drop} user event. A front that answers a connection itself
 * (a page) fires {@link Action.EndOutput} instead: with no conversation, the output ends and the
 * connection lingers as a closing session's does ({@link Closing}); a client that ends its input
 * before any conversation is closed.
 *
 * <p>With TLS of its own, the slot is taken when the connection is accepted, as without, and held
 * through the handshake, which {@link TlsHandshake}, before it in the pipeline, runs: the
 * conversation opens (or is refused, told why over TLS) once that says the handshake is
 * {@link TlsHandshake.Done}. The peer's close_notify is then the end of its input; a TCP close
 * without one (a truncation) is a lost connection.
 */
public final class ConversationHandler extends ChannelInboundHandlerAdapter implements ConversationHandle {

    /** A refused connection's transcript: the refusal is logged by {@link ServerEvents#refused}. */
    private static final Transcript UNSHOWN = Transcript.endingOnly(refused -> { });

    private final int id;
    private final ServerSettings settings;
    private final Admission admission;
    private final MemoryBudget memory;
    private final ConversationFactory factory;
    private final ServerEvents events;
    private final LongSupplier clock;
    private final boolean behindFront;
    private final HeldBytes before;

    private ChannelHandlerContext ctx;
    private ChannelPeer peer;
    private String remote = "unknown";
    private Session session;
    private Operator operator;
    private Transcript transcript;
    private InetAddress from;
    private boolean admitted;
    private boolean joined;
    private boolean crashed;
    /** The bytes this connection holds, as last told to the memory budget; read by other loops. */
    private volatile long held;
    private volatile boolean dropped;
    private ScheduledFuture<?> tick;
    private long tickAt;
    /** The refusal decided at the accept, kept for the end of the handshake. */
    private Refusal refusal;
    private boolean ownTls;
    private boolean peerSaidCloseNotify;
    private volatile String clientKey;

    ConversationHandler(int id, ServerSettings settings, Admission admission, MemoryBudget memory,
            ConversationFactory factory, ServerEvents events, LongSupplier clock, boolean behindFront, HeldBytes before) {
        this.id = id;
        this.settings = settings;
        this.admission = admission;
        this.memory = memory;
        this.factory = factory;
        this.events = events;
        this.clock = clock;
        this.behindFront = behindFront;
        this.before = before;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public String remote() {
        return remote;
    }

    @Override
    public boolean tls() {
        return ctx != null && ctx.pipeline().get(SslHandler.class) != null; // its own handshake, or a front's
    }

    @Override
    public String clientKey() {
        return clientKey;
    }

    // ---- Netty's events, as inputs ---------------------------------------------------------------------

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
        join(ctx);
        ctx.fireChannelRegistered();
    }

    /** The connection joins the memory account once, when it is registered, before anything it sends is read. */
    private void join(ChannelHandlerContext ctx) {
        if (!joined && this.ctx == null) {
            this.ctx = ctx;
            joined = true;
            memory.join(this);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        join(ctx);
        this.ctx = ctx;
        this.peer = new ChannelPeer(ctx.channel(), behindFront);
        SocketAddress client = ProxyHeader.client(ctx.channel());
        this.remote = Addresses.format(client);
        this.from = client instanceof InetSocketAddress ? ((InetSocketAddress) client).getAddress() : InetAddress.getLoopbackAddress();
        refusal = admission.admit(from);
        if (refusal == null) {
            admitted = true;
        }
        if (ctx.pipeline().get(TlsHandshake.class) == null) {
            begin(); // else once the handshake is done
        }
    }

    /** Opens the conversation, or refuses it as decided at the accept. */
    private void begin() {
        if (refusal == null) {
            events.opened(this);
            Conversation conversation = factory.create(this);
            session = conversation.session();
            operator = conversation.operator();
            transcript = conversation.transcript();
            handle(new Input.Open());
        } else {
            session = Session.refusing(settings.framing());
            operator = Conversation.NO_OPERATOR;
            transcript = UNSHOWN;
            events.refused(remote, refusal.reason());
            handle(new Input.Refuse(refusal));
        }
    }

    /** True once the conversation has started (admitted or refused): before, a front's handshake may still run. */
    boolean started() {
        return peer != null;
    }

    /** What this connection holds of its peer's data, as last told to the memory budget. */
    long held() {
        return held;
    }

    /** True once this conversation has been told to go for the memory budget. */
    boolean dropped() {
        return dropped;
    }

    /**
     * The memory budget is spent and this connection holds the most: an open conversation is ended,
     * told why; a connection with none open (not started, refused, already ending) is closed. What
     * it held is given back at once: the session forgets its bytes as it ends, and a connection
     * whose front still holds some (a WebSocket frame, a TLS record received in part, which only
     * its completion would free) is closed as soon as its last words are written, without the
     * closing linger. Any thread.
     */
    void dropForMemory() {
        if (dropped) {
            return;
        }
        dropped = true;
        try {
            ctx.executor().execute(() -> {
                if (session != null && (session.state() == State.PEER_TURN || session.state() == State.OWN_TURN)) {
                    handle(new Input.Drop(new Refusal.ShortOfMemory()));
                    if (before.heldBytes() > 0 && peer != null) {
                        peer.close();
                    }
                } else {
                    ctx.close();
                }
            });
        } catch (RejectedExecutionException e) {
            // The server has stopped and its event loops with it: the connection is closed.
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf bytes = (ByteBuf) msg;
        try {
            if (session == null || session.state() == State.CLOSED) {
                return;
            }
            int n = bytes.readableBytes();
            byte[] array;
            int offset;
            if (bytes.hasArray()) {
                array = bytes.array();
                offset = bytes.arrayOffset() + bytes.readerIndex();
            } else {
                array = ReadScratch.get(n);
                offset = 0;
                bytes.getBytes(bytes.readerIndex(), array, 0, n);
            }
            handle(new Input.PeerBytes(array, offset, n));
        } finally {
            bytes.release();
        }
    }

    /** A transport refuses what came before any conversation (a handshake's flood of TLS records, a page request's): logged, closed. */
    private void refuseUnstarted(ChannelHandlerContext ctx, Refusal reason) {
        if (ctx.channel().isOpen()) {
            events.refused(Addresses.format(ProxyHeader.client(ctx.channel())), (ctx.pipeline().get(SslHandler.class) != null ? "tls: " : "") + reason.reason());
            ctx.close();
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
        } else if (event instanceof TlsGate.WrongProtocol wrong && session != null) {
            handle(new Input.PeerFailed(wrong.reason())); // a plaintext server's conversation, already open
        } else if (event instanceof SslCloseCompletionEvent) {
            if (((SslCloseCompletionEvent) event).isSuccess() && session != null && session.state() != State.CLOSED) {
                peerSaidCloseNotify = true;
                handle(new Input.PeerClosed());
            }
        } else if (event instanceof ChannelInputShutdownEvent) {
            if (session == null) {
                ctx.close(); // no conversation to tell: gone during a handshake, or after an answer or a refusal
            } else if (!ownTls) {
                handle(new Input.PeerClosed());
            } else if (!peerSaidCloseNotify && session.state() != State.CLOSED) {
                handle(new Input.PeerFailed("closed without TLS close_notify (truncated)"));
            }
        } else if (event instanceof Input.Drop && session != null && session.state() != State.NEW) {
            handle((Input) event); // a front refuses what it cannot carry as a message
            return;
        } else if (event instanceof Input.Drop && session == null) {
            refuseUnstarted(ctx, ((Input.Drop) event).reason());
            return;
        } else if (event instanceof Action.EndOutput && session == null) {
            Closing.endOutputAndLinger(ctx.channel()); // a front's own answer
            return;
        }
        ctx.fireUserEventTriggered(event);
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
        if (session == null) {
            if (ProcessErrors.connectionError(cause) && ctx.channel().isOpen()) {
                events.refused(Addresses.format(ProxyHeader.client(ctx.channel())), "failed: " + ProcessErrors.describe("its input", cause));
            }
            ctx.close(); // a failed handshake: its completion event says why
            return;
        }
        handle(new Input.PeerFailed(tls() ? TlsFailures.serverSide(cause)
                : cause instanceof IOException ? Addresses.reason((IOException) cause)
                : ProcessErrors.connectionError(cause) ? ProcessErrors.describe("its input", cause) : String.valueOf(cause)));
        ctx.close();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (session != null && session.state() != State.NEW) {
            // A peer that takes none of its replies runs the idle clock like a silent one.
            handle(ctx.channel().isWritable() ? new Input.OutputFlowing() : new Input.OutputBlocked());
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** The one door: however the connection went, the session is told and the slot is freed. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (session != null && session.state() != State.CLOSED) {
            handle(new Input.PeerFailed("connection closed"));
        }
        if (tick != null) {
            tick.cancel(false);
            tick = null;
        }
        if (admitted) {
            admitted = false;
            admission.release(from);
        }
        leave();
        ctx.fireChannelInactive();
    }

    /** A connection that never became active (closed during its registration) leaves the account here. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        leave();
    }

    /** What this connection held is given back to the memory budget, once. */
    private void leave() {
        if (joined) {
            joined = false;
            memory.leave(this, held);
            held = 0;
        }
    }

    @Override
    public void post(Input input) {
        ChannelHandlerContext context = ctx;
        if (context == null) {
            return;
        }
        try {
            context.executor().execute(() -> {
                if (session == null) {
                    if (input instanceof Input.Stop) {
                        context.close(); // a stop during a handshake: nothing to say yet
                    }
                } else if (session.state() != State.CLOSED) {
                    handle(input);
                }
            });
        } catch (RejectedExecutionException e) {
            // The server has stopped and its event loops with it: the conversation is closed.
        }
    }

    private void onTick() {
        tick = null;
        handle(new Input.Tick());
    }

    // ---- the session, and its actions carried out ----------------------------------------------------------

    private void handle(Input input) {
        if (crashed) {
            return;
        }
        try {
            Actions.carryOut(session.handle(clock.getAsLong(), input), peer, operator, transcript);
        } catch (RuntimeException | Error e) {
            if (ProcessErrors.endProcess(e)) {
                throw e;
            }
            // A bug in a session, a responder or a transcript: this conversation goes, the server stays.
            crashed = true;
            events.crashed(this, e);
            ctx.close();
            return;
        }
        peer.flush();
        followBackPressure();
        followDeadline();
        followMemory();
    }

    /**
     * Tells the memory budget what this connection holds now: its session's bytes (an unfinished
     * line, a message kept for its turn or for the operator), its unsent replies, and what the
     * handlers before this one hold.
     */
    private void followMemory() {
        if (!joined) {
            return;
        }
        long now = (session == null ? 0 : session.bufferedBytes()) + unsent(ctx.channel()) + before.heldBytes();
        long delta = now - held;
        held = now;
        memory.change(this, delta);
    }

    /**
     * The bytes queued for the peer and not yet taken by the socket (with Netty's own cost of each
     * write), from the public writability figures: below the high water mark it is that mark less
     * what may still be queued before the channel turns unwritable; above, the low water mark and
     * what must drain before it turns writable again. A closed channel holds nothing.
     */
    static long unsent(Channel channel) {
        WriteBufferWaterMark marks = channel.config().getWriteBufferWaterMark();
        long beforeUnwritable = channel.bytesBeforeUnwritable();
        if (beforeUnwritable > 0) {
            return Math.max(0, marks.high() + 1 - beforeUnwritable);
        }
        long beforeWritable = channel.bytesBeforeWritable();
        return beforeWritable == Long.MAX_VALUE ? 0 : beforeWritable + marks.low() - 1;
    }

    /** Reads while the session wants bytes and the peer takes its replies; else lets them wait in the network. */
    private void followBackPressure() {
        if (session == null || crashed) {
            return;
        }
        boolean read = session.wantsPeerBytes() && ctx.channel().isWritable();
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
        }
    }

    /** Keeps one task scheduled at the session's next deadline; a later deadline waits for the earlier task. */
    private void followDeadline() {
        OptionalLong deadline = session.deadline();
        if (deadline.isEmpty()) {
            if (tick != null) {
                tick.cancel(false);
                tick = null;
            }
            return;
        }
        long at = deadline.getAsLong();
        if (tick != null && tickAt - at <= 0) {
            return; // the scheduled tick comes first; it will reschedule
        }
        if (tick != null) {
            tick.cancel(false);
        }
        tickAt = at;
        tick = ctx.executor().schedule(this::onTick, Math.max(0, at - clock.getAsLong()), TimeUnit.NANOSECONDS);
    }
}
