package dev.parley.socket.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.responder.Responder;
import dev.parley.core.session.Input;
import dev.parley.core.session.Limits;
import dev.parley.core.session.Refusal;
import dev.parley.core.session.Session;
import dev.parley.core.wire.LineFraming;
import dev.parley.socket.tls.ServerTls;
import dev.parley.socket.tls.TestProviders;
import dev.parley.socket.tls.TlsGate;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The TLS handshake phase of a connection to a TLS server, between its accept and its conversation:
 * the server's own pipeline (the gate, then TLS in its place, this phase, the conversation's
 * driver) on an {@link EmbeddedChannel}, a client's TLS on another, records carried by hand, time
 * moved by hand. No socket, no sleep.
 */
class TlsHandshakeTest {

    private static final LineFraming FRAMING = new LineFraming(64);
    private static final Limits LIMITS = new Limits(Duration.ofSeconds(60), Duration.ofSeconds(30));
    private static final ServerSettings SETTINGS = new ServerSettings("127.0.0.1", 0, FRAMING, LIMITS, 10);
    private static final long LINGER = Session.LINGER.toNanos();

    private final RecordingEvents events = new RecordingEvents();
    private final MemoryBudget memory = new MemoryBudget(1 << 20);
    private final Admission admission = new Admission(1, 1, memory);
    private final List<String> clientKeys = new ArrayList<>();

    /** A connection to a server speaking {@code tls}, as {@link TcpServer} builds it. */
    private HalfClosingChannel accept(ServerTls tls) {
        ConversationHandler conversation = new ConversationHandler(1, SETTINGS, admission, memory, handle -> {
            clientKeys.add(handle.clientKey());
            return new Conversation(Session.server(FRAMING, LIMITS, Responder.echo()), Conversation.NO_OPERATOR,
                    events.transcript(handle.id()));
        }, events, System::nanoTime, false, HeldBytes.NOTHING);
        return new HalfClosingChannel(new TlsGate(tls), new TlsHandshake(tls, events), conversation);
    }

    private static void say(EmbeddedChannel client, String text) {
        client.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    /** Everything written so far, as text. */
    private static String written(EmbeddedChannel channel) {
        return ConversationHandlerTest.written(channel);
    }

    private static void advance(EmbeddedChannel channel, long nanos) {
        channel.advanceTimeBy(nanos, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
    }

    @Test
    void theConversationOpensOnceTheHandshakeIsDoneAndKnowsTheClientsKey() throws Exception {
        HalfClosingChannel server = accept(EmbeddedTls.server(true));
        assertEquals(1, admission.open(), "the slot is taken at the accept");
        assertEquals(List.of(), events.lines(), "no conversation yet");

        List<Object> heard = new ArrayList<>();
        EmbeddedChannel client = EmbeddedTls.client(heard);
        EmbeddedTls.pump(client, server);
        assertEquals(List.of("opened 1"), events.lines());
        assertEquals(List.of(EmbeddedTls.CLIENT.fingerprint()), clientKeys, "known when the conversation is made");
        assertNull(server.pipeline().get(TlsHandshake.class), "the phase is over: it left the pipeline");
        assertEquals(1, admission.open());

        say(client, "hello\n");
        EmbeddedTls.pump(client, server);
        assertEquals("hello\n", EmbeddedTls.text(heard));
        server.finishAndReleaseAll();
        client.finishAndReleaseAll();
    }

    @Test
    void theSlotIsHeldThroughTheHandshakeSoAFullServerRefusesTheNextOverTls() throws Exception {
        HalfClosingChannel stalling = accept(EmbeddedTls.server(false));
        HalfClosingChannel next = accept(EmbeddedTls.server(false));
        List<Object> heard = new ArrayList<>();
        EmbeddedChannel client = EmbeddedTls.client(heard);
        EmbeddedTls.pump(client, next);
        assertEquals("!busy: 1 conversation open, the most this server takes; try again later\n", EmbeddedTls.text(heard),
                "told over TLS, once its handshake is done");
        assertEquals(List.of("refused busy: 1 conversation open, the most this server takes; try again later"), events.lines());

        stalling.close();
        assertEquals("refused tls: the client closed the connection during the handshake", events.lines().get(1));
        assertEquals(0, admission.open(), "the slot held through the handshake is free again");
        next.finishAndReleaseAll();
        client.finishAndReleaseAll();
    }

    @Test
    void aHandshakeNotFinishedInTimeIsOneRefusalLineAndFreesTheSlot() throws Exception {
        HalfClosingChannel server = accept(EmbeddedTls.server(false));
        EmbeddedChannel client = EmbeddedTls.client(new ArrayList<>());
        server.writeInbound((Object) client.readOutbound()); // its ClientHello; the server's answer never reaches it
        assertNull(server.pipeline().get(TlsGate.class), "a handshake record: TLS took the gate's place");
        advance(server, TimeUnit.SECONDS.toNanos(9));
        assertTrue(server.isOpen());
        advance(server, TimeUnit.SECONDS.toNanos(1));
        assertFalse(server.isOpen());
        assertEquals(List.of("refused tls: handshake not finished within 10s (handshake timeout)"), events.lines(),
                "one line: the handshake's own failure, reported as the connection closes, is not logged again");
        assertEquals(0, admission.open());
        server.finishAndReleaseAll();
        client.finishAndReleaseAll();
    }

    @Test
    void aFailedHandshakeIsOneRefusalLineAndNoConversation() throws Exception {
        ServerTls onlyOthers = ServerTls.create(EmbeddedTls.SERVER, Optional.of(fingerprint -> "is not on the list"), Duration.ofSeconds(10), TestProviders.CHOSEN);
        HalfClosingChannel server = accept(onlyOthers);
        EmbeddedChannel client = EmbeddedTls.client(new ArrayList<>());
        EmbeddedTls.pump(client, server);
        assertFalse(server.isOpen());
        assertEquals(List.of("refused tls: the client's key " + EmbeddedTls.CLIENT.fingerprint() + " is not on the list"), events.lines());
        assertEquals(List.of(), clientKeys, "no conversation was made");
        assertEquals(0, admission.open());
        server.finishAndReleaseAll();
        client.finishAndReleaseAll();
    }

    @Test
    void aPlaintextClientIsToldItsOutputEndsAndItLingersThenCloses() {
        HalfClosingChannel server = accept(EmbeddedTls.server(false));
        server.writeInbound(Unpooled.copiedBuffer("hello\n", StandardCharsets.UTF_8));
        assertEquals("!this server speaks TLS: add --tls\n", written(server));
        assertTrue(server.isOutputShutdown(), "then the half-close");
        assertEquals(List.of("refused tls: a plaintext client: this server speaks TLS (the client was told to add --tls)"), events.lines());
        server.writeInbound(Unpooled.copiedBuffer("more\n", StandardCharsets.UTF_8));
        assertEquals("", written(server), "what it still sends is drained, not answered");
        advance(server, LINGER);
        assertFalse(server.isOpen(), "closed after the linger");
        assertEquals(1, events.lines().size());
        assertEquals(0, admission.open());
    }

    @Test
    void aPlaintextClientThatGoesOnceToldIsClosedAtOnce() {
        HalfClosingChannel server = accept(EmbeddedTls.server(false));
        server.writeInbound(Unpooled.copiedBuffer("hello\n", StandardCharsets.UTF_8));
        server.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertFalse(server.isOpen());
        assertEquals(1, events.lines().size());
        assertEquals(-1, server.runScheduledPendingTasks(), "neither the linger nor the handshake deadline is left");
        server.finishAndReleaseAll();
    }

    @Test
    void aClientThatSendsNothingIsToldAtTheDeadlineThenLingers() {
        HalfClosingChannel server = accept(EmbeddedTls.server(false));
        advance(server, TimeUnit.SECONDS.toNanos(10));
        assertEquals("!this server speaks TLS: add --tls\n", written(server), "a person at a plain client who has not typed yet");
        assertEquals(List.of("refused tls: nothing received within 10s (handshake timeout; a plaintext client was told to add --tls)"),
                events.lines());
        assertTrue(server.isOpen());
        advance(server, LINGER);
        assertFalse(server.isOpen());
        assertEquals(0, admission.open());
    }

    @Test
    void whatItsTransportRefusesDuringTheHandshakeIsOneRefusalLine() throws Exception {
        HalfClosingChannel server = accept(EmbeddedTls.server(false));
        EmbeddedChannel client = EmbeddedTls.client(new ArrayList<>());
        server.writeInbound((Object) client.readOutbound());
        server.pipeline().fireUserEventTriggered(new Input.Drop(new Refusal.NotAMessage("more than 32 TLS records that carry no data")));
        assertFalse(server.isOpen());
        advance(server, TimeUnit.SECONDS.toNanos(10));
        assertEquals(List.of("refused tls: not a message: more than 32 TLS records that carry no data"), events.lines());
        assertEquals(0, admission.open());
        server.finishAndReleaseAll();
        client.finishAndReleaseAll();
    }

    @Test
    void anErrorFromWhatTheClientSentDuringTheHandshakeIsOneRefusalLine() {
        HalfClosingChannel server = accept(EmbeddedTls.server(false));
        server.pipeline().fireExceptionCaught(new DecoderException(new StackOverflowError()));
        assertFalse(server.isOpen());
        assertEquals(List.of("refused tls: handshake failed: what the client sent is nested too deeply to be parsed "
                + "(java.lang.StackOverflowError)"), events.lines());
        assertEquals(0, admission.open());
    }

    @Test
    void aStopDuringTheHandshakeClosesWithNothingToSay() {
        HalfClosingChannel server = accept(EmbeddedTls.server(false));
        ConversationHandler handler = server.pipeline().get(ConversationHandler.class);
        assertTrue(handler.started(), "a stop is posted to it");
        handler.post(new Input.Stop());
        server.runPendingTasks();
        assertFalse(server.isOpen());
        assertEquals("", written(server));
        assertEquals(0, admission.open());
    }
}
