package dev.parley.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

/**
 * The command table: every command, its options with their defaults and help, and the top-level
 * help and version text. Parsing and help come from it ({@link CommandSpec}).
 */
final class Commands {

    private Commands() {}

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
            .value("--max-conversations", "N", "100",
                    "Conversations open at once (with the console, those waiting for you count too); the next client is told it is busy.")
            .value("--max-per-address", "N", "10", "Conversations open at once from one client address; the next is told so.")
            .value("--memory-budget", "SIZE", "a quarter of the heap",
                    "Client data the server may hold in all (unfinished lines, unsent replies), e.g. 64m; past it the largest holders are ended.")
            .value("--idle-timeout", "DURATION", "5m",
                    "End a conversation whose client sends nothing, or takes none of its replies, for this long, telling it why; 0 for never.")
            .value("--line-timeout", "DURATION", "30s",
                    "End a conversation whose client takes longer than this to finish a message once started; 0 for never.")
            .value("--first-message-timeout", "DURATION", "30s",
                    "With the console: end a conversation that says nothing this long after you come to it, while others wait; 0 for never.")
            .value("--backlog", "N", "max(128, --max-conversations)", "Connections the kernel may queue before the server accepts them.");

    static final CommandSpec CLIENT = new CommandSpec("client",
            "Connect to a server and speak first; each line you type is one message. bye or end of input leaves.")
            .value("--host", "HOST", "localhost", "Server host name or address, IPv4 or IPv6.")
            .value("--port", "N", "1234", "Server port.")
            .value("--framing", "line|raw", "line", "line: one UTF-8 message per line; raw: the seed tutorial's unframed reads.")
            .value("--connect-timeout", "DURATION", "10s", "Give up connecting after this long.")
            .value("--idle-timeout", "DURATION", "0",
                    "Give up when the server sends nothing for this long while you wait for its answer (for scripts); 0 for never.")
            .value("--line-timeout", "DURATION", "30s", "Give up on a server that starts an answer and does not finish it in time; 0 for never.");

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

    static final Map<String, CommandSpec> ALL = Map.of("server", SERVER, "client", CLIENT, "bench", BENCH);

    static String topHelp() {
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
        try (InputStream in = Commands.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
        }
        return "parley " + p.getProperty("version", "unknown") + "\n"
                + "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")\n";
    }
}
