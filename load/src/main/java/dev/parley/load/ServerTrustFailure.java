package dev.parley.load;

import dev.parley.socket.tls.ServerTrust;

/** A load run's handshake that found the server untrusted: said as the client says it. */
final class ServerTrustFailure {

    private ServerTrustFailure() {}

    /** Throws the bench's failure for an untrusted server, if {@code e} is one; else returns. */
    static void rethrow(Throwable e, String where) throws LoadGenerator.BenchFailure {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ServerTrust.NotTrusted) {
                ServerTrust.Verdict verdict = ((ServerTrust.NotTrusted) t).verdict();
                String what = verdict instanceof ServerTrust.PinMismatch
                        ? "the server's key is " + verdict.seen() + ", not the one given with --fingerprint"
                        : verdict instanceof ServerTrust.Changed ? "the server's key has changed (it is " + verdict.seen() + "; see known_servers)"
                        : "the server is not trusted (key " + verdict.seen() + "); pin it with --fingerprint " + verdict.seen();
                throw new LoadGenerator.BenchFailure("cannot connect to " + where + ": " + what);
            }
        }
    }
}
