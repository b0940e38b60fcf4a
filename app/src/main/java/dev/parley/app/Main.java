package dev.parley.app;

import dev.parley.app.bench.BenchReport;
import dev.parley.app.bench.LoadGenerator;
import dev.parley.console.Terminal;
import dev.parley.console.TerminalSafe;
import dev.parley.core.wire.Framing;
import dev.parley.core.wire.LineFraming;
import dev.parley.core.wire.RawFraming;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The command line: parses arguments, builds the program's object graph, maps errors to exit codes. */
@Command(name = "parley", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Turn-based terminal chat over TCP. The client speaks first; the server answers each message.",
        subcommands = {Main.Server.class, Main.Client.class, Main.Bench.class},
        footer = {"", "Exit codes: 0 normal end, 1 runtime failure, 2 usage error."})
public final class Main implements Callable<Integer> {

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print diagnostics and stack traces.")
    boolean verbose;

    @Spec
    CommandLine.Model.CommandSpec spec;

    private final Streams streams;
    private final boolean handleSignals;

    Main(Streams streams, boolean handleSignals) {
        this.streams = streams;
        this.handleSignals = handleSignals;
    }

    public static void main(String[] args) {
        Streams streams = Streams.system(Terminal.isInteractive());
        int code = run(streams, true, args);
        streams.flush();
        System.exit(code);
    }

    /** Runs one command line against {@code streams}; returns the exit code. */
    public static int run(Streams streams, boolean handleSignals, String... args) {
        Main main = new Main(streams, handleSignals);
        CommandLine cli = new CommandLine(main, new Factory(main));
        cli.setOut(new PrintWriter(streams.out(), true));
        cli.setErr(new PrintWriter(streams.err(), true));
        cli.registerConverter(Duration.class, new DurationConverter());
        cli.setParameterExceptionHandler(Main::usageError);
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> main.failure(e));
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(streams.err());
        return Exits.USAGE;
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        cli.getErr().println("parley: " + e.getMessage() + "; see '" + cli.getCommandSpec().qualifiedName() + " --help'");
        return Exits.USAGE;
    }

    private int failure(Exception e) {
        int code = e instanceof UserError ? ((UserError) e).exitCode() : Exits.FAILURE;
        String message = e instanceof UserError ? e.getMessage() : "unexpected error: " + e;
        streams.err().println("parley: " + message + (verbose ? "" : (e instanceof UserError ? "" : " (run with --verbose for details)")));
        if (verbose) {
            e.printStackTrace(streams.err());
        }
        return code;
    }

    /**
     * Runs {@code stop} on SIGINT/SIGTERM, then exits 0: the conversation was ended on purpose. The
     * hook does nothing once {@code body} has returned normally.
     */
    private int withSignalHandling(Runnable stop, Callable<Integer> body) throws Exception {
        if (!handleSignals) {
            return body.call();
        }
        Object done = new Object();
        boolean[] finished = {false};
        Thread hook = new Thread(() -> {
            synchronized (done) {
                if (finished[0]) {
                    return;
                }
            }
            stop.run();
            streams.flush();
            Runtime.getRuntime().halt(Exits.OK);
        }, "parley-signal");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return body.call();
        } finally {
            synchronized (done) {
                finished[0] = true;
            }
        }
    }

    static Framing framing(String name, int maxLineBytes) {
        return name.equals("raw") ? new RawFraming() : new LineFraming(maxLineBytes);
    }

    /** Reads the version from the jar's filtered resource. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
                }
            }
            return new String[] {"parley " + p.getProperty("version", "unknown"),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }

    /** Gives subcommands the streams and signal setting of this run. */
    private static final class Factory implements CommandLine.IFactory {
        private final Main main;

        Factory(Main main) {
            this.main = main;
        }

        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (type == Server.class) {
                return type.cast(new Server(main));
            }
            if (type == Client.class) {
                return type.cast(new Client(main));
            }
            if (type == Bench.class) {
                return type.cast(new Bench(main));
            }
            return CommandLine.defaultFactory().create(type);
        }
    }

    @Command(name = "server", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Wait for clients and answer them, one conversation per connection.",
            footer = {"", "Bind 0.0.0.0 (or ::) to accept clients from other machines."})
    static final class Server implements Callable<Integer> {
        private final Main main;

        @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
                description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only).")
        String bind;

        @Option(names = "--port", paramLabel = "N", defaultValue = "1234",
                description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--responder", paramLabel = "console|echo|file:PATH", defaultValue = "console",
                description = "Who answers: the operator at this terminal, an echo, or a file's lines then bye (default: ${DEFAULT-VALUE}).")
        String responder;

        @Option(names = "--once", description = "Stop after the first conversation ends.")
        boolean once;

        @Option(names = "--framing", paramLabel = "line|raw", defaultValue = "line",
                description = "line: one UTF-8 message per line (default); raw: the seed tutorial's unframed reads.")
        String framing;

        @Option(names = "--max-line-bytes", paramLabel = "N", defaultValue = "65536",
                description = "Longest message accepted, in bytes (default: ${DEFAULT-VALUE}).")
        int maxLineBytes;

        @Option(names = "--max-conversations", paramLabel = "N", defaultValue = "100",
                description = "Conversations open at once; the next client is told it is busy (default: ${DEFAULT-VALUE}).")
        int maxConversations;

        @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "5m",
                description = "Close a conversation whose client sends nothing for this long; 0 for never (default: ${DEFAULT-VALUE}).")
        Duration idleTimeout;

        @Option(names = "--line-timeout", paramLabel = "DURATION", defaultValue = "30s",
                description = "Close a conversation whose client takes longer than this to finish a message once started; 0 for never (default: ${DEFAULT-VALUE}).")
        Duration lineTimeout;

        @Option(names = "--engine", paramLabel = "loop|threads", defaultValue = "loop",
                description = "For echo and file: carry conversations on a few event loops (default; least memory, holds"
                        + " 10,000+ at once) or on one thread each. The console answers on one thread regardless.")
        String engine;

        Server(Main main) {
            this.main = main;
        }

        @Override
        public Integer call() throws Exception {
            checkRange("--port", port, 0, 65535);
            checkRange("--max-line-bytes", maxLineBytes, 1, Integer.MAX_VALUE - 8);
            checkRange("--max-conversations", maxConversations, 1, Integer.MAX_VALUE);
            ParleyServer server = new ParleyServer(new ParleyServer.Options(bind, port, Responder.parse(responder),
                    once, framing(checkFraming(framing), maxLineBytes), maxConversations, idleTimeout, lineTimeout,
                    main.verbose, engine(engine)), main.streams);
            server.start();
            return main.withSignalHandling(server::stop, server::awaitExit);
        }
    }

    @Command(name = "client", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Connect to a server and speak first; each line you type is one message.")
    static final class Client implements Callable<Integer> {
        private final Main main;

        @Mixin
        ServerAddress server;

        @Option(names = "--framing", paramLabel = "line|raw", defaultValue = "line",
                description = "line: one UTF-8 message per line (default); raw: the seed tutorial's unframed reads.")
        String framing;

        @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "10s",
                description = "Give up connecting after this long (default: ${DEFAULT-VALUE}).")
        Duration connectTimeout;

        Client(Main main) {
            this.main = main;
        }

        @Override
        public Integer call() throws Exception {
            server.check();
            ParleyClient client = new ParleyClient(new ParleyClient.Options(server.host, server.port,
                    framing(checkFraming(framing), LineFraming.DEFAULT_MAX_LINE_BYTES), connectTimeout), main.streams);
            return main.withSignalHandling(client::stop, client::run);
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = {"Load an echo server: open many conversations at once, send messages in each, check every reply,",
                    "and print throughput and round-trip latency percentiles. A wrong or missing reply fails the run (exit 1)."})
    static final class Bench implements Callable<Integer> {
        private final Main main;

        @Mixin
        ServerAddress server;

        @Option(names = "--conversations", paramLabel = "C", defaultValue = "100",
                description = "Conversations open at once (default: ${DEFAULT-VALUE}).")
        int conversations;

        @Option(names = "--messages", paramLabel = "N", defaultValue = "100",
                description = "Messages each conversation sends, one round trip each (default: ${DEFAULT-VALUE}).")
        int messages;

        @Option(names = "--message-bytes", paramLabel = "B", defaultValue = "64",
                description = "Bytes per message (default: ${DEFAULT-VALUE}).")
        int messageBytes;

        @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "30s",
                description = "Time allowed to open all conversations (default: ${DEFAULT-VALUE}).")
        Duration connectTimeout;

        @Option(names = "--json", description = "Print one JSON object instead of the table.")
        boolean json;

        Bench(Main main) {
            this.main = main;
        }

        @Override
        public Integer call() throws Exception {
            server.check();
            checkRange("--conversations", conversations, 1, 1_000_000);
            checkRange("--messages", messages, 1, Integer.MAX_VALUE);
            checkRange("--message-bytes", messageBytes, 1, LineFraming.DEFAULT_MAX_LINE_BYTES);
            FileLimits.warnIfTooLow(conversations, "--conversations", main.streams.err());
            LoadGenerator.Plan plan = new LoadGenerator.Plan(server.host, server.port, conversations, messages, messageBytes,
                    connectTimeout, Duration.ofSeconds(30));
            LoadGenerator.Result result;
            try {
                result = new LoadGenerator(plan).run();
            } catch (LoadGenerator.BenchFailure e) {
                throw new UserError("bench failed: " + TerminalSafe.render(e.getMessage()), Exits.FAILURE, e);
            }
            main.streams.out().print(json ? BenchReport.json(result) + "\n" : BenchReport.human(result));
            main.streams.out().flush();
            return Exits.OK;
        }
    }

    /** Where the server is: shared by the commands that connect to one. */
    static final class ServerAddress {
        @Option(names = "--host", paramLabel = "HOST", defaultValue = "localhost",
                description = "Server host name or address, IPv4 or IPv6 (default: ${DEFAULT-VALUE}).")
        String host;

        @Option(names = "--port", paramLabel = "N", defaultValue = "1234", description = "Server port (default: ${DEFAULT-VALUE}).")
        int port;

        void check() throws UserError {
            checkRange("--port", port, 1, 65535);
        }
    }

    private static void checkRange(String option, int value, int min, int max) throws UserError {
        if (value < min || value > max) {
            throw new UserError(option + " must be between " + min + " and " + max + ", was " + value, Exits.USAGE, null);
        }
    }

    private static ParleyServer.Engine engine(String name) throws UserError {
        switch (name) {
            case "loop":
                return ParleyServer.Engine.LOOP;
            case "threads":
                return ParleyServer.Engine.THREADS;
            default:
                throw new UserError("unknown engine '" + name + "'; use loop or threads", Exits.USAGE, null);
        }
    }

    private static String checkFraming(String name) throws UserError {
        if (!name.equals("line") && !name.equals("raw")) {
            throw new UserError("unknown framing '" + name + "'; use line or raw", Exits.USAGE, null);
        }
        return name;
    }
}
