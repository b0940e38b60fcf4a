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
import org.junit.jupiter.api.Tag;
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
    private static ParleyImage mitmImage;
    private Network network;

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;
    private final List<Party> parties = new ArrayList<>();

    @BeforeAll
    static void buildImage() throws Exception {
        ToolPolicy.require("Docker", DockerClientFactory.instance().isDockerAvailable(), "start dockerd");
        image = ParleyImage.build();
        mitmImage = image.mitm();
    }

    @AfterAll
    static void removeImage() {
        if (mitmImage != null) {
            mitmImage.close();
        }
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

    // ---- TLS across hosts ------------------------------------------------------------------------------

    /** An empty configuration directory on the host, owner-only, to mount into a client's container. */
    private java.nio.file.Path config(String name) throws java.io.IOException {
        return java.nio.file.Files.createDirectory(dir.resolve(name),
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
    }

    private Party tlsClient(String host, java.nio.file.Path config, InputStream stdin, String... options) {
        Party p = Party.tlsClient(image, network, host, config, stdin, options);
        parties.add(p);
        return p;
    }

    private Party tlsServer(java.util.Map<String, String> binds, String... options) {
        Party p = Party.tlsServer(image, network, binds, options);
        parties.add(p);
        return p;
    }

    private static String fingerprintOf(Party server) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^fingerprint (SHA256:\\S+)$").matcher(server.stderr());
        assertTrue(m.find(), server.stderr());
        return m.group(1);
    }

    @Test
    @Tag("tls")
    void aManInTheMiddleWithItsOwnKeyIsRefusedByAClientThatKnowsTheRealKey() throws Exception {
        Party server = tlsServer(java.util.Map.of());
        String real = fingerprintOf(server);
        Party mitm = Party.other(mitmImage.tag, network, "chat", ".*relaying to .*\\n", Party.SERVER_ALIAS, "1234");
        parties.add(mitm);

        // The control: a client that trusts whatever answers first is read and lied to through the relay.
        Party fooled = tlsClient("chat", config("blind"), script("secret plan A\nbye\n"), "--trust-new");
        assertEquals(0, fooled.awaitExit(), fooled.stderr());
        assertEquals(MitmRelay.LIE + "\n", fooled.stdout());
        mitm.awaitStdout("read from client: secret plan A");

        // A client whose known_servers has the real key for that name refuses the relay, saying nothing.
        java.nio.file.Path knowing = config("knowing");
        java.nio.file.Files.writeString(knowing.resolve("known_servers"), "chat:1234 " + real + "\n");
        Party careful = tlsClient("chat", knowing, script("secret plan B\nbye\n"));
        assertEquals(1, careful.awaitExit());
        assertEquals("", careful.stdout());
        assertTrue(careful.stderr().startsWith("parley: WARNING: THE SERVER'S KEY HAS CHANGED. Nothing was sent to chat:1234.\n"),
                careful.stderr());
        assertTrue(careful.stderr().contains("remove line 1 of /config/known_servers"), careful.stderr());

        // So does one that pinned it.
        Party pinned = tlsClient("chat", config("pinned"), script("secret plan C\nbye\n"), "--fingerprint", real);
        assertEquals(1, pinned.awaitExit());
        assertTrue(pinned.stderr().contains("not the " + real + " given with --fingerprint; nothing was sent"), pinned.stderr());

        // The same pin, straight to the real server, converses.
        Party direct = tlsClient(Party.SERVER_ALIAS, config("direct"), script("secret plan D\nbye\n"), "--fingerprint", real);
        assertEquals(0, direct.awaitExit(), direct.stderr());
        assertEquals("secret plan D\n", direct.stdout());
        String relayed = mitm.stdout();
        assertTrue(!relayed.contains("secret plan B") && !relayed.contains("secret plan C"), relayed);
    }

    @Test
    @Tag("tls")
    void onlyTheAuthorizedClientsContainerConversesAndTheOtherIsToldWhy() throws Exception {
        java.nio.file.Path alice = config("alice");
        OsProcess made = OsProcess.parley(java.util.Map.of("PARLEY_CONFIG_DIR", alice.toString()), java.util.List.of(), "fingerprint",
                "--client");
        assertEquals(0, made.exitCode());
        String aliceKey = made.out.text().strip();
        java.nio.file.Path authorized = dir.resolve("authorized");
        java.nio.file.Files.writeString(authorized, "# the people who may talk\n" + aliceKey + " alice\n");
        Party server = tlsServer(java.util.Map.of(authorized.toString(), "/auth/authorized"), "--authorized-clients", "/auth/authorized");
        String real = fingerprintOf(server);

        Party a = tlsClient(Party.SERVER_ALIAS, alice, script("hello from alice\nbye\n"), "--fingerprint", real);
        assertEquals(0, a.awaitExit(), a.stderr());
        assertEquals("hello from alice\n", a.stdout());
        server.awaitStderr("opened \\(TLS, client " + java.util.regex.Pattern.quote(aliceKey) + " alice\\)");

        java.nio.file.Path bob = config("bob");
        Party b = tlsClient(Party.SERVER_ALIAS, bob, script("hello from bob\nbye\n"), "--fingerprint", real);
        assertEquals(1, b.awaitExit());
        assertEquals("", b.stdout());
        assertTrue(b.stderr().contains("the server refused this client"), b.stderr());
        String bobsIdentity = b.fileText("/config/client.pem");
        assertTrue(bobsIdentity != null && bobsIdentity.contains("BEGIN PRIVATE KEY"), "bob's identity was made on first use");
        server.awaitStderr("refused \\S+: tls: the client's key SHA256:\\S+ is not in --authorized-clients");
    }
}
