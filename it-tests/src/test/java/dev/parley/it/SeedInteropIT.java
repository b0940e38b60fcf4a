package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Parley in raw framing talks to the seed tutorial's own Python programs, unchanged. */
@Timeout(60)
class SeedInteropIT {

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void parleysClientTalksToTheSeedServer() throws Exception {
        int port = freePort();
        try (OsProcess seed = OsProcess.seed("socket_server.py", port)) {
            seed.out.await("socket is listening");
            seed.type("hi from the seed\nsecond answer\n");
            try (OsProcess client = OsProcess.parley("client", "--framing", "raw", "--host", "127.0.0.1",
                    "--port", String.valueOf(port))) {
                client.type("hello seed\n");
                client.out.await("hi from the seed\n");
                client.type("h\u00e9 again\n");
                client.out.await("second answer\n");
                client.type("bye\n");
                assertEquals(0, client.exitCode());
                assertEquals("hi from the seed\nsecond answer\n", client.out.text());
            }
            assertEquals(0, seed.exitCode(), "the seed server ends when the client closes");
            assertTrue(seed.out.text().contains("data from connected user: hello seed"), seed.out.text());
            assertTrue(seed.out.text().contains("data from connected user: h\u00e9 again"), seed.out.text());
            assertTrue(!seed.out.text().contains("bye"), "raw framing closes without sending bye, like the seed client");
        }
    }

    @Test
    void theSeedClientTalksToParleysServer() throws Exception {
        try (OsProcess server = OsProcess.parley("server", "--framing", "raw", "--port", "0", "--once")) {
            int port = server.port();
            server.type("hi from parley\nsecond answer\n");
            try (OsProcess seed = OsProcess.seed("socket_client.py", port)) {
                seed.type("hello parley\n");
                seed.out.await("Data Received from server: hi from parley");
                seed.type("caf\u00e9\n");
                seed.out.await("Data Received from server: second answer");
                seed.type("bye\n").endInput();
                assertEquals(0, seed.exitCode());
            }
            assertEquals(0, server.exitCode());
            assertEquals("hello parley\ncaf\u00e9\n", server.out.text());
            assertTrue(server.err.text().contains("ended: client closed the connection"), server.err.text());
        }
    }
}
