package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.app.cli.Exits;
import dev.parley.app.cli.UserError;
import dev.parley.app.wiring.Capacity;
import dev.parley.app.wiring.ResponderChoice;
import dev.parley.app.wiring.Streams;
import dev.parley.app.wiring.WebPort;
import dev.parley.core.responder.Script;
import dev.parley.web.Origins;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command-line contract: exit codes and one-line errors, run in-process. */
class CommandLineTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        Streams streams = new Streams(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return Main.run(streams, false, args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "client --bogus|parley: Unknown option '--bogus'; see 'parley client --help'",
        "client --port x|parley: Invalid value for option '--port': 'x' is not a whole number; see 'parley client --help'",
        "client --port 70000|parley: --port must be between 1 and 65535, was 70000; see 'parley client --help'",
        "client --framing json|parley: Invalid value for option '--framing': 'json'; choose line or raw; see 'parley client --help'",
        "client --connect-timeout soon|parley: Invalid value for option '--connect-timeout': 'soon' is not a duration; write e.g. 500ms, 1.5s, 30s, 5m or 1h; see 'parley client --help'",
        "server --responder parrot|parley: unknown responder 'parrot'; use console, desk, echo or file:PATH",
        "server --responder file:/no/such/file|parley: cannot use responder file /no/such/file: no such file",
        "server --responder desk|parley: --responder desk needs --operators [ADDR:]PORT (or --cluster): with no one at this terminal, clients wait for operators who join there; see 'parley server --help'",
        "server --responder echo --operators 0|parley: --operators needs --responder console or desk: echo and file answer clients themselves; see 'parley server --help'",
        "server --max-operators 3|parley: --max-operators is for the operators' port: give --operators too; see 'parley server --help'",
        "server --operators 127.0.0.1:0 --authorized-operators ops|parley: --authorized-operators needs --tls; see 'parley server --help'",
        "server --operators nine|parley: Invalid value for option '--operators': 'nine' is not [ADDR:]PORT; write 8080, 0.0.0.0:8080 or [::1]:8080; see 'parley server --help'",
        "operator|parley: Give the server's port: --port N, or HOST:PORT in --host; see 'parley operator --help'",
        "operator --host h:1 --port 2|parley: The port is given twice, in --host and in --port; give it once; see 'parley operator --help'",
        "operator --port 9 --name xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx|parley: Invalid value for option '--name': the operator's name is longer than 64 characters; see 'parley operator --help'",
        "operator --port 9 --fingerprint SHA256:x|parley: --fingerprint needs --tls; see 'parley operator --help'",
        "server --engine loop|parley: Unknown option '--engine'; see 'parley server --help'",
        "server --max-conversations 0|parley: --max-conversations must be between 1 and 2147483647, was 0; see 'parley server --help'",
        "server --max-line-bytes 0|parley: --max-line-bytes must be between 1 and 2147483631, was 0; see 'parley server --help'",
        "frobnicate|parley: Unknown command 'frobnicate'; see 'parley --help'",
        "serve|parley: Unknown command 'serve' (did you mean 'server'?); see 'parley --help'",
        "clinet|parley: Unknown command 'clinet' (did you mean 'client'?); see 'parley --help'",
        "--bogus|parley: Unknown option '--bogus'; see 'parley --help'",
        "client --prot 5|parley: Unknown option '--prot' (did you mean '--port'?); see 'parley client --help'",
        "server --max-conversation 5|parley: Unknown option '--max-conversation' (did you mean '--max-conversations'?); see 'parley server --help'",
        "client --port|parley: Option '--port' needs a value (N); see 'parley client --help'",
        "client --host --port 5|parley: Option '--host' needs a value (HOST[:PORT]), but '--port' came next; see 'parley client --help'",
        "client --port 5 --port 6|parley: Option '--port' given twice ('5' and '6'); give it once; see 'parley client --help'",
        "server --once --once|parley: Option '--once' given twice; give it once; see 'parley server --help'",
        "client --host localhost:23140 --port 5|parley: The port is given twice, in --host and in --port; give it once; see 'parley client --help'",
        "client --host [::1|parley: Invalid value for option '--host': '[::1' is not an address; write [::1] or [::1]:1234; see 'parley client --help'",
        "client --host localhost:99999|parley: Invalid value for option '--host': '99999' in 'localhost:99999' is not a port (1 to 65535); see 'parley client --help'",
        "client --port=x|parley: Invalid value for option '--port': 'x' is not a whole number; see 'parley client --help'",
        "server --once=yes|parley: Option '--once' takes no value; see 'parley server --help'",
        "client --port 1 extra|parley: Unexpected argument 'extra': 'parley client' takes options only; see 'parley client --help'",
        "client -- --port|parley: Unexpected argument '--port': 'parley client' takes options only; see 'parley client --help'",
        "bench --conversations 0|parley: --conversations must be between 1 and 1000000, was 0; see 'parley bench --help'",
        "server --memory-budget lots|parley: Invalid value for option '--memory-budget': 'lots' is not a size; write e.g. 512k, 64m or 1g; see 'parley server --help'",
        "server --memory-budget 10|parley: --memory-budget must be at least 1 KiB, was 10 bytes; see 'parley server --help'",
        "server --max-per-address 0|parley: --max-per-address must be between 1 and 2147483647, was 0; see 'parley server --help'",
        "completion fish|parley: Unknown shell 'fish'; give bash or zsh; see 'parley completion --help'",
        "completion|parley: Give one shell: parley completion bash, or parley completion zsh; see 'parley completion --help'",
        "server --cert c.pem --key k.pem|parley: --cert needs --tls; see 'parley server --help'",
        "server --authorized-clients f|parley: --authorized-clients needs --tls; see 'parley server --help'",
        "server --tls --cert c.pem|parley: --cert and --key go together: give both, or neither to use Parley's own identity; see 'parley server --help'",
        "server --tls --framing raw|parley: --framing raw cannot be used with --tls: the tutorial's programs speak plain text; see 'parley server --help'",
        "server --tls --handshake-timeout 0|parley: --handshake-timeout must be more than 0: a handshake that may take for ever holds its slot for ever; see 'parley server --help'",
        "server --tls --cert /no/such.pem --key /no/such.key|parley: cannot use the certificate /no/such.pem: no such file",
        "client --fingerprint SHA256:x|parley: --fingerprint needs --tls; see 'parley client --help'",
        "client --trust-new|parley: --trust-new needs --tls; see 'parley client --help'",
        "client --tls --fingerprint MD5:abc|parley: Invalid value for option '--fingerprint': 'MD5:abc' is not a fingerprint; write SHA256: and 43 base64 characters, as 'parley fingerprint' prints it; see 'parley client --help'",
        "client --tls --framing raw|parley: --framing raw cannot be used with --tls: the tutorial's programs speak plain text; see 'parley client --help'",
        "bench --fingerprint SHA256:x|parley: --fingerprint needs --tls; see 'parley bench --help'",
        "fingerprint --client --cert x.pem|parley: --client and --cert name two different keys; give one; see 'parley fingerprint --help'",
        "fingerprint --cert /no/such.pem|parley: cannot use the certificate /no/such.pem: no such file",
        "server --web eighty|parley: Invalid value for option '--web': 'eighty' is not [ADDR:]PORT; write 8080, 0.0.0.0:8080 or [::1]:8080; see 'parley server --help'",
        "server --web 0.0.0.0:99999|parley: Invalid value for option '--web': '99999' in '0.0.0.0:99999' is not a port (0 to 65535); see 'parley server --help'",
        "server --web ::1|parley: Invalid value for option '--web': '::1' is not [ADDR:]PORT; write 8080, 0.0.0.0:8080 or [::1]:8080; see 'parley server --help'",
        "server --web-origin https://chat.example.org|parley: --web-origin is for the web page: give --web too; see 'parley server --help'",
        "server --tls --web 8080 --authorized-clients f|parley: --web cannot be used with --authorized-clients: browsers have no client key to check; see 'parley server --help'",
        "server --web 8080 --framing raw|parley: --web speaks the line protocol: leave out --framing raw; see 'parley server --help'",
        "server --web 8080 --web-origin chat.example.org|parley: Invalid value for option '--web-origin': 'chat.example.org' is not an origin; write http://HOST[:PORT] or https://HOST[:PORT], several separated by commas, or * for any; see 'parley server --help'",
    })
    void aUsageErrorIsOneLineAndExitCodeTwo(String args, String message) {
        assertEquals(Exits.USAGE, run(args.split(" ")));
        assertEquals(message + "\n", err());
    }

    @Test
    void noCommandPrintsUsageAndExitsTwo() {
        assertEquals(Exits.USAGE, run());
        assertTrue(err().contains("Usage: parley"), err());
    }

    @Test
    void versionAndHelpExitZero() {
        assertEquals(Exits.OK, run("--version"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("parley 0."), out.toString(StandardCharsets.UTF_8));
        out.reset();
        assertEquals(Exits.OK, run("server", "--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        for (String option : new String[] {"--bind ADDR", "--port N", "--responder console|desk|echo|file:PATH", "--operators [ADDR:]PORT", "--max-operators N", "--authorized-operators FILE", "--once",
                "--framing line|raw", "--max-line-bytes N", "--max-conversations N", "--idle-timeout DURATION",
                "--line-timeout DURATION", "--max-per-address N", "--memory-budget SIZE", "--first-message-timeout DURATION",
                "--backlog N", "--transcript FILE", "--log-timestamps", "--quiet", "--proxy-protocol", "--verbose", "-h, --help", "-V, --version"}) {
            assertTrue(help.contains("  " + option + " ") || help.contains("  " + option + "\n"), option + " missing from help:\n" + help);
        }
        assertTrue(help.contains("(default: 127.0.0.1)"), help);
        out.reset();
        assertEquals(Exits.OK, run("client", "-h"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--connect-timeout DURATION"));
        out.reset();
        assertEquals(Exits.OK, run("bench", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--message-bytes B"));
        out.reset();
        assertEquals(Exits.OK, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: parley [--verbose] COMMAND [OPTIONS]"));
    }

    @Test
    void everyHelpFitsEightyColumns() {
        for (String[] args : new String[][] {{"--help"}, {"server", "--help"}, {"client", "--help"}, {"bench", "--help"},
                {"fingerprint", "--help"}, {"completion", "--help"}}) {
            out.reset();
            assertEquals(Exits.OK, run(args));
            for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
                assertTrue(line.length() <= 80, String.join(" ", args) + ": " + line.length() + " columns: " + line);
            }
        }
    }

    @Test
    void helpAndVersionAreNotValuesAfterTheEndOfOptions() {
        assertEquals(Exits.USAGE, run("client", "--", "--help"));
        assertEquals("parley: Unexpected argument '--help': 'parley client' takes options only; see 'parley client --help'\n", err());
    }

    @Test
    void aRefusedConnectionIsOneLineNamingHostAndPortAndExitsOne() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertEquals(Exits.FAILURE, run("client", "--host", "127.0.0.1", "--port", String.valueOf(port)));
        assertEquals("parley: cannot connect to 127.0.0.1:" + port + ": connection refused; is a Parley server running there?\n", err());
    }

    @Test
    void anUnknownHostIsOneLineAndExitsOne() {
        assertEquals(Exits.FAILURE, run("client", "--host", "no-such-host.invalid"));
        assertEquals("parley: cannot connect to no-such-host.invalid:1234: unknown host; check the host name\n", err());
    }

    @Test
    void aPortInUseIsOneLineAndExitsOne() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertEquals(Exits.FAILURE, run("server", "--port", String.valueOf(port), "--responder", "echo"));
            assertEquals("parley: cannot listen on 127.0.0.1:" + port
                    + ": address already in use; choose another --port or stop what is using it\n", err());
        }
    }

    @Test
    void aWebPortInUseIsOneLineNamingTheOptionAndExitsOne() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertEquals(Exits.FAILURE, run("server", "--port", "0", "--responder", "echo", "--web", String.valueOf(port)));
            assertTrue(err().endsWith("parley: cannot listen on 127.0.0.1:" + port
                    + " (--web): address already in use; choose another --web port or stop what is using it\n"), err());
        }
    }

    @Test
    void theWebPortIsReadAsPeopleWriteIt() {
        Origins self = Origins.sameOriginOnly();
        assertEquals(new WebPort("127.0.0.1", 8080, self), WebPort.parse("8080", "127.0.0.1", self));
        assertEquals(new WebPort("0.0.0.0", 0, self), WebPort.parse("0.0.0.0:0", "127.0.0.1", self));
        assertEquals(new WebPort("::1", 8443, self), WebPort.parse("[::1]:8443", "127.0.0.1", self));
        assertEquals(new WebPort("localhost", 80, self), WebPort.parse("localhost:80", "127.0.0.1", self));
    }

    @Test
    void stackTracesOnlyWithVerbose() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        run("client", "--port", String.valueOf(port));
        assertFalse(err().contains("\tat "), err());
        err.reset();
        run("client", "--verbose", "--port", String.valueOf(port));
        assertTrue(err().contains("\tat "), err());
    }

    /** Limits that cannot fit are refused when given, lowered when defaults; never a warning, then a crash. */
    @Test
    void theHeapDirectMemoryAndOpenFilesAreWeighedAtStartUp() throws UserError {
        long mib = 1 << 20;
        Capacity.Machine small = new Capacity.Machine(128 * mib, 128 * mib, java.util.OptionalLong.of(20_000));
        Capacity.Fit fits = Capacity.fit(settings(100, 32 * mib), false, 0, false, false, small);
        assertEquals(java.util.List.of(), fits.lowered(), "the defaults fit");
        assertEquals(4000, Capacity.fit(settings(4000, 32 * mib), true, 0, false, true, small).settings().maxConversations(),
                "4,000 conversations and as many page requests fit 128 MiB beside a 32 MiB budget");

        UserError budget = assertThrows(UserError.class, () -> Capacity.fit(settings(100, 10L << 30), false, 0, true, false, small));
        assertEquals(Exits.USAGE, budget.exitCode());
        assertTrue(budget.getMessage().startsWith("--memory-budget 10 GiB does not fit this JVM: at most half the heap (128 MiB)"),
                budget.getMessage());
        Capacity.Machine littleDirect = new Capacity.Machine(1024 * mib, 16 * mib, java.util.OptionalLong.empty());
        Capacity.Fit lowered = Capacity.fit(settings(100, 256 * mib), false, 0, false, false, littleDirect);
        assertEquals(8 * mib, lowered.settings().memoryBudget(), "a default budget is lowered to half the direct memory");
        assertEquals(1, lowered.lowered().size());
        assertTrue(lowered.lowered().get(0).startsWith("parley: the memory budget is lowered to 8 MiB"), lowered.lowered().get(0));

        UserError heap = assertThrows(UserError.class, () -> Capacity.fit(settings(100_000, 32 * mib), false, 0, false, true,
                new Capacity.Machine(128 * mib, 128 * mib, java.util.OptionalLong.empty())));
        assertTrue(heap.getMessage().contains("--max-conversations 100,000 does not fit: each connection costs about 4 KiB"),
                heap.getMessage());
        assertTrue(heap.getMessage().endsWith("lower --max-conversations or --memory-budget, or raise -Xmx"), heap.getMessage());
        UserError tlsHeap = assertThrows(UserError.class, () -> Capacity.fit(settings(8000, 32 * mib), false, 0, false, true,
                new Capacity.Machine(128 * mib, 128 * mib, java.util.OptionalLong.empty()), Capacity.PerConnection.TLS_JDK, 0));
        assertTrue(tlsHeap.getMessage().contains("--max-conversations 8,000 does not fit: each connection costs about 10 KiB"),
                "TLS on the JDK's provider is counted at its own cost: " + tlsHeap.getMessage());
        Capacity.Machine tight = new Capacity.Machine(128 * mib, 128 * mib, java.util.OptionalLong.empty());
        assertEquals(16_384, Capacity.fit(settings(100_000, 32 * mib), false, 0, false, false, tight).settings().maxConversations());
        assertEquals(15_712, Capacity.fit(settings(100_000, 32 * mib), false, 0, false, false, tight, Capacity.PerConnection.PLAIN,
                Capacity.CLUSTER_BYTES).settings().maxConversations(), "with --cluster, the NATS client's fixed buffers come first");

        Capacity.Machine fewFiles = new Capacity.Machine(1024 * mib, 1024 * mib, java.util.OptionalLong.of(128));
        UserError files = assertThrows(UserError.class, () -> Capacity.fit(settings(1000, 32 * mib), false, 0, false, true, fewFiles));
        assertTrue(files.getMessage().contains("the open-file limit (128) holds 64; lower --max-conversations, or raise"),
                files.getMessage());
        Capacity.Fit fewer = Capacity.fit(settings(100, 32 * mib), false, 0, false, false, fewFiles);
        assertEquals(64, fewer.settings().maxConversations(), "a default is lowered to what the open files hold");
        assertEquals(java.util.List.of("parley: --max-conversations is lowered to 64: each connection is an open file, and the "
                + "open-file limit (128) holds 64"), fewer.lowered());
        assertThrows(UserError.class, () -> Capacity.fit(settings(100, 32 * mib), true, 0, false, false, fewFiles),
                "never lowered to nothing: 128 page requests alone need more files");
    }

    private static dev.parley.socket.server.ServerSettings settings(int conversations, long budget) {
        return new dev.parley.socket.server.ServerSettings("127.0.0.1", 0, new dev.parley.core.wire.LineFraming(),
                dev.parley.core.session.Limits.NONE, conversations, conversations, budget, 128);
    }

    @Test
    void aFileResponderReadsItsLinesAtStartUp(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("replies.txt");
        Files.writeString(file, "one\r\ntwo\n\nfour\n");
        Script script = ((ResponderChoice.FileLines) ResponderChoice.parse("file:" + file)).script();
        assertEquals(4, script.size());
        assertEquals(List.of("one", "two", "", "four"), List.of(script.line(0), script.line(1), script.line(2), script.line(3)));
    }
}
