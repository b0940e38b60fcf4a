package dev.parley.app;

import dev.parley.console.ConsoleOperator;
import dev.parley.console.ConsoleTranscript;
import dev.parley.core.Conversation;
import dev.parley.core.Outcome;
import dev.parley.core.Role;
import dev.parley.core.wire.Framing;
import dev.parley.socket.Addresses;
import dev.parley.socket.Limits;
import dev.parley.socket.NetworkException;
import dev.parley.socket.SocketConnector;
import dev.parley.socket.SocketPeer;
import java.time.Duration;

/** The client program, wired by hand: a socket connection and the console. */
public final class ParleyClient {

    /** Everything the {@code client} command can set. */
    public record Options(String host, int port, Framing framing, Duration connectTimeout) {}

    private final Options options;
    private final Streams streams;
    private volatile Conversation conversation;

    public ParleyClient(Options options, Streams streams) {
        this.options = options;
        this.streams = streams;
    }

    /** Connects and converses until the end; returns the exit code. */
    public int run() throws UserError {
        SocketPeer peer;
        try {
            peer = SocketConnector.connect(options.host(), options.port(), options.connectTimeout(),
                    options.framing(), Limits.NONE);
        } catch (NetworkException e) {
            throw new UserError(e.getMessage() + "; is a Parley server running there?", Exits.FAILURE, e);
        }
        if (streams.interactive()) {
            streams.err().println("parley: connected to " + Addresses.format(options.host(), options.port())
                    + "; you speak first. Type bye (or Ctrl-D) to leave.");
        }
        ConsoleOperator operator = new ConsoleOperator(streams.in(), streams.err(), streams.interactive(), Integer.MAX_VALUE - 8);
        ConsoleTranscript transcript = new ConsoleTranscript(streams.out(), streams.err(), streams.interactive(), Role.SERVER, "parley: ");
        conversation = new Conversation(Role.CLIENT, peer, operator, transcript);
        Outcome outcome = conversation.run();
        streams.flush();
        return outcome.isNormal() ? Exits.OK : Exits.FAILURE;
    }

    /** Leaves the conversation (says bye in line framing); for Ctrl-C and SIGTERM. */
    public void stop() {
        Conversation current = conversation;
        if (current != null) {
            current.stop();
        }
    }
}
