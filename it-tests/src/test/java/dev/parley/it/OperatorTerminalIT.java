package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20 part 2, {@code parley operator} as people use it: two operators in two real terminals
 * (tmux) at one server's desk, four clients (bare sockets, so the test controls each move).
 */
@Timeout(120)
class OperatorTerminalIT {

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    private <T extends AutoCloseable> T kept(T closeable) {
        open.add(closeable);
        return closeable;
    }

    /** An operator in a terminal of its own, admitted to the desk at {@code port}. */
    private Tmux operator(int port, String name) throws IOException, InterruptedException {
        Tmux terminal = kept(Tmux.start(Map.of("PARLEY_CONFIG_DIR", dir.resolve("config").toString()),
                Tmux.parley("operator", "--port", String.valueOf(port), "--name", name)));
        terminal.await("^parley: at the operators' desk of localhost:" + port + " as " + name + "$");
        terminal.await("^parley: Ctrl-D leaves the desk");
        return terminal;
    }

    /** A client that has said {@code hello}; the first line it hears. */
    private Wire client(int port, String hello) throws IOException {
        Wire client = kept(new Wire(port));
        client.send(hello + "\n");
        return client;
    }

    /** The next line the client hears that is not a notice. */
    private static String heard(Wire client) throws IOException {
        String line;
        do {
            line = client.readLineOrNull();
        } while (line != null && line.startsWith("!notice:"));
        return line;
    }

    @Test
    void twoOperatorsFourClientsByeOutOfTurnAndAHalfTypedLineWhenTheClientInFrontLeaves() throws Exception {
        OsProcess server = kept(OsProcess.parley("server", "--port", "0", "--responder", "desk", "--operators", "127.0.0.1:0"));
        int clients = server.port();
        int operators = Integer.parseInt(server.err.await("operators on \\S+:(\\d+)"));
        Tmux ann = operator(operators, "ann");
        Tmux bob = operator(operators, "bob");

        Wire first = client(clients, "hello 1");
        ann.await("^client> hello 1$"); // the operator free the longest takes the first client
        ann.await("^you>$");
        Wire second = client(clients, "hello 2");
        bob.await("^client> hello 2$");
        bob.await("^you>$");
        Wire third = client(clients, "hello 3");
        assertEquals("!notice: waiting for the operator; you are number 1 in line", third.readLineOrNull());
        Wire fourth = client(clients, "hello 4");
        assertEquals("!notice: waiting for the operator; you are number 2 in line", fourth.readLineOrNull());

        // bye out of turn: ann answers, then, during the client's turn, ends the conversation; the next is taken.
        ann.type("hi 1").press("Enter");
        assertEquals("hi 1", heard(first));
        ann.await("^\\(client's turn\\)$");
        ann.type("bye").press("Enter");
        assertEquals("bye", heard(first));
        ann.await("now with conversation \\S+ \\(\\S+\\)");
        ann.await("^client> hello 3$");
        assertFalse(ann.screen().contains("not sent"), ann.screen());

        // A half-typed line when the client in front leaves: set aside, never sent to the next client.
        bob.type("I was just about to say");
        bob.await("^you> I was just about to say$");
        second.send("bye\n"); // the client leaves while the operator types
        bob.await("^parley: the conversation in front changed; what you were typing was not sent \\(Up recalls it\\)$");
        bob.await("^client> hello 4$");
        bob.await("^you>$");
        bob.press("Enter"); // what was typed is gone from the editor: Enter sends nothing
        bob.type("hi 4").press("Enter");
        assertEquals("hi 4", heard(fourth), "nothing typed for client 2 reached client 4");

        // Ctrl-D leaves the desk (exit 0); ann's client goes back to the line, and bob takes it once free.
        ann.press("C-d");
        assertEquals(0, ann.awaitExit());
        assertEquals("!notice: back in line for the next operator; you are number 1 in line", third.readLineOrNull());
        fourth.send("bye\n");
        bob.await("^client> hello 3$");
        bob.await("^you>$");
        bob.type("hi 3").press("Enter");
        assertEquals("hi 3", heard(third));
    }
}
