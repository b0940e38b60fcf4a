package dev.parley.socket.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client's driver against real servers over loopback: Parley's own, and hand-made misbehaving ones. */
@Timeout(20)
class TcpClientTest {

    private static final LineFraming FRAMING = new LineFraming();
    private final RecordingTranscript transcript = new RecordingTranscript();
    private TcpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(Duration.ofSeconds(1));
        }
    }

    private int echoServer(String bind) throws NetworkException {
        Limits limits = new Limits(Duration.ofSeconds(10), Duration.ofSeconds(10));
        server = new TcpServer(new ServerSettings(bind, 0, FRAMING, limits, 10),
                handle -> new Conversation(Session.server(FRAMING, limits, Responder.echo()), Conversation.NO_OPERATOR,
                        new RecordingTranscript()), new RecordingEvents());
        server.start();
        return server.port();
    }

    /** A person who says {@code lines} in order, one each time the session asks (the TLS tests' too). */
    static Operator saying(TcpClient[] client, String... lines) {
        ArrayDeque<String> left = new ArrayDeque<>(List.of(lines));
        return () -> {
            String next = left.poll();
            client[0].post(next == null ? new Input.OperatorDone() : new Input.OperatorLine(next));
        };
    }

    @Test
    void conversesWithAnEchoServerUntilItsBye() throws Exception {
        int port = echoServer("127.0.0.1");
        TcpClient[] client = {TcpClient.connect("localhost", port, Duration.ofSeconds(2), FRAMING.readSize())};
        Outcome outcome = client[0].converse(Session.client(FRAMING, Limits.NONE), saying(client, "h\u00e9llo", "again", "bye"), transcript);
        assertEquals(Ending.SAID_BYE, outcome.ending());
        assertEquals(List.of("h\u00e9llo", "again"), transcript.heard());
    }

    @Test
    void conversesOverIpv6() throws Exception {
        int port = echoServer("::1");
        TcpClient[] client = {TcpClient.connect("::1", port, Duration.ofSeconds(2), FRAMING.readSize())};
        assertEquals("[::1]:" + port, client[0].remote());
        client[0].converse(Session.client(FRAMING, Limits.NONE), saying(client, "over six"), transcript);
        assertEquals(List.of("over six"), transcript.heard());
    }

    @Test
    void connectingReportsRefusedAndUnknownHostsInOneLine() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        NetworkException refused = assertThrows(NetworkException.class,
                () -> TcpClient.connect("127.0.0.1", port, Duration.ofSeconds(2), 8192));
        assertEquals("cannot connect to 127.0.0.1:" + port + ": connection refused", refused.getMessage());
        NetworkException unknown = assertThrows(NetworkException.class,
                () -> TcpClient.connect("no-such-host.invalid", 1234, Duration.ofSeconds(2), 8192));
        assertEquals("cannot connect to no-such-host.invalid:1234: unknown host", unknown.getMessage());
    }

    /** A hand-made server: runs {@code script} with the accepted socket on a thread of its own. */
    private static CompletableFuture<String> rawServer(ServerSocket listener, ServerScript script) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket socket = listener.accept()) {
                socket.setSoTimeout(10_000);
                return script.run(socket, new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)),
                        socket.getOutputStream());
            } catch (Exception e) {
                return "failed: " + e;
            }
        });
    }

    private interface ServerScript {
        String run(Socket socket, BufferedReader in, OutputStream out) throws Exception;
    }

    @Test
    void aServerThatLeavesWhileThePersonTypesEndsTheClientAtOnce() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> heard = rawServer(listener, (socket, in, out) -> {
                String first = in.readLine();
                out.write("hi\nbye\n".getBytes(StandardCharsets.UTF_8));
                return first;
            });
            TcpClient[] client = {TcpClient.connect("127.0.0.1", listener.getLocalPort(), Duration.ofSeconds(2), 8192)};
            Operator typesOnceThenThinksForEver = new Operator() {
                boolean spoke;

                @Override
                public void ask() {
                    if (!spoke) {
                        spoke = true;
                        client[0].post(new Input.OperatorLine("hello"));
                    }
                }
            };
            Outcome outcome = client[0].converse(Session.client(FRAMING, Limits.NONE), typesOnceThenThinksForEver, transcript);
            assertEquals(Ending.PEER_SAID_BYE, outcome.ending());
            assertEquals(List.of("hi"), transcript.heard());
            assertEquals("hello", heard.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aServerThatSpeaksOutOfTurnIsAFailureAndIsTold() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> told = rawServer(listener, (socket, in, out) -> {
                out.write("unasked\n".getBytes(StandardCharsets.UTF_8));
                return in.readLine();
            });
            TcpClient[] client = {TcpClient.connect("127.0.0.1", listener.getLocalPort(), Duration.ofSeconds(2), 8192)};
            Outcome outcome = client[0].converse(Session.client(FRAMING, Limits.NONE), () -> { }, transcript);
            assertEquals(Ending.PEER_OUT_OF_TURN, outcome.ending());
            assertEquals("!out of turn: the server sent a message while it was the client's turn to speak", told.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aStopFromAnotherThreadSaysByeAndTheLastWordsAreWritten() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> heard = rawServer(listener, (socket, in, out) -> in.readLine());
            TcpClient client = TcpClient.connect("127.0.0.1", listener.getLocalPort(), Duration.ofSeconds(2), 8192);
            CompletableFuture<Outcome> outcome = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.converse(Session.client(FRAMING, Limits.NONE), () -> { }, transcript);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            client.post(new Input.Stop());
            assertTrue(client.awaitLastWordsWritten(Duration.ofSeconds(5)));
            assertEquals("bye", heard.get(10, TimeUnit.SECONDS));
            assertEquals(Ending.STOPPED, outcome.get(10, TimeUnit.SECONDS).ending());
        }
    }
}
