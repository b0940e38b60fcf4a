package dev.parley.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real terminal: a tmux session (on a server of its own) running one shell command, which keys
 * are sent to and whose screen is read, as a person would. When the command ends, the pane shows
 * {@code [exit N]} on a line of its own and stays for the test to read.
 */
final class Tmux implements AutoCloseable {

    private static final AtomicInteger SESSIONS = new AtomicInteger();
    private static final long WAIT_SECONDS = 20;

    private final String socket;

    private Tmux(String socket) {
        this.socket = socket;
    }

    /**
     * Starts {@code shellCommand} (run by {@code sh -c}) in a new 100x30 terminal, with
     * {@code env} added to its environment.
     */
    static Tmux start(Map<String, String> env, String shellCommand) throws IOException, InterruptedException {
        ToolPolicy.requireCommand("tmux", "tmux");
        Tmux tmux = new Tmux("parley-it-" + ProcessHandle.current().pid() + "-" + SESSIONS.incrementAndGet());
        List<String> command = new ArrayList<>(List.of("new-session", "-d", "-s", "t", "-x", "100", "-y", "30"));
        env.forEach((name, value) -> command.addAll(List.of("-e", name + "=" + value)));
        // The shell outlives a Ctrl-C meant for its command (a trap, not an ignored signal, which the command would inherit).
        command.addAll(List.of("sh", "-c", "trap true INT; " + shellCommand + "; echo \"[exit $?]\"; exec sleep 3600"));
        tmux.run(command.toArray(new String[0]));
        return tmux;
    }

    /** The shell words that run the parley jar with {@code args}, quoted for {@code sh}. */
    static String parley(String... args) {
        StringBuilder command = new StringBuilder(quote(Path.of(System.getProperty("java.home"), "bin", "java").toString()))
                .append(" -jar ").append(quote(OsProcess.jar().toAbsolutePath().toString()));
        for (String arg : args) {
            command.append(' ').append(quote(arg));
        }
        return command.toString();
    }

    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** Types {@code text} literally, as a person would. */
    Tmux type(String text) throws IOException, InterruptedException {
        run("send-keys", "-t", "t", "-l", text);
        return this;
    }

    /** Presses keys by tmux's names: Enter, Up, Left, End, C-c, C-d... */
    Tmux press(String... keys) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("send-keys", "-t", "t"));
        command.addAll(List.of(keys));
        run(command.toArray(new String[0]));
        return this;
    }

    /** Pastes {@code text} as a terminal does, bracketed when the program asked for it. */
    Tmux paste(String text) throws IOException, InterruptedException {
        run("set-buffer", "--", text);
        run("paste-buffer", "-p", "-t", "t");
        return this;
    }

    /** What the terminal shows now, trailing blanks removed. */
    String screen() throws IOException, InterruptedException {
        return run("capture-pane", "-p", "-t", "t").replaceAll("(?m)[ \t]+$", "").stripTrailing();
    }

    /** Waits up to 20 s until {@code regex} is found on the screen; returns the screen. */
    String await(String regex) throws IOException, InterruptedException {
        Pattern pattern = Pattern.compile(regex, Pattern.MULTILINE);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            String screen = screen();
            if (pattern.matcher(screen).find()) {
                return screen;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the terminal never showed /" + regex + "/; it shows:\n" + screen);
            }
            TimeUnit.MILLISECONDS.sleep(20); // polling the screen: a terminal has nothing to wait on
        }
    }

    /** Waits for the command to end; returns its exit code. */
    int awaitExit() throws IOException, InterruptedException {
        Matcher exit = Pattern.compile("^\\[exit (\\d+)]$", Pattern.MULTILINE).matcher(await("^\\[exit \\d+]$"));
        exit.find();
        return Integer.parseInt(exit.group(1));
    }

    private String run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket, "-f", "/dev/null"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("tmux", "-L", socket, "kill-server").redirectErrorStream(true).start().waitFor();
    }
}
