package dev.parley.app;

import dev.parley.console.ConsoleInput;
import dev.parley.console.OperatorDesk;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Session;
import dev.parley.socket.Conversation;
import dev.parley.socket.ConversationHandle;
import dev.parley.socket.NetworkException;
import dev.parley.socket.ServerSettings;
import dev.parley.socket.TcpServer;
import java.time.Duration;

/**
 * The server program, wired by hand: the TCP server, and for each connection a session answered by
 * the responder or by the person at the console (through the {@link OperatorDesk}), with the
 * server's log. Tests run it in-process with {@link #start()}, {@link #awaitExit()} and
 * {@link #stop()}.
 */
public final class ParleyServer implements Program {

    /** How long open conversations get to end after a stop (Ctrl-C, SIGTERM). */
    static final Duration STOP_GRACE = Duration.ofSeconds(3);

    /** Everything the {@code server} command can set: how it listens and what it allows, who answers. */
    public record Options(ServerSettings settings, Responder responder, boolean once, boolean verbose) {}

    private final Options options;
    private final Streams streams;
    private final ServerLog log;
    private final OperatorDesk desk;
    private final TcpServer server;

    public ParleyServer(Options options, Streams streams) {
        this.options = options;
        this.streams = streams;
        boolean console = options.responder() instanceof Responder.Console;
        this.log = new ServerLog(streams.err(), options.verbose(), this::greetOperator);
        this.desk = console
                ? new OperatorDesk(new ConsoleInput(streams.in(), streams.err(), streams.interactive(), Integer.MAX_VALUE - 16).start(),
                        streams.out(), streams.err(), streams.interactive())
                : null;
        this.server = new TcpServer(options.settings(), this::conversation, log);
    }

    private Conversation conversation(ConversationHandle handle) {
        ServerSettings settings = options.settings();
        if (desk != null) {
            OperatorDesk.Seat seat = desk.join(handle.id(), handle.remote(), handle::post, log.conversation(handle, this::ended));
            return new Conversation(Session.serverForOperator(settings.framing(), settings.limits()), seat, seat);
        }
        return new Conversation(Session.server(settings.framing(), settings.limits(), Responder.automatic(options.responder())),
                Conversation.NO_OPERATOR, log.conversation(handle, this::ended));
    }

    /** A conversation ended: with --once the server stops; so it does when its operator's input ended. */
    private void ended(Outcome outcome) {
        if (options.once() || (desk != null && outcome.ending() == Outcome.Ending.INPUT_ENDED)) {
            server.stop(STOP_GRACE);
        }
    }

    private void greetOperator() {
        if (desk != null && streams.interactive()) {
            streams.err().println("parley: each client speaks first; type your answer and Enter."
                    + " bye ends a conversation, Ctrl-D stops the server.");
        }
    }

    /** Binds and starts serving; prints {@code listening on HOST:PORT} to stderr. */
    public void start() throws UserError {
        FileLimits.warnIfTooLow(options.settings().maxConversations(), "--max-conversations", streams.err());
        MemoryLimits.warnIfTooLow(options.settings(), streams.err());
        try {
            server.start();
        } catch (NetworkException e) {
            throw new UserError(e.getMessage() + "; choose another --port or stop what is using it", Exits.FAILURE, e);
        }
    }

    /** The port actually bound. */
    public int port() {
        return server.port();
    }

    /** Blocks until the server has stopped; returns the exit code. */
    public int awaitExit() throws InterruptedException {
        server.awaitStopped();
        log.close();
        streams.flush();
        return Exits.OK;
    }

    @Override
    public int run() throws InterruptedException {
        return awaitExit();
    }

    /** Stops accepting, says bye to open conversations and waits for them briefly. */
    @Override
    public int stop() {
        server.stop(STOP_GRACE);
        return Exits.OK;
    }
}
