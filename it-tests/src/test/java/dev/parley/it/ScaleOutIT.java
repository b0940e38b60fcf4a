package dev.parley.it;

import static dev.parley.it.Party.keyboard;
import static dev.parley.it.Party.script;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.Capability;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.output.OutputFrame.OutputType;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * Parley scaled out as docs/SCALING.md shows it: two echo replicas ({@code --proxy-protocol})
 * behind HAProxy (the image {@code docker/build-haproxy-image.sh} builds, with
 * {@code docker/haproxy.cfg} unchanged but for the replicas' name), each in its own container on a
 * private network.
 *
 * <p>The clients are containers of the Parley image too, not processes on the host: each then has
 * an address of its own, as clients on other machines have, so the replicas' logs can show that
 * they see every client's real address, and the per-address limit meets one client's connections
 * only. From the host, through a published port, every client would arrive from the network's
 * gateway, one address; one test does so on purpose, to forge a header.
 *
 * <p>The last test runs the container of docs/SCALING.md's Kubernetes Deployment as Docker would,
 * under the constraints its manifest sets: no cluster is at hand to apply it.
 */
@Timeout(300)
class ScaleOutIT {

    /** The name under which the balancer finds the replicas (PARLEY_REPLICAS), as Docker's DNS gives it. */
    private static final String REPLICAS = "parley-replica";
    private static final String BALANCER = "balancer";
    private static final Pattern OPENED = Pattern.compile("conversation \\d+ with ([0-9.]+):\\d+ opened");

    private static ParleyImage parley;
    private static HostImage haproxy;
    private Network network;
    private final List<Party> parties = new ArrayList<>();
    private GenericContainer<?> balancer;
    private GenericContainer<?> pod;
    private ExecutorService starter;

    @BeforeAll
    static void buildImages() throws Exception {
        ToolPolicy.require("Docker", DockerClientFactory.instance().isDockerAvailable(), "start dockerd");
        // Debian installs it in /usr/sbin, which a user's PATH may not hold; build-haproxy-image.sh looks there too.
        ToolPolicy.require("haproxy", ToolPolicy.onPath("haproxy") || Files.isExecutable(Path.of("/usr/sbin/haproxy")),
                "apt-get install haproxy");
        parley = ParleyImage.build();
        haproxy = HostImage.haproxy();
    }

    @AfterAll
    static void removeImages() {
        if (parley != null) {
            parley.close();
        }
        if (haproxy != null) {
            haproxy.close();
        }
    }

    @BeforeEach
    void createNetwork() {
        network = Network.newNetwork();
        starter = Executors.newFixedThreadPool(4);
    }

    @AfterEach
    void removeContainersAndNetwork() {
        starter.shutdownNow();
        parties.forEach(Party::close);
        if (balancer != null) {
            balancer.stop();
        }
        if (pod != null) {
            pod.stop();
        }
        network.close();
    }

    /** An echo replica behind the balancer, listening. */
    private Party replica(String... options) {
        List<String> all = new ArrayList<>(List.of("--responder", "echo", "--proxy-protocol"));
        all.addAll(List.of(options));
        Party p = Party.server(parley, network, REPLICAS, script(""), all.toArray(String[]::new));
        parties.add(p);
        return p;
    }

    /** The balancer, started once it has found {@code replicas} replicas in Docker's DNS. */
    private void balancer(int replicas) {
        balancer = new GenericContainer<>(DockerImageName.parse(haproxy.tag))
                .withNetwork(network)
                .withNetworkAliases(BALANCER)
                .withEnv("PARLEY_REPLICAS", REPLICAS + ":1234")
                .withExposedPorts(1234, 8404)
                // Its log on stdout; the same state changes come again on stderr, prefixed [WARNING].
                .waitingFor(Wait.forLogMessage("Server replicas/\\S+ \\S+ is UP/READY.*\\n", replicas));
        balancer.start();
    }

    private String balancerLog() {
        return balancer.getLogs(OutputType.STDOUT);
    }

    /** A client through the balancer, started with {@code stdin}. */
    private Party client(InputStream stdin, String... options) {
        List<String> command = List.of("client", "--host", BALANCER);
        Party p = Party.command(parley, network, stdin, command, options);
        synchronized (parties) {
            parties.add(p);
        }
        return p;
    }

    /** Starts {@code n} clients through the balancer, four at a time, each made by {@code start}. */
    private List<Party> clients(int n, IntFunction<Callable<Party>> start) throws Exception {
        List<Future<Party>> started = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            started.add(starter.submit(start.apply(i)));
        }
        List<Party> clients = new ArrayList<>();
        for (Future<Party> f : started) {
            clients.add(f.get());
        }
        return clients;
    }

    /** A client through the balancer that says {@code line}, has its answer, and stays, its keyboard open. */
    private Callable<Party> talking(String line) {
        return () -> {
            Party client = client(keyboard());
            client.type(line + "\n");
            client.awaitStdout(Pattern.quote(line + "\n"));
            return client;
        };
    }

    /** The client addresses in {@code replica}'s log, one per conversation opened. */
    private static List<String> openedFrom(Party replica) {
        Matcher m = OPENED.matcher(replica.stderr());
        List<String> addresses = new ArrayList<>();
        while (m.find()) {
            addresses.add(m.group(1));
        }
        return addresses;
    }

    private static String greeting(int i) {
        return "hello from client " + i + ", \u00e7a va?";
    }

    @Test
    void fortyClientsThroughTheBalancerAreAllServedByBothReplicasEachSeeingTheirRealAddresses() throws Exception {
        Party first = replica();
        Party second = replica();
        balancer(2);

        // All forty open at once: no one says bye until every one has had its answer.
        List<Party> clients = clients(40, i -> talking(greeting(i)));

        List<String> byFirst = openedFrom(first);
        List<String> bySecond = openedFrom(second);
        assertEquals(40, byFirst.size() + bySecond.size(), first.stderr() + second.stderr());
        assertFalse(first.stderr().contains("ended") || second.stderr().contains("ended"), "all forty were open at once");
        // More than --max-per-address's default of 10 open at once on each replica, all through one balancer.
        assertTrue(byFirst.size() > 10 && bySecond.size() > 10, "each replica served some: " + byFirst.size() + " and " + bySecond.size());

        Set<String> clientAddresses = clients.stream().map(Party::address).collect(Collectors.toSet());
        assertEquals(40, clientAddresses.size());
        Set<String> seen = new HashSet<>(byFirst);
        seen.addAll(bySecond);
        assertEquals(clientAddresses, seen, "the replicas see every client's own address");
        String balancerAddress = balancer.getContainerInfo().getNetworkSettings().getNetworks().values().iterator().next().getIpAddress();
        assertFalse(seen.contains(balancerAddress), "and never the balancer's");

        for (Party client : clients) {
            client.type("bye\n");
        }
        for (int i = 0; i < clients.size(); i++) {
            Party client = clients.get(i);
            assertEquals(0, client.awaitExit(), client.stderr());
            assertEquals(greeting(i) + "\n", client.stdout());
            assertEquals("parley: you said bye\n", client.stderr());
        }
        // The balancer relayed all forty, by its own count; and logged each as it ended (option tcplog), but for
        // the lines it says it dropped: it writes its log to stdout without blocking, and a busy host's log pipe
        // can be full (docs/SCALING.md).
        assertEquals(40, balancerMetric("haproxy_server_sessions_total\\{proxy=\"replicas\",server=\"parley\\d+\"}"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long logged;
        long dropped;
        do {
            Thread.sleep(100);
            logged = Pattern.compile("\\] parley replicas/parley\\d+ ").matcher(balancerLog()).results().count();
            dropped = balancerMetric("haproxy_process_dropped_logs_total");
        } while (logged + dropped < 40 && System.nanoTime() < deadline);
        assertEquals(40, logged + dropped, dropped + " dropped, and the balancer's log:\n" + balancerLog());
    }

    /** The sum of the samples named by {@code series} (a regex) in the balancer's Prometheus metrics. */
    private long balancerMetric(String series) throws Exception {
        URI uri = URI.create("http://" + balancer.getHost() + ":" + balancer.getMappedPort(8404) + "/metrics");
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode(), metrics.body());
        Matcher m = Pattern.compile("(?m)^" + series + " (\\d+)$").matcher(metrics.body());
        long sum = 0;
        boolean found = false;
        while (m.find()) {
            sum += Long.parseLong(m.group(1));
            found = true;
        }
        assertTrue(found, series + " in the balancer's metrics:\n" + metrics.body());
        return sum;
    }

    @Test
    void aReplicaStoppedWithSigtermSaysByeToItsClientsAndTheNextTwentyAreAllServedByTheOther() throws Exception {
        Party staying = replica();
        Party stopping = replica();
        balancer(2);
        List<Party> open = clients(4, i -> talking("before the stop " + i));
        Set<String> onStopping = new HashSet<>(openedFrom(stopping));
        List<Party> toldBye = open.stream().filter(c -> onStopping.contains(c.address())).collect(Collectors.toList());
        List<Party> goingOn = open.stream().filter(c -> !onStopping.contains(c.address())).collect(Collectors.toList());
        assertFalse(toldBye.isEmpty() || goingOn.isEmpty(), "the balancer spread the four over both: " + onStopping);
        int servedBefore = openedFrom(staying).size();
        String stoppedAddress = stopping.address();

        Party.docker().stopContainerCmd(stopping.container.getContainerId()).withTimeout(10).exec(); // SIGTERM

        assertEquals(0, stopping.awaitExit());
        for (Party client : toldBye) {
            assertEquals(0, client.awaitExit(), client.stderr());
            assertEquals("parley: server said bye\n", client.stderr());
        }
        assertEquals(toldBye.size(), stopping.stderr().split("ended: stopped; told the client", -1).length - 1, stopping.stderr());

        // The next twenty, at once: those the balancer still sends to the stopped replica are tried again on the other.
        List<Party> next = clients(20, i -> () -> client(script("after the stop " + i + "\nbye\n")));
        for (int i = 0; i < next.size(); i++) {
            Party client = next.get(i);
            assertEquals(0, client.awaitExit(), client.stderr());
            assertEquals("after the stop " + i + "\n", client.stdout());
        }
        assertEquals(servedBefore + 20, openedFrom(staying).size(), "all twenty served by the replica left:\n" + staying.stderr());

        // The balancer's health check found the stopped replica gone and took it out.
        String slot = Pattern.compile("replicas/(parley\\d+) changed its IP from \\(none\\) to " + Pattern.quote(stoppedAddress) + " ")
                .matcher(balancerLog()).results().map(m -> m.group(1)).findFirst()
                .orElseThrow(() -> new AssertionError("no slot for " + stoppedAddress + " in:\n" + balancerLog()));
        awaitBalancerLog("Server replicas/" + slot + " is DOWN, reason: Layer4 (connection problem|timeout)", 1);

        for (int i = 0; i < goingOn.size(); i++) {
            Party client = goingOn.get(i);
            client.type("still here\nbye\n");
            assertEquals(0, client.awaitExit(), client.stderr());
            assertTrue(client.stdout().endsWith("still here\n"), client.stdout());
        }
    }

    @Test
    void thePerAddressLimitMeetsEachRealClientThroughTheBalancerAndNoClientCanForgeItsAddress() throws Exception {
        Party first = replica("--max-per-address", "2");
        Party second = replica("--max-per-address", "2");
        balancer(2);

        // One machine opening six conversations at once: two replicas take at most two each from it. Each talks long
        // enough (500 round trips) that none is over, its slot free again, before the balancer has passed all six on.
        Party crowd = Party.command(parley, network, script(""),
                List.of("bench", "--host", BALANCER, "--conversations", "6", "--messages", "500"));
        parties.add(crowd);
        assertEquals(1, crowd.awaitExit());
        assertTrue(crowd.stderr().contains("too many: 2 conversations from your address"), crowd.stderr());
        String refused = "refused " + Pattern.quote(crowd.address()) + ":\\d+: too many: 2 conversations from your address";
        assertTrue(Pattern.compile(refused).matcher(first.stderr() + second.stderr()).find(), first.stderr() + second.stderr());

        Party other = client(script("from another machine\nbye\n"));
        assertEquals(0, other.awaitExit(), other.stderr());
        assertEquals("from another machine\n", other.stdout());

        // A client that sends a PROXY header of its own through the balancer only sends a message.
        try (Wire forger = new Wire(balancer.getMappedPort(1234))) {
            assertEquals("PROXY TCP4 6.6.6.6 10.0.0.1 6666 1234", forger.ask("PROXY TCP4 6.6.6.6 10.0.0.1 6666 1234\r"));
        }
        String logs = first.stderr() + second.stderr();
        assertTrue(Stream.of(first, second).anyMatch(r -> openedFrom(r).contains(other.address())), logs);
        assertFalse(logs.contains("6.6.6.6"), logs);
        assertNotEquals(0, openedFrom(first).size() + openedFrom(second).size());
    }

    @Test
    void theKubernetesDeploymentsContainerServesUnderTheConstraintsItsManifestSets() throws Exception {
        JsonNode container = ScalingDoc.container(ScalingDoc.manifests());
        List<String> args = new ArrayList<>();
        container.path("args").forEach(arg -> args.add(arg.asText()));
        JsonNode security = container.path("securityContext");
        String user = security.path("runAsUser").asText() + ":" + security.path("runAsGroup").asText();
        long memory = bytes(container.path("resources").path("limits").path("memory").asText());
        int port = container.path("ports").path(0).path("containerPort").asInt();
        assertEquals("ALL", security.path("capabilities").path("drop").path(0).asText());

        // The manifest's container as Docker runs it: the image built by the same recipe, its args, user, read-only
        // root file system, no capabilities, no privilege escalation and memory limit.
        pod = new GenericContainer<>(DockerImageName.parse(parley.tag))
                .withNetwork(network)
                .withNetworkAliases("pod")
                .withCommand(args.toArray(String[]::new))
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withUser(user);
                    cmd.getHostConfig()
                            .withReadonlyRootfs(security.path("readOnlyRootFilesystem").asBoolean())
                            .withCapDrop(Capability.ALL)
                            .withSecurityOpts(security.path("allowPrivilegeEscalation").asBoolean(true)
                                    ? List.of() : List.of("no-new-privileges"))
                            .withMemory(memory)
                            .withMemorySwap(memory);
                })
                .waitingFor(Wait.forLogMessage(".*listening on .*\\n", 1));
        pod.start();

        Party client = Party.command(parley, network, script("from another pod\nbye\n"), List.of("client", "--host", "pod:" + port));
        parties.add(client);
        assertEquals(0, client.awaitExit(), client.stderr() + pod.getLogs());
        assertEquals("from another pod\n", client.stdout());
        assertTrue(pod.getLogs(OutputType.STDERR).contains("with " + client.address() + ":"), pod.getLogs());
    }

    /** A Kubernetes memory quantity in bytes: {@code 256Mi}, {@code 1Gi}. */
    private static long bytes(String quantity) {
        Matcher m = Pattern.compile("(\\d+)(Ki|Mi|Gi)").matcher(quantity);
        assertTrue(m.matches(), "a memory quantity in Ki, Mi or Gi: " + quantity);
        int shift = m.group(2).equals("Ki") ? 10 : m.group(2).equals("Mi") ? 20 : 30;
        return Long.parseLong(m.group(1)) << shift;
    }

    /** Waits up to 30 s until the balancer's log matches {@code regex} {@code times} times. */
    private void awaitBalancerLog(String regex, int times) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pattern.matcher(balancerLog()).results().count() < times) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(times + " matches of /" + regex + "/ expected in the balancer's log:\n" + balancerLog());
            }
            Thread.sleep(100);
        }
    }
}
