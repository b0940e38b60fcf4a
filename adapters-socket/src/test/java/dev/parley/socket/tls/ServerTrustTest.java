package dev.parley.socket.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;

/** The client's trust, in its order: the pin, a trusted authority for the host, known_servers, then the person. */
class ServerTrustTest {

    private final Identity server = Identity.generate("server");
    private final String seen = server.fingerprint();
    private final X509Certificate[] chain = {server.certificate()};
    private static final String OTHER = "SHA256:" + "A".repeat(43);

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
        assertEquals(new ServerTrust.Pinned(seen), trust(Optional.of(seen), null, knownOther, false).decide(chain, "EC", null));
        assertEquals(new ServerTrust.PinMismatch(seen, OTHER),
                trust(Optional.of(OTHER), null, Map.of("chat.example:1234", List.of(new ServerTrust.Known(seen, 1))), true)
                        .decide(chain, "EC", null));
    }

    @Test
    void knownServersKnowsChangesOrDoesNotKnow() throws Exception {
        assertEquals(new ServerTrust.KnownKey(seen, 3), trust(Optional.empty(), null,
                Map.of("chat.example:1234", List.of(new ServerTrust.Known(OTHER, 2), new ServerTrust.Known(seen, 3))), false)
                .decide(chain, "EC", null));
        List<ServerTrust.Known> other = List.of(new ServerTrust.Known(OTHER, 7));
        ServerTrust changed = trust(Optional.empty(), null, Map.of("chat.example:1234", other), true);
        assertEquals(new ServerTrust.Changed(seen, other), changed.decide(chain, "EC", null), "--trust-new never accepts a changed key");
        ServerTrust.NotTrusted refused = assertThrows(ServerTrust.NotTrusted.class, () -> changed.checkServerTrusted(chain, "EC"));
        assertInstanceOf(ServerTrust.Changed.class, refused.verdict());
        assertEquals(new ServerTrust.Unknown(seen), trust(Optional.empty(), null, Map.of("elsewhere:1234", other), false)
                .decide(chain, "EC", null));
        ServerTrust accepting = trust(Optional.empty(), null, Map.of(), true);
        accepting.checkServerTrusted(chain, "EC");
        assertEquals(Optional.of(new ServerTrust.AcceptedNew(seen)), accepting.verdict());
    }

    @Test
    void aTrustedAuthorityVouchesForItsHostButNotForAnExpiredOrMisnamedCertificate() throws Exception {
        KeyPair ca = CertificateBuilder.newKeyPair();
        X509Certificate root = CertificateBuilder.forKey(ca.getPublic()).subject("Test CA").authority().sign(ca.getPrivate());
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", root);
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(store);
        X509ExtendedTrustManager authorities = (X509ExtendedTrustManager) factory.getTrustManagers()[0];
        SSLEngine engine = SSLContext.getDefault().createSSLEngine("chat.example", 1234);
        engine.setUseClientMode(true);

        KeyPair key = CertificateBuilder.newKeyPair();
        X509Certificate good = CertificateBuilder.forKey(key.getPublic()).name("chat.example").issuedBy("Test CA", ca.getPrivate())
                .sign(key.getPrivate());
        ServerTrust.Verdict verdict = trust(Optional.empty(), authorities, Map.of(), false).decide(new X509Certificate[] {good, root}, "EC", engine);
        assertInstanceOf(ServerTrust.Authority.class, verdict);

        X509Certificate misnamed = CertificateBuilder.forKey(key.getPublic()).name("other.example").issuedBy("Test CA", ca.getPrivate())
                .sign(key.getPrivate());
        ServerTrust.Verdict wrongName = trust(Optional.empty(), authorities, Map.of(), true).decide(new X509Certificate[] {misnamed, root},
                "EC", engine);
        assertEquals(new ServerTrust.AuthorityProblem(Fingerprints.of(misnamed), "it is for other.example, not chat.example"), wrongName,
                "a CA certificate gone wrong is never a first use, even with --trust-new");

        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        X509Certificate expired = CertificateBuilder.forKey(key.getPublic()).name("chat.example").valid(now.minusDays(9), now.minusDays(2))
                .issuedBy("Test CA", ca.getPrivate()).sign(key.getPrivate());
        ServerTrust.Verdict old = trust(Optional.empty(), authorities, Map.of(), false).decide(new X509Certificate[] {expired, root}, "EC", engine);
        assertInstanceOf(ServerTrust.AuthorityProblem.class, old);
        assertTrue(((ServerTrust.AuthorityProblem) old).problem().startsWith("it expired on "), old.toString());

        ServerTrust.Verdict pinnedAnyway = trust(Optional.empty(), authorities,
                Map.of("chat.example:1234", List.of(new ServerTrust.Known(Fingerprints.of(expired), 4))), false)
                .decide(new X509Certificate[] {expired, root}, "EC", engine);
        assertEquals(new ServerTrust.KnownKey(Fingerprints.of(expired), 4), pinnedAnyway, "a key the person knows is still trusted");

        assertEquals(new ServerTrust.Unknown(seen), trust(Optional.empty(), authorities, Map.of(), false).decide(chain, "EC", engine),
                "a self-signed key no authority signed is a first use");
    }
}
