package dev.parley.it;

import dev.parley.app.Main;
import dev.parley.app.wiring.Streams;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One run of the parley command line inside the test's JVM, with piped streams. */
final class InProcess {

    final Capture out = new Capture();
    final Capture err = new Capture();
    private final CompletableFuture<Integer> exit;

    private InProcess(InputStream in, String... args) {
        Streams streams = new Streams(in, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        exit = CompletableFuture.supplyAsync(() -> Main.run(streams, false, args));
    }

    /** Starts {@code parley args} with {@code stdin} as its whole input. */
    static InProcess start(String stdin, String... args) {
        return new InProcess(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), args);
    }

    /** Starts {@code parley args} reading from {@code stdin}. */
    static InProcess start(InputStream stdin, String... args) {
        return new InProcess(stdin, args);
    }

    /** For a server: waits for {@code listening on HOST:PORT} and returns the port. */
    int port() throws InterruptedException {
        return Integer.parseInt(err.await("listening on \\S+:(\\d+)"));
    }

    int exitCode() throws Exception {
        return exit.get(20, TimeUnit.SECONDS);
    }

    boolean isDone() {
        return exit.isDone();
    }
}
