package dev.parley.app;

import dev.parley.console.TerminalSafe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;

/**
 * The files Parley trusts its security to (identities, known_servers, authorized clients), read as
 * hostile input: only a regular file (not a FIFO, which would block, nor a device, which never
 * ends; the ones Parley keeps itself not a symbolic link either), at most a size that fits its
 * kind, owned by this user; a secret (a private key) readable by no one else, and no trust file
 * writable by anyone else, as ssh's StrictModes has it. Every refusal is one line that says what
 * to do. Files are created owner-only, whole (written aside, then linked into place, so that a
 * crash or a second process never leaves half a key), and never overwritten.
 */
final class SecureFiles {

    /** The largest identity (a key and its chain) or trust file read. */
    static final long MAX_BYTES = 1L << 20;

    private SecureFiles() {}

    /** What a file is to Parley: whether it is secret, whether Parley made it (then no link is followed). */
    enum Kind {
        /** A private key Parley keeps in its directory: owner-only, no link. */
        OWN_SECRET,
        /** A trust file Parley keeps (known_servers): writable by its owner only, no link. */
        OWN_TRUST,
        /** A private key the person named (--key): readable by no one else; links followed (certbot's live/ links). */
        GIVEN_SECRET,
        /** A file the person named (--cert, --authorized-clients): writable by its owner only; links followed. */
        GIVEN_TRUST
    }

    /**
     * The file's bytes, checked for its kind.
     *
     * @throws UserError (exit 1) saying what is wrong and what to do
     * @throws NoSuchFileException when it does not exist
     */
    static byte[] read(Path file, Kind kind, String what) throws UserError, NoSuchFileException {
        String shown = TerminalSafe.forLog(file.toString(), 200);
        boolean own = kind == Kind.OWN_SECRET || kind == Kind.OWN_TRUST;
        LinkOption[] links = own ? new LinkOption[] {LinkOption.NOFOLLOW_LINKS} : new LinkOption[0];
        try {
            PosixFileAttributes attributes;
            try {
                attributes = Files.readAttributes(file, PosixFileAttributes.class, links);
            } catch (UnsupportedOperationException e) {
                attributes = null; // not a POSIX file system: only the type and size are checked
            }
            boolean regular = attributes != null ? attributes.isRegularFile() : Files.isRegularFile(file, links);
            if (!regular) {
                throw new UserError("cannot use " + what + " " + shown + ": it is not a regular file"
                        + (own && Files.isSymbolicLink(file) ? " (a symbolic link, which Parley does not follow here)" : ""),
                        Exits.FAILURE, null);
            }
            long size = attributes != null ? attributes.size() : Files.size(file);
            if (size > MAX_BYTES) {
                throw new UserError("cannot use " + what + " " + shown + ": it is larger than 1 MiB, which no such file is",
                        Exits.FAILURE, null);
            }
            if (attributes != null) {
                check(file, attributes, kind, what, shown);
            }
            try (InputStream in = Files.newInputStream(file, own ? new OpenOption[] {LinkOption.NOFOLLOW_LINKS}
                    : new OpenOption[0])) {
                byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) {
                    throw new UserError("cannot use " + what + " " + shown + ": it grew past 1 MiB while being read", Exits.FAILURE, null);
                }
                return bytes;
            }
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            throw new UserError("cannot read " + what + " " + shown + ": " + reason(e), Exits.FAILURE, e);
        }
    }

    /**
     * True when {@code file} belongs to this process's user or to root, by number (a container may
     * have no user names at all); on a system without numbers to compare, true.
     */
    private static boolean ownedByMeOrRoot(Path file) {
        try {
            int owner = (Integer) Files.getAttribute(file, "unix:uid");
            int me = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"); // Linux: owned by the process's user
            return owner == me || owner == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return true;
        }
    }

    private static void check(Path file, PosixFileAttributes attributes, Kind kind, String what, String shown) throws UserError {
        String owner = attributes.owner().getName();
        if (!ownedByMeOrRoot(file)) {
            throw new UserError("cannot use " + what + " " + shown + ": it belongs to " + owner + ", not to you ("
                    + System.getProperty("user.name") + "); someone else could change it", Exits.FAILURE, null);
        }
        Set<PosixFilePermission> p = attributes.permissions();
        String mode = PosixFilePermissions.toString(p);
        boolean secret = kind == Kind.OWN_SECRET || kind == Kind.GIVEN_SECRET;
        if (kind == Kind.OWN_SECRET && (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)
                || p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE))) {
            throw new UserError("cannot use " + what + " " + shown + ": its private key can be read or changed by others (" + mode
                    + "); make it yours alone: chmod 600 " + shown, Exits.FAILURE, null);
        }
        if (kind == Kind.GIVEN_SECRET && (p.contains(PosixFilePermission.OTHERS_READ) || p.contains(PosixFilePermission.OTHERS_WRITE))) {
            throw new UserError("cannot use " + what + " " + shown + ": its private key can be read by anyone (" + mode
                    + "); chmod o-rw " + shown, Exits.FAILURE, null);
        }
        if (!secret && (p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE))) {
            throw new UserError("cannot use " + what + " " + shown + ": others can change it (" + mode
                    + "), and with it whom Parley trusts; chmod go-w " + shown, Exits.FAILURE, null);
        }
    }

    /**
     * Creates {@code file} owner-only with {@code bytes}, whole, unless it exists; true when this
     * call created it (false: another process did first, and its file stands).
     */
    static boolean createPrivate(Path file, byte[] bytes) throws IOException {
        Path aside = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8) + ".tmp");
        Files.createFile(aside, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (OutputStream out = Files.newOutputStream(aside, StandardOpenOption.WRITE)) {
                out.write(bytes);
            }
            try (FileChannel channel = FileChannel.open(aside, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.createLink(file, aside);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            }
        } finally {
            Files.deleteIfExists(aside);
        }
    }

    /** Appends one line to {@code file}, creating it owner-only if it does not exist. */
    static void appendLine(Path file, String line) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException e) {
                // another client made it meanwhile
            }
        }
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS)) {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8)); // one write: lines of two clients do not mix
        }
    }

    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return ((FileSystemException) e).getReason();
        }
        return String.valueOf(e.getMessage());
    }
}
