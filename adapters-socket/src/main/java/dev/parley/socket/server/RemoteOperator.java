package dev.parley.socket.server;

import dev.parley.core.desk.DeskAction;
import dev.parley.core.desk.MalformedOperatorLineException;
import dev.parley.core.desk.OperatorWire;
import dev.parley.core.port.DeskOperator;
import dev.parley.core.session.Durations;
import dev.parley.core.session.Input;
import dev.parley.core.session.Outcome;
import dev.parley.core.wire.Frame;
import dev.parley.core.wire.FrameTooLongException;
import dev.parley.core.wire.LineDecoder;
import dev.parley.socket.Addresses;
import dev.parley.socket.ProcessErrors;
import dev.parley.socket.tls.TlsGate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One remote operator's connection to the operators' port, on its event loop: the core's
 * {@link DeskOperator} port written as lines of the operators' protocol ({@link OperatorWire}), and
 * the lines it reads handed to the desk through {@link DeskOperator.Lines}.
 *
 * <p>The connection inherits the clients' port's defences. It takes one of the port's
 * {@code maxOperators} places from its accept (the next is told the port is busy), and its hello
 * must come within the hello timeout (a TLS handshake included); a first line that is no hello is a
 * client at the wrong port, told where clients go. Every line is limited
 * ({@link OperatorWire#maxLineBytes}), decoded strictly, and any fault (too long, malformed, a
 * second hello) ends the connection with one {@code !} line and one log line. What it holds (a line
 * in part, lines not yet taken, TLS records) is charged to the server's memory account
 * ({@link MemoryShare}) like any connection's bytes. An operator that takes none of its lines is not
 * read from meanwhile (its commands would queue answers), and is cut off after the idle timeout.
 *
 * <p>However it goes (its input ends, a reset, a fault, the memory account, a stop), it leaves the
 * desk once, at once: its client goes back to the front of the line. The desk's tasks call the
 * port; each call becomes a write on the event loop, in order.
 */
final class RemoteOperator extends ChannelInboundHandlerAdapter implements DeskOperator {

    private final OperatorPort port;
    private final int maxMessageBytes;
    private final Duration idleTimeout;
    private final AtomicInteger connected;
    private final MemoryBudget memory;
    private final ServerEvents events;
    private final HeldBytes before;
    private final MemoryShare share;
    private final LineDecoder decoder;

    private ChannelHandlerContext ctx;
    private String remote = "unknown";
    private boolean placeHeld;
    /** Why it is refused, decided at the accept; null when it holds its place. */
    private String refusal;
    private boolean closing;
    private String clientKey;
    /** The name its hello gave; null until then. */
    private String name;
    private DeskOperator.Lines lines;
    /** It has left the desk, or never joined and is being ended: nothing more is read or written but a last line. */
    private boolean over;
    private ScheduledFuture<?> helloDeadline;
    private ScheduledFuture<?> blockedDeadline;

    RemoteOperator(OperatorPort port, int maxMessageBytes, Duration idleTimeout, AtomicInteger connected, MemoryBudget memory,
            ServerEvents events, HeldBytes before) {
        this.port = port;
        this.maxMessageBytes = maxMessageBytes;
        this.idleTimeout = idleTimeout;
        this.connected = connected;
        this.memory = memory;
        this.events = events;
        this.before = before;
        this.share = new MemoryShare(memory, () -> fail("memory: the server is short of memory; try again later"));
        this.decoder = new LineDecoder(OperatorWire.maxLineBytes(maxMessageBytes));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        share.join(ctx.executor());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        remote = Addresses.format(ctx.channel().remoteAddress());
        if (connected.incrementAndGet() > port.maxOperators()) {
            connected.decrementAndGet();
            refusal = "busy: " + port.maxOperators() + " operators are connected, the most this server takes (--max-operators)";
        } else {
            placeHeld = true;
            if (memory.over()) {
                refusal = "memory: the server is short of memory; try again later";
            }
        }
        if (ctx.pipeline().get(TlsHandshake.class) == null) {
            begin(); // else once the handshake is done: what it is told goes over TLS
        }
        ctx.fireChannelActive();
    }

    /** Refused as decided at the accept, or given the hello timeout to say its hello. */
    private void begin() {
        if (refusal != null) {
            fail(refusal);
            return;
        }
        helloDeadline = ctx.executor().schedule(this::noHello, port.helloTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void noHello() {
        if (name == null && !over) {
            fail("no operator's hello within " + Durations.format(port.helloTimeout()) + " (handshake timeout); "
                    + port.notForClients());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf bytes = (ByteBuf) msg;
        try {
            if (!over) {
                Input.PeerBytes read = ReadScratch.peerBytes(bytes);
                decoder.feed(read.bytes(), read.offset(), read.length());
                takeLines();
            }
        } finally {
            bytes.release();
        }
        followMemory();
    }

    /** Every complete line, in order, until the decoder needs more or a fault ends the connection. */
    private void takeLines() {
        while (!over) {
            Frame frame;
            try {
                frame = decoder.next();
            } catch (FrameTooLongException e) {
                fail("line longer than " + e.limit() + " bytes (the operators' protocol's limit)");
                return;
            }
            if (frame instanceof Frame.Message message) {
                take(message.text());
            } else {
                return; // more data needed; a cut-off last line at the end is no line
            }
        }
    }

    private void take(String line) {
        if (name == null) {
            hello(line);
            return;
        }
        OperatorWire.ToServer message;
        try {
            message = OperatorWire.decodeToServer(line);
        } catch (MalformedOperatorLineException e) {
            fail("malformed line: " + e.getMessage());
            return;
        }
        if (message instanceof OperatorWire.Line entered) {
            lines.entered(entered.conversation(), new Input.OperatorLine(entered.text(), entered.prompted()));
        } else {
            fail("malformed line: a second hello");
        }
    }

    /** The first line: the hello, else a client (or anything else) at the wrong port. */
    private void hello(String line) {
        if (!OperatorWire.looksLikeHello(line)) {
            fail(port.notForClients());
            return;
        }
        OperatorWire.ToServer hello;
        try {
            hello = OperatorWire.decodeToServer(line);
        } catch (MalformedOperatorLineException e) {
            fail("malformed hello: " + e.getMessage());
            return;
        }
        name = ((OperatorWire.Hello) hello).name();
        if (helloDeadline != null) {
            helloDeadline.cancel(false);
        }
        write(new OperatorWire.Welcome(name));
        events.operatorJoined(remote, name, clientKey);
        lines = port.desk().join(name, this);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof TlsHandshake.Done done) {
            clientKey = done.clientKey();
            begin();
        } else if (event instanceof ChannelInputShutdownEvent
                || event instanceof SslCloseCompletionEvent closed && closed.isSuccess()) {
            inputEnded();
        } else if (event instanceof TlsGate.WrongProtocol wrong) {
            over = true; // told by the gate; it lingers to read that line
            events.refused(remote, "operators' port: " + wrong.reason());
            Closing.endOutputAndLinger(ctx.channel());
        } else if (event instanceof Input.Drop drop) {
            fail(drop.reason().reason());
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    /** The operator's input ended: it has left (its client goes back to the line); the connection closes. */
    private void inputEnded() {
        if (closing) {
            return;
        }
        closing = true;
        if (name == null) {
            if (!over) {
                over = true;
                events.refused(remote, "operators' port: closed before its hello");
            }
            ctx.close();
            return;
        }
        leave("left");
        Closing.close(ctx.channel());
    }

    /** An operator that takes none of its lines is read no more until it does, and cut off after the idle timeout. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = ctx.channel().isWritable();
        ctx.channel().config().setAutoRead(writable);
        if (writable) {
            if (blockedDeadline != null) {
                blockedDeadline.cancel(false);
                blockedDeadline = null;
            }
        } else if (blockedDeadline == null && !idleTimeout.isZero()) {
            blockedDeadline = ctx.executor().schedule(() -> {
                if (!ctx.channel().isWritable()) {
                    leave("cut off: took none of its lines for " + Durations.format(idleTimeout) + " (idle timeout)");
                    ctx.close();
                }
            }, idleTimeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        followMemory();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (ProcessErrors.endProcess(cause)) {
            ProcessErrors.escalate(cause);
            return;
        }
        String reason = ProcessErrors.connectionError(cause) ? ProcessErrors.describe("its input", cause) : String.valueOf(cause);
        if (name != null) {
            leave("cut off: " + reason);
        } else if (!over) {
            over = true;
            events.refused(remote, "operators' port: " + reason);
        }
        ctx.close();
    }

    /** The one door: however the connection went, it has left the desk, its place is free, its memory given back. */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (name != null) {
            leave("cut off: connection closed");
        }
        if (placeHeld) {
            placeHeld = false;
            connected.decrementAndGet();
        }
        if (helloDeadline != null) {
            helloDeadline.cancel(false);
        }
        if (blockedDeadline != null) {
            blockedDeadline.cancel(false);
        }
        decoder.clear();
        share.leave();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        share.leave();
    }

    /**
     * The server stops (from any thread): once no conversation is left at the desk (the operator was
     * told how each ended), the operator is told the server is stopping, leaves the desk, and its
     * output ends, as for a fault but with no failure: it was not cut off. One that has not said its
     * hello is closed, with nothing to say.
     */
    void stop() {
        // From the connection's loop: the stopping thread waits for this, and must not run the desk's tasks itself.
        onLoop(() -> port.desk().onceEmpty(() -> onLoop(this::stopping)));
    }

    private void stopping() {
        if (over) {
            return;
        }
        if (name == null) {
            over = true;
            ctx.close();
            return;
        }
        write(new OperatorWire.Stopping());
        leave("stopped; told the operator");
        Closing.endOutputAndLinger(ctx.channel());
    }

    /** Ends the connection for {@code reason}: told in one {@code !} line, logged once, the desk left. */
    private void fail(String reason) {
        if (over) {
            return;
        }
        write(new OperatorWire.Failure(reason));
        if (name != null) {
            leave("ended: " + reason);
        } else {
            over = true;
            events.refused(remote, "operators' port: " + reason);
        }
        Closing.endOutputAndLinger(ctx.channel());
    }

    /** Leaves the desk, once: its client goes back to the front of the line. */
    private void leave(String how) {
        if (!over) {
            over = true;
            events.operatorLeft(remote, name, how);
            lines.left();
        }
    }

    // ---- the DeskOperator port: called by the desk's tasks, written on the event loop --------------------

    @Override
    public void joined(DeskOperator.Lines lines) {
        // the same lines join gave back; the welcome went with the hello
    }

    @Override
    public void with(String conversation, String label, int waiting) {
        send(new OperatorWire.With(conversation, waiting, label));
    }

    @Override
    public void heard(String conversation, String message) {
        send(new OperatorWire.Said(conversation, message));
    }

    @Override
    public void ask(String conversation) {
        send(new OperatorWire.Ask(conversation));
    }

    @Override
    public void notice(String conversation, String text) {
        send(new OperatorWire.Notice(conversation, text));
    }

    @Override
    public void ended(String conversation, Outcome outcome) {
        send(new OperatorWire.Ended(conversation, outcome.describe()));
    }

    @Override
    public void handedBack(String conversation, DeskAction.Why why) {
        send(new OperatorWire.Back(conversation, why));
    }

    @Override
    public void tell(String text) {
        send(new OperatorWire.Tell(text));
    }

    /** Hands {@code message} to the event loop, in order; dropped once the operator has left. */
    private void send(OperatorWire.ToOperator message) {
        onLoop(() -> {
            if (!over) {
                write(message);
                followMemory();
            }
        });
    }

    /** Runs {@code task} on the connection's event loop, after what was handed to it before. */
    private void onLoop(Runnable task) {
        try {
            ctx.executor().execute(task);
        } catch (RejectedExecutionException e) {
            // the server has stopped, and this connection with it
        }
    }

    private void write(OperatorWire.ToOperator message) {
        ctx.writeAndFlush(Unpooled.copiedBuffer(OperatorWire.encode(message) + "\n", StandardCharsets.UTF_8));
    }

    /** Tells the memory account what this connection holds: a line in part, lines not yet taken, what the handlers before hold. */
    private void followMemory() {
        share.count(decoder.bufferedBytes() + MemoryShare.unsent(ctx.channel()) + before.heldBytes());
    }
}
