package dev.parley.socket;

import dev.parley.core.session.Input;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The TCP server on Netty: a few event loops (one per core; native epoll when it loads, NIO
 * otherwise) carry every connection, each driven by its own {@link ConversationHandler}. This class
 * only binds, admits and stops; every conversation rule is in the core's session.
 */
public final class TcpServer {

    static {
        NettyLogging.install();
    }

    private final ServerSettings settings;
    private final ConversationFactory factory;
    private final ServerEvents events;
    private final MemoryBudget memory;
    private final Admission admission;
    private final AtomicInteger ids = new AtomicInteger();
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private EventLoopGroup loops;
    private Channel listener;
    private boolean stopping;

    public TcpServer(ServerSettings settings, ConversationFactory factory, ServerEvents events) {
        this.settings = settings;
        this.factory = factory;
        this.events = events;
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
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        loops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                new DefaultThreadFactory("parley-loop"), io);
        // Raw framing is the seed's: one read of at most 1024 bytes is one message.
        RecvByteBufAllocator reads = settings.framing().readSize() <= 1024
                ? new FixedRecvByteBufAllocator(settings.framing().readSize())
                : new AdaptiveRecvByteBufAllocator(64, 2048, 64 * 1024);
        ServerBootstrap bootstrap = new ServerBootstrap()
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
                        if (settings.proxyProtocol()) {
                            ProxyHeader.addTo(connection.pipeline(), events);
                        }
                        connection.pipeline().addLast(new ConversationHandler(ids.incrementAndGet(), settings, admission,
                                memory, factory, events, System::nanoTime));
                    }
                });
        ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            stopped.countDown();
            throw settings.bindFailed(bound.cause());
        }
        listener = bound.channel();
        events.listening(address());
    }

    /** The address actually bound, as {@code host:port} (the real port when 0 was asked). */
    public String address() {
        return Addresses.format(listener.localAddress());
    }

    /** The port actually bound. */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** The bytes of their peers' data the conversations hold now, against the memory budget. */
    public long memoryHeld() {
        return memory.held();
    }

    /** How many conversations are open now (refused connections are not counted). */
    public int openConversations() {
        return admission.open();
    }

    /**
     * Stops accepting, tells every open conversation to stop (each says bye) and waits up to
     * {@code grace} for them to close; those still open then are closed. Blocks until the event
     * loops have ended, except when called from one of them (a conversation's ending asking for
     * it): then the stop runs on a thread of its own. Safe to call more than once.
     */
    public void stop(Duration grace) {
        if (inEventLoop()) {
            new Thread(() -> stop(grace), "parley-stop").start();
            return;
        }
        synchronized (this) {
            if (stopping || loops == null) {
                awaitQuietly();
                return;
            }
            stopping = true;
        }
        listener.close().awaitUninterruptibly();
        List<Channel> open = new ArrayList<>(connections);
        for (Channel connection : open) {
            ConversationHandler handler = connection.pipeline().get(ConversationHandler.class);
            if (handler != null) {
                handler.post(new Input.Stop());
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
