package dev.parley.app;

import dev.parley.core.EchoOperator;
import dev.parley.core.Operator;
import dev.parley.core.ScriptedOperator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Who answers on the server: the operator at the console, an echo, or a file's lines. */
public sealed interface Responder {

    /** The person at the server's terminal; one conversation at a time. */
    record Console() implements Responder {}

    /** Answers each message with the same text; conversations run concurrently. */
    record Echo() implements Responder {}

    /** Answers with the file's lines in order, then says bye; conversations run concurrently. */
    record FileLines(Path path, List<String> lines) implements Responder {
        public FileLines {
            lines = List.copyOf(lines);
        }

        /** A fresh operator for one conversation. */
        Operator newOperator() {
            List<String> script = new ArrayList<>(lines);
            script.add("bye");
            return new ScriptedOperator(script);
        }
    }

    /** The operator for a concurrent responder (not the console, which is shared). */
    static Operator operatorFor(Responder responder) {
        if (responder instanceof FileLines) {
            return ((FileLines) responder).newOperator();
        }
        return new EchoOperator();
    }

    /**
     * Parses {@code console}, {@code echo} or {@code file:PATH}, reading the file now so a bad path
     * fails at start-up, not in the middle of a conversation.
     */
    static Responder parse(String spec) throws UserError {
        if (spec.equals("console")) {
            return new Console();
        }
        if (spec.equals("echo")) {
            return new Echo();
        }
        if (spec.startsWith("file:") && spec.length() > "file:".length()) {
            Path path = Path.of(spec.substring("file:".length()));
            try {
                String text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE)
                        .decode(ByteBuffer.wrap(Files.readAllBytes(path))).toString();
                List<String> lines = new ArrayList<>(List.of(text.split("\r?\n", -1)));
                if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                    lines.remove(lines.size() - 1);
                }
                return new FileLines(path, lines);
            } catch (NoSuchFileException e) {
                throw new UserError("cannot read responder file " + path + ": no such file", Exits.USAGE, e);
            } catch (IOException e) {
                throw new UserError("cannot read responder file " + path + ": " + e.getMessage(), Exits.USAGE, e);
            }
        }
        throw new UserError("unknown responder '" + spec + "'; use console, echo or file:PATH", Exits.USAGE, null);
    }
}
