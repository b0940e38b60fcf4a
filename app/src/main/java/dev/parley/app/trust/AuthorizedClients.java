package dev.parley.app.trust;

import dev.parley.app.cli.Exits;
import dev.parley.app.cli.UserError;
import dev.parley.console.TerminalSafe;
import dev.parley.socket.tls.Fingerprints;
import dev.parley.socket.tls.ServerTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The clients a TLS server lets converse ({@code --authorized-clients FILE}), or the operators it
 * lets join its desk ({@code --authorized-operators FILE}, the same rules): one fingerprint a
 * line, {@code SHA256:...}, optionally followed by a name for the log; {@code #} starts a comment.
 * The file is looked at (its size, time and inode) at every handshake and read again when it has
 * changed, so adding or removing a client needs no restart. At start-up a line that is not an
 * entry is an error; later, it is skipped with a warning in the log (the others still count), and
 * a file that has gone, or become unreadable or unsafe, lets no one in until it is put right.
 */
public final class AuthorizedClients implements ServerTls.ClientCheck {

    private final Path file;
    /** The option that named the file, and who it admits ("client", "operator"), for messages. */
    private final String option;
    private final String who;
    private final Consumer<String> log;
    private Object stamp;
    private Map<String, String> allowed = Map.of();
    private String broken;

    private AuthorizedClients(Path file, String option, String who, Consumer<String> log) {
        this.file = file;
        this.option = option;
        this.who = who;
        this.log = log;
    }

    /** The file, read now: a missing, unsafe or malformed file stops the server from starting. */
    public static AuthorizedClients load(Path file, Consumer<String> log) throws UserError {
        return load(file, "--authorized-clients", "client", log);
    }

    /** The file {@code option} names, admitting each {@code who} it lists, read now under the same rules. */
    public static AuthorizedClients load(Path file, String option, String who, Consumer<String> log) throws UserError {
        AuthorizedClients clients = new AuthorizedClients(file, option, who, log);
        try {
            clients.stamp = stamp(file);
            clients.allowed = clients.parse(SecureFiles.read(file, SecureFiles.Kind.GIVEN_TRUST, option), true);
        } catch (NoSuchFileException e) {
            throw new UserError("cannot use " + option + " " + Identities.shown(file) + ": no such file", Exits.USAGE, e);
        } catch (IOException e) {
            throw new UserError("cannot use " + option + " " + Identities.shown(file) + ": " + SecureFiles.reason(e), Exits.USAGE, e);
        }
        return clients;
    }

    /** How many are allowed now. */
    public synchronized int size() {
        return allowed.size();
    }

    @Override
    public synchronized String refusal(String fingerprint) {
        reloadIfChanged();
        if (broken != null) {
            return "was refused: " + broken + " (no " + who + " is let in until it is put right)";
        }
        return allowed.containsKey(fingerprint) ? null : "is not in " + option + " " + Identities.shown(file);
    }

    /** The name the file gives {@code fingerprint}, or "". */
    public synchronized String name(String fingerprint) {
        return allowed.getOrDefault(fingerprint, "");
    }

    private void reloadIfChanged() {
        Object now;
        try {
            now = stamp(file);
        } catch (IOException e) {
            now = "gone";
        }
        if (Objects.equals(now, stamp)) {
            return;
        }
        stamp = now;
        try {
            Map<String, String> fresh = parse(SecureFiles.read(file, SecureFiles.Kind.GIVEN_TRUST, option), false);
            allowed = fresh;
            broken = null;
            log.accept("parley: " + option + " changed: " + fresh.size() + " " + who + (fresh.size() == 1 ? "" : "s") + " allowed now");
        } catch (NoSuchFileException e) {
            broken = Identities.shown(file) + " has gone";
        } catch (UserError e) {
            broken = e.getMessage();
        }
        if (broken != null) {
            allowed = Map.of();
            log.accept("parley: warning: " + option + ": " + broken + "; no " + who + " is let in until it is put right");
        }
    }

    private static Object stamp(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return a.size() + "/" + a.lastModifiedTime().toMillis() + "/" + a.fileKey();
    }

    private Map<String, String> parse(byte[] bytes, boolean strict) throws UserError {
        Map<String, String> out = new HashMap<>();
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            String entry = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (entry.isEmpty()) {
                continue;
            }
            String[] words = entry.split("\\s+", 2);
            if (!Fingerprints.isValid(words[0])) {
                String problem = "line " + (i + 1) + " of " + Identities.shown(file) + " is not a fingerprint ('"
                        + TerminalSafe.forLog(words[0], 60) + "'); each line is SHA256:... as 'parley fingerprint --client' prints it";
                if (strict) {
                    throw new UserError("cannot use " + option + ": " + problem, Exits.USAGE, null);
                }
                log.accept("parley: warning: " + option + ": " + problem + "; skipped");
                continue;
            }
            out.put(words[0], words.length > 1 ? TerminalSafe.forLog(words[1], 60) : "");
        }
        return out;
    }
}
