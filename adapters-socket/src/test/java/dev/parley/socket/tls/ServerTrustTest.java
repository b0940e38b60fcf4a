package dev.parley.socket.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;

/** The client's trust, in its order: the pin, a trusted authority for the host, known_servers, then the person. */
class ServerTrustTest {

    private final Identity server = Identity.generate("server");
    private final String seen = server.fingerprint();
    private final X509Certificate[] chain = {server.certificate()};
    private static final String OTHER = "SHA256:" + "A".repeat(43);
    /** What the JDK's TLS 1.3 client passes as the server's authType (its trust managers refuse "EC"). */
    private static final String AUTH_TYPE = "UNKNOWN";

    private static ServerTrust.KnownServers known(Map<String, List<ServerTrust.Known>> entries) {
        return hostPort -> entries.getOrDefault(hostPort, List.of());
    }

    private ServerTrust trust(Optional<String> pin, X509ExtendedTrustManager authorities, Map<String, List<ServerTrust.Known>> entries,
            boolean acceptNew) {
        return new ServerTrust("chat.example:1234", pin, authorities, known(entries), acceptNew);
    }

    @Test
    void aPinDecidesAloneBeforeAnythingElse() {
        Map<String, List<ServerTrust.Known>> knownOther = Map.of("chat.example:1234", List.of(new ServerTrust.Known(OTHER, 1)));
        assertEquals(new ServerTrust.Pinned(seen), trust(Optional.of(seen), null, knownOther, false).decide(chain, AUTH_TYPE, null));
        assertEquals(new ServerTrust.PinMismatch(seen, OTHER),
                trust(Optional.of(OTHER), null, Map.of("chat.example:1234", List.of(new ServerTrust.Known(seen, 1))), true)
                        .decide(chain, AUTH_TYPE, null));
    }

    @Test
    void knownServersKnowsChangesOrDoesNotKnow() throws Exception {
        assertEquals(new ServerTrust.KnownKey(seen, 3), trust(Optional.empty(), null,
                Map.of("chat.example:1234", List.of(new ServerTrust.Known(OTHER, 2), new ServerTrust.Known(seen, 3))), false)
                .decide(chain, AUTH_TYPE, null));
        List<ServerTrust.Known> other = List.of(new ServerTrust.Known(OTHER, 7));
        ServerTrust changed = trust(Optional.empty(), null, Map.of("chat.example:1234", other), true);
        assertEquals(new ServerTrust.Changed(seen, other), changed.decide(chain, AUTH_TYPE, null), "--trust-new never accepts a changed key");
        ServerTrust.NotTrusted refused = assertThrows(ServerTrust.NotTrusted.class, () -> changed.checkServerTrusted(chain, AUTH_TYPE));
        assertInstanceOf(ServerTrust.Changed.class, refused.verdict());
        assertEquals(new ServerTrust.Unknown(seen), trust(Optional.empty(), null, Map.of("elsewhere:1234", other), false)
                .decide(chain, AUTH_TYPE, null));
        ServerTrust accepting = trust(Optional.empty(), null, Map.of(), true);
        accepting.checkServerTrusted(chain, AUTH_TYPE);
        assertEquals(Optional.of(new ServerTrust.AcceptedNew(seen)), accepting.verdict());
    }

    @Test
    void aTrustedAuthorityVouchesForItsHostButNotForAnExpiredOrMisnamedCertificate() throws Exception {
        KeyPair ca = CertificateBuilder.newKeyPair();
        X509Certificate root = CertificateBuilder.forKey(ca.getPublic()).subject("Test CA").authority().sign(ca.getPrivate());
        X509ExtendedTrustManager authorities = trustingOnly(root);

        KeyPair key = CertificateBuilder.newKeyPair();
        X509Certificate good = CertificateBuilder.forKey(key.getPublic()).name("chat.example").issuedBy("Test CA", ca.getPrivate())
                .sign(key.getPrivate());
        assertInstanceOf(ServerTrust.Authority.class, handshake(trust(Optional.empty(), authorities, Map.of(), false), key, good, root));

        X509Certificate misnamed = CertificateBuilder.forKey(key.getPublic()).name("other.example").issuedBy("Test CA", ca.getPrivate())
                .sign(key.getPrivate());
        assertEquals(new ServerTrust.AuthorityProblem(Fingerprints.of(misnamed), "it is for other.example, not chat.example"),
                handshake(trust(Optional.empty(), authorities, Map.of(), true), key, misnamed, root),
                "a CA certificate gone wrong is never a first use, even with --trust-new");

        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        X509Certificate expired = CertificateBuilder.forKey(key.getPublic()).name("chat.example").valid(now.minusDays(9), now.minusDays(2))
                .issuedBy("Test CA", ca.getPrivate()).sign(key.getPrivate());
        ServerTrust.Verdict old = handshake(trust(Optional.empty(), authorities, Map.of(), false), key, expired, root);
        assertInstanceOf(ServerTrust.AuthorityProblem.class, old);
        assertTrue(((ServerTrust.AuthorityProblem) old).problem().startsWith("it expired on "), old.toString());

        ServerTrust.Verdict pinnedAnyway = handshake(trust(Optional.empty(), authorities,
                Map.of("chat.example:1234", List.of(new ServerTrust.Known(Fingerprints.of(expired), 4))), false), key, expired, root);
        assertEquals(new ServerTrust.KnownKey(Fingerprints.of(expired), 4), pinnedAnyway, "a key the person knows is still trusted");

        assertEquals(new ServerTrust.Unknown(seen), handshake(trust(Optional.empty(), authorities, Map.of(), false),
                new KeyPair(server.certificate().getPublicKey(), server.key()), chain),
                "a self-signed key no authority signed is a first use");
    }

    @Test
    void withNoHostNameToCheckAnAuthoritysSignatureVouchesForNoOne() throws Exception {
        KeyPair ca = CertificateBuilder.newKeyPair();
        X509Certificate root = CertificateBuilder.forKey(ca.getPublic()).subject("Test CA").authority().sign(ca.getPrivate());
        X509ExtendedTrustManager authorities = trustingOnly(root);
        KeyPair key = CertificateBuilder.newKeyPair();
        X509Certificate elsewhere = CertificateBuilder.forKey(key.getPublic()).name("attacker.example").issuedBy("Test CA", ca.getPrivate())
                .sign(key.getPrivate());

        ServerTrust trust = trust(Optional.empty(), authorities, Map.of(), false);
        assertThrows(ServerTrust.NotTrusted.class, () -> trust.checkServerTrusted(new X509Certificate[] {elsewhere, root}, AUTH_TYPE),
                "a certificate for another name, checked where no host name is known (a socket, no engine), is not trusted");
        assertEquals(Optional.of(new ServerTrust.Unknown(Fingerprints.of(elsewhere))), trust.verdict());
    }

    /** The JDK's own trust manager (PKIX), trusting {@code root} and no other authority. */
    private static X509ExtendedTrustManager trustingOnly(X509Certificate root) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", root);
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(store);
        return (X509ExtendedTrustManager) factory.getTrustManagers()[0];
    }

    /**
     * A TLS 1.3 handshake in memory between a client of chat.example:1234 that trusts by {@code trust}
     * and a server presenting {@code chain} (the JDK checks the name only during a handshake): the
     * verdict {@code trust} came to.
     */
    private static ServerTrust.Verdict handshake(ServerTrust trust, KeyPair key, X509Certificate... chain) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", key.getPrivate(), new char[0], chain);
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);
        SSLContext serverContext = SSLContext.getInstance("TLSv1.3");
        serverContext.init(keyManagers.getKeyManagers(), null, null);
        SSLContext clientContext = SSLContext.getInstance("TLSv1.3");
        clientContext.init(null, new TrustManager[] {trust}, null);
        SSLEngine client = clientContext.createSSLEngine("chat.example", 1234);
        client.setUseClientMode(true);
        SSLEngine server = serverContext.createSSLEngine();
        server.setUseClientMode(false);
        ByteBuffer toServer = ByteBuffer.allocate(1 << 17);
        ByteBuffer toClient = ByteBuffer.allocate(1 << 17);
        try {
            // Each turn moves the records one way, then the other; a TLS 1.3 handshake needs two.
            for (int turn = 0; turn < 4 && trust.verdict().isEmpty(); turn++) {
                send(client, toServer);
                receive(server, toServer);
                send(server, toClient);
                receive(client, toClient);
            }
        } catch (SSLException refused) {
            // an untrusted server: the verdict says why
        }
        return trust.verdict().orElseThrow();
    }

    private static void send(SSLEngine engine, ByteBuffer records) throws SSLException {
        while (engine.wrap(ByteBuffer.allocate(0), records).bytesProduced() > 0) {
            runTasks(engine);
        }
        runTasks(engine);
    }

    private static void receive(SSLEngine engine, ByteBuffer records) throws SSLException {
        records.flip();
        ByteBuffer data = ByteBuffer.allocate(1 << 17);
        while (records.hasRemaining() && engine.unwrap(records, data).bytesConsumed() > 0) {
            runTasks(engine);
        }
        records.compact();
    }

    private static void runTasks(SSLEngine engine) {
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
        }
    }
}
