package dev.parley.app.wiring;

import dev.parley.app.cli.Exits;
import dev.parley.app.cli.UserError;
import dev.parley.app.trust.ConfigDirectory;
import dev.parley.app.trust.Identities;
import dev.parley.app.trust.KnownServersFile;
import dev.parley.app.trust.TranscriptFiles;
import dev.parley.console.Console;
import dev.parley.console.ConsoleTranscript;
import dev.parley.console.Consoles;
import dev.parley.console.JsonLinesTranscript;
import dev.parley.console.Terminals;
import dev.parley.console.TrustPrompt;
import dev.parley.core.port.Operator;
import dev.parley.core.port.Transcript;
import dev.parley.core.session.Action.Sent;
import dev.parley.core.session.Input;
import dev.parley.core.session.Limits;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Role;
import dev.parley.core.session.Session;
import dev.parley.core.wire.Framing;
import dev.parley.socket.Addresses;
import dev.parley.socket.NetworkException;
import dev.parley.socket.client.TcpClient;
import dev.parley.socket.tls.ClientTls;
import dev.parley.socket.tls.ServerTrust;
import dev.parley.socket.tls.UntrustedServerException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The client program, wired by hand: a TCP connection driven on this thread, the console (a pipe, or
 * a person with a line editor) on its own, and the console and a transcript file as the transcript.
 */
public final class ParleyClient implements Program {

    /** How long Ctrl-C or SIGTERM waits for the bye to be written before closing the connection. */
    static final Duration BYE_WAIT = Duration.ofMillis(500);

    /** Everything the {@code client} command can set. */
    public record Options(String host, int port, Framing framing, Duration connectTimeout, Limits limits, Optional<Path> transcript,
            boolean verbose, Optional<Tls> tls) {}

    /** --tls: the fingerprint pinned (--fingerprint), and whether a server known nowhere is trusted without asking (--trust-new). */
    public record Tls(Optional<String> pin, boolean trustNew) {}

    private final Options options;
    private final Streams streams;
    private volatile TcpClient client;
    private volatile boolean outputFailed;
    /** Standard output cannot be written: the client leaves, saying nothing more (as cat would). */
    private volatile boolean readerGone;
    /** The person is being asked whether to trust the server: a Ctrl-C now is a no. */
    private volatile boolean asking;

    public ParleyClient(Options options, Streams streams) {
        this.options = options;
        this.streams = streams;
    }

    /** Connects and converses until the end; returns the exit code. */
    @Override
    public int run() throws UserError, IOException {
        JsonLinesTranscript file = options.transcript().isPresent()
                ? TranscriptFiles.open(options.transcript().get(), Role.CLIENT, streams.err()::println) : null;
        TcpClient connected;
        String trustNote = null;
        try {
            Optional<String> pin = options.tls().flatMap(Tls::pin);
            while (true) {
                ClientTls tls = options.tls().isPresent()
                        ? TlsSetup.client(options.host(), options.port(), options.tls().get(), pin, streams.err()::println) : null;
                try {
                    connected = TcpClient.connect(options.host(), options.port(), options.connectTimeout(),
                            options.framing().readSize(), tls);
                    if (tls != null) {
                        trustNote = trusted(tls.trust().verdict().orElse(null), connected.remote());
                    }
                    break;
                } catch (UntrustedServerException e) {
                    Optional<String> accepted = untrusted(e, pin.isPresent() && options.tls().flatMap(Tls::pin).isEmpty());
                    if (accepted.isEmpty()) {
                        throw e;
                    }
                    pin = accepted; // connect again, to this key only: a server that changed it meanwhile is refused
                }
            }
        } catch (UntrustedServerException e) {
            if (file != null) {
                file.close();
            }
            throw new UserError(refusal(e), Exits.FAILURE, e);
        } catch (NetworkException e) {
            if (file != null) {
                file.close();
            }
            throw new UserError(e.getMessage() + connectAdvice(e.getMessage()), Exits.FAILURE, e);
        } catch (UserError e) {
            if (file != null) {
                file.close();
            }
            throw e;
        }
        client = connected;
        Console console = Consoles.open(streams.mode(), streams.in(), streams.messages(), streams.err(),
                streams.person() ? ConfigDirectory.from(System.getenv()).history("client.history", streams.err()::println)
                        : Optional.empty(),
                options.verbose(), new ConsoleEvents(connected));
        try {
            console.idle("(server's turn) ");
            if (trustNote != null && (streams.person() || trustNote.contains("remembered"))) {
                console.status(trustNote);
            }
            if (streams.person()) {
                console.status("parley: connected to " + connected.remote() + (options.tls().isPresent() ? " over TLS" : "")
                        + "; you speak first. bye or Ctrl-D leaves.");
            }
            Consumer<Input> answers = connected::post;
            console.forwardTo(answers); // the person's every line: the session decides what it is
            console.start();
            Operator person = () -> console.ask(answers);
            Transcript shown = new Shown(new ConsoleTranscript(console, Role.SERVER, "parley: "), () -> console.withdraw(answers),
                    () -> readerGone);
            Transcript recorded = file == null ? shown : shown.andThen(file.conversation(Role.CLIENT, connected.remote()));
            Outcome outcome = connected.converse(Session.client(options.framing(), options.limits()), person, recorded);
            return outputFailed ? Exits.FAILURE : Exits.of(outcome);
        } finally {
            console.close();
            if (file != null) {
                file.close();
            }
            streams.flush();
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
        known.add(Addresses.format(options.host(), options.port()), seen);
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
            known.add(Addresses.format(options.host(), options.port()), verdict.seen());
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

    /**
     * Leaves the conversation (says bye in line framing); for Ctrl-C and SIGTERM. The bye gets
     * {@link #BYE_WAIT} to be written: a connection that takes no data (a server that never reads)
     * is closed under it, and the person is told the server was not.
     */
    @Override
    public int stop() {
        TcpClient current = client;
        if (current == null) {
            return asking ? Exits.FAILURE : Exits.OK; // a Ctrl-C at the trust question is a no: nothing was sent
        }
        current.post(new Input.Stop());
        try {
            if (current.awaitLastWordsWritten(BYE_WAIT)) {
                return Exits.OK;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        current.closeNow();
        streams.err().println("parley: stopped; could not tell the server (its connection took no data for "
                + BYE_WAIT.toMillis() + " ms)");
        return Exits.FAILURE;
    }

    /** The person: done, interrupted, or no longer reading the server's messages. */
    private final class ConsoleEvents implements Console.Listener {
        private final TcpClient connected;

        ConsoleEvents(TcpClient connected) {
            this.connected = connected;
        }

        @Override
        public void inputEnded() {
            // Ctrl-D at the editor leaves now; a pipe's end leaves at the next turn (the last answer is still read).
            if (streams.mode() == Terminals.Mode.LINE_EDITOR || streams.mode() == Terminals.Mode.LINE_EDITOR_ON_STDERR) {
                connected.post(new Input.OperatorDone());
            }
        }

        @Override
        public void interrupted() {
            stop();
        }

        @Override
        public void outputFailed(boolean brokenPipe, String reason) {
            // A reader that has gone (head -1 has its line) ends the client as quietly as it ends cat.
            readerGone = true;
            if (!brokenPipe) {
                outputFailed = true;
                streams.err().println("parley: cannot write to standard output: " + reason + "; leaving");
            }
            connected.post(new Input.Stop());
        }
    }

    /**
     * The conversation as the person sees it: when it ends, no question stays open (a line read
     * after the end is not answered with "not sent"), and once the person's reader has gone,
     * nothing more is shown.
     */
    static final class Shown implements Transcript {
        private final Transcript console;
        private final Runnable withdraw;
        private final BooleanSupplier readerGone;

        /**
         * @param withdraw forgets the console's open question
         * @param readerGone true once standard output's reader has gone
         */
        Shown(Transcript console, Runnable withdraw, BooleanSupplier readerGone) {
            this.console = console;
            this.withdraw = withdraw;
            this.readerGone = readerGone;
        }

        @Override
        public void heard(String message) {
            console.heard(message);
        }

        @Override
        public void said(Sent what) {
            console.said(what);
        }

        @Override
        public void notice(String text) {
            if (!readerGone.getAsBoolean()) {
                console.notice(text);
            }
        }

        @Override
        public void ended(Outcome outcome) {
            withdraw.run();
            if (!readerGone.getAsBoolean()) {
                console.ended(outcome);
            }
        }
    }
}
