package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20 part 2, the piped contract of {@code parley operator} against the real jar: a server with
 * {@code --responder desk --operators 127.0.0.1:0}, piped operators whose input lines answer the
 * clients in front of them in turn and whose stdout is exactly the clients' messages; clients first
 * come, first served; an operator killed or out of lines hands its client back, never lost.
 */
@Timeout(180)
class OperatorIT {

    private static final Pattern REPLY = Pattern.compile("(\\w+) (\\d+)");

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    private <T extends AutoCloseable> T kept(T closeable) {
        open.add(closeable);
        return closeable;
    }

    /** A server whose clients wait for remote operators only; {@code [clients' port, operators' port]}. */
    private int[] deskServer(OsProcess[] server, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("server", "--port", "0", "--responder", "desk", "--operators", "127.0.0.1:0"));
        args.addAll(List.of(options));
        server[0] = kept(OsProcess.parley(args.toArray(new String[0])));
        int clients = server[0].port();
        int operators = Integer.parseInt(server[0].err.await("operators on \\S+:(\\d+)"));
        return new int[] {clients, operators};
    }

    /** A piped operator named {@code name}, admitted, with {@code lines} answers ready ({@code name 1}, {@code name 2}...). */
    private OsProcess operator(int port, String name, int lines) throws Exception {
        OsProcess operator = kept(OsProcess.parley("operator", "--port", String.valueOf(port), "--name", name));
        StringBuilder answers = new StringBuilder();
        for (int i = 1; i <= lines; i++) {
            answers.append(name).append(' ').append(i).append('\n');
        }
        operator.type(answers.toString());
        operator.err.await("at the operators' desk of \\S+ as " + name);
        return operator;
    }

    /**
     * The clients' messages an operator's stdout carries, one a line, once it has at least
     * {@code lines} (the test may read a client's answer before it reads the operator's output).
     */
    private static List<String> heard(OsProcess operator, int lines) throws InterruptedException {
        String text = operator.out.awaitCount("\n", lines);
        return text.isEmpty() ? List.of() : List.of(text.split("\n", -1)).subList(0, (int) text.chars().filter(c -> c == '\n').count());
    }

    @Test
    void twoPipedOperatorsAnswerSixPipedClientsEachSomeInOrder() throws Exception {
        OsProcess[] server = new OsProcess[1];
        int[] ports = deskServer(server);
        Map<String, OsProcess> operators = Map.of("ann", operator(ports[1], "ann", 6), "bob", operator(ports[1], "bob", 6));
        List<OsProcess> clients = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            OsProcess client = kept(OsProcess.parley("client", "--port", String.valueOf(ports[0])));
            client.type("hello from " + i + "\nbye\n").endInput();
            // Arrivals in a known order: the next client's JVM starts after this one is logged as opened.
            server[0].err.awaitCount("conversation \\d+ with \\S+ opened", i);
            clients.add(client);
        }
        Map<String, List<Integer>> answered = new HashMap<>();
        for (int i = 1; i <= 6; i++) {
            OsProcess client = clients.get(i - 1);
            assertEquals(0, client.exitCode(), client.err.text());
            String reply = client.out.awaitCount("\n", 1);
            Matcher m = REPLY.matcher(reply.strip());
            assertTrue(m.matches() && reply.endsWith("\n") && reply.indexOf('\n') == reply.length() - 1,
                    "client " + i + " got one line, an operator's answer: " + reply + client.err.text());
            String operator = m.group(1);
            int k = Integer.parseInt(m.group(2));
            answered.computeIfAbsent(operator, o -> new ArrayList<>()).add(i);
            // The operator's k-th line answered the k-th message it heard: this client's.
            assertEquals("hello from " + i, heard(operators.get(operator), k).get(k - 1),
                    operator + "'s answer " + k + " went to the client whose message it heard " + k + "th");
        }
        assertEquals(Set.of("ann", "bob"), answered.keySet(), "each operator answered some: " + answered);
        for (Map.Entry<String, List<Integer>> entry : answered.entrySet()) {
            String operator = entry.getKey();
            List<Integer> served = entry.getValue();
            assertEquals(served.size(), heard(operators.get(operator), served.size()).size(), operator + " heard only its clients");
            for (int k = 1; k < served.size(); k++) {
                assertTrue(served.get(k - 1) < served.get(k), operator + " took its clients in arrival order: " + served);
            }
        }
    }

    @Test
    void anOperatorKilledMidConversationHandsItsClientToTheOther() throws Exception {
        OsProcess[] server = new OsProcess[1];
        int[] ports = deskServer(server);
        OsProcess silent = operator(ports[1], "ann", 0); // it will hear the client, and never answer
        OsProcess client = kept(OsProcess.parley("client", "--port", String.valueOf(ports[0])));
        client.type("are you there?\nbye\n").endInput();
        silent.out.await("^are you there\\?\n");
        OsProcess other = operator(ports[1], "bob", 1);
        silent.process.destroyForcibly(); // kill -9, mid-conversation
        assertEquals(0, client.exitCode(), client.err.text());
        assertEquals("bob 1\n", client.out.awaitCount("\n", 1), "the other operator answered: " + client.err.text());
        assertTrue(client.err.text().contains("back in line"), "the client was told it went back to the line: " + client.err.text());
        assertFalse(other.exitsWithin(0), "the other operator stays at the desk");
    }

    @Test
    void anOperatorWhoseLinesRunOutLeavesAndExits0ItsClientGoesToTheNext() throws Exception {
        OsProcess[] server = new OsProcess[1];
        int[] ports = deskServer(server);
        OsProcess brief = operator(ports[1], "ann", 1);
        brief.endInput();
        OsProcess client = kept(OsProcess.parley("client", "--port", String.valueOf(ports[0])));
        client.type("first\nsecond\nbye\n").endInput();
        assertEquals(0, brief.exitCode(), "its input ended: it left at the next question\n" + brief.err.text());
        assertEquals("first\nsecond\n", brief.out.awaitCount("\n", 2));
        OsProcess next = operator(ports[1], "bob", 1);
        assertEquals(0, client.exitCode(), client.err.text());
        assertEquals("ann 1\nbob 1\n", client.out.awaitCount("\n", 2), client.err.text());
        assertFalse(next.exitsWithin(0), "bob has no client now, and input still open: it stays");

        OsProcess idle = kept(OsProcess.parley("operator", "--port", String.valueOf(ports[1]), "--name", "cy"));
        idle.endInput();
        assertEquals(0, idle.exitCode(), "nothing to answer with, no one in front: it leaves at once\n" + idle.err.text());
    }

    @Test
    void aHundredClientsAndThreePipedOperatorsFirstComeFirstServed() throws Exception {
        // The clients are bare sockets (a hundred JVMs would not fit the test machine): each says its
        // number at once, then waits in line; they all arrive before any operator, in a known order.
        OsProcess[] server = new OsProcess[1];
        int[] ports = deskServer(server, "--max-conversations", "200", "--max-per-address", "200");
        List<Wire> clients = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            Wire client = kept(new Wire(ports[0]));
            client.send("client " + i + "\n");
            // In line before the next one comes: its place says so.
            assertEquals("!notice: waiting for the operator; you are number " + i + " in line", client.readLineOrNull(),
                    "client " + i + "'s place");
            clients.add(client);
        }
        Map<String, OsProcess> operators = new HashMap<>();
        for (String name : List.of("ann", "bob", "cy")) {
            operators.put(name, operator(ports[1], name, 100));
        }
        Set<String> replies = new HashSet<>();
        Map<String, List<Integer>> served = new HashMap<>();
        for (int i = 1; i <= 100; i++) {
            Wire client = clients.get(i - 1);
            String line;
            do {
                line = client.readLineOrNull();
            } while (line != null && line.startsWith("!notice:"));
            Matcher m = REPLY.matcher(line == null ? "" : line);
            assertTrue(m.matches(), "client " + i + " answered: " + line);
            assertTrue(replies.add(line), "each answer went to one client: " + line);
            String operator = m.group(1);
            served.computeIfAbsent(operator, o -> new ArrayList<>()).add(i);
            int k = Integer.parseInt(m.group(2));
            assertEquals("client " + i, heard(operators.get(operator), k).get(k - 1),
                    operator + "'s answer went to the client it heard");
            client.send("bye\n");
        }
        int total = 0;
        for (Map.Entry<String, List<Integer>> entry : served.entrySet()) {
            List<Integer> order = entry.getValue();
            for (int k = 1; k < order.size(); k++) {
                assertTrue(order.get(k - 1) < order.get(k), entry.getKey() + " took clients in arrival order: " + order);
            }
            total += order.size();
        }
        assertEquals(100, total);
        assertEquals(Set.of("ann", "bob", "cy"), served.keySet(), "every operator took some: " + served);
    }

    @Test
    void anOperatorWhoseServerIsKilledIsCutOffAndExits3() throws Exception {
        OsProcess[] server = new OsProcess[1];
        int[] ports = deskServer(server);
        OsProcess operator = operator(ports[1], "ann", 0);
        server[0].process.destroyForcibly();
        assertEquals(3, operator.exitCode(), operator.err.text());
        operator.err.await("(?m)^parley: (the server at localhost:" + ports[1] + " closed the connection|connection to localhost:"
                + ports[1] + " lost: .*)$");
    }

    @Tag("tls") // run again on the JDK's provider (it-tests/pom.xml)
    @Test
    void aServerThatStopsTellsItsOperatorsWhoExit0AfterTheirClientsEnded() throws Exception {
        OsProcess[] server = new OsProcess[1];
        int[] ports = deskServer(server);
        OsProcess operator = operator(ports[1], "ann", 0); // hears its client, answers nothing
        OsProcess client = kept(OsProcess.parley("client", "--port", String.valueOf(ports[0])));
        client.type("still there?\n");
        operator.out.await("^still there\\?\n");

        server[0].signal("TERM"); // a clean stop (Process.destroy would close the pipes the test reads)
        assertEquals(0, server[0].exitCode(), server[0].err.text());
        assertEquals(0, client.exitCode(), "the client was told bye: " + client.err.text());
        assertEquals(0, operator.exitCode(), "told the server stops, not cut off: " + operator.err.text());
        String err = operator.err.await("(?m)^parley: the server at localhost:" + ports[1] + " is stopping; left the desk$");
        String said = operator.err.text();
        assertTrue(said.contains("parley: ended: ") && said.indexOf("parley: ended: ") < said.indexOf("is stopping"),
                "its client's ending came first: " + operator.err.text());
        assertFalse(operator.err.text().contains("closed the connection"), err);
        server[0].err.await("operator ann \\(\\S+\\) left the desk: stopped; told the operator");
    }

    @Test
    void aPipedConsoleServerWhoseInputEndsTellsItsRemoteOperatorsItStopsWhoExit0() throws Exception {
        OsProcess server = kept(OsProcess.parley("server", "--port", "0", "--responder", "console", "--operators", "127.0.0.1:0"));
        int operators = Integer.parseInt(server.err.await("operators on \\S+:(\\d+)"));
        OsProcess operator = operator(operators, "ann", 0);
        server.err.await("operator ann \\(\\S+\\) joined the desk");

        server.endInput(); // the console's script has ended, no client at the desk: the server stops
        assertEquals(0, server.exitCode(), server.err.text());
        assertEquals(0, operator.exitCode(), "told the server stops, not cut off: " + operator.err.text());
        operator.err.await("(?m)^parley: the server at localhost:" + operators + " is stopping; left the desk$");
    }

    @Test
    void overTlsAnOperatorWhoseClientKeyIsListedAnswersAndAnotherIsRefusedInOneLine(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("PARLEY_CONFIG_DIR", dir.resolve("cfg").toString());
        OsProcess key = kept(OsProcess.parley(env, List.of(), "fingerprint", "--client"));
        assertEquals(0, key.exitCode(), key.err.text());
        Path authorized = dir.resolve("operators");
        Files.writeString(authorized, key.out.awaitCount("\n", 1).strip() + " ann\n");
        Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-------"));
        OsProcess server = kept(OsProcess.parley(env, List.of(), "server", "--port", "0", "--tls", "--responder", "desk",
                "--operators", "127.0.0.1:0", "--authorized-operators", authorized.toString()));
        int clients = server.port();
        int operators = Integer.parseInt(server.err.await("operators on \\S+:(\\d+)"));
        String pin = server.err.await("(SHA256:[A-Za-z0-9+/]{43})");

        OsProcess ann = kept(OsProcess.parley(env, List.of(), "operator", "--port", String.valueOf(operators), "--name", "ann",
                "--tls", "--fingerprint", pin));
        ann.type("over TLS\n");
        ann.err.await("at the operators' desk of localhost:" + operators + " as ann");
        OsProcess client = kept(OsProcess.parley(env, List.of(), "client", "--port", String.valueOf(clients), "--tls",
                "--fingerprint", pin));
        client.type("hello\nbye\n").endInput();
        assertEquals(0, client.exitCode(), client.err.text());
        assertEquals("over TLS\n", client.out.awaitCount("\n", 1));
        assertEquals("hello\n", ann.out.awaitCount("\n", 1));

        OsProcess stranger = kept(OsProcess.parley(Map.of("PARLEY_CONFIG_DIR", dir.resolve("other").toString()), List.of(),
                "operator", "--port", String.valueOf(operators), "--name", "eve", "--tls", "--fingerprint", pin));
        assertEquals(1, stranger.exitCode());
        String err = stranger.err.awaitCount("\n", 2); // its new key's line, made on first use, then the refusal
        List<String> lines = err.lines().filter(line -> !line.startsWith("parley: made a new client identity")).toList();
        assertEquals(1, lines.size(), err);
        assertTrue(lines.get(0).startsWith("parley: cannot connect to localhost:" + operators + ": "), err);
    }

    @Test
    void anOperatorOnTheClientsPortGetsOneLineAndExits1() throws Exception {
        OsProcess[] server = new OsProcess[1];
        int[] ports = deskServer(server);
        OsProcess lost = kept(OsProcess.parley("operator", "--port", String.valueOf(ports[0]), "--name", "ann"));
        assertEquals(1, lost.exitCode());
        String err = lost.err.awaitCount("\n", 1);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("parley: localhost:" + ports[0] + " says: this is the clients' port; operators connect to "), err);
        assertEquals("", lost.out.text());
    }
}
