package dev.parley.app.trust;

import dev.parley.app.cli.UserError;
import dev.parley.socket.tls.Fingerprints;
import dev.parley.socket.tls.ServerTrust;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The servers this client knows, {@code known_servers} in the configuration directory: one server a
 * line, {@code host:port SHA256:...}, as ssh's known_hosts; {@code #} starts a comment. Read whole
 * at each connection (a hostile file is refused, see {@link SecureFiles}); a line that is not an
 * entry is ignored, as ssh does. A server the person trusts is appended.
 */
public final class KnownServersFile implements ServerTrust.KnownServers {

    public static final String NAME = "known_servers";

    private final Path file;
    private final List<String[]> entries = new ArrayList<>();
    private final List<Integer> lines = new ArrayList<>();
    /** The file as read does not end its last line (a hand edit): an entry added starts a line of its own. */
    private boolean lastLineOpen;

    private KnownServersFile(Path file) {
        this.file = file;
    }

    /** The file in {@code dir}, read now (an absent file knows no one). */
    public static KnownServersFile read(Path dir) throws UserError {
        KnownServersFile known = new KnownServersFile(dir.resolve(NAME));
        byte[] bytes;
        try {
            bytes = SecureFiles.read(known.file, SecureFiles.Kind.OWN_TRUST, "the known servers");
        } catch (NoSuchFileException e) {
            return known;
        }
        known.lastLineOpen = bytes.length > 0 && bytes[bytes.length - 1] != '\n';
        String[] text = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < text.length; i++) {
            String line = text[i];
            int hash = line.indexOf('#');
            String[] words = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
            if (words.length >= 2 && Fingerprints.isValid(words[1])) {
                known.entries.add(new String[] {words[0].toLowerCase(Locale.ROOT), words[1]});
                known.lines.add(i + 1);
            }
        }
        return known;
    }

    public Path file() {
        return file;
    }

    @Override
    public List<ServerTrust.Known> lookup(String hostPort) {
        String key = hostPort.toLowerCase(Locale.ROOT);
        List<ServerTrust.Known> found = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i)[0].equals(key)) {
                found.add(new ServerTrust.Known(entries.get(i)[1], lines.get(i)));
            }
        }
        return found;
    }

    /**
     * Remembers {@code fingerprint} for {@code hostPort}, on a line of its own even when the file's
     * last line was left without its line feed (joined to it, both entries would be lost, and a
     * known server with a changed key would be asked about as a new one instead of refused).
     */
    public void add(String hostPort, String fingerprint) throws UserError {
        String entry = hostPort.toLowerCase(Locale.ROOT) + " " + fingerprint;
        SecureFiles.appendLine(file, SecureFiles.Kind.OWN_TRUST, "the known servers", (lastLineOpen ? "\n" : "") + entry);
        lastLineOpen = false;
    }
}
