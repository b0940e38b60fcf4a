package dev.parley.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Debian's nats-server with JetStream on loopback, on a free port, its store in a directory of the test's: stopped, killed, started again. */
final class NatsServer implements AutoCloseable {

    static final String BINARY = "/usr/sbin/nats-server";

    final int port;
    private final Path store;
    private final List<String> extra;
    private OsProcess process;

    NatsServer(Path dir, String... extra) throws IOException, InterruptedException {
        try (ServerSocket free = new ServerSocket(0)) {
            this.port = free.getLocalPort();
        }
        this.store = Files.createDirectories(dir.resolve("jetstream"));
        this.extra = List.of(extra);
        start();
    }

    /** Starts it (again, on the same port and store) and waits until it is ready. */
    void start() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(BINARY, "-js", "-a", "127.0.0.1", "-p", String.valueOf(port), "-sd", store.toString()));
        command.addAll(extra);
        process = OsProcess.program(Map.of(), command.toArray(String[]::new));
        process.err.await("Server is ready");
    }

    /** kill -9: no goodbye to anyone. */
    void kill() throws InterruptedException {
        process.process.destroyForcibly().waitFor();
    }

    String url() {
        return "nats://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.close();
    }
}
