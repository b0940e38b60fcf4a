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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The command line: parses arguments, builds the program's object graph by hand, maps errors to
 * exit codes. The parsing is hand-written (see {@link CommandSpec}) rather than picocli: with
 * picocli a one-option command took 230 ms more than a hello world to start on the reference
 * machine, most of Parley's start-up (docs/BENCHMARKS.md, P5).
 */
public final class Main {

    static final String SUMMARY = "Turn-based terminal chat over TCP. The client speaks first; the server answers each message.";

    static final CommandSpec SERVER = new CommandSpec("server",
            "Wait for clients and answer them, one conversation per connection. Bind 0.0.0.0 (or ::) to accept other machines.")
            .value("--bind", "ADDR", "127.0.0.1", "Address to listen on; the default accepts this machine only.")
            .value("--port", "N", "1234", "TCP port; 0 picks a free one.")
            .value("--responder", "console|echo|file:PATH", "console",
                    "Who answers: the operator at this terminal, an echo, or a file's lines then bye.")
            .flag("--once", "Stop after the first conversation ends.")
            .value("--framing", "line|raw", "line", "line: one UTF-8 message per line; raw: the seed tutorial's unframed reads.")
            .value("--max-line-bytes", "N", "65536", "Longest message accepted, in bytes.")
            .value("--max-conversations", "N", "100", "Conversations open at once; the next client is told it is busy.")
            .value("--idle-timeout", "DURATION", "5m", "Close a conversation whose client sends nothing for this long; 0 for never.")
            .value("--line-timeout", "DURATION", "30s",
                    "Close a conversation whose client takes longer than this to finish a message once started; 0 for never.")
            .value("--engine", "loop|threads", "loop",
                    "For echo and file: a few event loops carry every conversation, or a thread each. The console uses one thread.");

    static final CommandSpec CLIENT = new CommandSpec("client",
            "Connect to a server and speak first; each line you type is one message. bye or end of input leaves.")
            .value("--host", "HOST", "localhost", "Server host name or address, IPv4 or IPv6.")
            .value("--port", "N", "1234", "Server port.")
            .value("--framing", "line|raw", "line", "line: one UTF-8 message per line; raw: the seed tutorial's unframed reads.")
            .value("--connect-timeout", "DURATION", "10s", "Give up connecting after this long.");

    static final CommandSpec BENCH = new CommandSpec("bench",
            "Load an echo server: open many conversations at once, send messages in each, check every reply, and print\n"
                    + "throughput and round-trip latency percentiles. A wrong or missing reply fails the run (exit 1).")
            .value("--host", "HOST", "localhost", "Server host name or address, IPv4 or IPv6.")
            .value("--port", "N", "1234", "Server port.")
            .value("--conversations", "C", "100", "Conversations open at once.")
            .value("--messages", "N", "100", "Messages each conversation sends, one round trip each.")
            .value("--message-bytes", "B", "64", "Bytes per message.")
            .value("--connect-timeout", "DURATION", "30s", "Time allowed to open all conversations.")
            .flag("--json", "Print one JSON object instead of the table.");

    private static final Map<String, CommandSpec> COMMANDS = Map.of("server", SERVER, "client", CLIENT, "bench", BENCH);

    private final Streams streams;
    private final boolean handleSignals;
    private volatile boolean verbose;

    Main(Streams streams, boolean handleSignals) {
        this.streams = streams;
        this.handleSignals = handleSignals;
    }

    public static void main(String[] args) {
        Streams streams = Streams.system(Terminal.isInteractive());
        Main main = new Main(streams, true);
        Thread.setDefaultUncaughtExceptionHandler(new FatalError(streams, main::isVerbose));
        int code = main.execute(args);
        streams.flush();
        System.exit(code);
    }

    /** Runs one command line against {@code streams}; returns the exit code. */
    public static int run(Streams streams, boolean handleSignals, String... args) {
        return new Main(streams, handleSignals).execute(args);
    }

    private boolean isVerbose() {
        return verbose;
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
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--verbose")) {
                verbose = true;
            } else {
                rest.add(args[i]);
                positions.add(i);
            }
        }
        if (rest.isEmpty()) {
            streams.err().print(topHelp());
            return Exits.USAGE;
        }
        String first = rest.get(0);
        if (isHelp(first) || isVersion(first)) {
            streams.out().print(isHelp(first) ? topHelp() : version());
            streams.out().flush();
            return Exits.OK;
        }
        CommandSpec spec = COMMANDS.get(first);
        if (spec == null) {
            throw new UserError((first.startsWith("-") ? "Unknown option: '" + first + "'"
                    : "Unmatched argument at index " + positions.get(0) + ": '" + first + "'") + "; see 'parley --help'",
                    Exits.USAGE, null);
        }
        List<String> options = rest.subList(1, rest.size());
        for (String option : options) {
            if (isHelp(option) || isVersion(option)) {
                streams.out().print(isHelp(option) ? spec.help() : version());
                streams.out().flush();
                return Exits.OK;
            }
        }
        CommandSpec.Parsed parsed = spec.parse(options, positions.size() > 1 ? positions.get(1) : 1);
        switch (first) {
            case "server":
                return server(parsed);
            case "client":
                return client(parsed);
            default:
                return bench(parsed);
        }
    }

    private static boolean isHelp(String arg) {
        return arg.equals("--help") || arg.equals("-h");
    }

    private static boolean isVersion(String arg) {
        return arg.equals("--version") || arg.equals("-V");
    }

    private static String topHelp() {
        return "Usage: parley [--verbose] COMMAND [OPTIONS]\n" + SUMMARY + "\n"
                + "Commands:\n"
                + "  server  Wait for clients and answer them, one conversation per connection.\n"
                + "  client  Connect to a server and speak first.\n"
                + "  bench   Load an echo server and measure throughput and latency.\n"
                + "Options:\n"
                + "  --verbose      Print diagnostics and stack traces.\n"
                + "  -h, --help     Show this help and exit.\n"
                + "  -V, --version  Print version information and exit.\n"
                + "Run 'parley COMMAND --help' for a command's options.\n"
                + "Exit codes: 0 normal end, 1 runtime failure, 2 usage error.\n";
    }

    /** The version from the jar's filtered resource, and the Java running it. */
    static String version() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
        }
        return "parley " + p.getProperty("version", "unknown") + "\n"
                + "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")\n";
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
     * Runs {@code stop} on SIGINT/SIGTERM, then exits with its code (0 when the peers were told: the
     * conversation was ended on purpose). The hook does nothing once {@code body} has returned.
     */
    private int withSignalHandling(Program program) throws Exception {
        if (!handleSignals) {
            return program.run();
        }
        SignalStop hook = new SignalStop(program, streams);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return program.run();
        } finally {
            hook.disarm();
        }
    }

    /** The shutdown hook for SIGINT/SIGTERM (a named class: a lambda's bootstrap costs start-up time). */
    private static final class SignalStop extends Thread {
        private final Program program;
        private final Streams streams;
        private boolean disarmed;

        SignalStop(Program program, Streams streams) {
            super("parley-signal");
            this.program = program;
            this.streams = streams;
        }

        synchronized void disarm() {
            disarmed = true;
        }

        @Override
        public void run() {
            synchronized (this) {
                if (disarmed) {
                    return;
                }
            }
            int code = program.stop();
            streams.flush();
            Runtime.getRuntime().halt(code);
        }
    }

    private int server(CommandSpec.Parsed p) throws Exception {
        int port = checkRange("--port", p.integer("--port"), 0, 65535);
        int maxLineBytes = checkRange("--max-line-bytes", p.integer("--max-line-bytes"), 1, Integer.MAX_VALUE - 8);
        int maxConversations = checkRange("--max-conversations", p.integer("--max-conversations"), 1, Integer.MAX_VALUE);
        ParleyServer server = new ParleyServer(new ParleyServer.Options(p.string("--bind"), port,
                Responder.parse(p.string("--responder")), p.flag("--once"),
                framing(p.string("--framing"), maxLineBytes), maxConversations,
                p.duration("--idle-timeout"), p.duration("--line-timeout"), verbose, engine(p.string("--engine"))), streams);
        server.start();
        return withSignalHandling(new Program() {
            @Override
            public int run() throws InterruptedException {
                return server.awaitExit();
            }

            @Override
            public int stop() {
                server.stop();
                return Exits.OK;
            }
        });
    }

    private int client(CommandSpec.Parsed p) throws Exception {
        int port = checkRange("--port", p.integer("--port"), 1, 65535);
        ParleyClient client = new ParleyClient(new ParleyClient.Options(p.string("--host"), port,
                framing(p.string("--framing"), LineFraming.DEFAULT_MAX_LINE_BYTES), p.duration("--connect-timeout")), streams);
        return withSignalHandling(client);
    }

    private int bench(CommandSpec.Parsed p) throws Exception {
        int port = checkRange("--port", p.integer("--port"), 1, 65535);
        int conversations = checkRange("--conversations", p.integer("--conversations"), 1, 1_000_000);
        int messages = checkRange("--messages", p.integer("--messages"), 1, Integer.MAX_VALUE);
        int messageBytes = checkRange("--message-bytes", p.integer("--message-bytes"), 1, LineFraming.DEFAULT_MAX_LINE_BYTES);
        FileLimits.warnIfTooLow(conversations, "--conversations", streams.err());
        LoadGenerator.Plan plan = new LoadGenerator.Plan(p.string("--host"), port, conversations, messages, messageBytes,
                p.duration("--connect-timeout"), Duration.ofSeconds(30));
        LoadGenerator.Result result;
        try {
            result = new LoadGenerator(plan).run();
        } catch (LoadGenerator.BenchFailure e) {
            throw new UserError("bench failed: " + TerminalSafe.render(e.getMessage()), Exits.FAILURE, e);
        }
        streams.out().print(p.flag("--json") ? BenchReport.json(result) + "\n" : BenchReport.human(result));
        streams.out().flush();
        return Exits.OK;
    }

    private static int checkRange(String option, int value, int min, int max) throws UserError {
        if (value < min || value > max) {
            throw new UserError(option + " must be between " + min + " and " + max + ", was " + value, Exits.USAGE, null);
        }
        return value;
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

    static Framing framing(String name, int maxLineBytes) throws UserError {
        switch (name) {
            case "line":
                return new LineFraming(maxLineBytes);
            case "raw":
                return new RawFraming();
            default:
                throw new UserError("unknown framing '" + name + "'; use line or raw", Exits.USAGE, null);
        }
    }
}
