package dev.parley.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.parley.core.session.Limits;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Outcome.Ending;
import dev.parley.core.testkit.RecordingTranscript;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The blocking example's conversation, over a real loopback socket whose client is the test: the
 * lines it answers, its idle deadline as a socket timeout, and a failed write fed back to the
 * session. (The real {@code parley client} talks to it in it-tests' BlockingServerIT.)
 */
@Timeout(20)
class BlockingServerTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void eachLineIsAnsweredUntilBye() throws Exception {
        Outcome outcome = conversation(Limits.idle(Duration.ofSeconds(10)), accepted -> { }, (out, in) -> {
            out.write("hello\ncaf\u00e9 \u4f60\u597d\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("HELLO!", in.readLine());
            assertEquals("CAF\u00c9 \u4f60\u597d!", in.readLine());
            out.write("bye\n".getBytes(StandardCharsets.UTF_8));
            assertNull(in.readLine(), "bye ends it: the server closes");
        });
        assertEquals(Ending.PEER_SAID_BYE, outcome.ending());
    }

    @Test
    void theIdleDeadlineBecomesTheSocketsTimeout() throws Exception {
        Outcome outcome = conversation(Limits.idle(Duration.ofMillis(200)), accepted -> { }, (out, in) -> {
            assertEquals("!idle: no message for 200ms (idle timeout)", in.readLine());
            assertNull(in.readLine(), "then the server ends its output, and lingers until the client closes");
        });
        assertEquals(Ending.IDLE_TIMEOUT, outcome.ending());
    }

    @Test
    void aFailedWriteIsFedToTheSessionAsPeerFailed() throws Exception {
        Outcome outcome = conversation(Limits.idle(Duration.ofSeconds(10)), accepted -> {
            try {
                accepted.shutdownOutput(); // every write on the server's side fails from now on
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }, (out, in) -> {
            out.write("hello\n".getBytes(StandardCharsets.UTF_8));
            assertNull(in.readLine(), "no answer could be written");
        });
        assertEquals(Ending.PEER_LOST, outcome.ending());
        assertFalse(outcome.detail().isEmpty(), "the write's failure is the reason");
    }

    @Test
    void aDeadlineIsRoundedUpToAWholeMillisecondAndNeverZero() {
        long now = 5_000_000_000L;
        assertEquals(1, BlockingServer.millisUntil(now + 1, now), "a nanosecond ahead: 1 ms, not 0 (for ever)");
        assertEquals(2, BlockingServer.millisUntil(now + 1_000_001, now));
        assertEquals(1, BlockingServer.millisUntil(now - 3_000_000, now), "passed already: at once, not for ever");
        assertEquals(Integer.MAX_VALUE, BlockingServer.millisUntil(now + Long.MAX_VALUE / 2, now));
    }

    /** What the test's client does over the connection. */
    @FunctionalInterface
    private interface Client {
        void talk(OutputStream out, BufferedReader in) throws Exception;
    }

    /** One conversation: the example serves {@code accepted} on its own thread while {@code client} talks; its outcome. */
    private static Outcome conversation(Limits limits, Consumer<Socket> beforeServing, Client client) throws Exception {
        RecordingTranscript transcript = new RecordingTranscript();
        try (ServerSocket listener = new ServerSocket(0, 1, LOOPBACK);
                Socket socket = new Socket(LOOPBACK, listener.getLocalPort())) {
            Socket accepted = listener.accept();
            beforeServing.accept(accepted);
            Thread server = new Thread(() -> BlockingServer.serve(accepted, limits, new Shouter(), transcript));
            server.start();
            socket.setSoTimeout(10_000); // a server that never answers fails the test rather than hang it
            client.talk(socket.getOutputStream(), new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)));
            socket.close();
            server.join(10_000);
            assertFalse(server.isAlive(), "the server's thread ends with its conversation");
        }
        assertEquals(1, transcript.endings());
        return transcript.outcome().orElseThrow();
    }
}
