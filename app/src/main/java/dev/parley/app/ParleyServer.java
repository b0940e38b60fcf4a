package dev.parley.app;

import dev.parley.console.ConsoleOperator;
import dev.parley.console.ConsoleTranscript;
import dev.parley.console.TerminalSafe;
import dev.parley.core.Conversation;
import dev.parley.core.Operator;
import dev.parley.core.Outcome;
import dev.parley.core.Peer;
import dev.parley.core.Role;
import dev.parley.core.Transcript;
import dev.parley.core.wire.Framing;
import dev.parley.socket.ConversationServer;
import dev.parley.socket.EventLoopServer;
import dev.parley.socket.Limits;
import dev.parley.socket.NetworkException;
import dev.parley.socket.ServerEvents;
import dev.parley.socket.ServerSettings;
import dev.parley.socket.SocketServer;
import java.time.Duration;

/**
 * The server program, wired by hand: a socket server, a responder, and the console. Tests
 * run it in-process with {@link #start()}, {@link #awaitExit()} and {@link #stop()}.
 */
public final class ParleyServer {

    /** How long open conversations get to end after a stop (Ctrl-C, SIGTERM). */
    static final Duration STOP_GRACE = Duration.ofSeconds(3);

    /** The most of a peer's text quoted in one log line: a hostile peer cannot flood the log. */
    static final int LOGGED_CHARS = 200;

    /** Everything the {@code server} command can set. */
    public record Options(String bind, int port, Responder responder, boolean once, Framing framing,
            int maxConversations, Duration idleTimeout, Duration lineTimeout, boolean verbose, Engine engine) {}

    /** How concurrent conversations are carried: event loops (the default) or a thread each. */
    public enum Engine { LOOP, THREADS }

    private final Options options;
    private final Streams streams;
    private final ConversationServer server;
    private final Operator consoleOperator;

    public ParleyServer(Options options, Streams streams) {
        this.options = options;
        this.streams = streams;
        boolean console = options.responder() instanceof Responder.Console;
        this.consoleOperator = console
                ? new ConsoleOperator(streams.in(), streams.err(), streams.interactive(), Integer.MAX_VALUE - 8)
                : null;
        ServerSettings settings = new ServerSettings(options.bind(), options.port(), options.framing(),
                options.maxConversations(), new Limits(options.idleTimeout(), options.lineTimeout()), console);
        // A person answers one conversation at a time on a thread of its own; echo and file answer
        // at once, so a few event loops carry thousands of conversations (docs/BENCHMARKS.md).
        this.server = console || options.engine() == Engine.THREADS
                ? new SocketServer(settings, this::conversation, new Events())
                : new EventLoopServer(settings, this::conversation, new Events());
    }

    private Conversation conversation(int id, Peer peer) {
        if (consoleOperator != null) {
            Transcript shown = new ConsoleTranscript(streams.out(), streams.err(), streams.interactive(), Role.CLIENT, "parley: ");
            return new Conversation(Role.SERVER, peer, consoleOperator, withoutEnding(shown));
        }
        // Echo and file answer many conversations at once: no messages shown, endings come from the events.
        return new Conversation(Role.SERVER, peer, Responder.operatorFor(options.responder()), new Transcript() {
            @Override
            public void heard(String message) {
                // not shown
            }

            @Override
            public void notice(String text) {
                streams.err().println("conversation " + id + ": " + TerminalSafe.render(text, LOGGED_CHARS));
            }

            @Override
            public void ended(Outcome outcome) {
                // reported by the server events
            }
        });
    }

    /** The server reports each ending itself (with the conversation's number), so transcripts do not. */
    private static Transcript withoutEnding(Transcript transcript) {
        return new Transcript() {
            @Override
            public void heard(String message) {
                transcript.heard(message);
            }

            @Override
            public void notice(String text) {
                transcript.notice(text);
            }

            @Override
            public void ended(Outcome outcome) {
                // see ServerEvents.ended
            }
        };
    }

    /** Binds and starts serving; prints {@code listening on HOST:PORT} to stderr. */
    public void start() throws UserError {
        if (consoleOperator == null) {
            FileLimits.warnIfTooLow(options.maxConversations(), "--max-conversations", streams.err());
        }
        try {
            server.start();
        } catch (NetworkException e) {
            throw new UserError(e.getMessage() + "; choose another --port or stop what is using it",
                    Exits.FAILURE, e);
        }
    }

    /** The port actually bound. */
    public int port() {
        return server.port();
    }

    /** Blocks until the server has stopped; returns the exit code. */
    public int awaitExit() throws InterruptedException {
        server.awaitStopped();
        return Exits.OK;
    }

    /** Stops accepting, says bye to open conversations and waits for them briefly. */
    public void stop() {
        server.stop(STOP_GRACE);
    }

    /** Prints what the socket server reports, one line each, to stderr. */
    private final class Events implements ServerEvents {
        @Override
        public void listening(String address) {
            streams.err().println("listening on " + address);
            if (consoleOperator != null && streams.interactive()) {
                streams.err().println("parley: each client speaks first; type your answer and Enter."
                        + " bye ends a conversation, Ctrl-D stops the server.");
            }
        }

        @Override
        public void opened(int id, String remote) {
            streams.err().println("conversation " + id + " with " + remote + " opened");
        }

        @Override
        public void ended(int id, String remote, Outcome outcome) {
            streams.err().println("conversation " + id + " with " + remote + " ended: " + TerminalSafe.render(outcome.describe(), LOGGED_CHARS));
            streams.flush();
            boolean operatorLeft = consoleOperator != null && outcome.ending() == Outcome.Ending.INPUT_ENDED;
            if (options.once() || operatorLeft) {
                server.stop(STOP_GRACE);
            }
        }

        @Override
        public void refusedBusy(String remote, int open) {
            streams.err().println("refused " + remote + ": busy, " + open + " conversations open (--max-conversations)");
        }

        @Override
        public void crashed(int id, String remote, RuntimeException e) {
            streams.err().println("conversation " + id + " with " + remote + " failed: " + e);
            if (options.verbose()) {
                e.printStackTrace(streams.err());
            }
            if (options.once()) {
                server.stop(STOP_GRACE);
            }
        }
    }
}
