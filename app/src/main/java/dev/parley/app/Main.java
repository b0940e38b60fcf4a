package dev.parley.app;

import dev.parley.app.cli.CommandSpec;
import dev.parley.app.cli.Commands;
import dev.parley.app.cli.Completion;
import dev.parley.app.cli.Exits;
import dev.parley.app.cli.HostPort;
import dev.parley.app.cli.UserError;
import dev.parley.app.trust.ConfigDirectory;
import dev.parley.app.trust.Identities;
import dev.parley.app.wiring.BenchProgress;
import dev.parley.app.wiring.Capacity;
import dev.parley.app.wiring.FatalError;
import dev.parley.app.wiring.FileLimits;
import dev.parley.app.wiring.ParleyClient;
import dev.parley.app.wiring.ParleyOperator;
import dev.parley.app.wiring.ParleyServer;
import dev.parley.app.wiring.Program;
import dev.parley.app.wiring.ResponderChoice;
import dev.parley.app.wiring.SelectorProviderChoice;
import dev.parley.app.wiring.Signals;
import dev.parley.app.wiring.Streams;
import dev.parley.app.wiring.TlsSetup;
import dev.parley.app.wiring.ListenAddress;
import dev.parley.app.wiring.WebPort;
import dev.parley.cluster.ClusterSettings;
import dev.parley.console.TerminalSafe;
import dev.parley.core.session.Limits;
import dev.parley.core.wire.Framing;
import dev.parley.core.wire.LineFraming;
import dev.parley.core.wire.RawFraming;
import dev.parley.load.BenchReport;
import dev.parley.load.LoadGenerator;
import dev.parley.socket.client.RemoteDesk;
import dev.parley.socket.server.ServerSettings;
import dev.parley.socket.tls.ClientTls;
import dev.parley.socket.tls.Fingerprints;
import dev.parley.web.Origins;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The entry point: reads the command line against the {@link Commands} table, builds the program's
 * object graph by hand ({@link ParleyServer}, {@link ParleyClient}, the load generator), and maps
 * every failure to one line and an exit code. The parsing is hand-written ({@link CommandSpec})
 * rather than picocli: with picocli a one-option command took 230 ms more than a hello world to
 * start on the reference machine (docs/BENCHMARKS.md, P5).
 */
public final class Main {

    private final Streams streams;
    private final boolean handleSignals;
    private volatile boolean verbose;

    Main(Streams streams, boolean handleSignals) {
        this.streams = streams;
        this.handleSignals = handleSignals;
    }

    public static void main(String[] args) {
        Streams streams = Streams.system();
        Main main = new Main(streams, true);
        Thread.setDefaultUncaughtExceptionHandler(new FatalError(streams, new Verbose(main)));
        SelectorProviderChoice.nameTheJdksOwn();
        int code = main.execute(args);
        streams.flush();
        System.exit(code);
    }

    /** Runs one command line against {@code streams}; returns the exit code. */
    public static int run(Streams streams, boolean handleSignals, String... args) {
        return new Main(streams, handleSignals).execute(args);
    }

    /**
     * Whether --verbose was given, for the fatal-error handler. A class, not {@code main::isVerbose}:
     * the first lambda of a run starts {@code java.lang.invoke}, which on JDK 17 costs
     * {@code --version} about a tenth of its start-up even with the launcher's cache, and nothing
     * else on that path needs it (docs/BENCHMARKS.md, Start-up).
     */
    private static final class Verbose implements BooleanSupplier {
        private final Main main;

        Verbose(Main main) {
            this.main = main;
        }

        @Override
        public boolean getAsBoolean() {
            return main.verbose;
        }
    }

    private int execute(String... args) {
        try {
            return dispatch(args);
        } catch (Exception e) {
            return failure(e);
        }
    }

    private int dispatch(String[] args) throws Exception {
        List<String> rest = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--verbose")) {
                verbose = true;
                System.setProperty("parley.verbose", "true");
            } else {
                rest.add(arg);
            }
        }
        if (rest.isEmpty()) {
            streams.err().print(Commands.topHelp());
            return Exits.USAGE;
        }
        String first = rest.get(0);
        if (isHelp(first) || isVersion(first)) {
            return print(isHelp(first) ? Commands.topHelp() : Commands.version());
        }
        CommandSpec spec = Commands.ALL.get(first);
        if (spec == null) {
            throw new UserError((first.startsWith("-") ? "Unknown option '" + first + "'" : "Unknown command '" + first + "'"
                    + CommandSpec.suggestion(first, Commands.ALL.keySet())) + "; see 'parley --help'", Exits.USAGE, null);
        }
        List<String> options = rest.subList(1, rest.size());
        for (String option : options) {
            if (option.equals("--")) {
                break;
            }
            if (isHelp(option) || isVersion(option)) {
                return print(isHelp(option) ? spec.help() : Commands.version());
            }
        }
        if (spec == Commands.COMPLETION) {
            if (options.size() != 1) {
                throw spec.usage("Give one shell: parley completion bash, or parley completion zsh");
            }
            return print(Completion.script(options.get(0)));
        }
        CommandSpec.Parsed parsed = spec.parse(options);
        switch (first) {
            case "server":
                return server(parsed);
            case "client":
                return client(parsed);
            case "operator":
                return operator(parsed);
            case "fingerprint":
                return fingerprint(parsed);
            default:
                return bench(parsed);
        }
    }

    private int print(String text) {
        streams.out().print(text);
        streams.out().flush();
        return Exits.OK;
    }

    private static boolean isHelp(String arg) {
        return arg.equals("--help") || arg.equals("-h");
    }

    private static boolean isVersion(String arg) {
        return arg.equals("--version") || arg.equals("-V");
    }

    private int failure(Exception e) {
        int code = e instanceof UserError ? ((UserError) e).exitCode() : Exits.FAILURE;
        String message = e instanceof UserError ? e.getMessage() : "unexpected error: " + e;
        streams.err().println("parley: " + message + (verbose || e instanceof UserError ? "" : " (run with --verbose for details)"));
        if (verbose) {
            e.printStackTrace(streams.err());
        }
        return code;
    }

    private int withSignals(Program program) throws Exception {
        return handleSignals ? Signals.handling(program, streams) : program.run();
    }

    private int server(CommandSpec.Parsed p) throws Exception {
        int maxConversations = p.integer("--max-conversations");
        Framing framing = framing(p.text("--framing"), p.integer("--max-line-bytes"));
        Optional<ParleyServer.Tls> tls = Optional.empty();
        requireTls(Commands.SERVER, p, "--cert", "--key", "--authorized-clients", "--authorized-operators");
        if (!p.given("--operators")) {
            requireTls(Commands.SERVER, p, "--handshake-timeout"); // without TLS it is the operators' hello's deadline
        }
        if (p.flag("--tls")) {
            if (p.given("--cert") != p.given("--key")) {
                throw Commands.SERVER.usage("--cert and --key go together: give both, or neither to use Parley's own identity");
            }
            if (framing instanceof RawFraming) {
                throw Commands.SERVER.usage("--framing raw cannot be used with --tls: the tutorial's programs speak plain text");
            }
            Duration handshake = p.duration("--handshake-timeout");
            if (handshake.isZero()) {
                throw Commands.SERVER.usage("--handshake-timeout must be more than 0: a handshake that may take for ever holds its slot for ever");
            }
            tls = Optional.of(new ParleyServer.Tls(p.value("--cert").map(Path::of), p.value("--key").map(Path::of),
                    p.value("--authorized-clients").map(Path::of), p.value("--authorized-operators").map(Path::of), handshake,
                    TlsSetup.provider(System.getenv())));
        }
        ResponderChoice responder = ResponderChoice.parse(p.text("--responder"));
        Optional<ParleyServer.Operators> operators = operators(p, responder);
        ServerSettings settings = new ServerSettings(p.text("--bind"), p.integer("--port"), framing,
                new Limits(p.duration("--idle-timeout"), p.duration("--line-timeout"), p.duration("--first-message-timeout")),
                maxConversations, p.integer("--max-per-address"),
                p.size("--memory-budget").orElseGet(ServerSettings::defaultMemoryBudget),
                p.given("--backlog") ? p.integer("--backlog") : ServerSettings.defaultBacklog(maxConversations),
                p.flag("--proxy-protocol"));
        // Limits that cannot fit this JVM are refused (given) or lowered (defaults), never left to the load to find.
        Optional<ParleyServer.Cluster> cluster = cluster(p);
        Capacity.Fit fit = Capacity.fit(settings, p.given("--web"), operators.map(ParleyServer.Operators::maxOperators).orElse(0),
                p.given("--memory-budget"), p.given("--max-conversations"), Capacity.Machine.current(),
                Capacity.PerConnection.of(tls.map(t -> t.provider().provider())), cluster.isPresent() ? Capacity.CLUSTER_BYTES : 0);
        fit.lowered().forEach(streams.err()::println);
        settings = fit.settings();
        ParleyServer server = new ParleyServer(new ParleyServer.Options(settings, responder,
                p.flag("--once"), verbose, p.value("--transcript").map(Path::of), p.flag("--log-timestamps"), p.flag("--quiet"),
                webPort(p), tls, operators, metricsPort(p), cluster), streams);
        // Started under the signals' watch, so that a Ctrl-C or a supervisor's TERM the moment the
        // port is bound stops the server as at any other time. A stop waits for a start under way to
        // finish (binding is bounded) and then stops what it started; one that comes first means it
        // never starts.
        return withSignals(new Program() {
            private boolean stopped;

            @Override
            public int run() throws Exception {
                synchronized (this) {
                    if (stopped) {
                        return Exits.OK;
                    }
                    server.start();
                }
                return server.run();
            }

            @Override
            public int stop() {
                synchronized (this) {
                    stopped = true;
                }
                return server.stop();
            }
        });
    }

    /** The shared desk from --cluster, --desk and --cluster-creds, if asked for (the file is read at start-up). */
    private static Optional<ParleyServer.Cluster> cluster(CommandSpec.Parsed p) throws UserError {
        if (!p.given("--cluster")) {
            for (String option : List.of("--desk", "--cluster-creds")) {
                if (p.given(option)) {
                    throw Commands.SERVER.usage(option + " is for a desk shared by servers: give --cluster too");
                }
            }
            return Optional.empty();
        }
        String responder = p.text("--responder");
        if (!responder.equals("console") && !responder.equals("desk")) {
            throw Commands.SERVER.usage("--cluster shares the operators' desk: use --responder console or desk");
        }
        List<String> servers = List.of(p.text("--cluster").split(",", -1));
        for (String server : servers) {
            if (!ClusterSettings.isServerUrl(server)) {
                throw Commands.SERVER.usage("Invalid value for option '--cluster': '" + TerminalSafe.render(ClusterSettings.masked(server))
                        + "' is not nats://HOST:PORT (or tls://HOST:PORT)");
            }
        }
        if (!ClusterSettings.DESK_NAME.matcher(p.text("--desk")).matches()) {
            throw Commands.SERVER.usage("Invalid value for option '--desk': 1 to 32 letters, digits, - or _");
        }
        return Optional.of(new ParleyServer.Cluster(servers, p.text("--desk"), p.value("--cluster-creds").map(Path::of)));
    }

    /** The metrics' port from --metrics, if asked for. */
    private static Optional<ListenAddress> metricsPort(CommandSpec.Parsed p) throws UserError {
        if (!p.given("--metrics")) {
            return Optional.empty();
        }
        try {
            return Optional.of(ListenAddress.parse(p.text("--metrics"), p.text("--bind")));
        } catch (IllegalArgumentException e) {
            throw Commands.SERVER.usage("Invalid value for option '--metrics': " + e.getMessage());
        }
    }

    /**
     * The operators' port from --operators and --max-operators, checked: it needs a desk (--responder console or desk), and
     * an operator sees every client's words, so without --tls it listens on a loopback address only, and with --tls it
     * admits operators by key only (--authorized-operators).
     */
    private static Optional<ParleyServer.Operators> operators(CommandSpec.Parsed p, ResponderChoice responder) throws UserError {
        boolean desk = responder instanceof ResponderChoice.Console || responder instanceof ResponderChoice.Desk;
        if (!p.given("--operators")) {
            for (String option : List.of("--max-operators", "--authorized-operators")) {
                if (p.given(option)) {
                    throw Commands.SERVER.usage(option + " is for the operators' port: give --operators too");
                }
            }
            if (responder instanceof ResponderChoice.Desk && !p.given("--cluster")) { // with --cluster, other replicas' operators answer
                throw Commands.SERVER.usage("--responder desk needs --operators [ADDR:]PORT (or --cluster): with no one at this terminal, "
                        + "clients wait for operators who join there");
            }
            return Optional.empty();
        }
        if (!desk) {
            throw Commands.SERVER.usage("--operators needs --responder console or desk: echo and file answer clients themselves");
        }
        ListenAddress listen;
        try {
            listen = ListenAddress.parse(p.text("--operators"), p.text("--bind"));
        } catch (IllegalArgumentException e) {
            throw Commands.SERVER.usage("Invalid value for option '--operators': " + e.getMessage());
        }
        String bind = listen.bind();
        if (p.flag("--tls")) {
            if (!p.given("--authorized-operators")) {
                throw Commands.SERVER.usage("--operators with --tls needs --authorized-operators FILE: an operator sees every "
                        + "client's words, so each is admitted by its key (one SHA256:... a line, as 'parley fingerprint --client' prints it)");
            }
        } else {
            InetAddress address;
            try {
                address = InetAddress.getByName(bind);
            } catch (UnknownHostException e) {
                throw Commands.SERVER.usage("cannot listen on " + TerminalSafe.forLog(bind, 100) + " (--operators): unknown host");
            }
            if (!address.isLoopbackAddress()) {
                throw Commands.SERVER.usage("--operators " + TerminalSafe.forLog(p.text("--operators"), 100) + " without --tls may listen "
                        + "on a loopback address only (127.0.0.1:PORT, [::1]:PORT): an operator sees every client's words; to take "
                        + "operators from other machines add --tls and --authorized-operators FILE");
            }
            bind = address.getHostAddress(); // the address checked is the one bound
        }
        return Optional.of(new ParleyServer.Operators(bind, listen.port(), p.integer("--max-operators"), helloTimeout(p)));
    }

    /** --handshake-timeout, which is also the operators' hello's deadline: more than 0. */
    private static Duration helloTimeout(CommandSpec.Parsed p) throws UserError {
        Duration timeout = p.duration("--handshake-timeout");
        if (timeout.isZero()) {
            throw Commands.SERVER.usage("--handshake-timeout must be more than 0: a handshake that may take for ever holds its slot for ever");
        }
        return timeout;
    }

    /** The web port from --web and --web-origin, if asked for: it speaks the line protocol only. */
    private static Optional<WebPort> webPort(CommandSpec.Parsed p) throws UserError {
        if (!p.given("--web")) {
            if (p.given("--web-origin")) {
                throw Commands.SERVER.usage("--web-origin is for the web page: give --web too");
            }
            return Optional.empty();
        }
        if (p.text("--framing").equals("raw")) {
            throw Commands.SERVER.usage("--web speaks the line protocol: leave out --framing raw");
        }
        if (p.given("--authorized-clients")) {
            // A browser has no Parley identity to present: the page would let anyone past the list.
            throw Commands.SERVER.usage("--web cannot be used with --authorized-clients: browsers have no client key to check");
        }
        Origins origins;
        try {
            origins = p.given("--web-origin") ? Origins.parse(p.text("--web-origin")) : Origins.sameOriginOnly();
        } catch (IllegalArgumentException e) {
            throw Commands.SERVER.usage("Invalid value for option '--web-origin': " + e.getMessage());
        }
        try {
            return Optional.of(WebPort.parse(p.text("--web"), p.text("--bind"), origins));
        } catch (IllegalArgumentException e) {
            throw Commands.SERVER.usage("Invalid value for option '--web': " + e.getMessage());
        }
    }

    private int client(CommandSpec.Parsed p) throws Exception {
        HostPort server = hostPort(Commands.CLIENT, p);
        Framing framing = framing(p.text("--framing"), p.integer("--max-line-bytes"));
        Optional<ParleyClient.Tls> tls = clientTls(Commands.CLIENT, p, framing);
        ParleyClient client = new ParleyClient(new ParleyClient.Options(server.host(), server.port(),
                framing, p.duration("--connect-timeout"),
                new Limits(p.duration("--idle-timeout"), p.duration("--line-timeout")), p.value("--transcript").map(Path::of), verbose,
                tls), streams);
        return withSignals(client);
    }

    private int operator(CommandSpec.Parsed p) throws Exception {
        HostPort server = hostPort(Commands.OPERATOR, p);
        String name = p.given("--name") ? p.text("--name") : defaultOperatorName();
        try {
            RemoteDesk.hello(name);
        } catch (IllegalArgumentException e) {
            throw Commands.OPERATOR.usage("Invalid value for option '--name': " + e.getMessage());
        }
        Optional<ParleyClient.Tls> tls = clientTls(Commands.OPERATOR, p, new LineFraming());
        return withSignals(new ParleyOperator(new ParleyOperator.Options(server.host(), server.port(), name,
                p.integer("--max-line-bytes"), p.duration("--connect-timeout"), verbose, tls), streams));
    }

    /** The operator's name when --name is not given: the user's, if it can be one, else {@code operator}. */
    private static String defaultOperatorName() {
        String user = System.getProperty("user.name", "");
        try {
            RemoteDesk.hello(user);
            return user;
        } catch (IllegalArgumentException e) {
            return "operator";
        }
    }

    /** The client's TLS options, checked: --fingerprint and --trust-new need --tls, which raw framing cannot have. */
    private static Optional<ParleyClient.Tls> clientTls(CommandSpec spec, CommandSpec.Parsed p, Framing framing) throws UserError {
        requireTls(spec, p, "--fingerprint", "--trust-new");
        if (!p.flag("--tls")) {
            return Optional.empty();
        }
        if (framing instanceof RawFraming) {
            throw spec.usage("--framing raw cannot be used with --tls: the tutorial's programs speak plain text");
        }
        Optional<String> pin;
        try {
            pin = p.value("--fingerprint").map(Fingerprints::parse);
        } catch (IllegalArgumentException e) {
            throw spec.usage("Invalid value for option '--fingerprint': " + e.getMessage());
        }
        return Optional.of(new ParleyClient.Tls(pin, p.given("--trust-new") && p.flag("--trust-new")));
    }

    /** Options that mean something only with --tls. */
    private static void requireTls(CommandSpec spec, CommandSpec.Parsed p, String... options) throws UserError {
        if (p.flag("--tls")) {
            return;
        }
        for (String option : options) {
            if (p.given(option)) {
                throw spec.usage(option + " needs --tls");
            }
        }
    }

    private int fingerprint(CommandSpec.Parsed p) throws Exception {
        if (p.given("--cert") && p.flag("--client")) {
            throw Commands.FINGERPRINT.usage("--client and --cert name two different keys; give one");
        }
        String fingerprint;
        if (p.given("--cert")) {
            fingerprint = Identities.fingerprintOf(Path.of(p.text("--cert")));
        } else {
            boolean client = p.flag("--client");
            fingerprint = Identities.own(ConfigDirectory.from(System.getenv()), client ? Identities.CLIENT : Identities.SERVER,
                    client ? "client" : "server", streams.err()::println).identity().fingerprint();
        }
        return print(fingerprint + "\n");
    }

    /**
     * The server's address from --host, which may carry the port, and --port, which may not say it
     * again, and must say it when it has no default (the operators' port).
     */
    private static HostPort hostPort(CommandSpec spec, CommandSpec.Parsed p) throws UserError {
        HostPort given;
        boolean port = p.value("--port").isPresent();
        try {
            given = HostPort.parse(p.text("--host"), port ? p.integer("--port") : 0);
        } catch (IllegalArgumentException e) {
            throw spec.usage("Invalid value for option '--host': " + e.getMessage());
        }
        if (given.portGiven() && p.given("--port")) {
            throw spec.usage("The port is given twice, in --host and in --port; give it once");
        }
        if (!given.portGiven() && !port) {
            throw spec.usage("Give the server's port: --port N, or HOST:PORT in --host");
        }
        return given;
    }

    private int bench(CommandSpec.Parsed p) throws Exception {
        HostPort server = hostPort(Commands.BENCH, p);
        int conversations = p.integer("--conversations");
        FileLimits.warnIfTooLow(conversations, "--conversations", streams.err());
        LoadGenerator.Plan plan = new LoadGenerator.Plan(server.host(), server.port(), conversations, p.integer("--messages"),
                p.integer("--message-bytes"), p.duration("--connect-timeout"), p.duration("--reply-timeout"));
        requireTls(Commands.BENCH, p, "--fingerprint");
        ClientTls tls = null;
        if (p.flag("--tls")) {
            Optional<String> pin;
            try {
                pin = p.value("--fingerprint").map(Fingerprints::parse);
            } catch (IllegalArgumentException e) {
                throw Commands.BENCH.usage("Invalid value for option '--fingerprint': " + e.getMessage());
            }
            tls = TlsSetup.benchClient(server.host(), server.port(), new ParleyClient.Tls(pin, false), streams.err()::println);
        }
        LoadGenerator.Result result;
        try (BenchProgress progress = new BenchProgress(streams.err(), streams.errIsTerminal())) {
            result = new LoadGenerator(plan, tls, progress).run();
        } catch (LoadGenerator.BenchFailure e) {
            throw new UserError("bench failed: " + TerminalSafe.render(e.getMessage()), Exits.FAILURE, e);
        }
        streams.out().print(p.flag("--json") ? BenchReport.json(result) + "\n" : BenchReport.human(result));
        streams.out().flush();
        return Exits.OK;
    }

    /** The framing the command table allows: {@code line} with its limit, or {@code raw}. */
    static Framing framing(String name, int maxLineBytes) {
        return name.equals("raw") ? new RawFraming() : new LineFraming(maxLineBytes);
    }
}
