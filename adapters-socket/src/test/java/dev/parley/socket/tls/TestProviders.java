package dev.parley.socket.tls;

/** The TLS provider the tests of this module run on: as the program chooses it, by {@value TlsProvider#VARIABLE}. */
public final class TestProviders {

    /** BoringSSL where it loads, unless {@value TlsProvider#VARIABLE} says otherwise (CI runs the TLS tests both ways). */
    public static final TlsProvider CHOSEN = chosen();

    private TestProviders() {}

    private static TlsProvider chosen() {
        try {
            return TlsProvider.choose(System.getenv(TlsProvider.VARIABLE)).provider();
        } catch (TlsProvider.UnknownException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
