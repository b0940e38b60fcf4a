package dev.parley.app;

import dev.parley.console.Terminal;
import dev.parley.console.TerminalSafe;
import dev.parley.core.session.Limits;
import dev.parley.core.wire.Framing;
import dev.parley.core.wire.LineFraming;
import dev.parley.core.wire.RawFraming;
import dev.parley.socket.BenchReport;
import dev.parley.socket.LoadGenerator;
import dev.parley.socket.ServerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
                System.setProperty("parley.verbose", "true");
            } else {
                rest.add(args[i]);
                positions.add(i);
            }
        }
        if (rest.isEmpty()) {
            streams.err().print(Commands.topHelp());
            return Exits.USAGE;
        }
        String first = rest.get(0);
        if (isHelp(first) || isVersion(first)) {
            streams.out().print(isHelp(first) ? Commands.topHelp() : Commands.version());
            streams.out().flush();
            return Exits.OK;
        }
        CommandSpec spec = Commands.ALL.get(first);
        if (spec == null) {
            throw new UserError((first.startsWith("-") ? "Unknown option: '" + first + "'"
                    : "Unmatched argument at index " + positions.get(0) + ": '" + first + "'") + "; see 'parley --help'",
                    Exits.USAGE, null);
        }
        List<String> options = rest.subList(1, rest.size());
        for (String option : options) {
            if (isHelp(option) || isVersion(option)) {
                streams.out().print(isHelp(option) ? spec.help() : Commands.version());
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
        int port = checkRange("--port", p.integer("--port"), 0, 65535);
        int maxLineBytes = checkRange("--max-line-bytes", p.integer("--max-line-bytes"), 1, Integer.MAX_VALUE - 16);
        int maxConversations = checkRange("--max-conversations", p.integer("--max-conversations"), 1, Integer.MAX_VALUE);
        int maxPerAddress = checkRange("--max-per-address", p.integer("--max-per-address"), 1, Integer.MAX_VALUE);
        long memoryBudget = p.string("--memory-budget").equals("a quarter of the heap")
                ? ServerSettings.defaultMemoryBudget() : checkSize("--memory-budget", p.size("--memory-budget"));
        int backlog = p.string("--backlog").startsWith("max(")
                ? ServerSettings.defaultBacklog(maxConversations) : checkRange("--backlog", p.integer("--backlog"), 1, 65535);
        Framing framing = framing(p.string("--framing"), maxLineBytes);
        ServerSettings settings = new ServerSettings(p.string("--bind"), port, framing,
                new Limits(p.duration("--idle-timeout"), p.duration("--line-timeout"), p.duration("--first-message-timeout")),
                maxConversations, maxPerAddress, memoryBudget, backlog);
        ParleyServer server = new ParleyServer(new ParleyServer.Options(settings, Responder.parse(p.string("--responder")),
                p.flag("--once"), verbose), streams);
        server.start();
        return withSignals(server);
    }

    private int client(CommandSpec.Parsed p) throws Exception {
        int port = checkRange("--port", p.integer("--port"), 1, 65535);
        ParleyClient client = new ParleyClient(new ParleyClient.Options(p.string("--host"), port,
                framing(p.string("--framing"), LineFraming.DEFAULT_MAX_LINE_BYTES), p.duration("--connect-timeout"),
                new Limits(p.duration("--idle-timeout"), p.duration("--line-timeout"))), streams);
        return withSignals(client);
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

    private static long checkSize(String option, long value) throws UserError {
        if (value < 1024) {
            throw new UserError(option + " must be at least 1k, was " + value + " bytes", Exits.USAGE, null);
        }
        return value;
    }

    private static int checkRange(String option, int value, int min, int max) throws UserError {
        if (value < min || value > max) {
            throw new UserError(option + " must be between " + min + " and " + max + ", was " + value, Exits.USAGE, null);
        }
        return value;
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
