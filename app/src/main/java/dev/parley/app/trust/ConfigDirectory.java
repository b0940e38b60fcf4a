package dev.parley.app.trust;

import dev.parley.app.cli.Exits;
import dev.parley.app.cli.UserError;
import dev.parley.console.TerminalSafe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Parley's configuration directory: {@code $PARLEY_CONFIG_DIR}, else {@code $XDG_CONFIG_HOME/parley},
 * else {@code ~/.config/parley}. Created owner-only ({@code rwx------}) when first needed; what
 * Parley keeps in it (the line editor's history) is created owner-only too.
 */
public final class ConfigDirectory {

    /** The largest history file loaded: past it, a file is not Parley's (or is an attack on the editor's memory). */
    static final long MAX_HISTORY_BYTES = 4L << 20;

    private final Optional<Path> root;

    private ConfigDirectory(Optional<Path> root) {
        this.root = root;
    }

    /** The directory from the environment, if it names one. */
    public static ConfigDirectory from(Map<String, String> env) {
        String own = env.get("PARLEY_CONFIG_DIR");
        if (own != null && !own.isEmpty()) {
            return new ConfigDirectory(Optional.of(Path.of(own)));
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && xdg.startsWith("/")) {
            return new ConfigDirectory(Optional.of(Path.of(xdg, "parley")));
        }
        String home = env.get("HOME");
        if (home != null && !home.isEmpty()) {
            return new ConfigDirectory(Optional.of(Path.of(home, ".config", "parley")));
        }
        return new ConfigDirectory(Optional.empty());
    }

    /** The directory, when the environment names one. */
    public Optional<Path> root() {
        return root;
    }

    /**
     * The directory, created owner-only if it does not exist, for the files Parley's security rests
     * on: refused when others could change what is in it.
     *
     * @throws UserError (exit 1) when there is none, it cannot be made, or others can write to it
     */
    public Path secure() throws UserError {
        if (root.isEmpty()) {
            throw new UserError("no configuration directory: set PARLEY_CONFIG_DIR (or HOME)", Exits.FAILURE, null);
        }
        Path dir = root.get();
        String shown = TerminalSafe.forLog(dir.toString(), 200);
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            if (!Files.isDirectory(dir)) {
                throw new UserError("cannot use " + shown + " as the configuration directory: it is not a directory", Exits.FAILURE, null);
            }
            try {
                Set<PosixFilePermission> p = Files.getPosixFilePermissions(dir);
                if (p.contains(PosixFilePermission.GROUP_WRITE)
                        || p.contains(PosixFilePermission.OTHERS_WRITE)) {
                    throw new UserError("cannot keep keys in " + shown + ": others can write to it (" + PosixFilePermissions.toString(p)
                            + "); chmod 700 " + shown, Exits.FAILURE, null);
                }
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: nothing more to check
            }
            return dir;
        } catch (IOException e) {
            throw new UserError("cannot create the configuration directory " + shown + ": " + SecureFiles.reason(e), Exits.FAILURE, e);
        }
    }

    /**
     * The line editor's history file {@code name}, created owner-only if it does not exist, under
     * the file policy ({@link SecureFiles}: a record, as private as what was typed); empty, with one
     * line to {@code warnings}, when it cannot be kept (no directory, a file that breaks the rule,
     * one larger than {@link #MAX_HISTORY_BYTES}). The line editor then writes it by name, in a
     * directory the policy has found no one else can write to.
     */
    public Optional<Path> history(String name, Consumer<String> warnings) {
        if (root.isEmpty()) {
            return Optional.empty();
        }
        Path file = root.get().resolve(name);
        try {
            Files.createDirectories(root.get(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException | UnsupportedOperationException e) {
            warnings.accept("parley: history not kept: cannot create " + TerminalSafe.forLog(root.get().toString(), 200) + " ("
                    + (e instanceof IOException ? SecureFiles.reason((IOException) e) : e.getMessage()) + ")");
            return Optional.empty();
        }
        try (SecureFiles.Opened opened = SecureFiles.open(file, SecureFiles.Kind.RECORD, "the history",
                EnumSet.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND, StandardOpenOption.CREATE), Exits.FAILURE)) {
            if (opened.attributes().size() > MAX_HISTORY_BYTES) {
                warnings.accept("parley: history not kept: " + SecureFiles.shown(file) + " is larger than " + (MAX_HISTORY_BYTES >> 20)
                        + " MiB; remove it to start a new one");
                return Optional.empty();
            }
            return Optional.of(file);
        } catch (UserError e) {
            warnings.accept("parley: history not kept: " + e.getMessage());
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(file); // closing what was only opened to check it
        }
    }
}
