package dev.parley.it;

import static dev.parley.it.Party.keyboard;
import static dev.parley.it.Party.script;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Network;

/**
 * Server and clients in separate containers on a private Docker network, the clients reaching the
 * server by its network alias, with faults injected: the cross-host behaviour loopback cannot show.
 */
@Timeout(180)
class CrossContainerIT {

    private static ParleyImage image;
    private Network network;
    private final List<Party> parties = new ArrayList<>();

    @BeforeAll
    static void buildImage() throws Exception {
        ToolPolicy.require("Docker", DockerClientFactory.instance().isDockerAvailable(), "start dockerd");
        image = ParleyImage.build();
    }

    @AfterAll
    static void removeImage() {
        if (image != null) {
            image.close();
        }
    }

    @BeforeEach
    void createNetwork() {
        network = Network.newNetwork();
    }

    @AfterEach
    void removeContainersAndNetwork() {
        parties.forEach(Party::close);
        network.close();
    }

    private Party server(InputStream stdin, String... options) {
        Party p = Party.server(image, network, stdin, options);
        parties.add(p);
        return p;
    }

    private Party client(InputStream stdin, String... options) {
        Party p = Party.client(image, network, stdin, options);
        parties.add(p);
        return p;
    }

    @Test
    void aScriptedConversationAcrossContainers() {
        Party server = server(script("hi, who is this?\nnice to meet you\n"), "--once");
        Party client = client(script("hello from another host\nh\u00e9, it is me\nbye\n"));

        assertEquals(0, client.awaitExit());
        assertEquals(0, server.awaitExit());
        assertEquals("hi, who is this?\nnice to meet you\n", client.stdout());
        assertEquals("hello from another host\nh\u00e9, it is me\n", server.stdout());
        assertEquals("parley: you said bye\n", client.stderr());
        assertTrue(server.stderr().contains("ended: client said bye"), server.stderr());
    }

    @Test
    void theServersOperatorSaysByeFirst() {
        Party server = server(script("hi\nbye\n"), "--once");
        Party client = client(script("one\ntwo\nthree\n"));

        assertEquals(0, client.awaitExit());
        assertEquals(0, server.awaitExit());
        assertEquals("hi\n", client.stdout());
        assertEquals("parley: server said bye\n", client.stderr());
        assertEquals("one\ntwo\n", server.stdout());
    }

    @Test
    void twentyClientContainersAtOnceAgainstAnEchoServer() throws Exception {
        server(script(""), "--responder", "echo");
        ExecutorService starter = Executors.newFixedThreadPool(4);
        try {
            List<Future<Party>> started = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String input = "client " + i + " says hello\nclient " + i + " says \u00e7a va\nbye\n";
                started.add(starter.submit(() -> client(script(input))));
            }
            for (int i = 0; i < started.size(); i++) {
                Party client = started.get(i).get();
                assertEquals(0, client.awaitExit(), client.stderr());
                assertEquals("client " + i + " says hello\nclient " + i + " says \u00e7a va\n", client.stdout());
            }
        } finally {
            starter.shutdownNow();
        }
    }

    @Test
    void aClientKilledMidConversationIsLoggedAndTheNextIsServed() throws Exception {
        Party server = server(script(""), "--responder", "echo");
        Party doomed = client(keyboard());
        doomed.type("are you there?\n");
        doomed.awaitStdout("are you there\\?\n");

        Party.docker().killContainerCmd(doomed.container.getContainerId()).exec();
        server.awaitStderr("conversation 1 with \\S+ ended: (client closed the connection|connection to client lost)");

        Party next = client(script("next one\nbye\n"));
        assertEquals(0, next.awaitExit());
        assertEquals("next one\n", next.stdout());
        server.awaitStderr("conversation 2 with \\S+ ended: client said bye");
    }

    @Test
    void stoppingTheServerContainerTellsEveryClient() throws Exception {
        Party server = server(script(""), "--responder", "echo");
        List<Party> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Party client = client(keyboard());
            client.type("still typing " + i + "\n");
            client.awaitStdout("still typing " + i + "\n");
            clients.add(client);
        }

        Party.docker().stopContainerCmd(server.container.getContainerId()).withTimeout(10).exec(); // SIGTERM

        assertEquals(0, server.awaitExit());
        for (Party client : clients) {
            assertEquals(0, client.awaitExit(), client.stderr());
            assertEquals("parley: server said bye\n", client.stderr());
        }
        assertEquals(3, server.stderr().split("ended: stopped; told the client", -1).length - 1, server.stderr());
    }

    @Test
    void aCutNetworkEndsTheServersSideByIdleTimeoutAndOthersAreServed() throws Exception {
        Party server = server(script(""), "--responder", "echo", "--idle-timeout", "2s");
        Party cut = client(keyboard());
        cut.type("before the cut\n");
        cut.awaitStdout("before the cut\n");

        Party.docker().disconnectFromNetworkCmd().withNetworkId(network.getId())
                .withContainerId(cut.container.getContainerId()).withForce(true).exec();
        server.awaitStderr("conversation 1 with \\S+ ended: idle: no message for 2s \\(idle timeout\\); told the client");

        Party other = client(script("after the cut\nbye\n"));
        assertEquals(0, other.awaitExit());
        assertEquals("after the cut\n", other.stdout());
    }

    @Test
    void aClientOverMaxConversationsIsToldItIsBusyAndTheOthersGoOn() throws Exception {
        Party server = server(script(""), "--responder", "echo", "--max-conversations", "2");
        Party first = client(keyboard());
        Party second = client(keyboard());
        first.type("first\n");
        second.type("second\n");
        first.awaitStdout("first\n");
        second.awaitStdout("second\n");

        Party extra = client(script("let me in\n"));
        assertEquals(1, extra.awaitExit());
        assertEquals("", extra.stdout());
        assertEquals("parley: server says: busy: 2 conversations open, the most this server takes; try again later\n",
                extra.stderr());

        first.type("first again\nbye\n");
        second.type("second again\nbye\n");
        assertEquals(0, first.awaitExit());
        assertEquals(0, second.awaitExit());
        assertEquals("first\nfirst again\n", first.stdout());
        assertEquals("second\nsecond again\n", second.stdout());
        assertTrue(server.stderr().contains(": busy: 2 conversations open"), server.stderr());
    }

    @Test
    void theHostReachesTheContainerisedServerThroughTheMappedPort() throws Exception {
        Party server = server(script(""), "--responder", "echo");
        int mapped = server.container.getMappedPort(1234);

        InProcess client = InProcess.start("from the host\nbye\n",
                "client", "--host", server.container.getHost(), "--port", String.valueOf(mapped));

        assertEquals(0, client.exitCode());
        assertEquals("from the host\n", client.out.text());
    }
}
