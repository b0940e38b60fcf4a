package dev.parley.app;

import dev.parley.console.ConsoleOperator;
import dev.parley.console.ConsoleTranscript;
import dev.parley.core.Conversation;
import dev.parley.core.Incoming;
import dev.parley.core.Outcome;
import dev.parley.core.Role;
import dev.parley.core.wire.Framing;
import dev.parley.socket.Addresses;
import dev.parley.socket.Limits;
import dev.parley.socket.NetworkException;
import dev.parley.socket.ReadAheadPeer;
import dev.parley.socket.SocketConnector;
import dev.parley.socket.SocketPeer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/** The client program, wired by hand: a socket connection and the console. */
public final class ParleyClient implements Program {

    /** Everything the {@code client} command can set. */
    public record Options(String host, int port, Framing framing, Duration connectTimeout) {}

    /** How long Ctrl-C or SIGTERM waits for the bye to be written before closing the connection. */
    static final Duration BYE_WAIT = Duration.ofMillis(500);

    private final Options options;
    private final Streams streams;
    private volatile SocketPeer socket;
    private volatile Conversation conversation;

    public ParleyClient(Options options, Streams streams) {
        this.options = options;
        this.streams = streams;
    }

    /**
     * Connects and converses until the end; returns the exit code. The conversation runs on its
     * own daemon thread while the connection is read ahead, so a server that leaves (says bye,
     * stops, goes away) ends the client at once, even while the person is still typing.
     */
    @Override
    public int run() throws UserError, InterruptedException {
        SocketPeer socket;
        try {
            socket = SocketConnector.connect(options.host(), options.port(), options.connectTimeout(),
                    options.framing(), Limits.NONE);
        } catch (NetworkException e) {
            throw new UserError(e.getMessage() + "; is a Parley server running there?", Exits.FAILURE, e);
        }
        if (streams.interactive()) {
            streams.err().println("parley: connected to " + Addresses.format(options.host(), options.port())
                    + "; you speak first. Type bye (or Ctrl-D) to leave.");
        }
        this.socket = socket;
        Ending ended = new Ending();
        ReadAheadPeer peer = new ReadAheadPeer(socket, ended);
        ConsoleOperator operator = new ConsoleOperator(streams.in(), streams.err(), streams.interactive(), Integer.MAX_VALUE - 8);
        ConsoleTranscript transcript = new ConsoleTranscript(streams.out(), streams.err(), streams.interactive(), Role.SERVER, "parley: ");
        conversation = new Conversation(Role.CLIENT, peer, operator, transcript);
        peer.start();
        Thread talk = new Thread(ended, "parley-conversation");
        talk.setDaemon(true);
        talk.start();
        Outcome outcome;
        try {
            outcome = ended.await();
        } finally {
            peer.close();
        }
        streams.flush();
        return outcome.isNormal() ? Exits.OK : Exits.FAILURE;
    }

    /**
     * How the conversation ends: either its own thread returns from run(), or the read-ahead sees
     * the server leave first. Named classes rather than lambdas and futures keep start-up short
     * (docs/BENCHMARKS.md, P5).
     */
    private final class Ending implements Runnable, Consumer<Incoming> {
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile Outcome outcome;
        private volatile RuntimeException failure;

        /** The conversation's own thread. */
        @Override
        public void run() {
            try {
                finish(conversation.run());
            } catch (RuntimeException e) {
                failure = e;
                done.countDown();
            }
        }

        /** What the read-ahead saw while this side was not listening. */
        @Override
        public void accept(Incoming incoming) {
            Optional<Outcome> early = conversation.interject(incoming);
            if (early.isPresent()) {
                finish(early.get());
            }
        }

        private void finish(Outcome ended) {
            if (outcome == null) {
                outcome = ended;
            }
            done.countDown();
        }

        Outcome await() throws InterruptedException {
            done.await();
            if (outcome == null && failure != null) {
                throw failure;
            }
            return outcome;
        }
    }

    /**
     * Leaves the conversation (says bye in line framing); for Ctrl-C and SIGTERM. The bye gets
     * {@link #BYE_WAIT}: a connection that takes no data (a server that never reads, a write
     * blocked on a full buffer) is closed under it, and the person is told the server was not.
     */
    @Override
    public int stop() {
        Conversation current = conversation;
        if (current == null) {
            return Exits.OK;
        }
        Thread bye = new Thread(current::stop, "parley-bye");
        bye.setDaemon(true);
        bye.start();
        try {
            bye.join(BYE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!bye.isAlive()) {
            return Exits.OK;
        }
        socket.close();
        streams.err().println("parley: stopped; could not tell the server (its connection took no data for "
                + BYE_WAIT.toMillis() + " ms)");
        return Exits.FAILURE;
    }
}
