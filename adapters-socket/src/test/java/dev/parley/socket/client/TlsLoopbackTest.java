package dev.parley.socket.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.port.Operator;
import dev.parley.core.responder.Responder;
import dev.parley.core.session.Input;
import dev.parley.core.session.Limits;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Outcome.Ending;
import dev.parley.core.session.Session;
import dev.parley.core.testkit.RecordingTranscript;
import dev.parley.core.wire.LineFraming;
import dev.parley.socket.NetworkException;
import dev.parley.socket.server.Conversation;
import dev.parley.socket.server.RecordingEvents;
import dev.parley.socket.server.ServerSettings;
import dev.parley.socket.server.TcpServer;
import dev.parley.socket.tls.ClientTls;
import dev.parley.socket.tls.Identity;
import dev.parley.socket.tls.ServerTls;
import dev.parley.socket.tls.TestProviders;
import dev.parley.socket.tls.ServerTrust;
import dev.parley.socket.tls.UntrustedServerException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Netty server's TLS and the JDK client's SSLEngine wrapper, against each other over loopback. */
@Timeout(30)
class TlsLoopbackTest {

    private static final LineFraming FRAMING = new LineFraming();
    private static final Identity SERVER = Identity.generate("server");
    private static final Identity CLIENT = Identity.generate("client");
    private final RecordingTranscript transcript = new RecordingTranscript();
    private final RecordingEvents events = new RecordingEvents();
    private TcpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(Duration.ofSeconds(1));
        }
    }

    private int echoServer(Optional<ServerTls.ClientCheck> clients) throws NetworkException {
        Limits limits = new Limits(Duration.ofSeconds(10), Duration.ofSeconds(10));
        server = new TcpServer(new ServerSettings("127.0.0.1", 0, FRAMING, limits, 10),
                handle -> new Conversation(Session.server(FRAMING, limits, Responder.echo()), Conversation.NO_OPERATOR,
                        events.transcript(handle.id())), events, ServerTls.create(SERVER, clients, Duration.ofSeconds(5), TestProviders.CHOSEN));
        server.start();
        return server.port();
    }

    private static ClientTls pinned(int port, String fingerprint) {
        return new ClientTls(new ServerTrust("127.0.0.1:" + port, Optional.of(fingerprint), null, hostPort -> List.of(), false),
                () -> CLIENT);
    }

    @Test
    void conversesLinesOfEverySizeAcrossRecordsAndSaysByeOverTls() throws Exception {
        int port = echoServer(Optional.empty());
        TcpClient[] client = {TcpClient.connect("127.0.0.1", port, Duration.ofSeconds(5), FRAMING.readSize(), pinned(port, SERVER.fingerprint()))};
        String big = "x".repeat(60_000); // four TLS records each way
        Outcome outcome = client[0].converse(Session.client(FRAMING, Limits.NONE),
                TcpClientTest.saying(client, "h\u00e9llo", big, "", "!bang", "bye"), transcript);
        assertEquals(Ending.SAID_BYE, outcome.ending());
        assertEquals(List.of("h\u00e9llo", big, "", "!bang"), transcript.heard());
        assertEquals(Ending.PEER_SAID_BYE, events.awaitEnded(1).get(0).ending());
    }

    @Test
    void theEndOfTheClientsInputIsItsCloseNotifyAndTheServerAnswersWhatCameFirst() throws Exception {
        int port = echoServer(Optional.empty());
        try (SSLSocket socket = (SSLSocket) trusting(SERVER).getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.getOutputStream().write("last words\n".getBytes(StandardCharsets.UTF_8)); // and no bye: only the end of input
            socket.shutdownOutput(); // TLS 1.3's half-close: close_notify, then the client still reads
            assertEquals("last words\n", new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                    "the half-close let the answer through, and the server's close_notify ended it");
        }
        assertEquals(Ending.PEER_CLOSED, events.awaitEnded(1).get(0).ending(), "close_notify, not a truncation");
    }

    @Test
    void behindABalancerThePlainTextProxyHeaderComesFirstAndTheHandshakeAfterIt() throws Exception {
        Limits limits = new Limits(Duration.ofSeconds(10), Duration.ofSeconds(10));
        List<String> remotes = new CopyOnWriteArrayList<>();
        server = new TcpServer(new ServerSettings("127.0.0.1", 0, FRAMING, limits, 10, 10, ServerSettings.defaultMemoryBudget(), 128, true),
                handle -> {
                    remotes.add(handle.remote());
                    return new Conversation(Session.server(FRAMING, limits, Responder.echo()), Conversation.NO_OPERATOR,
                            events.transcript(handle.id()));
                }, events, ServerTls.create(SERVER, Optional.empty(), Duration.ofSeconds(5), TestProviders.CHOSEN));
        server.start();
        try (Socket balancer = new Socket("127.0.0.1", server.port())) {
            balancer.getOutputStream().write("PROXY TCP4 203.0.113.7 127.0.0.1 51234 1234\r\n".getBytes(StandardCharsets.US_ASCII));
            try (SSLSocket client = (SSLSocket) trusting(SERVER).getSocketFactory().createSocket(balancer, "127.0.0.1", server.port(), true)) {
                client.getOutputStream().write("relayed\n".getBytes(StandardCharsets.UTF_8));
                client.shutdownOutput();
                assertEquals("relayed\n", new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(List.of("203.0.113.7:51234"), remotes, "the conversation is the header's client's");
    }

    /** A TLS 1.3 context that trusts {@code server}'s certificate only. */
    private static SSLContext trusting(Identity server) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", server.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance(ServerTls.PROTOCOL);
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    @Test
    void aServerStopIsSaidOverTlsBeforeItCloses() throws Exception {
        int port = echoServer(Optional.empty());
        TcpClient[] client = {TcpClient.connect("127.0.0.1", port, Duration.ofSeconds(5), FRAMING.readSize(), pinned(port, SERVER.fingerprint()))};
        Operator person = () -> { }; // never answers: the server's stop comes first
        Thread stopper = new Thread(() -> {
            try {
                events.await("opened");
                server.stop(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        client[0].post(new Input.OperatorLine("wait for it"));
        stopper.start();
        Outcome outcome = client[0].converse(Session.client(FRAMING, Limits.NONE), person, transcript);
        stopper.join();
        assertEquals(Ending.PEER_SAID_BYE, outcome.ending(), transcript.toString());
    }

    @Test
    void aWrongPinEndsTheHandshakeAndTheServerLogsItsRefusal() throws Exception {
        int port = echoServer(Optional.empty());
        UntrustedServerException e = assertThrows(UntrustedServerException.class,
                () -> TcpClient.connect("127.0.0.1", port, Duration.ofSeconds(5), FRAMING.readSize(), pinned(port, CLIENT.fingerprint())));
        assertInstanceOf(ServerTrust.PinMismatch.class, e.verdict());
        events.await("refused");
        assertTrue(events.lines().stream().anyMatch(l -> l.contains("did not trust this server's certificate")), events.lines().toString());
        assertTrue(events.lines().stream().noneMatch(l -> l.startsWith("opened")), events.lines().toString());
    }

    @Test
    void aClientTheServerDoesNotKnowIsRefusedWhileConnecting() throws Exception {
        int port = echoServer(Optional.of(fingerprint -> fingerprint.equals(SERVER.fingerprint()) ? null : "is not allowed"));
        NetworkException e = assertThrows(NetworkException.class,
                () -> TcpClient.connect("127.0.0.1", port, Duration.ofSeconds(5), FRAMING.readSize(), pinned(port, SERVER.fingerprint())));
        assertTrue(e.getMessage().contains("the server refused this client"), e.getMessage());
        events.await("refused");
        assertTrue(events.lines().stream().anyMatch(l -> l.contains("the client's key " + CLIENT.fingerprint() + " is not allowed")),
                events.lines().toString());
    }

    @Test
    void aClientTheServerKnowsConverses() throws Exception {
        int port = echoServer(Optional.of(fingerprint -> fingerprint.equals(CLIENT.fingerprint()) ? null : "is not allowed"));
        TcpClient[] client = {TcpClient.connect("127.0.0.1", port, Duration.ofSeconds(5), FRAMING.readSize(), pinned(port, SERVER.fingerprint()))};
        client[0].converse(Session.client(FRAMING, Limits.NONE), TcpClientTest.saying(client, "me", "bye"), transcript);
        assertEquals(List.of("me"), transcript.heard());
    }
}
