package dev.parley.app;

import dev.parley.console.JsonLinesTranscript;
import dev.parley.console.TerminalSafe;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;

/** Opens the file {@code --transcript} names, or says in one line why it cannot be. */
final class TranscriptFiles {

    private TranscriptFiles() {}

    static JsonLinesTranscript open(Path path, Consumer<String> warnings) throws UserError {
        String shown = TerminalSafe.forLog(path.toString(), 200);
        if (Files.isDirectory(path)) {
            throw new UserError("cannot write the transcript to " + shown + ": it is a directory; give --transcript a file",
                    Exits.USAGE, null);
        }
        try {
            return JsonLinesTranscript.open(path, Clock.systemUTC(), warnings);
        } catch (IOException e) {
            String reason = e instanceof NoSuchFileException ? "no such directory"
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof FileSystemException && ((FileSystemException) e).getReason() != null
                            ? ((FileSystemException) e).getReason() : String.valueOf(e.getMessage());
            throw new UserError("cannot write the transcript to " + shown + ": " + reason + "; give --transcript a file you can write",
                    Exits.FAILURE, e);
        }
    }
}
