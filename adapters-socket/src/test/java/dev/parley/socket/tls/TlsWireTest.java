package dev.parley.socket.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client's TLS driver over a loopback socket pair, against a server {@link SSLEngine} the test
 * drives by hand on the same thread: the server's records go to the socket as the test says (whole,
 * a byte at a time, cut short, without close_notify), and the test waits for a socket to be ready
 * on a {@link Selector}, never for time.
 */
@Timeout(60)
class TlsWireTest {

    private static final Identity SERVER = Identity.generate("server");
    private static final SSLContext SERVER_CONTEXT = serverContext(SERVER);
    /** How long a socket may stay not ready before the test fails: generous, a stall and not a threshold. */
    private static final long PATIENCE_MILLIS = 20_000;
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private ServerSocketChannel listener;
    private SocketChannel clientSide;
    private SocketChannel serverSide;
    private Selector selector;
    private SelectionKey clientKey;
    private SelectionKey serverKey;
    private Server server;
    private TlsWire wire;

    @BeforeEach
    void connect() throws IOException {
        listener = ServerSocketChannel.open();
        listener.setOption(StandardSocketOptions.SO_RCVBUF, 8 * 1024); // before listening: the window of the accepted socket
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        clientSide = SocketChannel.open(listener.getLocalAddress());
        serverSide = listener.accept();
        clientSide.configureBlocking(false);
        serverSide.configureBlocking(false);
        selector = Selector.open();
        clientKey = clientSide.register(selector, 0);
        serverKey = serverSide.register(selector, 0);
        SSLEngine engine = SERVER_CONTEXT.createSSLEngine();
        engine.setUseClientMode(false);
        server = new Server(engine);
    }

    @AfterEach
    void close() throws IOException {
        selector.close();
        clientSide.close();
        serverSide.close();
        listener.close();
    }

    /** The client's wire with the engine a Parley client makes, pinned to the server's key. */
    private TlsWire pinnedClient() {
        return client(new ServerTrust("127.0.0.1:1", Optional.of(SERVER.fingerprint()), null, hostPort -> List.of(), false));
    }

    private TlsWire client(ServerTrust trust) {
        ClientTls tls = new ClientTls(trust, () -> {
            throw new IllegalStateException("no server here asks for the client's identity");
        });
        wire = new TlsWire(clientSide, tls.newEngine("127.0.0.1", 1));
        return wire;
    }

    @Test
    void handshakesThenCarriesBytesBothWays() throws Exception {
        pinnedClient();
        handshake();
        assertEquals("TLSv1.3", wire.engine().getSession().getProtocol());
        assertSame(clientSide, wire.channel());

        assertEquals(6, wire.write(ascii("hello\n")));
        assertFalse(wire.pendingOutput(), "a small write goes to the socket at once");
        assertEquals("hello\n", server.hearUntil(6));

        server.send(server.records("hi there\n"));
        assertEquals("hi there\n", clientReads(9));
    }

    @Test
    void aRecordThatComesAByteAtATimeIsReadWhenWholeThenInPiecesAsSmallAsTheReadersBuffer() throws Exception {
        pinnedClient();
        handshake();
        server.send(server.records("ready\n"));
        assertEquals("ready\n", clientReads(6)); // the server's session ticket is behind us too

        byte[] record = server.records("piecemeal\n");
        ByteBuffer small = ByteBuffer.allocate(4);
        for (int i = 0; i < record.length - 1; i++) {
            server.send(Arrays.copyOfRange(record, i, i + 1));
            assertEquals(0, wire.read(small), "byte " + i + " of " + record.length + ": the record is not whole yet");
            assertFalse(wire.readable(), "nothing to read before the socket has more");
        }
        server.send(Arrays.copyOfRange(record, record.length - 1, record.length));
        assertEquals(4, clientRead(small));
        assertTrue(wire.readable(), "the rest of the record waits decrypted in the wire");
        small.clear();
        assertEquals(4, wire.read(small), "taken without the socket");
        small.clear();
        assertEquals(2, wire.read(small));
        assertEquals("l\n", new String(small.array(), 0, 2, StandardCharsets.US_ASCII));
        assertFalse(wire.readable());
    }

    @Test
    void aSecondRecordThatCameWithTheFirstIsReadableWithoutWaitingForTheSocket() throws Exception {
        pinnedClient();
        handshake();
        server.send(concat(server.records("one\n"), server.records("two\n"))); // one write: one segment on loopback
        assertEquals("one\n", clientReads(4));
        assertTrue(wire.readable(), "the second record is in the wire, and the socket will not say so again");
        ByteBuffer buffer = ByteBuffer.allocate(64);
        assertEquals(4, wire.read(buffer));
        assertEquals("two\n", new String(buffer.array(), 0, 4, StandardCharsets.US_ASCII));
    }

    @Test
    void aWriteLargerThanTheSocketTakesTakesWhatFitsTheRestFollowsAndCloseNotifyComesLast() throws Exception {
        clientSide.setOption(StandardSocketOptions.SO_SNDBUF, 8 * 1024);
        pinnedClient();
        handshake();
        byte[] sent = new byte[1 << 20];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = (byte) ('a' + i % 26);
        }
        ByteBuffer data = ByteBuffer.wrap(sent);
        int taken = wire.write(data);
        assertTrue(taken > 0 && taken < sent.length, "the socket took part of it: " + taken);
        assertTrue(wire.pendingOutput(), "a record waits for the socket");
        while (data.hasRemaining() || wire.pendingOutput()) {
            int before = data.remaining();
            wire.write(data);
            server.hear();
            if (data.remaining() == before && wire.pendingOutput()) {
                await(SelectionKey.OP_WRITE, SelectionKey.OP_READ);
            }
        }
        wire.shutdownOutput();
        while (wire.pendingOutput()) {
            wire.flush();
            server.hear();
            if (wire.pendingOutput()) {
                await(SelectionKey.OP_WRITE, SelectionKey.OP_READ);
            }
        }
        while (!server.ended) {
            await(0, SelectionKey.OP_READ);
            server.hear();
        }
        assertArrayEquals(sent, server.heard.toByteArray(), "every byte, in order");
        assertTrue(server.closeNotify, "close_notify, then the TCP end");

        // TLS 1.3's half-close: the server still speaks, then ends with its own close_notify.
        server.send(concat(server.records("after your close_notify\n"), server.closeNotify()));
        assertEquals("after your close_notify\n", clientReads(24));
        assertEquals(-1, clientRead(ByteBuffer.allocate(16)));
    }

    @Test
    void theServersCloseNotifyEndsTheInputWhileTheConnectionIsStillOpen() throws Exception {
        pinnedClient();
        handshake();
        server.send(concat(server.records("last\n"), server.closeNotify()));
        assertEquals("last\n", clientReads(5));
        assertEquals(-1, clientRead(ByteBuffer.allocate(16)));
        assertEquals(-1, wire.read(ByteBuffer.allocate(16)), "and stays ended");
        assertTrue(serverSide.isOpen());
    }

    @Test
    void aTcpEndWithoutCloseNotifyIsATruncationNotAnEnd() throws Exception {
        pinnedClient();
        handshake();
        server.send(server.records("cut\n"));
        serverSide.shutdownOutput(); // the TCP end, with no close_notify before it
        assertEquals("cut\n", clientReads(4));
        assertTruncated();
    }

    @Test
    void aRecordCutShortByTheTcpEndIsATruncation() throws Exception {
        pinnedClient();
        handshake();
        byte[] record = server.records("this record never ends\n");
        server.send(Arrays.copyOf(record, record.length / 2));
        serverSide.shutdownOutput();
        assertTruncated();
    }

    private void assertTruncated() {
        EOFException e = assertThrows(EOFException.class, () -> clientRead(ByteBuffer.allocate(64)));
        assertEquals("closed without TLS close_notify (truncated)", e.getMessage());
    }

    @Test
    void recordsWithoutDataAreTakenUpToTheLimitAndOneMoreFailsTheConnection() throws Exception {
        pinnedClient();
        handshake();
        server.send(server.records("first\n"));
        assertEquals("first\n", clientReads(6));
        long control = wire.recordsAfterHandshake() - 1; // the server's session tickets
        for (long i = control; i < TlsRecords.CONTROL_LIMIT; i++) {
            server.send(server.keyUpdate());
        }
        server.send(server.records("still here\n"));
        assertEquals("still here\n", clientReads(11), "exactly the limit is taken");

        server.send(concat(server.keyUpdate(), server.records("never read\n")));
        SSLException e = assertThrows(SSLException.class, () -> clientRead(ByteBuffer.allocate(64)));
        assertEquals("the server sent more than 32 TLS records that carry no data (key updates, empty records); is it hostile?",
                e.getMessage());
    }

    @Test
    void anErrorTheEnginesTaskRaisesOnWhatTheServerSentFailsThisConnectionOnly() throws Exception {
        StackOverflowError deep = new StackOverflowError();
        client(new ServerTrust("127.0.0.1:1", Optional.empty(), null, hostPort -> {
            throw deep; // where a certificate nested too deeply overflows the parser's stack
        }, false));
        SSLException e = assertThrows(SSLException.class, this::handshake);
        assertEquals("what the server sent is nested too deeply to be parsed (java.lang.StackOverflowError)", e.getMessage());
        assertSame(deep, e.getCause());

        AssertionError broken = new AssertionError("an invariant of the provider");
        SSLException other = assertThrows(SSLException.class, () -> handshakeWith(broken));
        assertEquals("what the server sent could not be processed (java.lang.AssertionError: an invariant of the provider)",
                other.getMessage());
    }

    @Test
    void anErrorThatEndsTheProcessIsNotContained() throws Exception {
        OutOfMemoryError exhausted = new OutOfMemoryError("Java heap space");
        assertSame(exhausted, assertThrows(OutOfMemoryError.class, () -> handshakeWith(exhausted)));
    }

    /** A fresh connection whose client's trust check (an engine task) raises {@code error}. */
    private void handshakeWith(Error error) throws Exception {
        close();
        connect();
        client(new ServerTrust("127.0.0.1:1", Optional.empty(), null, hostPort -> {
            throw error;
        }, false));
        handshake();
    }

    @Test
    void aBoringSslClientThatRefusesTheServerSaysWhyThoughTheServerClosedFirst() throws Exception {
        // BoringSSL holds its refusal back until the alert that says it is sent; the server then closes
        ClientTls tls = new ClientTls(new ServerTrust("127.0.0.1:1", Optional.of("SHA256:" + "A".repeat(43)), null,
                hostPort -> List.of(), false), () -> {
                    throw new IllegalStateException("no server here asks for the client's identity");
                }, TlsProvider.OPENSSL);
        wire = new TlsWire(clientSide, tls.newEngine("127.0.0.1", 1));
        SSLException e = assertThrows(SSLException.class, () -> {
            boolean serverOpen = true;
            while (true) {
                int clientWaits = wire.handshake();
                if (serverOpen) {
                    try {
                        server.handshake();
                    } catch (SSLException alert) {
                        serverKey.cancel();
                        serverSide.close(); // the client's alert: the server goes
                        serverOpen = false;
                    }
                }
                clientKey.interestOps(clientWaits);
                if (serverOpen) {
                    serverKey.interestOps(SelectionKey.OP_READ);
                }
                selector.selectedKeys().clear();
                if (selector.select(PATIENCE_MILLIS) == 0) {
                    fail("stalled");
                }
            }
        });
        Throwable cause = e;
        while (cause != null && !(cause instanceof ServerTrust.NotTrusted)) {
            cause = cause.getCause();
        }
        assertNotNull(cause, "the refusal, not an end of file: " + e);
        assertTrue(((ServerTrust.NotTrusted) cause).verdict() instanceof ServerTrust.PinMismatch, cause.toString());
    }

    @Test
    void theServerClosingDuringTheHandshakeIsAnEndOfFile() throws Exception {
        pinnedClient();
        assertEquals(SelectionKey.OP_READ, wire.handshake(), "the ClientHello is out; the answer is awaited");
        serverSide.shutdownOutput();
        EOFException e = assertThrows(EOFException.class, () -> {
            while (true) {
                await(wire.handshake(), 0);
            }
        });
        assertEquals("the server closed the connection during the TLS handshake", e.getMessage());
    }

    @Test
    void aPlainTextAnswerFailsTheHandshakeAndItsFirstBytesAreKeptToSayWhy() throws Exception {
        pinnedClient();
        assertEquals(SelectionKey.OP_READ, wire.handshake());
        String answer = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nThis is not TLS, and it is long.";
        server.send(answer.getBytes(StandardCharsets.US_ASCII));
        assertThrows(SSLException.class, () -> {
            while (true) {
                await(wire.handshake(), 0);
            }
        });
        assertEquals(answer.substring(0, 80), new String(wire.firstBytes(), StandardCharsets.US_ASCII), "the first 80 bytes");
    }

    // ---- driving both ends on this thread ----

    /** Advances both handshakes until both are done, waiting only for a socket one of them waits for. */
    private void handshake() throws IOException {
        while (true) {
            int clientWaits = wire.handshake();
            boolean serverDone = server.handshake();
            if (clientWaits == 0 && serverDone) {
                return;
            }
            await(clientWaits, serverDone ? 0 : SelectionKey.OP_READ);
        }
    }

    /** Waits until the client's socket is ready for {@code clientOps} or the server's for {@code serverOps}. */
    private void await(int clientOps, int serverOps) throws IOException {
        clientKey.interestOps(clientOps);
        serverKey.interestOps(serverOps);
        selector.selectedKeys().clear();
        if (selector.select(PATIENCE_MILLIS) == 0) {
            fail("stalled: neither socket became ready for what its side waits for (client " + clientOps + ", server " + serverOps + ")");
        }
    }

    /** One read on the client's wire, waiting for its socket while the wire has nothing. */
    private int clientRead(ByteBuffer dst) throws IOException {
        while (true) {
            int n = wire.read(dst);
            if (n != 0) {
                return n;
            }
            await(SelectionKey.OP_READ, 0);
        }
    }

    /** Reads {@code count} bytes on the client's wire. */
    private String clientReads(int count) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(count);
        while (buffer.hasRemaining()) {
            if (clientRead(buffer) < 0) {
                fail("the input ended after " + buffer.position() + " of " + count + " bytes");
            }
        }
        return new String(buffer.array(), StandardCharsets.UTF_8);
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** The server's end, by hand: its engine's records are returned to the test, which sends them as it likes. */
    private final class Server {
        final SSLEngine engine;
        /** Write mode: what arrived and was not unwrapped yet. */
        ByteBuffer netIn;
        final ByteArrayOutputStream heard = new ByteArrayOutputStream();
        boolean closeNotify;
        boolean ended;

        Server(SSLEngine engine) throws SSLException {
            this.engine = engine;
            engine.beginHandshake(); // it waits for the ClientHello
            netIn = ByteBuffer.allocate(2 * engine.getSession().getPacketBufferSize());
        }

        /** Advances the handshake as far as what has arrived allows; true once it is done. */
        boolean handshake() throws IOException {
            while (true) {
                switch (engine.getHandshakeStatus()) {
                    case NEED_TASK:
                        runTasks();
                        break;
                    case NEED_WRAP:
                        send(wrap(NOTHING));
                        break;
                    case NEED_UNWRAP:
                    case NEED_UNWRAP_AGAIN:
                        if (!unwrapOne()) {
                            return false;
                        }
                        break;
                    default:
                        return true;
                }
            }
        }

        /** Takes what has arrived: data into {@link #heard}, then close_notify and the TCP end. */
        void hear() throws IOException {
            while (!closeNotify && unwrapOne()) {
                if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                    runTasks();
                }
            }
            if (closeNotify && !ended && serverSide.read(ByteBuffer.allocate(1)) < 0) {
                ended = true;
            }
        }

        /** What the client wrote, once {@code count} bytes have come. */
        String hearUntil(int count) throws IOException {
            hear();
            while (heard.size() < count) {
                await(0, SelectionKey.OP_READ);
                hear();
            }
            return heard.toString(StandardCharsets.UTF_8);
        }

        /** Unwraps one record of what has arrived, reading the socket for more when it is not whole; false when none is. */
        private boolean unwrapOne() throws IOException {
            while (true) {
                netIn.flip();
                ByteBuffer app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
                SSLEngineResult result = engine.unwrap(netIn, app);
                netIn.compact();
                heard.write(app.array(), 0, app.position());
                if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                    closeNotify = true;
                    return true;
                }
                if (result.getStatus() != SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                    return true;
                }
                int n = serverSide.read(netIn);
                if (n < 0) {
                    ended = true;
                }
                if (n <= 0) {
                    return false;
                }
            }
        }

        private void runTasks() {
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null) {
                task.run();
            }
        }

        /** The records that carry {@code text}. */
        byte[] records(String text) throws SSLException {
            ByteBuffer src = ascii(text);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (src.hasRemaining()) {
                out.writeBytes(wrap(src));
            }
            return out.toByteArray();
        }

        /** A KeyUpdate: a record that carries no data (the JDK's engine sends one when asked to handshake again in TLS 1.3). */
        byte[] keyUpdate() throws SSLException {
            engine.beginHandshake();
            byte[] record = wrap(NOTHING);
            assertEquals(SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING, engine.getHandshakeStatus(), "one record, and done");
            assertTrue(record.length > 0);
            return record;
        }

        byte[] closeNotify() throws SSLException {
            engine.closeOutbound();
            byte[] record = wrap(NOTHING);
            assertTrue(engine.isOutboundDone());
            return record;
        }

        private byte[] wrap(ByteBuffer src) throws SSLException {
            ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            SSLEngineResult result = engine.wrap(src, out);
            assertNotNull(result);
            return Arrays.copyOf(out.array(), out.position());
        }

        /** Writes {@code bytes} to the server's socket, waiting for room if it has none. */
        void send(byte[] bytes) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                if (serverSide.write(buffer) == 0) {
                    await(0, SelectionKey.OP_WRITE);
                }
            }
        }
    }

    private static SSLContext serverContext(Identity identity) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", identity.key(), new char[0], identity.chain().toArray(new X509Certificate[0]));
            KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
            keys.init(store, new char[0]);
            SSLContext context = SSLContext.getInstance(ServerTls.PROTOCOL);
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
