package dev.parley.app.wiring;

import dev.parley.app.cli.Exits;
import dev.parley.app.cli.UserError;
import dev.parley.app.trust.ConfigDirectory;
import dev.parley.app.trust.TranscriptFiles;
import dev.parley.cluster.NatsDesk;
import dev.parley.console.Console;
import dev.parley.console.ConsoleOperator;
import dev.parley.console.Consoles;
import dev.parley.console.JsonLinesTranscript;
import dev.parley.console.Terminals;
import dev.parley.core.port.Transcript;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Role;
import dev.parley.core.session.Session;
import dev.parley.core.wire.LineFraming;
import dev.parley.socket.Addresses;
import dev.parley.socket.NetworkException;
import dev.parley.socket.ProcessErrors;
import dev.parley.socket.server.Conversation;
import dev.parley.socket.server.ConversationHandle;
import dev.parley.socket.server.DeskDriver;
import dev.parley.socket.server.SerialExecutor;
import dev.parley.socket.server.ServerEvents;
import dev.parley.socket.server.OperatorPort;
import dev.parley.socket.server.ServerSettings;
import dev.parley.socket.server.TcpServer;
import dev.parley.socket.tls.ServerTls;
import dev.parley.web.ScrapeEndpoint;
import dev.parley.socket.tls.TlsProvider;
import dev.parley.web.WebChannels;
import dev.parley.web.WebSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The server program, wired by hand: the TCP server, and for each connection a session answered by
 * the responder or by the operators' desk ({@link DeskDriver}, on a thread of its own), where the
 * person at the console is one operator ({@link ConsoleOperator}), with the server's log and, if
 * asked, a transcript file. Tests run it in-process with {@link #start()}, {@link #awaitExit()} and
 * {@link #stop()}.
 *
 * <p>With the console, the server stops when its person is done: Ctrl-C, Ctrl-D at the line editor,
 * or, from a pipe, input that has ended with nothing left to answer.
 */
public final class ParleyServer implements Program {

    /** At least this many web requests may wait for an answer at once, and this many from one address. */
    static final int WAITING_WEB_REQUESTS = 128;
    static final int WAITING_WEB_REQUESTS_PER_ADDRESS = 16;

    /** How long open conversations get to end after a stop (Ctrl-C, SIGTERM). */
    static final Duration STOP_GRACE = Duration.ofSeconds(3);

    /** What the person at the server's terminal is told first: how to answer, the commands, and what Ctrl-D does. */
    static final List<String> GREETING = List.of("parley: answer each client at the you> prompt; bye ends that conversation; /who /pass /away /back",
            "parley: Ctrl-D stops the server, ending every conversation.");

    /** Everything the {@code server} command can set: how it listens and what it allows, who answers, what is kept. */
    public record Options(ServerSettings settings, ResponderChoice responder, boolean once, boolean verbose, Optional<Path> transcript,
            boolean logTimestamps, boolean quiet, Optional<WebPort> web, Optional<Tls> tls, Optional<Operators> operators,
            Optional<ListenAddress> metrics, Optional<Cluster> cluster) {

        /** Options with no desk shared by servers. */
        public Options(ServerSettings settings, ResponderChoice responder, boolean once, boolean verbose, Optional<Path> transcript,
                boolean logTimestamps, boolean quiet, Optional<WebPort> web, Optional<Tls> tls, Optional<Operators> operators,
                Optional<ListenAddress> metrics) {
            this(settings, responder, once, verbose, transcript, logTimestamps, quiet, web, tls, operators, metrics, Optional.empty());
        }

        /** Options without a web port, an operators' port or metrics, in plain text. */
        public Options(ServerSettings settings, ResponderChoice responder, boolean once, boolean verbose, Optional<Path> transcript,
                boolean logTimestamps, boolean quiet) {
            this(settings, responder, once, verbose, transcript, logTimestamps, quiet, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    /** --cluster and its options: the NATS servers, the desk's name, a credentials file. */
    public record Cluster(List<String> servers, String desk, Optional<Path> credentials) {}

    /**
     * --tls and its options: a key and certificate of the person's (else Parley's own), who may converse, who may join the
     * desk from the operators' port, the handshake's deadline, and the provider that carries it.
     */
    public record Tls(Optional<Path> cert, Optional<Path> key, Optional<Path> authorizedClients, Optional<Path> authorizedOperators,
            Duration handshakeTimeout, TlsProvider.Choice provider) {}

    /**
     * --operators [ADDR:]PORT and --max-operators: where remote operators join the desk, how many may be connected at once,
     * and how long each has for its hello (--handshake-timeout, a TLS handshake included).
     */
    public record Operators(String bind, int port, int maxOperators, Duration helloTimeout) {}

    private final Options options;
    private final Streams streams;
    private final Console console;
    /** The desk's work, one task at a time on the thread that hands it over (no thread of its own). */
    private final SerialExecutor deskTasks;
    private final DeskDriver desk;
    private final ServerLog log;
    /** What each conversation's ending tells the server: one object, not one per conversation. */
    private final Consumer<Outcome> whenEnded = this::ended;
    private volatile TcpServer server;
    /** The events the server reports: the log's, and with --metrics counted too. */
    private volatile ServerEvents events;
    /** With --metrics only (so the Prometheus client's classes load only then): the metrics and their port. */
    private volatile ServerMetrics metrics;
    private volatile ScrapeEndpoint scrape;
    /** The TLS of the clients' and the operators' ports, closed with the server (what their provider holds outside the heap). */
    private volatile ServerTls tls;
    private volatile ServerTls operatorsTls;
    private volatile JsonLinesTranscript transcript;
    private volatile boolean outputFailed;
    /** With --cluster only (so NATS's classes load only then): this server's link to the desk's other replicas. */
    private final NatsDesk cluster;
    private volatile boolean clusterFailed;

    public ParleyServer(Options options, Streams streams) {
        this.options = options;
        this.streams = streams;
        this.console = options.responder() instanceof ResponderChoice.Console
                ? Consoles.open(streams.mode(), streams.in(), streams.messages(), streams.err(),
                        streams.person() ? ConfigDirectory.from(System.getenv()).history("server.history", streams.err()::println)
                                : Optional.empty(),
                        options.verbose(), new ConsoleEvents())
                : null;
        Consumer<String> lines = console != null ? console::status : streams.err()::println;
        this.log = new ServerLog(new ServerLog.Style(lines, options.verbose(), options.logTimestamps(), options.quiet(), Clock.systemUTC()),
                this::greetOperator);
        boolean atDesk = console != null || options.responder() instanceof ResponderChoice.Desk;
        this.deskTasks = atDesk ? new SerialExecutor(ProcessErrors::escalate) : null;
        this.cluster = options.cluster().isPresent() ? new NatsDesk(ClusterSetup.settings(options.cluster().get()), this::clusterFailed,
                line -> log.line(line)) : null;
        this.desk = atDesk ? new DeskDriver(deskTasks, log::deskFailed, cluster, cluster == null ? null : Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "parley-cluster-inbound");
            thread.setDaemon(true);
            return thread;
        })) : null;
        if (console != null) {
            desk.join("console", new ConsoleOperator(console));
        }
    }

    private Conversation conversation(ConversationHandle handle) {
        ServerSettings settings = options.settings();
        ServerMetrics counted = metrics;
        Transcript logged = log.conversation(handle, counted == null ? whenEnded : outcome -> {
            counted.ended(handle.front(), outcome);
            ended(outcome);
        });
        if (desk != null) {
            // The operator with it is shown its messages and notices; the log adds the ending.
            DeskDriver.Seat seat = desk.seat(handle, recorded(Transcript.endingOnly(logged::ended), handle));
            return new Conversation(Session.serverForOperator(settings.framing(), settings.limits()), seat, seat);
        }
        return new Conversation(Session.server(settings.framing(), settings.limits(), ResponderChoice.automatic(options.responder())),
                Conversation.NO_OPERATOR, recorded(logged, handle));
    }

    /** {@code first}, then the transcript file's record of the conversation, if there is a file. */
    private Transcript recorded(Transcript first, ConversationHandle handle) {
        JsonLinesTranscript file = transcript;
        return file == null ? first : first.andThen(file.conversation(Role.SERVER, handle.remote()));
    }

    /** A conversation ended: with --once the server stops; so it does when its operator's input ended. */
    private void ended(Outcome outcome) {
        // A remote operator's input ending (another replica's) ends only its conversation, not this server.
        if (options.once() || (console != null && cluster == null && outcome.ending() == Outcome.Ending.INPUT_ENDED)) {
            server.stop(STOP_GRACE);
        }
    }

    private void greetOperator() {
        if (console != null && streams.person()) {
            GREETING.forEach(console::status);
        }
    }

    /**
     * Opens the transcript, binds and starts serving; prints {@code listening on HOST:PORT}.
     *
     * @throws UserError when the transcript cannot be opened or the address bound (the console is closed)
     */
    public void start() throws UserError {
        try {
            if (options.tls().isPresent()) {
                TlsSetup.Server setup = TlsSetup.server(options.tls().get(), streams.err()::println, log::line);
                tls = setup.tls();
                operatorsTls = setup.operatorsTls().orElse(null);
                if (options.verbose()) {
                    log.line("parley: TLS on " + options.tls().get().provider().describe() + ", as " + TlsProvider.VARIABLE
                            + " chooses (auto, openssl or jdk)");
                }
                log.tls(tls.fingerprint(), setup.clients().map(clients -> clients::name), setup.operators().map(operators -> operators::name));
                setup.clients().ifPresent(clients -> log.line("parley: only the clients in --authorized-clients may converse ("
                        + clients.size() + " now)"));
                setup.operators().ifPresent(operators -> log.line("parley: only the operators in --authorized-operators may join the desk ("
                        + operators.size() + " now)"));
            }
            if (options.transcript().isPresent()) {
                transcript = TranscriptFiles.open(options.transcript().get(), Role.SERVER, log::line);
            }
            if (cluster != null) {
                ClusterSetup.join(cluster, options.cluster().get(), log::line);
            }
            events = log;
            if (options.metrics().isPresent()) {
                metrics = new ServerMetrics(() -> server == null ? 0 : server.memoryHeld(), options.settings().memoryBudget(),
                        desk != null ? DeskReadings.of(desk) : DeskReadings.AUTOMATIC);
                if (cluster != null) {
                    metrics.cluster(cluster::messagesIn, cluster::messagesOut);
                }
                events = metrics.observing(log);
            }
            server = new TcpServer(options.settings(), this::conversation, events, tls);
            if (cluster != null) {
                server.account(desk); // what the shared desk holds charges the one memory account
                desk.start();
            }
            server.start();
            if (options.operators().isPresent()) {
                startOperators(options.operators().get());
            }
            if (!options.quiet()) {
                Optional<TlsProvider.Choice> provider = options.tls().map(Tls::provider);
                log.line(Capacity.line(options.settings(), options.web().isPresent(), options.operators().map(Operators::maxOperators).orElse(0),
                        Capacity.Machine.current(), Capacity.PerConnection.of(provider.map(TlsProvider.Choice::provider)), provider,
                        cluster != null ? Capacity.CLUSTER_BYTES : 0));
            }
            if (options.web().isPresent()) {
                startWeb(options.web().get());
            }
            if (metrics != null) {
                startMetrics(options.metrics().get());
            }
            if (console != null) {
                console.start();
            }
        } catch (NetworkException e) {
            close();
            throw new UserError(e.getMessage() + bindAdvice(e.getMessage()), Exits.FAILURE, e);
        } catch (UserError e) {
            close();
            throw e;
        }
    }

    /** The web port beside the TCP one, on the same loops and limits (see the README's "From a web browser"). */
    private void startWeb(WebPort web) throws UserError {
        ServerSettings settings = options.settings();
        // A browser opens several connections to load one page (Chromium a spare one besides): room for them.
        WebSettings page = new WebSettings(((LineFraming) settings.framing()).maxLineBytes(), web.origins(),
                settings.limits().lineTimeout(), Math.max(WAITING_WEB_REQUESTS, settings.maxConversations()),
                Math.max(WAITING_WEB_REQUESTS_PER_ADDRESS, settings.maxPerAddress()));
        try {
            String scheme = options.tls().isPresent() ? "https://" : "http://"; // the server's TLS comes first on the web port too
            log.line("web page on " + scheme + server.listen(web.bind(), web.port(), new WebChannels(page, events::refused), WebChannels::heldBytes) + "/");
        } catch (NetworkException e) {
            throw extraPortFailed(e, "--web");
        }
    }

    /** The metrics' port ({@code --metrics}): Prometheus's text at /metrics, on a thread of its own. */
    private void startMetrics(ListenAddress where) throws UserError {
        try {
            scrape = ScrapeEndpoint.start(where.bind(), where.port(), metrics::scrape, ServerMetrics.CONTENT_TYPE);
        } catch (IOException e) {
            throw extraPortFailed(ServerSettings.bindFailed(Addresses.format(where.bind(), where.port()), e), "--metrics");
        }
        log.line("metrics on " + Addresses.format(scrape.address()));
    }

    /** A port beside the TCP one ({@code option}) could not be bound: the server stops, and the error names the option. */
    private UserError extraPortFailed(NetworkException e, String option) {
        server.stop(Duration.ZERO);
        return new UserError(e.getMessage().replaceFirst("^(cannot listen on \\S+):", "$1 (" + option + "):")
                + bindAdvice(e.getMessage()).replace("--port", option + " port"), Exits.FAILURE, e);
    }

    /** The operators' port beside the clients' one, on the same loops and memory account: each operator joins the desk. */
    private void startOperators(Operators operators) throws UserError {
        try {
            log.line("operators on " + server.listenOperators(new OperatorPort(operators.bind(), operators.port(), desk, operatorsTls,
                    operators.maxOperators(), operators.helloTimeout(), server.address())));
        } catch (NetworkException e) {
            throw extraPortFailed(e, "--operators");
        }
    }

    /** What to do about a failed bind, from its reason. */
    static String bindAdvice(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("in use")) {
            return "; choose another --port or stop what is using it";
        }
        if (m.contains("unknown host")) {
            return "; check the name given to --bind";
        }
        if (m.contains("assign requested address")) {
            return "; --bind takes an address of this machine (127.0.0.1; 0.0.0.0 or :: for all)";
        }
        if (m.contains("permission denied")) {
            return "; ports below 1024 need privileges: choose a --port above 1023";
        }
        return "";
    }

    /** The port actually bound. */
    public int port() {
        return server.port();
    }

    /** Blocks until the server has stopped; returns the exit code. */
    public int awaitExit() throws InterruptedException {
        server.awaitStopped();
        close();
        return outputFailed || clusterFailed ? Exits.FAILURE : Exits.OK;
    }

    private void close() {
        if (scrape != null) {
            scrape.stop();
        }
        log.close();
        if (tls != null) {
            tls.close(); // what its provider holds outside the heap, once no connection uses it
        }
        if (operatorsTls != null) {
            operatorsTls.close();
        }
        if (transcript != null) {
            transcript.close();
        }
        if (console != null) {
            console.close();
        }
        if (deskTasks != null) {
            deskTasks.shutdown();
        }
        if (cluster != null) {
            ClusterSetup.leave(deskTasks, cluster);
        }
        streams.flush();
    }

    @Override
    public int run() throws InterruptedException {
        return awaitExit();
    }

    /** Stops accepting, says bye to open conversations and waits for them briefly. */
    @Override
    public int stop() {
        if (server != null) {
            server.stop(STOP_GRACE);
        }
        return Exits.OK;
    }

    /** This replica can no longer be part of the shared desk (declared gone, or its changes cannot reach the broker): it stops. */
    private void clusterFailed(String why) {
        clusterFailed = true;
        log.line("parley: " + why + "; stopping");
        stopAside();
    }

    /**
     * Stops the server on a thread of its own: for what a desk task (or a thread that may be running
     * one) decides, since the stop waits for the operators to be told, which the desk's tasks do.
     */
    private void stopAside() {
        TcpServer running = server;
        if (running != null) {
            new Thread(() -> running.stop(STOP_GRACE), "parley-stop").start();
        }
    }

    /** The person at the console: done, interrupted, or no longer reading what is shown. */
    private final class ConsoleEvents implements Console.Listener {

        @Override
        public void inputEnded() {
            // A pipe that has ended stops the server once no one is left to answer; Ctrl-D at the editor, at once.
            if (streams.mode() == Terminals.Mode.LINE_EDITOR || streams.mode() == Terminals.Mode.LINE_EDITOR_ON_STDERR) {
                server.stop(STOP_GRACE);
            } else {
                desk.onceEmpty(ParleyServer.this::stopAside);
            }
        }

        @Override
        public void interrupted() {
            server.stop(STOP_GRACE);
        }

        @Override
        public void outputFailed(boolean brokenPipe, String reason) {
            if (!brokenPipe) {
                outputFailed = true;
                streams.err().println("parley: cannot write to standard output: " + reason + "; stopping");
            }
            stopAside(); // a message the desk's task was writing failed
        }
    }
}
