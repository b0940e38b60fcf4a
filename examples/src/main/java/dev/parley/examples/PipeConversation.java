package dev.parley.examples;

import dev.parley.core.responder.Responder;
import dev.parley.core.session.Limits;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Session;
import dev.parley.core.wire.Framing;
import dev.parley.core.wire.LineFraming;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A client's session and a server's session talking Parley's line protocol over two
 * {@link java.nio.channels.Pipe}s, both driven by one thread and one selector: the smallest
 * complete program that uses the core as a library with an adapter of its own. The client's lines
 * come from the command line; the server answers with a {@link Shouter}. Each side's transcript is
 * printed as it happens.
 *
 * <pre>
 * ./mvnw -q -pl core,examples -am -DskipTests package
 * java -cp core/target/classes:examples/target/classes dev.parley.examples.PipeConversation hello "how are you?" bye
 * </pre>
 */
public final class PipeConversation {

    /** How long the server waits for each of the client's messages, and for a message to finish. */
    static final Limits SERVER_LIMITS = new Limits(Duration.ofSeconds(30), Duration.ofSeconds(10));

    private PipeConversation() {}

    /**
     * Runs one conversation; the exit code is 0 when both sides ended it normally.
     *
     * @param args what the client says, one message each (default: {@code hello}, {@code how are
     *     you?}, {@code bye}); when the lines run out without a bye, the client leaves as if its
     *     input ended
     * @throws IOException if a pipe or the selector cannot be opened
     */
    public static void main(String[] args) throws IOException {
        List<String> lines = args.length > 0 ? List.of(args) : List.of("hello", "how are you?", "bye");
        Outcomes outcomes = run(LinesOperator.saying(lines), new Shouter(), SERVER_LIMITS, System.out);
        System.exit(outcomes.client().isNormal() && outcomes.server().isNormal() ? 0 : 1);
    }

    /**
     * How each side's conversation ended.
     *
     * @param client the client's outcome
     * @param server the server's outcome
     */
    public record Outcomes(Outcome client, Outcome server) {}

    /**
     * Runs one conversation to its end: a client whose person is {@code clientOperator}, a server
     * answered by {@code responder} within {@code serverLimits}.
     *
     * @param clientOperator the client's person
     * @param responder what answers on the server's side
     * @param serverLimits the server's timeouts
     * @param out where both transcripts are printed
     * @return how each side ended
     * @throws IOException if a pipe or the selector cannot be opened, or reading a pipe fails
     */
    public static Outcomes run(LinesOperator clientOperator, Responder responder, Limits serverLimits, PrintStream out)
            throws IOException {
        Framing framing = new LineFraming();
        Pipe toServer = Pipe.open();
        Pipe toClient = Pipe.open();
        PipeDriver server = new PipeDriver(Session.server(framing, serverLimits, responder),
                toServer.source(), toClient.sink(), LinesOperator.saying(List.of()),
                new PrintingTranscript("server", out), framing.readSize());
        PipeDriver client = new PipeDriver(Session.client(framing, Limits.NONE),
                toClient.source(), toServer.sink(), clientOperator,
                new PrintingTranscript("client", out), framing.readSize());
        List<PipeDriver> drivers = List.of(server, client);
        try (Selector selector = Selector.open()) {
            for (PipeDriver driver : drivers) {
                driver.register(selector);
            }
            long now = System.nanoTime();
            for (PipeDriver driver : drivers) {
                driver.open(now);
            }
            while (!server.finished() || !client.finished()) {
                selector.select(millisUntilNextDeadline(drivers, System.nanoTime()));
                now = System.nanoTime();
                for (SelectionKey key : new ArrayList<>(selector.selectedKeys())) {
                    PipeDriver driver = (PipeDriver) key.attachment();
                    if (key.isValid() && key.isReadable()) {
                        driver.readable(now);
                    } else if (key.isValid() && key.isWritable()) {
                        driver.writable(now);
                    }
                }
                selector.selectedKeys().clear();
                for (PipeDriver driver : drivers) {
                    driver.tick(now);
                }
            }
        }
        return new Outcomes(client.outcome().orElseThrow(), server.outcome().orElseThrow());
    }

    /** How long the selector may wait: until the earliest deadline (at least 1 ms), or for ever (0). */
    private static long millisUntilNextDeadline(List<PipeDriver> drivers, long now) {
        long wait = 0;
        for (PipeDriver driver : drivers) {
            OptionalLong deadline = driver.deadline();
            if (deadline.isPresent()) {
                long millis = Math.max(1, (deadline.getAsLong() - now + 999_999) / 1_000_000);
                wait = wait == 0 ? millis : Math.min(wait, millis);
            }
        }
        return wait;
    }
}
