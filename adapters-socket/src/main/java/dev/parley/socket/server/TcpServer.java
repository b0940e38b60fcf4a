package dev.parley.socket.server;

import dev.parley.core.session.Input;
import dev.parley.core.wire.LineFraming;
import dev.parley.socket.Addresses;
import dev.parley.socket.NetworkException;
import dev.parley.socket.tls.HttpsOnlyGate;
import dev.parley.socket.tls.ServerTls;
import dev.parley.socket.tls.TlsGate;
import dev.parley.socket.tls.TlsRecords;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * The TCP server on Netty: a few event loops (one per core; native epoll when it loads, NIO
 * otherwise) carry every connection, each driven by its own {@link ConversationHandler}. This class
 * only binds, admits and stops; every conversation rule is in the core's session.
 *
 * <p>Beside its own port it may listen on others ({@link #listen}) whose connections pass through
 * a <em>front</em> first, another transport's codec (the web adapter's HTTP and WebSocket): the same
 * loops, the same admission and memory budget, the same handler behind it, and the same stop.
 */
public final class TcpServer {

    static {
        NettyLogging.install();
    }

    private final ServerSettings settings;
    private final ConversationFactory factory;
    private final ServerEvents events;
    private final ServerTls tls;
    private final MemoryBudget memory;
    private final Admission admission;
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger operators = new AtomicInteger();
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<Channel> listeners = new CopyOnWriteArrayList<>();
    private EventLoopGroup loops;
    private Channel listener;
    private boolean stopping;
    /** The thread running the stop (guarded by this). */
    private Thread stopper;

    public TcpServer(ServerSettings settings, ConversationFactory factory, ServerEvents events) {
        this(settings, factory, events, null);
    }

    /**
     * A server whose connections speak TLS with {@code tls} (null: plain text). Every connection's
     * first bytes are looked at once ({@link TlsGate}): a client of the other protocol is told so.
     * With TLS, each conversation starts once its handshake is done ({@link TlsHandshake}).
     */
    public TcpServer(ServerSettings settings, ConversationFactory factory, ServerEvents events, ServerTls tls) {
        this.settings = settings;
        this.factory = factory;
        this.events = events;
        this.tls = tls;
        this.memory = new MemoryBudget(settings.memoryBudget());
        this.admission = new Admission(settings.maxConversations(), settings.maxPerAddress(), memory);
    }

    /**
     * Binds and starts accepting; reports {@link ServerEvents#listening}.
     *
     * @throws NetworkException with a one-line message when the address cannot be bound
     */
    public synchronized void start() throws NetworkException {
        InetSocketAddress address = settings.listenAddress();
        IoHandlerFactory io = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        loops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                new DefaultThreadFactory("parley-loop"), io);
        ChannelFuture bound = bootstrap(connection -> {
            // A balancer sends its PROXY header in plain text, before the client's first byte (a TLS
            // handshake's too): the header's decoder comes first, the TLS gate after it.
            if (settings.proxyProtocol()) {
                ProxyHeader.addTo(connection.pipeline(), events);
            }
            if (tls != null || settings.framing() instanceof LineFraming) {
                connection.pipeline().addLast("gate", new TlsGate(tls));
            }
            if (tls != null) {
                connection.pipeline().addLast("handshake", new TlsHandshake(tls, events));
            }
            if (settings.framing() instanceof LineFraming) {
                connection.pipeline().addLast("operator-gate", new OperatorHelloGate()); // inside TLS when there is TLS
            }
            connection.pipeline().addLast(conversation(false,
                    tls == null ? HeldBytes.NOTHING : () -> TlsRecords.heldIn(connection.pipeline())));
        }).bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            stopped.countDown();
            throw settings.bindFailed(bound.cause());
        }
        listener = bound.channel();
        events.listening(address());
    }

    /**
     * Listens on {@code host:port} too, once {@link #start} has: each connection's pipeline starts
     * with {@code front} (a shareable initializer that installs another transport's codec), with a
     * conversation handler behind it that starts when the front passes {@code channelActive} on,
     * ends its output through the pipeline (it writes the session's {@code Action.EndOutput} for
     * the front to carry out) and may be dropped by the front (an {@code Input.Drop} user event).
     * A front that answers a connection itself (a page) fires {@code Action.EndOutput} as a user
     * event: the handler ends the output and lingers as for any ending ({@link Closing}).
     * Its conversations count against the same limits as the TCP port's, and what the front's
     * handlers hold for a connection ({@code heldByFront}: a request not complete yet, a frame being
     * received) against the same memory budget, from the accept on. On a TLS server the
     * connection speaks TLS first, with the server's identity ({@link ServerTls#newHandlerForBrowsers}),
     * and the front sees what is inside; a request in plain http is told to use https ({@link HttpsOnlyGate}).
     *
     * @return the address bound, {@code host:port} (the real port when 0 was asked)
     * @throws NetworkException with a one-line message when the address cannot be bound
     */
    public synchronized String listen(String host, int port, ChannelHandler front, ToLongFunction<Channel> heldByFront)
            throws NetworkException {
        if (loops == null || stopping) {
            throw new IllegalStateException("listen after start and before stop");
        }
        String where = Addresses.format(host, port);
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new NetworkException("cannot listen on " + where + ": unknown host", null);
        }
        ChannelFuture bound = bootstrap(connection -> {
            if (tls != null) {
                connection.pipeline().addLast("https-only", new HttpsOnlyGate(events::refused));
                TlsRecords.addLast(connection.pipeline(), tls.newHandlerForBrowsers(connection.alloc()));
            }
            connection.pipeline().addLast(front, conversation(true,
                    () -> TlsRecords.heldIn(connection.pipeline()) + heldByFront.applyAsLong(connection)));
        }).bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw ServerSettings.bindFailed(where, bound.cause());
        }
        listeners.add(bound.channel());
        return Addresses.format(bound.channel().localAddress());
    }

    /**
     * Listens for remote operators too, once {@link #start} has ({@code --operators}): each
     * connection is a {@link RemoteOperator} at {@code port}'s desk, on the same loops and memory
     * account as the conversations, at most {@link OperatorPort#maxOperators()} at once. With
     * {@link OperatorPort#tls()} it speaks TLS first ({@link TlsGate}, {@link TlsHandshake}: a
     * plaintext operator is told, an operator whose key the TLS does not admit is refused in the
     * handshake); without, a TLS operator is told this port speaks plain text.
     *
     * @return the address bound, {@code host:port} (the real port when 0 was asked)
     * @throws NetworkException with a one-line message when the address cannot be bound
     */
    public synchronized String listenOperators(OperatorPort port) throws NetworkException {
        if (loops == null || stopping) {
            throw new IllegalStateException("listen after start and before stop");
        }
        InetSocketAddress address = new InetSocketAddress(port.bind(), port.port());
        if (address.isUnresolved()) {
            throw new NetworkException("cannot listen on " + port.where() + ": unknown host", null);
        }
        int maxMessageBytes = settings.framing() instanceof LineFraming line ? line.maxLineBytes() : settings.framing().readSize();
        ChannelFuture bound = bootstrap(connection -> {
            connection.pipeline().addLast("gate", new TlsGate(port.tls()));
            if (port.tls() != null) {
                connection.pipeline().addLast("handshake", new TlsHandshake(port.tls(), events));
            }
            connection.pipeline().addLast(new RemoteOperator(port, maxMessageBytes, settings.limits().idleTimeout(), operators, memory,
                    events, () -> TlsRecords.heldIn(connection.pipeline())));
        }).bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw ServerSettings.bindFailed(port.where(), bound.cause());
        }
        listeners.add(bound.channel());
        return Addresses.format(bound.channel().localAddress());
    }

    /**
     * Charges what {@code desk} holds for a desk shared with other replicas (turns relayed to this
     * server, appends waiting for the log) to this server's memory account. Call before the desk starts.
     *
     * @param desk the operators' desk of this server
     */
    public void account(DeskDriver desk) {
        desk.account(memory);
    }

    /** How many operators are connected now (with or without their hello). */
    public int connectedOperators() {
        return operators.get();
    }

    /** A conversation's driver; {@code before}: what the handlers before it hold for the client. */
    private ConversationHandler conversation(boolean behindFront, HeldBytes before) {
        return new ConversationHandler(ids.incrementAndGet(), settings, admission, memory, factory, events, System::nanoTime,
                behindFront, before);
    }

    /** A listener on the server's loops whose every connection is tracked (for the stop) and set up by {@code pipeline}. */
    private ServerBootstrap bootstrap(Consumer<SocketChannel> pipeline) {
        boolean epoll = Epoll.isAvailable();
        Class<? extends ServerChannel> channel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        // Raw framing is the seed's: one read of at most 1024 bytes is one message.
        RecvByteBufAllocator reads = settings.framing().readSize() <= 1024
                ? new FixedRecvByteBufAllocator(settings.framing().readSize())
                : new AdaptiveRecvByteBufAllocator(64, 2048, 64 * 1024);
        return new ServerBootstrap()
                .group(loops)
                .channel(channel)
                .option(ChannelOption.SO_BACKLOG, settings.backlog())
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(new AcceptFailures(events))
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, reads)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel connection) {
                        connections.add(connection);
                        connection.closeFuture().addListener(closed -> connections.remove(connection));
                        pipeline.accept(connection);
                    }
                });
    }

    /** The address actually bound, as {@code host:port} (the real port when 0 was asked). */
    public String address() {
        return Addresses.format(listener.localAddress());
    }

    /** The port actually bound. */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** The bytes of their peers' data the server's connections hold now, against the memory budget. */
    public long memoryHeld() {
        return memory.held();
    }

    /** How many conversations are open now (refused connections are not counted). */
    public int openConversations() {
        return admission.open();
    }

    /**
     * Stops accepting, tells every open conversation to stop (each says bye), tells every operator
     * the server is stopping once the desk is empty, and waits up to {@code grace} for them all to
     * close; those still open then are closed. Blocks until the event
     * loops have ended, except when called from one of them (a conversation's ending asking for
     * it): then the stop runs on a thread of its own. Safe to call more than once.
     */
    public void stop(Duration grace) {
        if (inEventLoop()) {
            new Thread(() -> stop(grace), "parley-stop").start();
            return;
        }
        synchronized (this) {
            if (stopper == Thread.currentThread()) {
                return; // asked again by what the stop itself set off: it is under way on this very thread
            }
            if (stopping || loops == null) {
                awaitQuietly();
                return;
            }
            stopping = true;
            stopper = Thread.currentThread();
        }
        listener.close().awaitUninterruptibly();
        for (Channel other : listeners) {
            other.close().awaitUninterruptibly();
        }
        List<Channel> open = new ArrayList<>(connections);
        for (Channel connection : open) {
            ConversationHandler handler = connection.pipeline().get(ConversationHandler.class);
            RemoteOperator operator = connection.pipeline().get(RemoteOperator.class);
            if (handler != null && handler.started()) {
                handler.post(new Input.Stop());
            } else if (operator != null) {
                operator.stop(); // told once the conversations have ended, each told to it first
            } else {
                connection.close(); // a front's connection with no conversation yet (a page request): nothing to say
            }
        }
        long deadline = System.nanoTime() + grace.toNanos();
        for (Channel connection : open) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !connection.closeFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
                connection.close();
            }
        }
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        stopped.countDown();
    }

    /** True on one of this server's event loops, which {@link #stop} must not block. */
    private boolean inEventLoop() {
        if (loops != null) {
            for (EventExecutor loop : loops) {
                if (loop.inEventLoop()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Blocks until the server has stopped. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    private void awaitQuietly() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
