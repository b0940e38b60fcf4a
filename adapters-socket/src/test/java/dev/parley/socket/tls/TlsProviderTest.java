package dev.parley.socket.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslCertificateException;
import io.netty.internal.tcnative.CertificateVerifier;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;

/** How the provider is chosen from its setting, and what BoringSSL's trust managers must do besides the JDK's. */
class TlsProviderTest {

    @Test
    void theSettingChoosesAndAnythingElseIsAUsageError() throws Exception {
        assertEquals(new TlsProvider.Choice(TlsProvider.JDK, ""), TlsProvider.choose("jdk"));
        assertEquals(TlsProvider.JDK, TlsProvider.choose(" JDK ").provider(), "case and spaces do not matter");
        TlsProvider best = OpenSsl.isAvailable() ? TlsProvider.OPENSSL : TlsProvider.JDK;
        for (String auto : new String[] {null, "", "auto", "Auto"}) {
            assertEquals(best, TlsProvider.choose(auto).provider(), "setting " + auto);
        }
        TlsProvider.UnknownException typo = assertThrows(TlsProvider.UnknownException.class, () -> TlsProvider.choose("boring\u001bssl"));
        assertTrue(typo.usage());
        assertEquals("PARLEY_TLS_PROVIDER is 'boring?ssl'; it takes auto, openssl or jdk", typo.getMessage(), "no escape reaches a terminal");
    }

    @Test
    void openSslIsBoringSslOrAFailureThatSaysWhy() throws Exception {
        if (OpenSsl.isAvailable()) {
            assertEquals(new TlsProvider.Choice(TlsProvider.OPENSSL, ""), TlsProvider.choose("openssl"));
            assertEquals("BoringSSL (netty-tcnative)", TlsProvider.choose("openssl").describe());
        } else {
            TlsProvider.UnknownException e = assertThrows(TlsProvider.UnknownException.class, () -> TlsProvider.choose("openssl"));
            assertFalse(e.usage());
            assertTrue(e.getMessage().startsWith("PARLEY_TLS_PROVIDER=openssl, but BoringSSL cannot load here ("), e.getMessage());
            assertTrue(TlsProvider.choose("auto").describe().startsWith("the JDK's provider (SunJSSE) (BoringSSL cannot load here: "));
        }
    }

    @Test
    void onBoringSslARefusalCarriesTheErrorThatSendsBadCertificateAndStaysTheCause() {
        CertificateException refusal = new CertificateException("is not in --authorized-clients");
        X509ExtendedTrustManager refusing = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) throws CertificateException {
                throw refusal;
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
                throw refusal;
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw refusal;
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) throws CertificateException {
                throw refusal;
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
                throw refusal;
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw refusal;
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        assertSame(refusing, TlsProvider.JDK.trusting(refusing), "the JDK's provider takes it as it is");
        X509ExtendedTrustManager wrapped = TlsProvider.OPENSSL.trusting(refusing);
        List<org.junit.jupiter.api.function.Executable> checks = List.of(
                () -> wrapped.checkClientTrusted(null, "EC", (SSLEngine) null),
                () -> wrapped.checkClientTrusted(null, "EC", (java.net.Socket) null),
                () -> wrapped.checkClientTrusted(null, "EC"),
                () -> wrapped.checkServerTrusted(null, "EC", (SSLEngine) null),
                () -> wrapped.checkServerTrusted(null, "EC", (java.net.Socket) null),
                () -> wrapped.checkServerTrusted(null, "EC"));
        for (org.junit.jupiter.api.function.Executable check : checks) {
            OpenSslCertificateException e = assertThrows(OpenSslCertificateException.class, check);
            assertEquals(CertificateVerifier.X509_V_ERR_CERT_REJECTED, e.errorCode());
            assertSame(refusal, e.getCause());
            assertEquals(refusal.getMessage(), e.getMessage());
        }
        assertEquals(0, wrapped.getAcceptedIssuers().length);
    }

    @Test
    void boringSslsReasonIsReadFromItsErrorStringOnly() {
        assertEquals("CANNOT_PARSE_LEAF_CERT",
                TlsFailures.boringSslReason("error:10000110:SSL routines:OPENSSL_internal:CANNOT_PARSE_LEAF_CERT"));
        assertEquals("DECODE_ERROR", TlsFailures.boringSslReason("error:1000008a:SSL routines:OPENSSL_internal:DECODE_ERROR (more)"));
        assertEquals("", TlsFailures.boringSslReason("Received fatal alert: certificate_unknown"));
        assertEquals("", TlsFailures.boringSslReason("a client said :OPENSSL_internal:CANNOT_PARSE_LEAF_CERT"));
        assertEquals("", TlsFailures.boringSslReason("error:"));
    }
}
