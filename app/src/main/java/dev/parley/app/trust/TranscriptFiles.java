package dev.parley.app.trust;

import dev.parley.app.cli.Exits;
import dev.parley.app.cli.UserError;
import dev.parley.console.JsonLinesTranscript;
import dev.parley.core.session.Role;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Opens the file {@code --transcript} names under the file policy ({@link SecureFiles}, a record:
 * never through a link, this user's and readable by no one else, or created owner-only), or says
 * in one line why it cannot be: exit 2 for a file that breaks the rule, 1 for one that cannot be
 * written.
 */
public final class TranscriptFiles {

    private static final String WHAT = "the transcript";

    private TranscriptFiles() {}

    public static JsonLinesTranscript open(Path path, Role self, Consumer<String> warnings) throws UserError {
        SecureFiles.Opened appending = opened(path,
                EnumSet.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND, StandardOpenOption.CREATE));
        SecureFiles.Opened reading = null;
        try {
            if (!appending.created() && appending.attributes().size() > 0) {
                reading = opened(path, EnumSet.of(StandardOpenOption.READ));
                if (!Objects.equals(reading.attributes().fileKey(), appending.attributes().fileKey())) {
                    throw new UserError("cannot use " + WHAT + " " + SecureFiles.shown(path) + ": it was replaced while being opened",
                            Exits.USAGE, null);
                }
            }
            return JsonLinesTranscript.open(path.toString(), appending.channel(),
                    Optional.ofNullable(reading).map(SecureFiles.Opened::channel), self, Clock.systemUTC(), warnings);
        } catch (JsonLinesTranscript.NotATranscriptException e) {
            close(appending.channel());
            throw new UserError("cannot use " + WHAT + " " + SecureFiles.shown(path) + ": " + e.getMessage()
                    + "; give --transcript another file", Exits.USAGE, e);
        } catch (IOException e) {
            close(appending.channel());
            throw new UserError("cannot write " + WHAT + " " + SecureFiles.shown(path) + ": " + SecureFiles.reason(e), Exits.FAILURE, e);
        } catch (UserError e) {
            close(appending.channel());
            throw e;
        } finally {
            if (reading != null) {
                close(reading.channel());
            }
        }
    }

    private static SecureFiles.Opened opened(Path path, EnumSet<StandardOpenOption> options) throws UserError {
        try {
            return SecureFiles.open(path, SecureFiles.Kind.RECORD, WHAT, options, Exits.USAGE);
        } catch (NoSuchFileException e) {
            throw new UserError("cannot use " + WHAT + " " + SecureFiles.shown(path) + ": it was removed while being opened",
                    Exits.FAILURE, e);
        }
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing was written through it
        }
    }
}
