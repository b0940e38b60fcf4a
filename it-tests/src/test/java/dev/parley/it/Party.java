package dev.parley.it;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import dev.parley.socket.tls.TlsProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.output.OutputFrame.OutputType;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * One Parley process in its own container, with its stdin piped from the test: either a script
 * given up front (then end of input), or lines typed one at a time while the conversation runs.
 */
final class Party implements AutoCloseable {

    static final String SERVER_ALIAS = "parley-server";

    final GenericContainer<?> container;
    private PipedOutputStream keyboard;

    private Party(GenericContainer<?> container) {
        this.container = container;
    }

    /** A server on {@code network}, reachable as {@value #SERVER_ALIAS}, started and listening. */
    static Party server(ParleyImage image, Network network, InputStream stdin, String... options) {
        return server(image, network, SERVER_ALIAS, stdin, options);
    }

    /** A server on {@code network}, reachable as {@code alias} (which several servers may share), started and listening. */
    static Party server(ParleyImage image, Network network, String alias, InputStream stdin, String... options) {
        GenericContainer<?> c = base(image, network, List.of("server", "--bind", "0.0.0.0"), options)
                .withNetworkAliases(alias)
                .withExposedPorts(1234)
                .waitingFor(Wait.forLogMessage(".*listening on .*\\n", 1));
        return start(c, stdin);
    }

    /**
     * A server on {@code network}, reachable as {@code alias}, with {@code ports} published to the host, started once its
     * stderr has a line matching {@code ready}.
     */
    static Party serverUntil(ParleyImage image, Network network, String alias, String ready, List<Integer> ports, String... options) {
        GenericContainer<?> c = base(image, network, List.of("server", "--bind", "0.0.0.0"), options)
                .withNetworkAliases(alias)
                .withExposedPorts(ports.toArray(Integer[]::new))
                .waitingFor(Wait.forLogMessage(ready, 1));
        return start(c, script(""));
    }

    /**
     * Any parley command in {@code host}'s network namespace (its loopback is this one's: an operator at a server's
     * loopback-only operators' port), started with {@code stdin}.
     */
    static Party inNetworkOf(ParleyImage image, Party host, InputStream stdin, List<String> command) {
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image.tag))
                .withNetworkMode("container:" + host.container.getContainerId())
                .withCommand(command.toArray(String[]::new))
                .withCreateContainerCmdModifier(cmd -> cmd.withStdinOpen(true).withStdInOnce(true).withAttachStdin(true));
        return start(c, stdin);
    }

    /** A client of the server on {@code network}, started with {@code stdin} as its input. */
    static Party client(ParleyImage image, Network network, InputStream stdin, String... options) {
        return command(image, network, stdin, List.of("client", "--host", SERVER_ALIAS), options);
    }

    /** Any parley command ({@code client --host balancer}, {@code bench ...}) on {@code network}, started with {@code stdin}. */
    static Party command(ParleyImage image, Network network, InputStream stdin, List<String> command, String... options) {
        return start(base(image, network, command, options), stdin);
    }

    /** This party's address on its (one) network. */
    String address() {
        return container.getContainerInfo().getNetworkSettings().getNetworks().values().iterator().next().getIpAddress();
    }

    /**
     * A client of the TLS server {@code host} on {@code network} whose configuration directory is
     * {@code config} on the host (mounted as /config), started with {@code stdin} as its input.
     */
    static Party tlsClient(ParleyImage image, Network network, String host, java.nio.file.Path config, InputStream stdin,
            String... options) {
        return withConfig(image, network, config, stdin, List.of("client", "--tls", "--host", host), options);
    }

    /**
     * Any parley command on {@code network} whose configuration directory is {@code config} on the host
     * (copied as /config: its keys, known servers), started with {@code stdin} as its input.
     */
    static Party withConfig(ParleyImage image, Network network, java.nio.file.Path config, InputStream stdin, List<String> command,
            String... options) {
        GenericContainer<?> c = base(image, network, command, options).withEnv("PARLEY_CONFIG_DIR", "/config");
        copyInto(c, config, "/config");
        return start(c, stdin);
    }

    /**
     * Copies the files of {@code dir} on the host into {@code path} in the container, owner-only, before it
     * starts (a copy, not a bind mount: Testcontainers checks mounts with an image it would pull).
     */
    private static void copyInto(GenericContainer<?> c, java.nio.file.Path dir, String path) {
        java.io.File[] files = dir.toFile().listFiles();
        if (files != null) {
            for (java.io.File file : files) {
                c.withCopyFileToContainer(org.testcontainers.utility.MountableFile.forHostPath(file.toPath(), 0600),
                        path + "/" + file.getName());
            }
        }
    }

    /** The text of {@code path} in this (stopped) container, or null when there is no such file. */
    String fileText(String path) {
        try {
            return container.copyFileFromContainer(path, in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A TLS echo server reachable as {@value #SERVER_ALIAS}; {@code binds} maps host paths to container paths (read-only). */
    static Party tlsServer(ParleyImage image, Network network, java.util.Map<String, String> binds, String... options) {
        String[] echo = new String[options.length + 2];
        echo[0] = "--responder";
        echo[1] = "echo";
        System.arraycopy(options, 0, echo, 2, options.length);
        return tlsServerUntil(image, network, binds, "fingerprint SHA256:.*\\n", echo);
    }

    /** A TLS server reachable as {@value #SERVER_ALIAS}, started once its stderr has a line matching {@code ready}; {@code binds} as above. */
    static Party tlsServerUntil(ParleyImage image, Network network, java.util.Map<String, String> binds, String ready, String... options) {
        GenericContainer<?> c = base(image, network, List.of("server", "--bind", "0.0.0.0", "--tls"), options)
                .withNetworkAliases(SERVER_ALIAS)
                .withExposedPorts(1234)
                .waitingFor(Wait.forLogMessage(ready, 1));
        binds.forEach((host, path) -> c.withCopyFileToContainer(
                org.testcontainers.utility.MountableFile.forHostPath(java.nio.file.Path.of(host), 0644), path));
        return start(c, script(""));
    }

    /** Any container on {@code network}, as {@code alias}, started and waiting for {@code logLine} on its output. */
    static Party other(String image, Network network, String alias, String logLine, String... command) {
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image))
                .withNetwork(network)
                .withNetworkAliases(alias)
                .withCommand(command)
                .waitingFor(Wait.forLogMessage(logLine, 1));
        c.start();
        return new Party(c);
    }

    /** Input given all at once, then the end of input. */
    static InputStream script(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Input typed later with {@link #type}; the end of input comes with {@link #endInput}. */
    static InputStream keyboard() {
        return new PipedInputStream(64 * 1024);
    }

    private static GenericContainer<?> base(ParleyImage image, Network network, List<String> command, String... options) {
        String[] all = new String[command.size() + options.length];
        for (int i = 0; i < command.size(); i++) {
            all[i] = command.get(i);
        }
        System.arraycopy(options, 0, all, command.size(), options.length);
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image.tag))
                .withNetwork(network)
                .withCommand(all)
                .withCreateContainerCmdModifier(cmd -> cmd.withStdinOpen(true).withStdInOnce(true).withAttachStdin(true));
        String provider = System.getenv(TlsProvider.VARIABLE); // the TLS tests run once per provider, in containers too
        return provider == null ? c : c.withEnv(TlsProvider.VARIABLE, provider);
    }

    private static Party start(GenericContainer<?> container, InputStream stdin) {
        container.start();
        Party party = new Party(container);
        try {
            if (stdin instanceof PipedInputStream) {
                party.keyboard = new PipedOutputStream((PipedInputStream) stdin);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        docker().attachContainerCmd(container.getContainerId())
                .withStdIn(stdin)
                .withFollowStream(true)
                .exec(new ResultCallback.Adapter<Frame>());
        return party;
    }

    static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }

    /** Types {@code text} on this party's stdin (only for a party started with a keyboard). */
    Party type(String text) throws IOException {
        keyboard.write(text.getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
        return this;
    }

    /** Ends this party's input (Ctrl-D). */
    void endInput() throws IOException {
        keyboard.close();
    }

    /** Waits for the process to exit and returns its exit code. */
    int awaitExit() {
        return docker().waitContainerCmd(container.getContainerId()).start().awaitStatusCode(60, TimeUnit.SECONDS);
    }

    String stdout() {
        return container.getLogs(OutputType.STDOUT);
    }

    String stderr() {
        return container.getLogs(OutputType.STDERR);
    }

    /** Waits up to 30 s until stderr matches {@code regex}. */
    void awaitStderr(String regex) throws InterruptedException {
        await(this::stderr, regex);
    }

    /** Waits up to 30 s until stdout matches {@code regex}. */
    void awaitStdout(String regex) throws InterruptedException {
        await(this::stdout, regex);
    }

    private static void await(Supplier<String> text, String regex) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!pattern.matcher(text.get()).find()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no match for /" + regex + "/ in:\n" + text.get());
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        container.stop();
    }
}
