package dev.parley.app.wiring;

import dev.parley.app.cli.Exits;
import dev.parley.app.cli.UserError;
import dev.parley.app.trust.ConfigDirectory;
import dev.parley.app.trust.TranscriptFiles;
import dev.parley.console.Console;
import dev.parley.console.ConsoleTranscript;
import dev.parley.console.Consoles;
import dev.parley.console.JsonLinesTranscript;
import dev.parley.console.Terminals;
import dev.parley.core.port.Operator;
import dev.parley.core.port.Transcript;
import dev.parley.core.session.Action.Sent;
import dev.parley.core.session.Input;
import dev.parley.core.session.Limits;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Role;
import dev.parley.core.session.Session;
import dev.parley.core.wire.Framing;
import dev.parley.socket.client.TcpClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
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
    private final ServerReach reach;

    public ParleyClient(Options options, Streams streams) {
        this.options = options;
        this.streams = streams;
        this.reach = new ServerReach(options.host(), options.port(), options.tls(), streams);
    }

    /** Connects and converses until the end; returns the exit code. */
    @Override
    public int run() throws UserError, IOException {
        JsonLinesTranscript file = options.transcript().isPresent()
                ? TranscriptFiles.open(options.transcript().get(), Role.CLIENT, streams.err()::println) : null;
        TcpClient connected;
        String trustNote;
        try {
            ServerReach.Reached<TcpClient> reached = reach.connect(tls -> TcpClient.connect(options.host(), options.port(),
                    options.connectTimeout(), options.framing().readSize(), tls), TcpClient::remote);
            connected = reached.connection();
            trustNote = reached.trustNote();
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
     * Leaves the conversation (says bye in line framing); for Ctrl-C and SIGTERM. The bye gets
     * {@link #BYE_WAIT} to be written: a connection that takes no data (a server that never reads)
     * is closed under it, and the person is told the server was not.
     */
    @Override
    public int stop() {
        TcpClient current = client;
        if (current == null) {
            return reach.asking() ? Exits.FAILURE : Exits.OK; // a Ctrl-C at the trust question is a no: nothing was sent
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
