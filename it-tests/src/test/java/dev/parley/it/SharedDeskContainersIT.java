package dev.parley.it;

import static dev.parley.it.Party.script;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * One help desk across three replicas in containers, as docs/SCALING.md deploys it: Debian's
 * nats-server with JetStream in its own image ({@code docker/build-nats-image.sh}), three replicas
 * ({@code --responder desk --cluster nats://nats:4222 --metrics}) behind HAProxy, a piped operator
 * at the loopback operators' port of two of them (in the replica's network namespace), and thirty
 * clients through the balancer while a replica is stopped and the broker restarted. The replicas'
 * metrics, parsed by Prometheus's own parser, add up to what the clients saw.
 *
 * <p>The clients are bare sockets from the host through the balancer's published port (every one
 * from the network's gateway, hence {@code --max-per-address}): thirty client containers would cost
 * thirty JVM start-ups; ScaleOutIT and CrossContainerIT run the real client in containers.
 */
@Timeout(300)
class SharedDeskContainersIT {

    private static final String REPLICAS = "parley-replica";
    private static final String CLUSTER = "nats://nats:4222";
    private static final int METRICS = 9100;

    private static ParleyImage parley;
    private static HostImage haproxy;
    private static HostImage nats;
    private final Network network = Network.newNetwork();
    private final List<AutoCloseable> started = new ArrayList<>();
    private final ExecutorService clients = Executors.newFixedThreadPool(15);

    @BeforeAll
    static void buildImages() throws Exception {
        ToolPolicy.require("Docker", DockerClientFactory.instance().isDockerAvailable(), "start dockerd");
        ToolPolicy.require("nats-server", java.nio.file.Files.isExecutable(java.nio.file.Path.of(NatsServer.BINARY)),
                "apt-get install nats-server");
        MetricsIT.needsThePrometheusParser();
        parley = ParleyImage.build();
        haproxy = HostImage.haproxy();
        nats = HostImage.nats();
    }

    @AfterAll
    static void removeImages() {
        for (AutoCloseable image : new AutoCloseable[] {parley, haproxy, nats}) {
            if (image != null) {
                try {
                    image.close();
                } catch (Exception e) {
                    // the next image is removed all the same
                }
            }
        }
    }

    @AfterEach
    void removeContainersAndNetwork() throws Exception {
        clients.shutdownNow();
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        network.close();
    }

    private <T extends AutoCloseable> T kept(T closeable) {
        started.add(closeable);
        return closeable;
    }

    private GenericContainer<?> broker() {
        GenericContainer<?> broker = new GenericContainer<>(DockerImageName.parse(nats.tag))
                .withNetwork(network)
                .withNetworkAliases("nats")
                .waitingFor(Wait.forLogMessage(".*Server is ready.*\\n", 1));
        kept(broker::stop);
        broker.start();
        return broker;
    }

    /** A desk replica behind the balancer, in the shared desk, its operators' port on its loopback, its metrics published. */
    private Party replica() {
        return kept(Party.serverUntil(parley, network, REPLICAS, ".*metrics on .*\\n", List.of(1234, METRICS),
                "--responder", "desk", "--proxy-protocol", "--max-per-address", "100", "--cluster", CLUSTER,
                "--operators", "127.0.0.1:1235", "--metrics", "0.0.0.0:" + METRICS));
    }

    /** A piped operator at {@code replica}'s operators' port whose k-th line, {@code NAME k}, answers the k-th client it hears. */
    private Party operator(Party replica, String name) throws InterruptedException {
        String lines = IntStream.rangeClosed(1, 40).mapToObj(k -> name + " " + k + "\n").collect(Collectors.joining());
        Party operator = kept(Party.inNetworkOf(parley, replica, script(lines),
                List.of("operator", "--host", "127.0.0.1", "--port", "1235", "--name", name)));
        operator.awaitStderr("at the operators' desk of 127\\.0\\.0\\.1:1235 as " + name);
        return operator;
    }

    private GenericContainer<?> balancer(int replicas) {
        GenericContainer<?> balancer = new GenericContainer<>(DockerImageName.parse(haproxy.tag))
                .withNetwork(network)
                .withEnv("PARLEY_REPLICAS", REPLICAS + ":1234")
                .withExposedPorts(1234)
                .waitingFor(Wait.forLogMessage("Server replicas/\\S+ \\S+ is UP/READY.*\\n", replicas));
        kept(balancer::stop);
        balancer.start();
        return balancer;
    }

    /** One conversation through the balancer: {@code message}, the first line that is not a notice, bye; returns that line. */
    private static String converse(int port, String message) throws IOException {
        try (Wire client = new Wire(port)) {
            client.send(message + "\n");
            String line;
            do {
                line = client.readLineOrNull();
            } while (line != null && line.startsWith("!notice:"));
            client.send("bye\n");
            client.drain();
            return line;
        }
    }

    private static String greeting(int i) {
        return "hello from client " + i + ", \u00e7a va?";
    }

    /** Clients {@code from} to {@code to} (exclusive), all at once; each one's answer, by number. */
    private Map<Integer, String> serve(int port, int from, int to) throws Exception {
        Map<Integer, Future<String>> pending = new HashMap<>();
        for (int i = from; i < to; i++) {
            String message = greeting(i);
            pending.put(i, clients.submit(() -> converse(port, message)));
        }
        Map<Integer, String> answers = new HashMap<>();
        for (Map.Entry<Integer, Future<String>> e : pending.entrySet()) {
            answers.put(e.getKey(), e.getValue().get(60, TimeUnit.SECONDS));
        }
        return answers;
    }

    private static int metricsPort(Party replica) {
        return replica.container.getMappedPort(METRICS);
    }

    private static double sum(Map<String, Double> samples, String prefix) {
        return samples.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToDouble(Map.Entry::getValue).sum();
    }

    /** Scrapes every replica until the conversations they opened, summed, are {@code opened} and all have ended. */
    private static List<Map<String, Double>> scrapeSettled(List<Party> replicas, double opened) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            List<Map<String, Double>> all = new ArrayList<>();
            for (Party replica : replicas) {
                all.add(MetricsIT.scrape(metricsPort(replica)));
            }
            double open = all.stream().mapToDouble(s -> sum(s, "parley_conversations_opened_total")).sum();
            double ended = all.stream().mapToDouble(s -> sum(s, "parley_conversations_ended_total")).sum();
            if (open == opened && ended == opened) {
                return all;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(opened + " conversations opened and ended, not " + open + " and " + ended + ": " + all);
            }
            Thread.sleep(200); // polling counts the replicas report, not standing in for a synchronisation
        }
    }

    @Test
    void thirtyClientsThroughTheBalancerAreAnsweredByOperatorsOnTwoOfThreeReplicasThroughAStopAndABrokerRestart() throws Exception {
        GenericContainer<?> broker = broker();
        Party first = replica();
        Party second = replica();
        Party third = replica();
        Party ann = operator(first, "ann");
        Party bob = operator(second, "bob");
        int port = balancer(3).getMappedPort(1234);

        Map<Integer, String> answers = new HashMap<>(serve(port, 0, 15));
        List<Map<String, Double>> before = scrapeSettled(List.of(first, second, third), 15);
        Map<String, Double> third15 = before.get(2);
        assertTrue(sum(third15, "parley_conversations_opened_total") > 0, "the balancer sent the third replica some: " + before);
        assertEquals(0.0, third15.get("parley_operators_online{}"), "no operator on the third");
        assertEquals(1.0, before.get(0).get("parley_operators_online{}"));
        assertEquals(1.0, before.get(1).get("parley_operators_online{}"));

        // The third replica stopped (SIGTERM) mid-run: the next ten are all served by the two left.
        Party.docker().stopContainerCmd(third.container.getContainerId()).withTimeout(10).exec();
        assertEquals(0, third.awaitExit(), third.stderr());
        answers.putAll(serve(port, 15, 25));

        // The broker restarted (docs/SCALING.md): each replica says it is unreachable, a new client is refused with the
        // reason, and once it is back (the same store: the desk's log kept) each says so and serves again.
        Party.docker().stopContainerCmd(broker.getContainerId()).withTimeout(10).exec();
        first.awaitStderr("the help desk's broker at " + Pattern.quote(CLUSTER) + " \\(desk parley\\) is unreachable");
        second.awaitStderr("the help desk's broker at " + Pattern.quote(CLUSTER) + " \\(desk parley\\) is unreachable");
        String refused = converse(port, "during the outage");
        assertTrue(refused != null && refused.startsWith("!unavailable: the help desk's other servers cannot be reached"), refused);
        Party.docker().startContainerCmd(broker.getContainerId()).exec();
        first.awaitStderr("is reachable again");
        second.awaitStderr("is reachable again");
        answers.putAll(serve(port, 25, 30));

        // Every client answered, each by the operator who heard it, with the line for that turn.
        Map<String, Party> operators = Map.of("ann", ann, "bob", bob);
        Pattern answer = Pattern.compile("(ann|bob) (\\d+)");
        Map<Integer, Matcher> answeredBy = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            Matcher m = answer.matcher(String.valueOf(answers.get(i)));
            assertTrue(m.matches(), "client " + i + " answered by an operator: " + answers.get(i));
            // What the operator heard reaches its container's log a moment after its answer may have reached the client.
            operators.get(m.group(1)).awaitStdout(Pattern.quote(greeting(i) + "\n"));
            answeredBy.put(i, m);
        }
        Map<String, List<String>> heard = Map.of("ann", ann.stdout().lines().toList(), "bob", bob.stdout().lines().toList());
        answeredBy.forEach((i, m) -> assertEquals(greeting(i), heard.get(m.group(1)).get(Integer.parseInt(m.group(2)) - 1),
                m.group(0) + " went to the client " + m.group(1) + " heard " + m.group(2) + "th: " + heard));
        assertEquals(30, heard.get("ann").size() + heard.get("bob").size(), "and no one else's words: " + heard);
        assertTrue(!ann.stdout().contains("outage") && !bob.stdout().contains("outage"), "a refused client's words go nowhere");

        // The metrics of each replica (the third's as it was before it stopped) add up to what the clients saw.
        // Thirty served and the one refused; the third replica's own counted before it stopped.
        List<Map<String, Double>> after = new ArrayList<>(scrapeSettled(List.of(first, second), 31 - sum(third15,
                "parley_conversations_opened_total")));
        after.add(third15);
        assertEquals(30.0, after.stream().mapToDouble(s -> s.get("parley_conversations_ended_total{front=tcp,reason=peer_said_bye}")).sum(),
                "every client served said bye: " + after);
        // The desk refuses a client during an outage once its conversation is open: counted as an ending (dropped) today.
        assertEquals(1.0, after.stream().mapToDouble(s -> s.get("parley_conversations_ended_total{front=tcp,reason=dropped}")
                + s.get("parley_refusals_total{reason=unavailable}")).sum(), "the client refused during the outage, once: " + after);
        for (Map<String, Double> replica : after) {
            assertEquals(0.0, sum(replica, "parley_conversations_open{"), "none open: " + replica);
            assertEquals(0.0, sum(replica, "parley_conversations_waiting{"), "none waiting: " + replica);
            assertTrue(replica.get("parley_cluster_messages_total{direction=in}") > 0, "each read the desk's log: " + replica);
            assertTrue(replica.get("parley_cluster_messages_total{direction=out}") > 0, "each wrote to it: " + replica);
        }
    }
}
