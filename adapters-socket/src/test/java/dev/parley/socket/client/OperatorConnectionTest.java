package dev.parley.socket.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.socket.client.OperatorConnection.End;
import dev.parley.socket.client.OperatorConnection.Ending;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The operator's connection against hand-made servers over loopback: lines each way, and every way it ends. */
@Timeout(20)
class OperatorConnectionTest {

    private final ServerSocket server;
    private final List<String> received = new CopyOnWriteArrayList<>();

    OperatorConnectionTest() throws Exception {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() throws Exception {
        server.close();
    }

    private OperatorConnection connect(int maxLineBytes) throws Exception {
        return OperatorConnection.connect("127.0.0.1", server.getLocalPort(), Duration.ofSeconds(5), null, maxLineBytes);
    }

    @Test
    void linesGoBothWaysAndTheServersCloseEndsIt() throws Exception {
        OperatorConnection connection = connect(100);
        connection.send("parley-operator/1 ann");
        try (Socket s = server.accept()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            out.write("welcome ann\r\nsaid 1 h\u00e9llo\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            Thread runner = new Thread(() -> {
                End end = connection.run(line -> {
                    received.add(line);
                    if (line.startsWith("said")) {
                        connection.send("line 1 hi");
                    }
                });
                received.add("end " + end.ending());
            });
            runner.start();
            assertEquals("parley-operator/1 ann", in.readLine());
            assertEquals("line 1 hi", in.readLine());
            s.shutdownOutput();
            runner.join();
        }
        assertEquals(List.of("welcome ann", "said 1 h\u00e9llo", "end CLOSED"), received);
    }

    @Test
    void leavingWritesWhatWasSentThenCloses() throws Exception {
        OperatorConnection connection = connect(100);
        try (Socket s = server.accept()) {
            Thread runner = new Thread(() -> received.add("end " + connection.run(received::add).ending()));
            runner.start();
            connection.send("line - last words");
            connection.leave();
            connection.send("never sent");
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("line - last words", in.readLine());
            assertEquals(null, in.readLine());
            runner.join();
        }
        assertEquals(List.of("end LEFT"), received);
    }

    @Test
    void aLineOverTheLimitAndALineCutOffEndItWithoutBeingHandedOver() throws Exception {
        OperatorConnection tooLong = connect(10);
        try (Socket s = server.accept()) {
            s.getOutputStream().write("tell short\ntell this is longer than ten\n".getBytes(StandardCharsets.UTF_8));
            End end = tooLong.run(received::add);
            assertEquals(new End(Ending.TOO_LONG, "line longer than 10 bytes"), end);
        }
        OperatorConnection cut = connect(100);
        try (Socket s = server.accept()) {
            s.getOutputStream().write("tell half".getBytes(StandardCharsets.UTF_8));
            s.shutdownOutput();
            assertEquals(new End(Ending.CUT_OFF, "tell half"), cut.run(received::add));
        }
        assertEquals(List.of("tell short"), received);
    }

    @Test
    void aResetIsALostConnection() throws Exception {
        OperatorConnection connection = connect(100);
        try (Socket s = server.accept()) {
            s.setSoLinger(true, 0);
        }
        assertEquals(Ending.LOST, connection.run(received::add).ending());
    }
}
