package dev.parley.socket.server;

import static dev.parley.socket.server.ConversationHandlerTest.bytes;
import static dev.parley.socket.server.ConversationHandlerTest.written;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.responder.Responder;
import dev.parley.core.session.Limits;
import dev.parley.core.session.Session;
import dev.parley.core.wire.LineFraming;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A connection behind a load balancer ({@code --proxy-protocol}): the PROXY header read in front of
 * the conversation handler, on an {@link EmbeddedChannel} with time moved by hand.
 */
class ProxyHeaderTest {

    private static final LineFraming FRAMING = new LineFraming(64);
    private static final Limits LIMITS = new Limits(Duration.ofSeconds(60), Duration.ofSeconds(30));
    private static final ServerSettings SETTINGS = new ServerSettings("127.0.0.1", 0, FRAMING, LIMITS, 10);

    private final RecordingEvents events = new RecordingEvents();
    private final MemoryBudget memory = new MemoryBudget(1 << 20);
    private final List<String> remotes = new ArrayList<>();

    private EmbeddedChannel connection(Admission admission) {
        ConversationHandler conversation = new ConversationHandler(1, SETTINGS, admission, memory, handle -> {
            remotes.add(handle.remote());
            return new Conversation(Session.server(FRAMING, LIMITS, Responder.echo()), Conversation.NO_OPERATOR,
                    events.transcript(handle.id()));
        }, events, System::nanoTime, false, HeldBytes.NOTHING);
        return new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                ProxyHeader.addTo(channel.pipeline(), events);
                channel.pipeline().addLast(conversation);
            }
        });
    }

    private EmbeddedChannel connection() {
        return connection(new Admission(10, 10, memory));
    }

    /** A v2 header (PROXY command, TCP over IPv4) from {@code source}:{@code port} to 10.0.0.1:1234. */
    static byte[] v2(String source, int port) throws Exception {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.write(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        header.write(0x21); // version 2, PROXY
        header.write(0x11); // AF_INET, STREAM
        header.write(new byte[] {0, 12});
        header.write(InetAddress.getByName(source).getAddress());
        header.write(new byte[] {10, 0, 0, 1});
        header.write(new byte[] {(byte) (port >> 8), (byte) port, 0x04, (byte) 0xD2});
        return header.toByteArray();
    }

    /** A v2 header with the LOCAL command: the balancer's own connection, as its health checks send. */
    static byte[] v2Local() {
        return new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x20, 0x00, 0, 0};
    }

    private static ByteBuf raw(byte[] bytes) {
        return Unpooled.wrappedBuffer(bytes);
    }


    private static void advance(EmbeddedChannel channel, Duration time) {
        channel.advanceTimeBy(time.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
    }

    @Test
    void aV2HeaderGivesTheConversationTheClientsAddressAndTheBytesAfterItAreItsFirstMessage() throws Exception {
        EmbeddedChannel channel = connection();
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        first.write(v2("203.0.113.7", 40000));
        first.write("hello\n".getBytes(StandardCharsets.UTF_8));
        channel.writeInbound(raw(first.toByteArray()));

        assertEquals(List.of("203.0.113.7:40000"), remotes);
        assertEquals("hello\n", written(channel));
        assertEquals(List.of("opened 1"), events.lines());
        assertNull(channel.pipeline().get(ProxyHeader.class), "the header's handlers leave once it is read");
    }

    @Test
    void aV1HeaderSplitByteByByteIsReadWhole() {
        EmbeddedChannel channel = connection();
        for (byte b : "PROXY TCP6 2001:db8::7 2001:db8::1 51000 1234\r\n".getBytes(StandardCharsets.US_ASCII)) {
            channel.writeInbound(raw(new byte[] {b}));
        }
        channel.writeInbound(bytes("hi\n"));

        assertEquals(List.of("[2001:db8::7]:51000"), remotes);
        assertEquals("hi\n", written(channel));
    }

    @Test
    void thePerAddressLimitCountsTheAddressesInTheHeadersNotTheBalancers() throws Exception {
        Admission oneEach = new Admission(10, 1, memory);
        EmbeddedChannel first = connection(oneEach);
        first.writeInbound(raw(v2("198.51.100.1", 1000)));
        EmbeddedChannel other = connection(oneEach);
        other.writeInbound(raw(v2("198.51.100.2", 1000)));
        EmbeddedChannel again = connection(oneEach);
        again.writeInbound(raw(v2("198.51.100.1", 1001)));

        assertEquals(2, oneEach.open(), "two clients behind one balancer, one conversation each");
        assertTrue(written(again).startsWith("!too many: 1 conversation from your address"));
        assertTrue(events.lines().contains("refused too many: 1 conversation from your address, the most this server takes from one;"
                + " try again later"), events.lines().toString());
    }

    @Test
    void aConnectionWaitingForItsHeaderHoldsNoSlotAndIsClosedAtTheDeadline() throws Exception {
        Admission one = new Admission(1, 1, memory);
        EmbeddedChannel slow = connection(one);
        byte[] header = v2("192.0.2.9", 5000);
        slow.writeInbound(raw(Arrays.copyOf(header, 10)));
        EmbeddedChannel prompt = connection(one);
        prompt.writeInbound(raw(v2("192.0.2.10", 5000)));
        assertEquals(List.of("192.0.2.10:5000"), remotes, "the one slot went to the connection whose header came");

        // The embedded loop's clock also runs in real time: a margin, not a millisecond, before the deadline.
        advance(slow, ProxyHeader.DEADLINE.minusMillis(500));
        assertTrue(slow.isOpen());
        advance(slow, Duration.ofMillis(500));
        assertFalse(slow.isOpen());
        assertTrue(events.lines().contains("refused proxy protocol: no complete header within 5s"), events.lines().toString());
        assertEquals(1, one.open());
    }

    @Test
    void bytesThatAreNoHeaderAreRefusedWithOneLineAndNoConversation() {
        EmbeddedChannel channel = connection();
        channel.writeInbound(bytes("hello, I am a plain client\r\n"));

        assertFalse(channel.isOpen());
        assertEquals(List.of("refused proxy protocol: not a valid PROXY header (v1 or v2)"), events.lines());
        assertEquals(List.of(), remotes);
        assertEquals("", written(channel), "nothing is said to a peer that does not speak the protocol");
    }

    @Test
    void aV1HeaderLongerThanTheProtocolAllowsIsRefusedAsSoonAsItIsTooLong() {
        EmbeddedChannel channel = connection();
        channel.writeInbound(bytes("PROXY TCP4 " + "1".repeat(100)));

        assertFalse(channel.isOpen());
        assertEquals(List.of("refused proxy protocol: the header is longer than the protocol allows"), events.lines());
    }

    @Test
    void aV2HeaderClaimingMoreThanItsLimitIsRefused() {
        EmbeddedChannel channel = connection();
        byte[] header = Arrays.copyOf(v2Local(), 16 + 2048);
        header[12] = 0x21;
        header[13] = 0x11;
        header[14] = (byte) (2048 >> 8);
        header[15] = (byte) 2048;
        channel.writeInbound(raw(header));

        assertFalse(channel.isOpen());
        assertEquals(List.of("refused proxy protocol: the header is longer than the protocol allows"), events.lines());
    }

    @Test
    void theBalancersOwnConnectionIsClosedWithNoConversationAndNothingLogged() {
        EmbeddedChannel channel = connection();
        channel.writeInbound(raw(v2Local()));
        channel.runPendingTasks();

        assertFalse(channel.isOpen());
        assertEquals(List.of(), events.lines());
        assertEquals(List.of(), remotes);
    }

    @Test
    void anUnknownClientKeepsTheConnectionsOwnAddress() {
        EmbeddedChannel channel = connection();
        channel.writeInbound(bytes("PROXY UNKNOWN\r\nhi\n"));

        assertEquals(List.of("embedded"), remotes);
        assertEquals("hi\n", written(channel));
    }

    @Test
    void aHeaderForADatagramClientIsRefused() throws Exception {
        EmbeddedChannel channel = connection();
        byte[] header = v2("192.0.2.1", 53);
        header[13] = 0x12; // AF_INET, DGRAM
        channel.writeInbound(raw(header));

        assertFalse(channel.isOpen());
        assertEquals(List.of("refused proxy protocol: the header is for a datagram client (UDP4), which a stream cannot carry"),
                events.lines());
    }

    @Test
    void aPeerThatEndsItsInputOrClosesBeforeItsHeaderIsRefusedOnce() {
        EmbeddedChannel halfClosed = connection();
        halfClosed.writeInbound(bytes("PRO"));
        halfClosed.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        EmbeddedChannel closed = connection();
        closed.close();

        assertFalse(halfClosed.isOpen());
        assertEquals(List.of("refused proxy protocol: closed before sending its header",
                "refused proxy protocol: closed before sending its header"), events.lines());
        assertEquals(List.of(), remotes);
    }
}
