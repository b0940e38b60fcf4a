package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trust question, as a person at a real terminal (tmux) sees and answers it. */
@Tag("tls") // run again on the JDK's provider (it-tests/pom.xml)
class TlsTerminalIT {

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    private OsProcess server(String config) throws Exception {
        OsProcess server = OsProcess.parley(Map.of("PARLEY_CONFIG_DIR", dir.resolve(config).toString()), List.of(),
                "server", "--tls", "--responder", "echo", "--port", "0", "--transcript", dir.resolve("heard.jsonl").toString());
        open.add(server);
        return server;
    }

    private Tmux client(int port) throws Exception {
        Tmux tmux = Tmux.start(Map.of("PARLEY_CONFIG_DIR", dir.resolve("c").toString()),
                Tmux.parley("client", "--tls", "--port", String.valueOf(port)));
        open.add(tmux);
        return tmux;
    }

    @Test
    void yesRemembersTheServerAndTheConversationGoesOn() throws Exception {
        OsProcess server = server("s");
        int port = server.port();
        String fp = server.err.await("(?m)^fingerprint (SHA256:\\S+)$");

        Tmux client = client(port);
        String screen = client.await("^trust it\\? \\[y/N\\]$");
        assertTrue(screen.contains("localhost:" + port + " is a server this client does not know yet"), screen);
        assertTrue(screen.contains("its key's fingerprint is " + fp), screen);
        client.type("y").press("Enter");
        screen = client.await("^you>$");
        assertTrue(screen.contains("parley: remembered localhost:" + port + " as " + fp), screen);
        client.type("hello over TLS").press("Enter");
        client.await("^server> hello over TLS$");
        client.press("C-d");
        assertEquals(0, client.awaitExit());
        assertEquals("localhost:" + port + " " + fp + "\n", Files.readString(dir.resolve("c/known_servers")));

        Tmux again = client(port);
        screen = again.await("^you>$");
        assertFalse(screen.contains("trust it?"), "a known server is not asked about again:\n" + screen);
        assertTrue(screen.contains("parley: server key " + fp + " (known_servers line 1)"), screen);
    }

    @Test
    void noOrJustEnterSendsNothingAndRemembersNothing() throws Exception {
        OsProcess server = server("s");
        int port = server.port();
        Tmux client = client(port);
        client.await("^trust it\\? \\[y/N\\]$");
        client.press("Enter");
        String screen = client.await("^\\[exit \\d+]$");
        assertEquals(1, client.awaitExit());
        assertTrue(screen.contains("parley: not trusted; nothing was sent to localhost:" + port), screen);
        assertFalse(Files.exists(dir.resolve("c/known_servers")));
        assertFalse(Files.exists(dir.resolve("heard.jsonl")) && Files.readString(dir.resolve("heard.jsonl")).contains("\"message\""));
    }
}
