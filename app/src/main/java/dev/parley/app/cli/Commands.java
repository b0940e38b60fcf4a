package dev.parley.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The command table: every command, its options with their types, defaults, ranges and help, and
 * the top-level help and version text. Parsing, value errors, help and completion come from it.
 */
public final class Commands {

    private Commands() {}

    static final String SUMMARY = "Turn-based terminal chat over TCP, or TLS. The client speaks first; the server answers each message.";

    static final String DURATIONS = "Durations are written 500ms, 1.5s, 30s, 5m or 1h (a bare number is seconds); 0 means never.";

    public static final CommandSpec SERVER = new CommandSpec("server",
            "Wait for clients and answer them, one conversation per connection. Bind 0.0.0.0 (or ::) to accept other machines. "
                    + DURATIONS)
            .text("--bind", "ADDR", "127.0.0.1", "Address to listen on; the default accepts this machine only.")
            .integer("--port", "N", 1234, 0, 65535, "TCP port; 0 picks a free one.")
            .text("--responder", "console|desk|echo|file:PATH", "console",
                    "Who answers: the operator at this terminal (with --operators, one among the remote ones), the remote operators "
                            + "of --operators only (desk), an echo, or a file's lines then bye. The operator answers at "
                            + "the you> prompt; bye ends the conversation in front, in or out of turn; /who shows who waits, /pass hands "
                            + "the client back to the line (another operator, or you after the next, takes it), /away takes no new "
                            + "client until /back; // sends a line that starts with /. Ctrl-D stops the server, ending every conversation.")
            .flag("--once", "Stop after the first conversation ends.")
            .choice("--framing", List.of("line", "raw"), "line", "line: one UTF-8 message per line; raw: the seed tutorial's unframed reads.")
            .integer("--max-line-bytes", "N", 65536, 1, Integer.MAX_VALUE - 16, "Longest message accepted, in bytes.")
            .integer("--max-conversations", "N", 100, 1, Integer.MAX_VALUE,
                    "Conversations open at once (with the console, those waiting for you count too); the next client is told it is busy.")
            .integer("--max-per-address", "N", 10, 1, Integer.MAX_VALUE,
                    "Conversations open at once from one client address; the next is told so.")
            .size("--memory-budget", "a quarter of the heap", 1024,
                    "Everything the server may hold for clients in all (unfinished lines, messages waiting for you, unsent replies, WebSocket frames "
                            + "and page requests in part), e.g. 64m; past it the largest holders are ended. At most half the heap and of direct memory.")
            .duration("--idle-timeout", "5m",
                    "End a conversation whose client sends nothing, or takes none of its replies, for this long, telling it why.")
            .duration("--line-timeout", "30s", "End a conversation whose client takes longer than this to finish a message once started.")
            .duration("--first-message-timeout", "30s",
                    "With the console, while others wait: end a conversation that has said nothing this long after it joined the line "
                            + "(or after someone first waited behind it).")
            .integer("--backlog", "N", "max(128, --max-conversations)", 1, 65535,
                    "Connections the kernel may queue before the server accepts them.")
            .text("--transcript", "FILE", null,
                    "Append every conversation to FILE as JSON Lines, one event a line (yours alone: made 0600; a link, or a file"
                            + " another user made or could read, is refused).")
            .flag("--log-timestamps", "Start each log line with the time (RFC 3339, UTC).")
            .flag("--quiet", "Log only warnings, refusals and failures, not each conversation opening and ending.")
            .flag("--tls", "Speak TLS 1.3 only. The server's key and certificate are made on first use in the configuration "
                    + "directory (or given with --cert and --key); its fingerprint is printed at start-up for clients to check.")
            .text("--cert", "FILE", null, "With --tls: the certificate chain to present (PEM), e.g. one a certificate authority issued.")
            .text("--key", "FILE", null, "With --tls: the private key of --cert (PEM, unencrypted, readable by you only).")
            .text("--authorized-clients", "FILE", null, "With --tls: let only the clients whose fingerprints FILE lists converse "
                    + "(one SHA256:... a line, # comments; read again when it changes).")
            .duration("--handshake-timeout", "10s", "With --tls: end a connection that has not finished its TLS handshake this long "
                    + "after it was accepted. On the operators' port, also the time an operator has to say its hello.")
            .text("--operators", "[ADDR:]PORT", null,
                    "Also listen for remote operators ('parley operator') at ADDR:PORT (ADDR: the --bind address; port 0 picks one); "
                            + "they share one line of clients, first come first served, with this terminal's operator (--responder "
                            + "console) or alone (--responder desk). An operator sees every client's words: without --tls ADDR must be a "
                            + "loopback address; with --tls the port speaks TLS 1.3 with the server's key and needs --authorized-operators.")
            .integer("--max-operators", "N", 16, 1, 65535,
                    "With --operators: operator connections at once (before and after their hello); the next is told the port is busy.")
            .text("--authorized-operators", "FILE", null, "With --tls and --operators: let only the operators whose key fingerprints "
                    + "FILE lists join the desk (the format of --authorized-clients; read again when it changes).")
            .flag("--proxy-protocol", "Behind a load balancer: each connection must start with its PROXY protocol header (v1 or v2), "
                    + "whose client address the limits, log and transcript use; others are refused. Only behind a balancer that sends it.")
            .text("--web", "[ADDR:]PORT", null,
                    "Also serve a page at http://ADDR:PORT/ (https:// with --tls) where a person with a browser joins as a client "
                            + "(ADDR: the --bind address).")
            .text("--web-origin", "ORIGIN[,ORIGIN...]", null,
                    "With --web: let pages of these origins join too (e.g. https://chat.example.org), or * for any; by default only the server's own page.")
            .text("--cluster", "nats://HOST:PORT[,...]", null,
                    "Share one help desk (--responder console or desk) with every server that names the same NATS servers and "
                            + "--desk: one line of clients, answered by the operators of any of them. A token may be given in the URL "
                            + "(nats://TOKEN@HOST:PORT; never shown in logs). See docs/SCALING.md.")
            .text("--desk", "NAME", "parley", "With --cluster: the desk's name (letters, digits, - and _), so that several desks share one NATS.")
            .text("--cluster-creds", "FILE", null, "With --cluster: a NATS credentials file (a user's JWT and NKey seed) to connect with "
                    + "(readable by no one else: a file others can read is refused).")
            .text("--metrics", "[ADDR:]PORT", null,
                    "Serve Prometheus metrics at http://ADDR:PORT/metrics (ADDR: the --bind address; 0 picks a free port): counts only "
                            + "(conversations, refusals, endings, memory), never messages or addresses. See docs/OPERATING.md.");

    public static final CommandSpec CLIENT = new CommandSpec("client",
            "Connect to a server and speak first; each line you type is one message. bye or end of input leaves. " + DURATIONS
                    + " Exit codes: 0 the conversation ended by a bye (yours, the server's, or your input ending); 1 a failure "
                    + "(refused, busy, timed out, a limit); 2 a usage error; 3 the connection was cut off: closed or lost with no bye "
                    + "(a server killed, a reset; a line the server cut off by closing is shown as cut off, never as its message).")
            .text("--host", "HOST[:PORT]", "localhost", "Server name or address, IPv4 or IPv6, with its port if you like: host:1234, [::1]:1234.")
            .integer("--port", "N", 1234, 1, 65535, "Server port.")
            .choice("--framing", List.of("line", "raw"), "line", "line: one UTF-8 message per line; raw: the seed tutorial's unframed reads.")
            .integer("--max-line-bytes", "N", 65536, 1, Integer.MAX_VALUE - 16, "Longest message accepted from the server, in bytes.")
            .duration("--connect-timeout", "10s", "Give up connecting after this long; 0 leaves it to the system (about two minutes).")
            .duration("--idle-timeout", "0", "Give up when the server sends nothing for this long while you wait for its answer (for scripts).")
            .duration("--line-timeout", "30s", "Give up on a server that starts an answer and does not finish it in time.")
            .text("--transcript", "FILE", null, "Append the conversation to FILE as JSON Lines (yours alone: made 0600;"
                    + " a link, or a file another user made or could read, is refused).")
            .flag("--tls", "Speak TLS 1.3. The server is trusted by --fingerprint, else a certificate from a trusted authority "
                    + "for the host, else known_servers; an unknown one is shown to you to accept (never in a script).")
            .text("--fingerprint", "SHA256:...", null, "With --tls: the server's key must be this one, or nothing is sent.")
            .flag("--trust-new", "With --tls: trust and remember a server known nowhere without asking; a changed key is still refused.");

    public static final CommandSpec OPERATOR = new CommandSpec("operator",
            "Sit at a server's operators' desk (its --operators port) and answer its clients, first come, first served with the "
                    + "other operators. At a terminal: answer at the you> prompt; bye ends the conversation in front, in or out "
                    + "of turn; /who shows who waits, /pass hands the client back to the line, /away takes no new client until "
                    + "/back; // sends a line that starts with /; Ctrl-D leaves. Piped: each line of input answers the client in "
                    + "front, in turn; standard output carries exactly the clients' messages, one a line; status goes to standard "
                    + "error; once input has ended and its lines are used, the operator leaves. A client with you when you leave "
                    + "goes back to the front of the line. " + DURATIONS
                    + " Exit codes: 0 you left (Ctrl-D, the end of input, Ctrl-C), or the server stopped and said so; 1 a failure "
                    + "(refused, not an operators' port, no welcome in time, a line over the limit); 2 a usage error; 3 the "
                    + "connection was cut off: the server closed it without a word or it was lost (a server killed, a reset).")
            .text("--host", "HOST[:PORT]", "localhost", "Server name or address, IPv4 or IPv6, with its port if you like: host:1235, [::1]:1235.")
            .integer("--port", "N", "none: give it, here or in --host", 1, 65535,
                    "The server's operators' port: the one its --operators opened (its start-up line 'operators on HOST:PORT').")
            .text("--name", "NAME", "your user name", "How the desk and the other operators name you (1 to 64 characters).")
            .integer("--max-line-bytes", "N", 65536, 1, Integer.MAX_VALUE - 16,
                    "Longest message accepted from clients and sent to them, in bytes: the server's --max-line-bytes.")
            .duration("--connect-timeout", "10s", "Give up connecting, or waiting to be admitted, after this long.")
            .flag("--tls", "Speak TLS 1.3. The server is trusted by --fingerprint, else a certificate from a trusted authority "
                    + "for the host, else known_servers; an unknown one is shown to you to accept (never in a script). This "
                    + "machine's client key (parley fingerprint --client) is what the server's --authorized-operators lists.")
            .text("--fingerprint", "SHA256:...", null, "With --tls: the server's key must be this one, or nothing is sent.")
            .flag("--trust-new", "With --tls: trust and remember a server known nowhere without asking; a changed key is still refused.");

    public static final CommandSpec BENCH = new CommandSpec("bench",
            "Load an echo server: open many conversations at once, send messages in each, check every reply, and print "
                    + "throughput and round-trip latency percentiles. A wrong or missing reply, or a refusal, fails the run (exit 1); "
                    + "a refusal names the server option to raise (--max-conversations, --max-per-address, --memory-budget). "
                    + "Against a server on this machine (127.0.0.1) the conversations come from 127.0.0.1 to 127.0.0.254 in turn, "
                    + "so that a server's limit per address (10 by default) holds up to 2,540 of them. "
                    + "When stderr is a terminal, progress is shown there once a second (conversations open, round trips, errors); "
                    + "to a pipe or a file, nothing but failures.")
            .text("--host", "HOST[:PORT]", "localhost", "Server name or address, IPv4 or IPv6, with its port if you like.")
            .integer("--port", "N", 1234, 1, 65535, "Server port.")
            .integer("--conversations", "C", 100, 1, 1_000_000, "Conversations open at once.")
            .integer("--messages", "N", 100, 1, Integer.MAX_VALUE, "Messages each conversation sends, one round trip each.")
            .integer("--message-bytes", "B", 64, 1, 65536, "Bytes per message.")
            .duration("--connect-timeout", "30s", "Time allowed to open all conversations.")
            .duration("--reply-timeout", "10s", "Fail when no reply at all arrives for this long.")
            .flag("--json", "Print one JSON object instead of the table.")
            .flag("--tls", "Speak TLS 1.3; every conversation makes a full handshake (the server trusted as by the client).")
            .text("--fingerprint", "SHA256:...", null, "With --tls: the server's key must be this one.");

    public static final CommandSpec FINGERPRINT = new CommandSpec("fingerprint",
            "Print the fingerprint of this machine's Parley identity (the server's, unless --client), made if there is none yet, "
                    + "to read out to the people who connect: SHA256: and the base64 of the SHA-256 of the key.")
            .flag("--client", "The client's identity, which servers with --authorized-clients ask for.")
            .text("--cert", "FILE", null, "The key of the first certificate in FILE (PEM) instead.");

    public static final CommandSpec COMPLETION = new CommandSpec("completion",
            "Print the shell completion script for bash or zsh: parley completion bash|zsh. For bash: "
                    + "source <(parley completion bash), or save it in /etc/bash_completion.d/parley. For zsh: save the output of "
                    + "parley completion zsh as a file named _parley in a directory on $fpath.");

    /** The commands, in the order help lists them. */
    public static final Map<String, CommandSpec> ALL = new LinkedHashMap<>();

    static {
        for (CommandSpec command : List.of(SERVER, CLIENT, OPERATOR, BENCH, FINGERPRINT, COMPLETION)) {
            ALL.put(command.name, command);
        }
    }

    /** Options every command takes, as help rows. */
    static final List<String[]> COMMON_OPTIONS = List.of(
            new String[] {"--verbose", "Print diagnostics and stack traces."},
            new String[] {"-h, --help", "Show this help and exit."},
            new String[] {"-V, --version", "Print version information and exit."});

    public static String topHelp() {
        StringBuilder out = new StringBuilder("Usage: parley [--verbose] COMMAND [OPTIONS]\n");
        CommandSpec.wrap(out, SUMMARY, 0, 0);
        out.append("Commands:\n");
        for (CommandSpec command : ALL.values()) {
            out.append("  ").append(command.name).append(" ".repeat(12 - command.name.length()));
            CommandSpec.wrap(out, command.summary.substring(0, command.summary.indexOf('.') + 1), 14, 14);
        }
        out.append("Options:\n");
        for (String[] row : COMMON_OPTIONS) {
            out.append("  ").append(row[0]).append(" ".repeat(15 - row[0].length())).append(row[1]).append('\n');
        }
        out.append("Run 'parley COMMAND --help' for a command's options.\n")
                .append("Exit codes: 0 normal end, 1 runtime failure, 2 usage error,\n")
                .append("3 a client's connection cut off (no bye).\n");
        return out.toString();
    }

    /** The version from the jar's manifest (from a resource when run from classes), and the Java running it. */
    public static String version() throws IOException {
        // The jar's manifest, which the JVM has read already; the resource only when run from classes.
        String version = Commands.class.getPackage().getImplementationVersion();
        if (version == null) {
            Properties p = new Properties();
            try (InputStream in = Commands.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
                }
            }
            version = p.getProperty("version", "unknown");
        }
        return "parley " + version + "\n"
                + "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")\n";
    }
}
