package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nats.client.Connection;
import io.nats.client.NKey;
import io.nats.client.Nats;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One help desk across replicas (--cluster) against Debian's nats-server on loopback: the real jar,
 * real sockets, piped operators (a server whose stdin is a pipe is an operator).
 */
class ClusterIT {

    @TempDir
    Path dir;

    private static OsProcess replica(NatsServer nats, String responder, String... more) throws Exception {
        String[] args = new String[] {"server", "--port", "0", "--responder", responder, "--cluster", nats.url()};
        String[] all = new String[args.length + more.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        OsProcess replica = OsProcess.parley(all);
        replica.err.await("help desk shared through " + nats.url().replace(".", "\\.") + " \\(desk parley\\) as replica");
        return replica;
    }

    private static OsProcess client(OsProcess server) throws Exception {
        return OsProcess.parley("client", "--port", String.valueOf(server.port()));
    }

    @Test
    void aClientOnOneReplicaIsAnsweredTurnByTurnByAnOperatorOnAnother() throws Exception {
        try (NatsServer nats = new NatsServer(dir);
                OsProcess a = replica(nats, "desk");
                OsProcess b = replica(nats, "console");
                OsProcess client = client(a)) {
            client.type("hello from a client of A\n");
            b.out.await("hello from a client of A\n");
            b.type("hello from the operator on B\n");
            client.out.await("hello from the operator on B\n");
            client.type("and again\n");
            b.out.await("and again\n");
            b.type("bye\n");
            assertEquals(0, client.exitCode(), client.err.text());
            assertEquals("hello from the operator on B\n", client.out.text());
            a.err.await("conversation 1 with \\S+ ended: you said bye");
        }
    }

    @Test
    void clientsOfThreeReplicasAreAnsweredInTheOrderTheyCameToTheOneLine() throws Exception {
        try (NatsServer nats = new NatsServer(dir); OsProcess a = replica(nats, "desk"); OsProcess b = replica(nats, "desk")) {
            OsProcess first = client(a);
            first.type("I came first\n").endInput();
            first.err.await("you are number 1 in line");
            OsProcess second = client(b);
            second.type("I came second\n").endInput();
            second.err.await("you are number 2 in line");
            OsProcess third = client(a);
            third.type("I came third\n").endInput();
            third.err.await("you are number 3 in line");
            try (first; second; third; OsProcess c = replica(nats, "console")) {
                c.type("one\ntwo\nthree\n");
                assertEquals(0, first.exitCode());
                assertEquals(0, second.exitCode());
                assertEquals(0, third.exitCode());
                assertEquals("one\n", first.out.text());
                assertEquals("two\n", second.out.text());
                assertEquals("three\n", third.out.text());
                assertEquals("I came first\nI came second\nI came third\n", c.out.text());
            }
        }
    }

    @Test
    void aKilledReplicasOperatorsClientGoesBackToTheFrontOfTheLineAndIsAnsweredByAnother() throws Exception {
        try (NatsServer nats = new NatsServer(dir);
                OsProcess a = replica(nats, "desk");
                OsProcess b = replica(nats, "console");
                OsProcess client = client(a)) {
            client.type("anyone there?\n");
            b.out.await("anyone there\\?\n");
            try (OsProcess c = replica(nats, "console")) {
                c.type("the operator on C is here\n");
                b.close(); // kill -9: no leave appended; its silence is noticed
                client.err.await("you are number 1 in line");
                client.out.await("the operator on C is here\n");
                client.type("bye\n");
                assertEquals(0, client.exitCode(), client.err.text());
            }
        }
    }

    @Test
    void aReplicaStoppedWithSigtermHandsItsOperatorsClientBackAtOnce() throws Exception {
        try (NatsServer nats = new NatsServer(dir);
                OsProcess a = replica(nats, "desk");
                OsProcess b = replica(nats, "console");
                OsProcess client = client(a)) {
            client.type("hello\n");
            b.out.await("hello\n");
            b.signal("TERM");
            assertEquals(0, b.exitCode(), b.err.text());
            client.err.await("you are number 1 in line"); // before anyone could notice its silence: it said so
            try (OsProcess c = replica(nats, "console")) {
                c.type("C answers\n");
                client.out.await("C answers\n");
            }
        }
    }

    @Test
    void aBrokerGoneEndsConversationsAcrossReplicasWithAReasonRefusesNewOnesAndServesAgainOnceBack() throws Exception {
        try (NatsServer nats = new NatsServer(dir); OsProcess a = replica(nats, "desk"); OsProcess b = replica(nats, "console")) {
            try (OsProcess across = client(a)) {
                across.type("before the outage\n");
                b.out.await("before the outage\n");
                nats.kill();
                across.err.await("unavailable: the help desk's other servers cannot be reached; try again later");
                assertEquals(1, across.exitCode(), "ended with a reason, not hung");
            }
            try (OsProcess refused = client(a)) {
                refused.type("during the outage\n").endInput();
                refused.err.await("unavailable: the help desk's other servers cannot be reached");
                assertEquals(1, refused.exitCode());
            }
            a.err.await("parley: the help desk's broker at " + nats.url().replace(".", "\\.") + " \\(desk parley\\) is unreachable");
            nats.start(); // the same store: the desk's log is still there
            a.err.await("is reachable again");
            b.err.await("is reachable again");
            try (OsProcess after = client(a)) {
                after.type("after the outage\n");
                b.out.await("after the outage\n");
                b.type("welcome back\n");
                after.out.await("welcome back\n");
            }
            assertFalse(b.out.text().contains("during the outage"), "a refused client's words go nowhere");
        }
    }

    /**
     * Anyone who may publish on the desk's subjects can send a replica turns "from" a replica that
     * does not exist, stamped with a log position it will never reach: each was held until the desk
     * caught up, outside the memory budget, and held back every turn behind it. With 400 turns of
     * 500 KB a -Xmx96m replica lost its broker under the pressure and never showed its operator a real
     * client's message. Held turns now charge the budget (a quarter of it at most), the farthest ahead
     * give way, none holds back another: the replica stays up and its operator answers.
     */
    @Test
    void aFloodOfTurnsFromABogusReplicaIsBoundedByTheMemoryBudget() throws Exception {
        try (NatsServer nats = new NatsServer(dir);
                OsProcess a = replica(nats, "desk");
                OsProcess b = OsProcess.parley(List.of("-Xmx96m"), "server", "--port", "0", "--responder", "console", "--cluster",
                        nats.url(), "--memory-budget", "8m")) {
            String replicaB = b.err.await("as replica (\\w+)");
            String text = "x".repeat(500_000);
            try (Connection flooder = Nats.connect(nats.url())) {
                for (int i = 0; i < 400; i++) {
                    flooder.publish("parley.parley.to." + replicaB, bogusTurn("feedfeedfeed", replicaB + ".operator 1", "feedfeedfeed.1", text));
                }
                flooder.flush(Duration.ofSeconds(30));
            }
            try (OsProcess client = client(a)) {
                client.type("still served?\n");
                try {
                    b.out.await("still served\\?\n");
                } catch (AssertionError e) {
                    throw new AssertionError("B's log:\n" + b.err.text() + "\nthe client's:\n" + client.err.text(), e);
                }
                b.type("yes\n");
                client.out.await("yes\n");
            }
            assertTrue(b.process.isAlive(), b.err.text());
            assertFalse(b.err.text().contains("fatal"), b.err.text());
            assertFalse(b.err.text().contains("unreachable"), "the broker's link survived: " + b.err.text());
        }
    }

    /** A turn as ClusterWire lays it out (version, origin, position, kind, operator, client, text, prompted), written independently. */
    private static byte[] bogusTurn(String origin, String operator, String client, String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeUTF(origin);
            out.writeLong(Long.MAX_VALUE); // a position this desk never reaches: held for ever
            out.writeByte(0); // HEARD: for the operator
            for (String field : new String[] {operator, client, text}) {
                byte[] utf8 = field.getBytes(StandardCharsets.UTF_8);
                out.writeInt(utf8.length);
                out.write(utf8);
            }
            out.writeBoolean(false);
        }
        return bytes.toByteArray();
    }

    @Test
    void noTokenOfTheUrlReachesTheLogAndAWrongOneFailsInOneLine() throws Exception {
        try (NatsServer nats = new NatsServer(dir, "--auth", "s3cretToken")) {
            String good = "nats://s3cretToken@127.0.0.1:" + nats.port;
            try (OsProcess a = OsProcess.parley("server", "--port", "0", "--responder", "desk", "--cluster", good, "--verbose")) {
                a.err.await("help desk shared through nats://\\*\\*\\*@127\\.0\\.0\\.1:" + nats.port);
                a.port();
                assertFalse(a.err.text().contains("s3cret"), a.err.text());
            }
            try (OsProcess wrong = OsProcess.parley("server", "--port", "0", "--responder", "desk", "--cluster",
                    "nats://wrongToken@127.0.0.1:" + nats.port)) {
                assertEquals(1, wrong.exitCode());
                String err = wrong.err.text();
                assertTrue(err.startsWith("parley: cannot join the help desk at nats://***@127.0.0.1:" + nats.port), err);
                assertEquals(1, err.lines().count(), err);
                assertFalse(err.contains("wrongToken"), err);
            }
            int closed;
            try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
                closed = free.getLocalPort();
            }
            try (OsProcess nobody = OsProcess.parley("server", "--port", "0", "--responder", "desk", "--cluster",
                    "nats://s3cretToken@127.0.0.1:" + closed)) {
                assertEquals(1, nobody.exitCode());
                String err = nobody.err.text();
                assertEquals(1, err.lines().count(), err);
                assertFalse(err.contains("s3cret"), "the client library's own message names the URL: masked too: " + err);
            }
        }
    }

    @Test
    void aCredentialsFileIsReadUnderTheFilePolicyAndLetsTheReplicaIn() throws Exception {
        NKey user = NKey.createUser(null);
        Path config = dir.resolve("nats.conf");
        Files.writeString(config, "authorization { users = [ { nkey: " + new String(user.getPublicKey()) + " } ] }\n");
        Path creds = dir.resolve("parley.creds");
        Files.writeString(creds, "-----BEGIN USER NKEY SEED-----\n" + new String(user.getSeed()) + "\n------END USER NKEY SEED------\n",
                StandardCharsets.UTF_8);
        try (NatsServer nats = new NatsServer(dir, "-c", config.toString())) {
            Files.setPosixFilePermissions(creds, PosixFilePermissions.fromString("rw-r--r--"));
            try (OsProcess exposed = OsProcess.parley("server", "--port", "0", "--responder", "desk", "--cluster", nats.url(),
                    "--cluster-creds", creds.toString())) {
                assertEquals(1, exposed.exitCode());
                assertTrue(exposed.err.text().contains("--cluster-creds"), exposed.err.text());
                assertTrue(exposed.err.text().contains("chmod o-rw"), exposed.err.text());
            }
            try (OsProcess none = OsProcess.parley("server", "--port", "0", "--responder", "desk", "--cluster", nats.url())) {
                assertEquals(1, none.exitCode(), "no credentials: the broker says no");
                assertTrue(none.err.text().startsWith("parley: cannot join the help desk at " + nats.url()), none.err.text());
            }
            Files.setPosixFilePermissions(creds, PosixFilePermissions.fromString("rw-------"));
            try (OsProcess a = OsProcess.parley("server", "--port", "0", "--responder", "desk", "--cluster", nats.url(),
                    "--cluster-creds", creds.toString())) {
                a.err.await("help desk shared through");
                a.port();
                assertFalse(a.err.text().contains(new String(user.getSeed())), "the seed is never shown");
            }
        }
    }

    @Test
    void usageErrorsAreOneLineWithExitTwo() throws Exception {
        String[][] cases = {
            {"--cluster", "http://127.0.0.1:4222"},
            {"--cluster", "nats://127.0.0.1:4222", "--responder", "echo"},
            {"--desk", "a"},
            {"--cluster", "nats://127.0.0.1:4222", "--desk", "no.dots"},
        };
        for (String[] args : cases) {
            String[] all = new String[args.length + 1];
            all[0] = "server";
            System.arraycopy(args, 0, all, 1, args.length);
            try (OsProcess server = OsProcess.parley(all)) {
                assertEquals(2, server.exitCode(), String.join(" ", args));
            }
        }
    }
}
