package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How the server holds up (issue 10), as an attacker on the network would try it: the real jar,
 * real sockets, small heaps. Each case says what a legitimate client saw; the figures printed here
 * are the ones docs/VERIFICATION.md reports.
 */
@Timeout(240)
class HardeningIT {

    private static void report(String line) {
        System.out.println("hardening: " + line);
    }

    /** 5,000 connections each holding a 65,000-byte partial line once killed a -Xmx128m server. */
    @Test
    void aFloodOfLongPartialLinesIsRefusedNeverFatalAndOthersAreServed() throws Exception {
        try (OsProcess server = OsProcess.parley(List.of("-Xmx128m"), "server", "--port", "0", "--responder", "echo",
                "--max-conversations", "5000", "--max-per-address", "5000")) {
            int port = server.port();
            try (Wire warm = new Wire(port, "127.0.0.2")) {
                assertEquals("warm", warm.ask("warm"));
            }
            long rssBefore = server.rssKib();
            byte[] partial = new byte[65_000];
            Arrays.fill(partial, (byte) 'p');
            List<Socket> flood = new ArrayList<>();
            int sent = 0;
            try {
                for (int i = 0; i < 5000; i++) {
                    Socket socket = new Socket();
                    flood.add(socket);
                    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
                    try {
                        socket.getOutputStream().write(partial);
                        sent++;
                    } catch (IOException e) {
                        // dropped for memory while still writing: the server's right
                    }
                }
                long rssDuring = server.rssKib();
                try (Wire normal = new Wire(port, "127.0.0.2")) {
                    String reply = normal.ask("still served?");
                    report("flood of 5,000 x 65,000 bytes against -Xmx128m: " + sent + " sent in full; RSS " + rssBefore
                            + " KiB before, " + rssDuring + " KiB during; a normal client got " + reply);
                    assertEquals("still served?", reply, "room is kept for those who hold little");
                }
                assertTrue(rssDuring < 640 * 1024, "RSS bounded: " + rssDuring + " KiB");
            } finally {
                for (Socket socket : flood) {
                    socket.close();
                }
            }
            try (Wire after = new Wire(port, "127.0.0.2")) {
                assertEquals("after the flood", after.ask("after the flood"));
            }
            String log = server.err.text();
            assertTrue(server.process.isAlive(), "nothing fatal");
            assertFalse(log.contains("fatal") || log.contains("OutOfMemoryError"), log.substring(Math.max(0, log.length() - 2000)));
            assertTrue(log.contains("dropped: memory: the server holds as much data as it can")
                    || log.contains("refused 127.0.0.1"), "the flood met the memory budget");
        }
    }

    /** One address holding every slot with a line just inside the idle timeout once locked everyone out. */
    @Test
    void oneAddressCannotHoldEverySlot() throws Exception {
        try (OsProcess server = OsProcess.parley("server", "--port", "0", "--responder", "echo",
                "--max-conversations", "20", "--max-per-address", "5")) {
            int port = server.port();
            List<Wire> hog = new ArrayList<>();
            try {
                int refused = 0;
                for (int i = 0; i < 20; i++) {
                    Wire wire = new Wire(port);
                    hog.add(wire);
                    String reply = wire.ask("k");
                    if (reply != null && reply.startsWith("!too many: 5 conversations from your address")) {
                        refused++;
                    }
                }
                assertEquals(15, refused, "five held, the rest told why");
                try (Wire other = new Wire(port, "127.0.0.2")) {
                    assertEquals("another host", other.ask("another host"));
                }
            } finally {
                for (Wire wire : hog) {
                    wire.close();
                }
            }
        }
    }

    /** Silent connections queued for a console's operator once made a real client wait 12 s and more. */
    @Test
    void silentClientsAheadInTheConsolesLineAreLetGoQuickly() throws Exception {
        Waited real = realClientBehindSilentOnes(Collections.nCopies(4, "127.0.0.1"), "127.0.0.2",
                "--first-message-timeout", "1s", "--max-per-address", "10");
        report("4 silent clients ahead of a real one at --first-message-timeout 1s: it waited " + real.millis() + " ms");
        assertTrue(real.millis() < 8000, "waited " + real.millis() + " ms");
        assertTrue(real.log().contains("no first message within 1s while others wait for the operator"), real.log());
    }

    /**
     * Silent clients from many addresses once held the operator one after another, each for the
     * whole first-message timeout once it reached the front: 100 of them at 2 s, 200 s for the
     * client behind them (issue 18).
     */
    @Test
    void silentClientsFromTenAddressesCannotKeepOneWhoSpeaksWaiting() throws Exception {
        List<String> sources = new ArrayList<>();
        for (int address = 2; address <= 11; address++) {
            sources.addAll(Collections.nCopies(10, "127.0.0." + address));
        }
        Waited real = realClientBehindSilentOnes(sources, "127.0.0.12", "--first-message-timeout", "2s", "--max-conversations", "200");
        report("100 silent clients from 10 addresses ahead of a real one at --first-message-timeout 2s: it waited "
                + real.millis() + " ms");
        assertTrue(real.millis() < 12_000, "waited " + real.millis() + " ms");
    }

    /** How long a real client waited to be answered, and the server's log. */
    private record Waited(long millis, String log) {}

    /**
     * Starts a console server with {@code options}, connects a silent client from each of
     * {@code silentSources} (in line, in that order), then a client from {@code source} that
     * speaks at once; the operator answers it as soon as its message shows.
     */
    private static Waited realClientBehindSilentOnes(List<String> silentSources, String source, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("server", "--port", "0"));
        args.addAll(List.of(options));
        try (OsProcess server = OsProcess.parley(args.toArray(String[]::new))) {
            int port = server.port();
            List<Wire> silent = new ArrayList<>();
            try {
                for (String from : silentSources) {
                    silent.add(new Wire(port, from));
                }
                server.err.awaitCount("\\) waits; ", silentSources.size() - 1);
                long started = System.nanoTime();
                try (Wire real = new Wire(port, source)) {
                    String first = real.readLineOrNull();
                    assertTrue(first.startsWith("!notice: waiting for the operator"), first);
                    real.send("hello, anyone?\n");
                    server.out.await("hello, anyone\\?\n");
                    server.type("yes, at last\n");
                    String reply;
                    do {
                        reply = real.readLineOrNull();
                    } while (reply != null && reply.startsWith("!notice:"));
                    assertEquals("yes, at last", reply);
                    return new Waited(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), server.err.text());
                }
            } finally {
                for (Wire wire : silent) {
                    wire.close();
                }
            }
        }
    }

    /** A client that stopped reading once held its slot for ever: writes had no timeout. */
    @Test
    void aClientThatTakesNoRepliesIsEndedByTheIdleTimeoutAndItsSlotFreed() throws Exception {
        try (OsProcess server = OsProcess.parley("server", "--port", "0", "--responder", "echo",
                "--max-conversations", "1", "--idle-timeout", "2s")) {
            int port = server.port();
            try (Socket stubborn = new Socket()) {
                stubborn.setReceiveBufferSize(4096);
                stubborn.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                stubborn.setSoTimeout(100);
                OutputStream out = stubborn.getOutputStream();
                byte[] line = ("x".repeat(60_000) + "\n").getBytes(StandardCharsets.UTF_8);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!server.err.text().contains("ended: idle: ")) {
                    try {
                        out.write(line); // keeps the conversation busy; never reads a reply
                    } catch (IOException e) {
                        break; // ended: the server closed it
                    }
                    assertTrue(System.nanoTime() < deadline, "still holding its slot:\n" + server.err.text());
                }
            }
            // Took none of its replies, as a rule. On a machine so loaded that this test's own writes stall
            // for the whole timeout while the server's replies still fit in the kernel's buffers, the
            // server sees no message instead: the same timeout, the same slot given back.
            server.err.await("ended: idle: (took none of the replies|no message) for 2s \\(idle timeout\\)");
            // The slot is given back when the connection closes, a moment after the ending is logged.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String reply;
            do {
                try (Wire next = new Wire(port)) {
                    reply = next.ask("my turn");
                }
            } while (reply.startsWith("!busy") && System.nanoTime() < deadline);
            assertEquals("my turn", reply, "the slot is free again");
        }
    }

    /** A failed accept as strace shows it: {@code accept4(...) = -1 EMFILE (Too many open files)}. */
    private static final String FAILED_ACCEPT = "accept4?\\(.*\\) = -1 EMFILE";

    /**
     * A full file table once made the accept loop spin at 100 % with nothing logged: it tried again
     * at once, and failed again, for ever. Counted here as the system calls themselves (strace
     * attached to the server): a paused loop fails once a pause (a second), so its first three
     * failures span two pauses however loaded the machine; a spinning one fails thousands of times
     * a second.
     */
    @Test
    void runningOutOfFilesPausesAcceptingSaysSoOnceAndRecovers() throws Exception {
        ToolPolicy.requireCommand("strace", "strace");
        // As many conversations as the limit allows (128 less 64 for the JVM): the refused ones, lingering, fill the rest.
        // Each time their linger (2 s) ends, the server accepts another batch from the backlog and fills the table again:
        // 400 connections keep it full, in episodes, for longer than this test looks.
        try (OsProcess server = OsProcess.parleyWithOpenFileLimit(128, "server", "--port", "0", "--responder", "echo",
                "--max-conversations", "64", "--max-per-address", "64", "--backlog", "512")) {
            int port = server.port();
            List<Socket> flood = new ArrayList<>();
            try {
                for (int i = 0; i < 400; i++) {
                    Socket socket = new Socket();
                    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
                    flood.add(socket);
                }
                server.err.await("cannot accept connections: too many open files");
                try (OsProcess strace = OsProcess.program(Map.of(), "strace", "-f", "-e", "trace=accept,accept4", "-e", "status=failed",
                        "-e", "signal=none", "-p", String.valueOf(server.process.pid()))) {
                    strace.err.await("attached");
                    long attached = System.nanoTime();
                    String trace = strace.err.awaitCount(FAILED_ACCEPT, 3);
                    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - attached);
                    long failed = Pattern.compile(FAILED_ACCEPT).matcher(trace).results().count();
                    report("accepting with the file table full: " + failed + " failed accepts in " + millis + " ms");
                    assertTrue(failed <= 2 + millis / 1000, failed + " failed accepts in " + millis
                            + " ms: at most one a pause (a second) after the first; accepting did not pause\n" + tail(trace));
                    strace.process.destroy(); // detaches from the server, which runs on
                    assertTrue(strace.exitsWithin(20), "strace detached");
                }
            } finally {
                for (Socket socket : flood) {
                    socket.close();
                }
            }
            server.err.await("accepting connections again");
            try (Wire next = new Wire(port)) {
                assertEquals("recovered", next.ask("recovered"));
            }
            String log = server.err.text();
            long said = log.lines().filter(line -> line.contains("cannot accept connections")).count();
            long recovered = log.lines().filter(line -> line.contains("accepting connections again")).count();
            report("the file table full for " + said + " episodes (a batch accepted each time lingering refusals closed): "
                    + said + " warnings, " + recovered + " recoveries");
            assertTrue(said >= 1 && said == recovered, "said once an episode, and each episode ended:\n" + log);
        }
    }

    private static String tail(String text) {
        return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
    }

    /** 20,000 refused connections once wrote 20,000 log lines. */
    @Test
    void refusalsAreSummarisedNotLoggedOneByOne() throws Exception {
        try (OsProcess server = OsProcess.parley("server", "--port", "0", "--responder", "echo",
                "--max-conversations", "1", "--max-per-address", "1")) {
            int port = server.port();
            try (Wire holder = new Wire(port)) {
                assertEquals("mine", holder.ask("mine"));
                for (int i = 0; i < 2000; i++) {
                    try (Socket refused = new Socket()) {
                        refused.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
                    }
                }
                server.err.await("refused [0-9,]+ more in the last second: busy");
            }
            long lines = server.err.text().lines().filter(l -> l.startsWith("refused ")).count();
            report("2,000 refused connections: " + lines + " log lines");
            assertTrue(lines < 50, lines + " lines");
        }
    }

    /** A silent server, or one trickling a byte at a time, once made the client hang for ever. */
    @Test
    void theClientGivesUpOnASilentOrTricklingServerAndSaysWhy() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            try (OsProcess client = OsProcess.parley("client", "--port", String.valueOf(silent.getLocalPort()),
                    "--idle-timeout", "1s"); Socket accepted = silent.accept()) {
                client.type("anyone?\n");
                assertTrue(client.exitsWithin(10));
                assertEquals(1, client.exitCode());
                assertTrue(client.err.text().contains("idle: no message for 1s (idle timeout)"), client.err.text());
                assertEquals("anyone?", new String(accepted.getInputStream().readNBytes(7), StandardCharsets.UTF_8));
            }
            try (OsProcess client = OsProcess.parley("client", "--port", String.valueOf(silent.getLocalPort()),
                    "--line-timeout", "1s"); Socket accepted = silent.accept()) {
                client.type("hello\n");
                OutputStream out = accepted.getOutputStream();
                try {
                    for (int i = 0; i < 50 && client.process.isAlive(); i++) {
                        out.write('t');
                        out.flush();
                        Thread.sleep(100); // the trickle: the scenario's own pace
                    }
                } catch (IOException e) {
                    // the client gave up and closed: what this test waits for
                }
                assertTrue(client.exitsWithin(10));
                assertEquals(1, client.exitCode());
                assertTrue(client.err.text().contains("too slow: a message not finished within 1s (line timeout)"), client.err.text());
            }
        }
    }

    /** A server that sent 40 lines before the client spoke once had the first taken for the reply. */
    @Test
    void aServerSpeakingOutOfTurnIsAFailureForTheClient() throws Exception {
        try (ServerSocket rogue = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            try (OsProcess client = OsProcess.parley("client", "--port", String.valueOf(rogue.getLocalPort()));
                    Socket accepted = rogue.accept()) {
                accepted.getOutputStream().write("unasked\n".repeat(40).concat("bye\n").getBytes(StandardCharsets.UTF_8));
                assertTrue(client.exitsWithin(10));
                assertEquals(1, client.exitCode());
                assertEquals("", client.out.text(), "nothing said out of turn is shown as a reply");
                assertTrue(client.err.text().contains("out of turn"), client.err.text());
                InputStream in = accepted.getInputStream();
                String told = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(told.startsWith("!out of turn:"), told);
            }
        }
    }

    /** U+2028 once split a log line in two for log readers, and forged a second one. */
    @Test
    void peerTextCannotForgeLogLinesOrHideOnTheOperatorsTerminal() throws Exception {
        try (OsProcess server = OsProcess.parley("server", "--port", "0")) {
            int port = server.port();
            try (Wire client = new Wire(port)) {
                client.send("pay\u200Bpal \u2028 tag\uDB40\uDC41 fill\u3164er\n");
                server.out.await("pay");
                server.type("noted\n");
                assertEquals("noted", client.readLineOrNull());
                client.send("!\u2028conversation 99 with 10.0.0.1:1 ended: client said bye\tand more\n");
                server.err.await("ended: client says: ");
            }
            String shown = server.out.text();
            assertEquals("pay\\u200Bpal \\u2028 tag\\u{E0041} fill\\u3164er\n", shown, "visible on the operator's terminal");
            String log = server.err.text();
            assertFalse(log.contains("\u2028") || log.contains("\t"), log);
            assertTrue(log.contains("client says: \\u2028conversation 99 with 10.0.0.1:1 ended: client said bye^Iand more"), log);
            assertEquals(1, log.lines().filter(l -> l.contains("conversation 99")).count(), "no forged line of its own");
        }
    }
}
