package dev.parley.app;

import dev.parley.console.ConsoleInput;
import dev.parley.console.ConsoleTranscript;
import dev.parley.core.port.Operator;
import dev.parley.core.session.Input;
import dev.parley.core.session.Limits;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Role;
import dev.parley.core.session.Session;
import dev.parley.core.wire.Framing;
import dev.parley.socket.NetworkException;
import dev.parley.socket.TcpClient;
import java.io.IOException;
import java.time.Duration;

/**
 * The client program, wired by hand: a TCP connection driven on this thread, the console's lines
 * read on their own, and the terminal as the transcript.
 */
public final class ParleyClient implements Program {

    /** How long Ctrl-C or SIGTERM waits for the bye to be written before closing the connection. */
    static final Duration BYE_WAIT = Duration.ofMillis(500);

    /** Everything the {@code client} command can set. */
    public record Options(String host, int port, Framing framing, Duration connectTimeout, Limits limits) {}

    private final Options options;
    private final Streams streams;
    private volatile TcpClient client;

    public ParleyClient(Options options, Streams streams) {
        this.options = options;
        this.streams = streams;
    }

    /** Connects and converses until the end; returns the exit code. */
    @Override
    public int run() throws UserError, IOException {
        TcpClient connected;
        try {
            connected = TcpClient.connect(options.host(), options.port(), options.connectTimeout(), options.framing().readSize());
        } catch (NetworkException e) {
            throw new UserError(e.getMessage() + "; is a Parley server running there?", Exits.FAILURE, e);
        }
        client = connected;
        if (streams.interactive()) {
            streams.err().println("parley: connected to " + connected.remote() + "; you speak first. Type bye (or Ctrl-D) to leave.");
        }
        ConsoleInput input = new ConsoleInput(streams.in(), streams.err(), streams.interactive(), Integer.MAX_VALUE - 16).start();
        Operator person = () -> input.ask(connected::post);
        ConsoleTranscript shown = new ConsoleTranscript(streams.out(), streams.err(), streams.interactive(), Role.SERVER, "parley: ");
        Outcome outcome = connected.converse(Session.client(options.framing(), options.limits()), person, shown);
        streams.flush();
        return outcome.isNormal() ? Exits.OK : Exits.FAILURE;
    }

    /**
     * Leaves the conversation (says bye in line framing); for Ctrl-C and SIGTERM. The bye gets
     * {@link #BYE_WAIT} to be written: a connection that takes no data (a server that never reads)
     * is closed under it, and the person is told the server was not.
     */
    @Override
    public int stop() {
        TcpClient current = client;
        if (current == null) {
            return Exits.OK;
        }
        current.post(new Input.Stop());
        try {
            if (current.awaitLastWordsWritten(BYE_WAIT)) {
                return Exits.OK;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        current.closeNow();
        streams.err().println("parley: stopped; could not tell the server (its connection took no data for "
                + BYE_WAIT.toMillis() + " ms)");
        return Exits.FAILURE;
    }
}
