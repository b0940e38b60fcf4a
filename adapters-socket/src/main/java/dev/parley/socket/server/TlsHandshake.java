package dev.parley.socket.server;

import dev.parley.core.session.Durations;
import dev.parley.core.session.Input;
import dev.parley.socket.Addresses;
import dev.parley.socket.ProcessErrors;
import dev.parley.socket.tls.Fingerprints;
import dev.parley.socket.tls.ServerTls;
import dev.parley.socket.tls.TlsFailures;
import dev.parley.socket.tls.TlsGate;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The TLS handshake of a connection to a TLS server, between its accept (or the end of its PROXY
 * header) and its conversation: it holds the conversation back until the handshake is done, then
 * says so to the conversation's driver ({@link Done}, with the fingerprint of the client's key when
 * the server asks for one) and leaves the pipeline.
 *
 * <p>The slot is taken at the accept, as without TLS, and held through the handshake:
 * {@code channelActive} goes on at once to the driver, which takes the slot (or decides the
 * refusal, told over TLS once the handshake is done) and waits for {@link Done}. So a connection
 * that stalls its handshake counts against the server's and its address's limits, and against the
 * memory account, until it goes; the handshake has {@link ServerTls#handshakeTimeout()} from the
 * accept. A connection that never gets there is refused in one log line ({@code tls: ...}) and
 * closed: a failed handshake, one too slow, a client that closes during it, an error from what it
 * sent, a client of the wrong protocol (told so by the {@link TlsGate} before this handler; its
 * output ends and it lingers, {@link Closing}). What its transport refuses during the handshake (an
 * {@link Input.Drop}: too many records that carry no data) ends the handshake and goes on to the
 * driver, which refuses it in the log as any connection with no conversation.
 */
final class TlsHandshake extends ChannelInboundHandlerAdapter {

    /** The handshake is done: the conversation may start. {@code clientKey}: the fingerprint of the client's key, or null. */
    record Done(String clientKey) {}

    private final ServerTls tls;
    private final ServerEvents events;
    private String remote = "unknown";
    private boolean handshaking;
    private ScheduledFuture<?> deadline;

    TlsHandshake(ServerTls tls, ServerEvents events) {
        this.tls = tls;
        this.events = events;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        remote = Addresses.format(ProxyHeader.client(ctx.channel()));
        handshaking = true;
        deadline = ctx.executor().schedule(() -> tooSlow(ctx), tls.handshakeTimeout().toNanos(), TimeUnit.NANOSECONDS);
        ctx.fireChannelActive(); // the slot is taken now; the conversation waits for Done
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent done) {
            finished(ctx, done);
            return;
        }
        if (event instanceof TlsGate.WrongProtocol wrong) {
            if (handshaking) {
                refused("tls: " + wrong.reason());
                Closing.endOutputAndLinger(ctx.channel()); // closed once it has read what the gate told it
            }
            return;
        }
        if (handshaking && event instanceof Input.Drop) {
            over(); // the driver refuses it, in one line
        }
        ctx.fireUserEventTriggered(event);
    }

    private void finished(ChannelHandlerContext ctx, SslHandshakeCompletionEvent done) {
        if (!handshaking) {
            return; // refused already, in its own line
        }
        if (!done.isSuccess()) {
            refused("tls: " + TlsFailures.serverSide(done.cause()));
            ctx.close();
            return;
        }
        over();
        ctx.fireUserEventTriggered(new Done(clientKey(ctx)));
        ctx.pipeline().remove(this);
    }

    /** The fingerprint of the key the client presented, when this server asks clients for theirs; else null. */
    private String clientKey(ChannelHandlerContext ctx) {
        SslHandler handler = ctx.pipeline().get(SslHandler.class);
        if (handler == null || !tls.asksClients()) {
            return null;
        }
        try {
            return Fingerprints.of((X509Certificate) handler.engine().getSession().getPeerCertificates()[0]);
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    private void tooSlow(ChannelHandlerContext ctx) {
        if (!handshaking) {
            return;
        }
        TlsGate gate = ctx.pipeline().get(TlsGate.class);
        if (gate != null) {
            gate.nothingReceived(ctx.pipeline().context(gate)); // told, and reported back as a WrongProtocol
            return;
        }
        refused("tls: handshake not finished within " + Durations.format(tls.handshakeTimeout()) + " (handshake timeout)");
        ctx.close();
    }

    /** An error from what the client sent during the handshake: logged here, whether or not a failed handshake's event comes after. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (handshaking && ProcessErrors.connectionError(cause) && !ProcessErrors.endProcess(cause) && ctx.channel().isOpen()) {
            refused("tls: " + TlsFailures.serverSide(cause));
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause); // the driver decides: this connection (closed), or the process
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (handshaking) {
            refused("tls: the client closed the connection during the handshake"); // Netty reports the handshake failed as well: logged once, here
        }
        ctx.fireChannelInactive();
    }

    private void refused(String reason) {
        over();
        events.refused(remote, reason);
    }

    private void over() {
        handshaking = false;
        if (deadline != null) {
            deadline.cancel(false);
        }
    }
}
