package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real jar as users start it: signals, exit codes and the piped contract between processes. */
@Timeout(60)
class ProcessIT {

    @Test
    void sigtermStopsTheServerTellsTheClientAndExitsZero() throws Exception {
        try (OsProcess server = OsProcess.parley("server", "--port", "0", "--responder", "echo");
                OsProcess client = OsProcess.parley("client", "--port", String.valueOf(server.port()))) {
            client.type("hello\n");
            client.out.await("hello\n");
            server.signal("TERM");
            assertEquals(0, server.exitCode());
            assertEquals(0, client.exitCode(), "told while its person was still typing");
            assertEquals("hello\n", client.out.text());
            assertTrue(client.err.text().contains("parley: server said bye"), client.err.text());
            assertTrue(server.err.text().contains("ended: stopped; told the client"), server.err.text());
        }
    }

    @Test
    void sigintOnTheClientSaysByeAndExitsZero() throws Exception {
        try (OsProcess server = OsProcess.parley("server", "--port", "0", "--responder", "echo", "--once");
                OsProcess client = OsProcess.parley("client", "--port", String.valueOf(server.port()))) {
            client.type("hello\n");
            client.out.await("hello\n");
            client.signal("INT");
            assertEquals(0, client.exitCode());
            assertEquals(0, server.exitCode());
            assertTrue(server.err.text().contains("ended: client said bye"), server.err.text());
        }
    }

    @Test
    void aPipedConversationBetweenTwoProcesses() throws Exception {
        try (OsProcess server = OsProcess.parley("server", "--port", "0", "--once")) {
            server.type("pong 1\npong 2\n");
            try (OsProcess client = OsProcess.parley("client", "--port", String.valueOf(server.port()))) {
                client.type("ping 1\nping 2\nbye\n").endInput();
                assertEquals(0, client.exitCode());
                assertEquals(0, server.exitCode());
                assertEquals("pong 1\npong 2\n", client.out.text());
                assertEquals("ping 1\nping 2\n", server.out.text());
            }
        }
    }

    /** Issue 20, bug 4: a client whose server was killed mid-turn said 'server closed the connection' and exited 0, as after a bye. */
    @Test
    void aServerKilledMidTurnIsACutOffConversationExitThree() throws Exception {
        try (OsProcess server = OsProcess.parley("server", "--port", "0", "--responder", "console");
                OsProcess client = OsProcess.parley("client", "--port", String.valueOf(server.port()))) {
            client.type("hello\n");
            server.out.await("hello\n"); // the server's turn: its person is asked
            server.process.destroyForcibly().waitFor();
            int code = client.exitCode();
            String err = client.err.text();
            // A killed server's kernel closes the socket: a close (FIN) or a reset, depending on timing; both are a cut-off.
            assertEquals(3, code, err);
            assertTrue(err.equals("parley: server closed the connection without bye\n")
                    || err.matches("parley: connection to server lost: [^\n]+\n"), err);
        }
    }
}
