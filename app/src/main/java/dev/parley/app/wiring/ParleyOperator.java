package dev.parley.app.wiring;

import dev.parley.app.cli.Exits;
import dev.parley.app.cli.UserError;
import dev.parley.app.trust.ConfigDirectory;
import dev.parley.console.Console;
import dev.parley.console.ConsoleOperator;
import dev.parley.console.Consoles;
import dev.parley.console.StreamConsole;
import dev.parley.console.TerminalSafe;
import dev.parley.core.desk.OperatorWire;
import dev.parley.core.session.Durations;
import dev.parley.socket.client.OperatorConnection;
import dev.parley.socket.client.RemoteDesk;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The operator program, wired by hand: a connection to a server's operators' port driven on this
 * thread ({@link OperatorConnection}), the server's desk read into the same operator the console
 * server has ({@link RemoteDesk} calling a {@link ConsoleOperator}), and that operator's console: the
 * line editor at a terminal, or a pipe whose lines answer the clients in turn, whose standard output
 * carries exactly the clients' messages. Leaving (Ctrl-D, the end of a pipe, Ctrl-C) exits 0; a
 * refusal or failure exits 1, a connection the server closed or lost ({@link Exits#CUT_OFF}) 3, with one line.
 */
public final class ParleyOperator implements Program {

    /** How long Ctrl-C or SIGTERM waits for the connection to be closed cleanly. */
    static final Duration LEAVE_WAIT = Duration.ofMillis(500);

    /** How long the server has to admit the operator when --connect-timeout is 0. */
    static final Duration WELCOME_WAIT = Duration.ofSeconds(30);

    /** Everything the {@code operator} command can set. */
    public record Options(String host, int port, String name, int maxLineBytes, Duration connectTimeout, boolean verbose,
            Optional<ParleyClient.Tls> tls) {}

    private final Options options;
    private final Streams streams;
    private final ServerReach reach;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile RemoteDesk desk;
    /** Why the operator left with a failure: one line, shown once the terminal is restored; null while none. */
    private volatile String failure;

    public ParleyOperator(Options options, Streams streams) {
        this.options = options;
        this.streams = streams;
        this.reach = new ServerReach(options.host(), options.port(), options.tls(), streams);
    }

    /** The greeting of a person at a terminal, once the desk has admitted them. */
    static List<String> greeting(String where, String name, boolean tls) {
        return List.of("parley: at the operators' desk of " + where + (tls ? " over TLS" : "") + " as " + TerminalSafe.render(name),
                ParleyServer.GREETING.get(0),
                "parley: Ctrl-D leaves the desk (a client with you goes back to the front of the line).");
    }

    /** Connects, sits at the desk until leaving or cut off; returns the exit code. */
    @Override
    public int run() throws UserError {
        OperatorConnection connection = reach.connect(tls -> OperatorConnection.connect(options.host(), options.port(),
                options.connectTimeout(), tls, OperatorWire.maxLineBytes(options.maxLineBytes())), OperatorConnection::remote)
                .connection();
        String where = connection.remote();
        Console console = Consoles.open(streams.mode(), streams.in(), streams.messages(), streams.err(),
                streams.person() ? ConfigDirectory.from(System.getenv()).history("operator.history", streams.err()::println)
                        : Optional.empty(),
                options.verbose(), new ConsoleEvents());
        OperatorConnection.End end;
        try {
            BooleanSupplier spent = console instanceof StreamConsole pipe && !streams.person() ? pipe::spent : () -> false;
            desk = new RemoteDesk(new ConsoleOperator(console), connection, new DeskEvents(console, where), spent,
                    options.maxLineBytes());
            connection.send(RemoteDesk.hello(options.name()));
            console.start();
            Duration wait = options.connectTimeout().isZero() ? WELCOME_WAIT : options.connectTimeout();
            CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                if (!desk.welcomed() && failure == null) {
                    failure = "no answer from " + where + " within " + Durations.format(wait)
                            + " (connect timeout); is it the server's --operators port?";
                    desk.leave();
                }
            });
            end = connection.run(this::fromServer);
        } finally {
            done.countDown();
            console.close();
            streams.flush();
        }
        return exit(end, where);
    }

    /** A server line, for the desk. */
    private void fromServer(String line) {
        desk.line(line);
    }

    /** The exit code for how the connection ended; a failure is thrown as its one line. */
    private int exit(OperatorConnection.End end, String where) throws UserError {
        String failed = failure;
        if (failed != null) {
            throw new UserError(failed, Exits.FAILURE, null);
        }
        String how = switch (end.ending()) {
            case LEFT -> null;
            case CLOSED -> "the server at " + where + " closed the connection";
            case CUT_OFF -> "the server at " + where + " closed the connection in the middle of a line";
            case TOO_LONG -> "the server at " + where + " sent a " + end.detail()
                    + "; give --max-line-bytes as the server's, or more";
            case LOST -> "connection to " + where + " lost: " + end.detail();
        };
        if (how == null) {
            return Exits.OK;
        }
        // Cut off (closed or lost with no word from the server) is told apart from a failure, as for the client.
        throw new UserError(how + (desk.welcomed() ? "" : " before admitting this operator"),
                end.ending() == OperatorConnection.Ending.TOO_LONG ? Exits.FAILURE : Exits.CUT_OFF, null);
    }

    /** Leaves the desk, for Ctrl-C and SIGTERM: the connection is closed, its client goes back to the line. */
    @Override
    public int stop() {
        RemoteDesk current = desk;
        if (current == null) {
            return reach.asking() ? Exits.FAILURE : Exits.OK; // a Ctrl-C at the trust question is a no
        }
        current.leave();
        try {
            done.await(LEAVE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Exits.OK;
    }

    /** What the desk tells the program, on the connection's thread. */
    private final class DeskEvents implements RemoteDesk.Events {
        private final Console console;
        private final String where;

        DeskEvents(Console console, String where) {
            this.console = console;
            this.where = where;
        }

        @Override
        public void welcomed(String name) {
            if (streams.person()) {
                greeting(where, name, options.tls().isPresent()).forEach(console::status);
            } else {
                console.status("parley: at the operators' desk of " + where + " as " + TerminalSafe.render(name));
            }
        }

        @Override
        public void failed(String reason) {
            failure = where + " says: " + TerminalSafe.render(reason);
        }

        @Override
        public void unreadable(String reason) {
            failure = where + " does not speak the operators' protocol (" + TerminalSafe.render(reason)
                    + "); is it the server's --operators port?";
        }
    }

    /** The person: done, interrupted, or no longer reading the clients' messages. */
    private final class ConsoleEvents implements Console.Listener {

        @Override
        public void inputEnded() {
            // Ctrl-D at the editor, or a pipe with no line left: the operator leaves (its client goes back to the line).
            RemoteDesk current = desk;
            if (current != null) {
                current.leave();
            }
        }

        @Override
        public void interrupted() {
            stop();
        }

        @Override
        public void outputFailed(boolean brokenPipe, String reason) {
            if (!brokenPipe) {
                failure = "cannot write to standard output: " + reason + "; left the desk";
            }
            inputEnded();
        }
    }
}
