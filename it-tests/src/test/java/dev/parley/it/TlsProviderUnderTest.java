package dev.parley.it;

import dev.parley.socket.tls.TlsProvider;

/**
 * The TLS provider the jar under test runs on: chosen as the program chooses it, from
 * {@value TlsProvider#VARIABLE}, which every process a test starts inherits (the build runs the
 * tests tagged {@code tls} twice: with it unset, and with {@code jdk}). For the few outcomes that
 * differ: what BoringSSL refuses in C never reaches the JDK's parser.
 */
final class TlsProviderUnderTest {

    static final TlsProvider CHOSEN = chosen();

    private TlsProviderUnderTest() {}

    static boolean boringSsl() {
        return CHOSEN == TlsProvider.OPENSSL;
    }

    private static TlsProvider chosen() {
        try {
            return TlsProvider.choose(System.getenv(TlsProvider.VARIABLE)).provider();
        } catch (TlsProvider.UnknownException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
