package dev.parley.app.wiring;

import dev.parley.app.cli.Exits;
import dev.parley.app.cli.UserError;
import dev.parley.app.trust.SecureFiles;
import dev.parley.core.responder.Responder;
import dev.parley.core.responder.Script;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Who answers on the server, as --responder says: the operator at the console (one of the desk's),
 * the desk's remote operators only, an echo, or a file's lines. Not the core's {@link Responder}, which the last two become ({@link #automatic}).
 */
public sealed interface ResponderChoice {

    /** The largest responder file accepted: a script of replies, read once into memory at start-up. */
    long MAX_FILE_BYTES = 16L << 20;

    /** The person at the server's terminal; one conversation at a time. */
    record Console() implements ResponderChoice {}

    /** No one at the server's terminal: clients wait for the operators of the operators' port ({@code --operators}). */
    record Desk() implements ResponderChoice {}

    /** Answers each message with the same text; conversations run concurrently. */
    record Echo() implements ResponderChoice {}

    /**
     * Answers with the file's lines in order, then says bye; conversations run concurrently. The
     * file is read once and its lines shared by every conversation.
     */
    record FileLines(Path path, Script script) implements ResponderChoice {}

    /** The core's automatic responder for echo or file (the console has a person instead). */
    static Responder automatic(ResponderChoice choice) {
        if (choice instanceof FileLines) {
            return Responder.script(((FileLines) choice).script());
        }
        return Responder.echo();
    }

    /**
     * Parses {@code console}, {@code echo} or {@code file:PATH}, reading the file now so a bad path
     * fails at start-up, not in the middle of a conversation. Only a regular file of at most
     * {@link #MAX_FILE_BYTES} is read (a device such as {@code /dev/zero} never ends, and a FIFO
     * would block start-up), under the file policy ({@link SecureFiles}): what the server says is
     * no one else's to change.
     */
    static ResponderChoice parse(String spec) throws UserError {
        if (spec.equals("console")) {
            return new Console();
        }
        if (spec.equals("desk")) {
            return new Desk();
        }
        if (spec.equals("echo")) {
            return new Echo();
        }
        if (spec.startsWith("file:") && spec.length() > "file:".length()) {
            Path path = Path.of(spec.substring("file:".length()));
            return new FileLines(path, Script.of(readScript(path)));
        }
        throw new UserError("unknown responder '" + spec + "'; use console, desk, echo or file:PATH", Exits.USAGE, null);
    }

    private static byte[] readScript(Path path) throws UserError {
        try {
            return SecureFiles.read(path, SecureFiles.Kind.GIVEN_TRUST, "responder file", MAX_FILE_BYTES, Exits.USAGE);
        } catch (NoSuchFileException e) {
            throw new UserError("cannot use responder file " + SecureFiles.shown(path) + ": no such file", Exits.USAGE, e);
        }
    }
}
