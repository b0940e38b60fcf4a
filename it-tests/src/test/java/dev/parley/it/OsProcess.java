package dev.parley.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real child process (the parley jar, or a seed Python program) with captured output. */
final class OsProcess implements AutoCloseable {

    final Capture out = new Capture();
    final Capture err = new Capture();
    final Process process;

    private OsProcess(List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        process = builder.start();
        pump(process.getInputStream(), out);
        pump(process.getErrorStream(), err);
    }

    /** {@code java -jar parley.jar args}, with the JVM running these tests. */
    static OsProcess parley(String... args) throws IOException {
        return parley(List.of(), args);
    }

    /** {@code java JVM_OPTIONS -jar parley.jar args}. */
    static OsProcess parley(List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar().toString()));
        command.addAll(List.of(args));
        return new OsProcess(command, Map.of());
    }

    /** {@code java JVM_OPTIONS -jar parley.jar args} with {@code env} added to its environment. */
    static OsProcess parley(Map<String, String> env, List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar().toString()));
        command.addAll(List.of(args));
        return new OsProcess(command, env);
    }

    /** Any program, with {@code env} added to its environment. */
    static OsProcess program(Map<String, String> env, String... command) throws IOException {
        return new OsProcess(List.of(command), env);
    }

    /** {@code parley args} in a process whose open-file limit (soft and hard) is {@code openFiles}. */
    static OsProcess parleyWithOpenFileLimit(int openFiles, String... args) throws IOException {
        StringBuilder command = new StringBuilder("ulimit -n " + openFiles + " && exec '")
                .append(Path.of(System.getProperty("java.home"), "bin", "java")).append("' -jar '").append(jar()).append("'");
        for (String arg : args) {
            command.append(" '").append(arg.replace("'", "'\\''")).append("'");
        }
        return new OsProcess(List.of("bash", "-c", command.toString()), Map.of());
    }

    /** The process's resident memory in KiB, from /proc. */
    long rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for process " + process.pid());
    }

    /** Waits up to {@code seconds} for the process to end; true when it did. */
    boolean exitsWithin(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    /** One of the seed tutorial's own programs, run unchanged on loopback at {@code port}. */
    static OsProcess seed(String program, int port) throws IOException {
        Path wrapper = Path.of("src", "test", "resources", "seed", "run_seed.py").toAbsolutePath();
        return new OsProcess(List.of("python3", "-u", wrapper.toString(), program), Map.of("SEED_PORT", String.valueOf(port)));
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("parley.jar", "../app/target/parley.jar"));
        if (!jar.toFile().isFile()) {
            throw new IllegalStateException("no " + jar + ": build it first (./mvnw package)");
        }
        return jar;
    }

    /** Writes {@code text} to the process's stdin. */
    OsProcess type(String text) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(text.getBytes(StandardCharsets.UTF_8));
        in.flush();
        return this;
    }

    /** Closes the process's stdin: end of input. */
    OsProcess endInput() throws IOException {
        process.getOutputStream().close();
        return this;
    }

    int port() throws InterruptedException {
        return Integer.parseInt(err.await("listening on \\S+:(\\d+)"));
    }

    /** Sends a signal by name, e.g. TERM or INT. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " failed");
        }
    }

    int exitCode() throws InterruptedException {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new AssertionError("still running after 20 s; stderr:\n" + err.text());
        }
        return process.exitValue();
    }

    private static void pump(InputStream from, Capture to) {
        Thread t = new Thread(() -> {
            try {
                from.transferTo(to);
            } catch (IOException e) {
                // the process ended
            }
        });
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
