package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * `parley bench` as a new user runs it: with its defaults, against a server with its defaults (only
 * the port chosen), it gets through; it shows progress on a terminal's stderr and nothing extra on
 * a pipe's.
 */
@Timeout(120)
class BenchIT {

    private OsProcess server;

    @BeforeEach
    void defaultEchoServer() throws IOException {
        server = OsProcess.parley("server", "--responder", "echo", "--port", "0");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theDefaultBenchGetsThroughADefaultServer() throws Exception {
        // 100 conversations against a server that takes 10 from one address: spread over 127.0.0.1 to .100.
        OsProcess bench = OsProcess.parley("bench", "--port", String.valueOf(server.port()));
        assertEquals(0, bench.exitCode(), bench.err.text());
        assertTrue(bench.out.text().startsWith("100 conversations x 100 messages of 64 bytes against localhost:" + server.port() + "\n"),
                bench.out.text());
        assertTrue(bench.out.text().contains("  10000 round trips in ") && bench.out.text().endsWith("  every reply correct\n"),
                bench.out.text());
        assertEquals("", bench.err.text(), "nothing on a pipe but failures");
        assertTrue(server.err.text().contains(" with 127.0.0.100:"), "the hundredth from 127.0.0.100: " + server.err.text());
    }

    /** A port where connections are made (in the kernel's backlog) but never answered: a run there lasts its --reply-timeout. */
    private static ServerSocketChannel mute() throws IOException {
        ServerSocketChannel mute = ServerSocketChannel.open();
        mute.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        return mute;
    }

    private static String port(ServerSocketChannel mute) throws IOException {
        return String.valueOf(((InetSocketAddress) mute.getLocalAddress()).getPort());
    }

    private static final String STALLED = "parley: bench failed: no reply for 3s (--reply-timeout); 0 of 1 conversations finished;"
            + " is it an echo server?";

    @Test
    void onAPipeARunOfSecondsShowsNoProgress() throws Exception {
        try (ServerSocketChannel mute = mute()) {
            OsProcess bench = OsProcess.parley("bench", "--port", port(mute), "--conversations", "1", "--reply-timeout", "3s");
            assertEquals(1, bench.exitCode(), bench.err.text());
            assertEquals(STALLED + "\n", bench.err.text(), "three seconds of a run, and no progress on a pipe");
        }
    }

    @Test
    void onATerminalItsProgressIsShownOnStderrAndErasedWhenTheRunEnds() throws Exception {
        try (ServerSocketChannel mute = mute();
                Tmux terminal = Tmux.start(Map.of(), Tmux.parley("bench", "--port", port(mute), "--conversations", "1", "--reply-timeout", "3s"))) {
            terminal.await("^bench: 1 conversation open, 0 round trips, 0 errors$");
            assertEquals(1, terminal.awaitExit(), terminal.screen());
            assertEquals(STALLED + "[exit 1]", terminal.screen().replace("\n", ""), "the progress line gone, the failure in its place"
                    + " (wrapped at the terminal's 100 columns)");
        }
    }

    @Test
    void onATerminalTheProgressLineIsWrittenOverOnceASecond() throws Exception {
        try (Tmux terminal = Tmux.start(Map.of(), Tmux.parley("bench", "--port", String.valueOf(server.port()), "--conversations", "1",
                "--messages", "100000000") + " >/dev/null")) {
            String progress = "^bench: 1 conversation open, ([0-9,]+) round trips, 0 errors";
            String first = roundTrips(progress, terminal.await(progress));
            // A second later, the same line says more round trips.
            terminal.await("^bench: 1 conversation open, (?!" + Pattern.quote(first) + " )[0-9,]+ round trips, 0 errors");
            assertEquals(1, terminal.screen().lines().count(), "written over itself, on one line: " + terminal.screen());
            terminal.press("C-c"); // a run of a hundred million: stopped as a person would
            terminal.await("\\[exit 130]$");
        }
    }

    private static String roundTrips(String progress, String screen) {
        Matcher m = Pattern.compile(progress, Pattern.MULTILINE).matcher(screen);
        assertTrue(m.find(), screen);
        return m.group(1);
    }
}
