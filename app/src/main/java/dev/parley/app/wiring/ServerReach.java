package dev.parley.app.wiring;

import dev.parley.app.cli.Exits;
import dev.parley.app.cli.UserError;
import dev.parley.app.trust.ConfigDirectory;
import dev.parley.app.trust.Identities;
import dev.parley.app.trust.KnownServersFile;
import dev.parley.console.TrustPrompt;
import dev.parley.socket.Addresses;
import dev.parley.socket.NetworkException;
import dev.parley.socket.tls.ClientTls;
import dev.parley.socket.tls.ServerTrust;
import dev.parley.socket.tls.UntrustedServerException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reaching a server as its client or as an operator: with --tls, the server trusted by
 * --fingerprint, an authority, known_servers or --trust-new, or shown to the person at a terminal to
 * accept (then remembered, and connected to again pinned to that key), else refused with nothing
 * sent; every failure one line with what to do. The one place both programs decide whom they trust.
 */
final class ServerReach {

    /** Opens the connection, with TLS (or null for plain text). */
    interface Dial<T> {
        T dial(ClientTls tls) throws NetworkException;
    }

    /** The connection, and what the person is told about the server's key (or null). */
    record Reached<T>(T connection, String trustNote) {}

    private final String host;
    private final int port;
    private final Optional<ParleyClient.Tls> tls;
    private final Streams streams;
    /** The person is being asked whether to trust the server: a Ctrl-C now is a no. */
    private volatile boolean asking;

    ServerReach(String host, int port, Optional<ParleyClient.Tls> tls, Streams streams) {
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.streams = streams;
    }

    /** True while the person is asked whether to trust the server. */
    boolean asking() {
        return asking;
    }

    /**
     * Connects with {@code dial}, trusting the server as the options say (asking the person at a
     * terminal about one known nowhere).
     *
     * @param remote the connection's address as given, for the trust note
     * @throws UserError one line: the server not trusted, or the connection failed, and what to do
     */
    <T> Reached<T> connect(Dial<T> dial, Function<T, String> remote) throws UserError {
        try {
            Optional<String> pin = tls.flatMap(ParleyClient.Tls::pin);
            while (true) {
                ClientTls clientTls = tls.isPresent() ? TlsSetup.client(host, port, tls.get(), pin, streams.err()::println) : null;
                try {
                    T connected = dial.dial(clientTls);
                    String note = clientTls == null ? null : trusted(clientTls.trust().verdict().orElse(null), remote.apply(connected));
                    return new Reached<>(connected, note);
                } catch (UntrustedServerException e) {
                    Optional<String> accepted = untrusted(e, pin.isPresent() && tls.flatMap(ParleyClient.Tls::pin).isEmpty());
                    if (accepted.isEmpty()) {
                        throw e;
                    }
                    pin = accepted; // connect again, to this key only: a server that changed it meanwhile is refused
                }
            }
        } catch (UntrustedServerException e) {
            throw new UserError(refusal(e), Exits.FAILURE, e);
        } catch (NetworkException e) {
            throw new UserError(e.getMessage() + connectAdvice(e.getMessage()), Exits.FAILURE, e);
        }
    }

    /**
     * A server the handshake found untrusted: an unknown one is shown to the person at a terminal,
     * who may accept it (remembered in known_servers, and the fingerprint returned to connect again
     * pinned to it); every other case, and every case in a script, is refused.
     */
    private Optional<String> untrusted(UntrustedServerException e, boolean askedAlready) throws UserError {
        if (!(e.verdict() instanceof ServerTrust.Unknown) || !streams.person() || askedAlready) {
            return Optional.empty();
        }
        String seen = e.verdict().seen();
        KnownServersFile known = KnownServersFile.read(ConfigDirectory.from(System.getenv()).secure());
        asking = true;
        boolean yes;
        try {
            yes = TrustPrompt.ask(streams.mode(), streams.in(), streams.out(), streams.err(), List.of(
                    "parley: " + e.where() + " is a server this client does not know yet (it is not in " + Identities.shown(known.file()) + ").",
                    "parley: its key's fingerprint is " + seen,
                    "parley: check it with the server's operator ('parley fingerprint' there, or the server's start-up line) before you trust it."),
                    "trust it? [y/N] ");
        } finally {
            asking = false;
        }
        if (!yes) {
            throw new UserError("not trusted; nothing was sent to " + e.where(), Exits.FAILURE, e);
        }
        known.add(Addresses.format(host, port), seen);
        streams.err().println("parley: remembered " + e.where() + " as " + seen + " in " + Identities.shown(known.file()));
        return Optional.of(seen);
    }

    /** The line for a server that is not trusted; nothing was sent to it. */
    private static String refusal(UntrustedServerException e) {
        ServerTrust.Verdict v = e.verdict();
        String where = e.where();
        if (v instanceof ServerTrust.PinMismatch) {
            return "cannot connect to " + where + ": the server's key is " + v.seen() + ", not the "
                    + ((ServerTrust.PinMismatch) v).pinned() + " given with --fingerprint; nothing was sent";
        }
        if (v instanceof ServerTrust.Changed) {
            List<ServerTrust.Known> known = ((ServerTrust.Changed) v).known();
            StringBuilder lines = new StringBuilder();
            for (ServerTrust.Known k : known) {
                lines.append(lines.length() == 0 ? "" : ", ").append(k.line());
            }
            String file = Identities.shown(ConfigDirectory.from(System.getenv()).root().orElseThrow().resolve(KnownServersFile.NAME));
            return "WARNING: THE SERVER'S KEY HAS CHANGED. Nothing was sent to " + where + ".\n"
                    + "parley: " + where + " now presents the key " + v.seen() + ", but known_servers (line " + lines
                    + ") has " + known.get(0).fingerprint() + " for it.\n"
                    + "parley: someone may be in the middle, reading and rewriting what you say; or the server got a new key.\n"
                    + "parley: if its operator confirms the new key (parley fingerprint), remove line " + lines + " of " + file
                    + " and connect again.";
        }
        if (v instanceof ServerTrust.AuthorityProblem) {
            return "cannot connect to " + where + ": its certificate, from a trusted authority, " + ((ServerTrust.AuthorityProblem) v).problem()
                    + "; nothing was sent (key " + v.seen() + ")";
        }
        return "cannot connect to " + where + ": the server is not known (key " + v.seen() + "); nothing was sent. Check that "
                + "fingerprint with its operator, then pin it (--fingerprint " + v.seen() + ") or remember it (--trust-new)";
    }

    /** What the person is told about the key, or null; a --trust-new acceptance is remembered here. */
    private String trusted(ServerTrust.Verdict verdict, String where) throws UserError {
        if (verdict instanceof ServerTrust.AcceptedNew) {
            KnownServersFile known = KnownServersFile.read(ConfigDirectory.from(System.getenv()).secure());
            known.add(Addresses.format(host, port), verdict.seen());
            return "parley: remembered " + where + " as " + verdict.seen() + " in " + Identities.shown(known.file()) + " (--trust-new)";
        }
        if (verdict instanceof ServerTrust.Pinned) {
            return "parley: server key " + verdict.seen() + " (pinned)";
        }
        if (verdict instanceof ServerTrust.KnownKey) {
            return "parley: server key " + verdict.seen() + " (known_servers line " + ((ServerTrust.KnownKey) verdict).line() + ")";
        }
        if (verdict instanceof ServerTrust.Authority) {
            return "parley: the server's certificate is from a trusted authority (" + ((ServerTrust.Authority) verdict).issuer() + ")";
        }
        return null;
    }

    /** What to do about a failed connection, from its reason. */
    static String connectAdvice(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("--tls")) {
            return ""; // a TLS reason that already says what to do (drop or add --tls)
        }
        if (m.contains("refused")) {
            return "; is a Parley server running there?";
        }
        if (m.contains("unknown host")) {
            return "; check the host name";
        }
        if (m.contains("connect timeout")) {
            return "; check the address and any firewall, or allow longer with --connect-timeout";
        }
        return "";
    }
}
