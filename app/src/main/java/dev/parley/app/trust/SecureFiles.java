package dev.parley.app.trust;

import dev.parley.app.cli.Exits;
import dev.parley.app.cli.UserError;
import dev.parley.console.TerminalSafe;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The one policy for every file Parley reads or writes (identities, known_servers, authorized
 * clients, responder scripts, transcripts, the line editor's history), as ssh's StrictModes has it.
 *
 * <p>The rule: a file is a regular file (not a FIFO, which would block, nor a device, which never
 * ends); the ones Parley keeps are never reached through a symbolic link (the ones the person names
 * on the command line may be: certbot's live/ links); it is owned by this user (or root), and its
 * directory too; that directory is writable by no one else (a sticky one such as /tmp excepted,
 * where no one else can move this user's files); the file is private to this user as its kind
 * needs (a secret or a record readable by no one else, a trust file writable by no one else), and
 * it has no other name (hard link). Every refusal is one line naming the file and what fixes it.
 *
 * <p>Check and use are one: the directory is held open, its attributes read from what was opened,
 * and the file is opened and inspected relative to it (openat and fstatat, never following a link),
 * so no name can be swapped between the check and the open by anyone the rule excludes. Where the
 * platform cannot hold a directory (no openat, or a directory that can be searched but not read),
 * the same checks run by path. A file Parley creates is created owner-only, never over an existing
 * one, and a secret whole (written aside, then linked into place, so a crash or a second process
 * never leaves half a key).
 */
public final class SecureFiles {

    /** The largest identity (a key and its chain) or trust file read. */
    static final long MAX_BYTES = 1L << 20;

    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final Set<PosixFilePermission> OTHERS_WRITE =
            EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
    private static final Set<PosixFilePermission> GROUP_AND_OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final int STICKY = 01000;

    private SecureFiles() {}

    /** What a file is to Parley: whether a link may lead to it, and who else may do what with it. */
    public enum Kind {
        /** A private key Parley keeps in its directory: owner-only, no link. */
        OWN_SECRET(false, GROUP_AND_OTHERS, "its private key can be read or changed by others (%s)", "make it yours alone: chmod 600"),
        /** A trust file Parley keeps (known_servers): writable by its owner only, no link. */
        OWN_TRUST(false, OTHERS_WRITE, "others can change it (%s), and with it whom Parley trusts", "chmod go-w"),
        /** A private key the person named (--key): readable by no one else; links followed (certbot's live/ links). */
        GIVEN_SECRET(true, EnumSet.of(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE),
                "its private key can be read by anyone (%s)", "chmod o-rw"),
        /** A file the person named (--cert, --authorized-clients, a responder script): writable by its owner only; links followed. */
        GIVEN_TRUST(true, OTHERS_WRITE, "others can change it (%s), and with it whom Parley trusts", "chmod go-w"),
        /** A record Parley writes (a transcript, the history): owner-only, no link. */
        RECORD(false, GROUP_AND_OTHERS, "others can read or change it (%s)", "make it yours alone: chmod 600");

        final boolean followsLinks;
        /** The permissions no one but the owner may have. */
        final Set<PosixFilePermission> forbidden;
        /** The refusal when someone has them, with the mode at %s, and the command that fixes it, without the file. */
        final String exposed;
        final String fix;

        Kind(boolean followsLinks, Set<PosixFilePermission> forbidden, String exposed, String fix) {
            this.followsLinks = followsLinks;
            this.forbidden = forbidden;
            this.exposed = exposed;
            this.fix = fix;
        }
    }

    /** A file opened under the policy: its channel, what it was when opened, and whether this open created it. */
    record Opened(FileChannel channel, BasicFileAttributes attributes, boolean created) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /**
     * The file's bytes (at most {@link #MAX_BYTES}), checked for its kind.
     *
     * @throws UserError (exit 1) saying what is wrong and what to do
     * @throws NoSuchFileException when it does not exist
     */
    static byte[] read(Path file, Kind kind, String what) throws UserError, NoSuchFileException {
        return read(file, kind, what, MAX_BYTES, Exits.FAILURE);
    }

    /**
     * The file's bytes, at most {@code maxBytes}, checked for its kind.
     *
     * @param exit the exit code of a refusal
     * @throws UserError saying what is wrong and what to do
     * @throws NoSuchFileException when it does not exist
     */
    public static byte[] read(Path file, Kind kind, String what, long maxBytes, int exit) throws UserError, NoSuchFileException {
        String limit = maxBytes >= 1L << 20 ? (maxBytes >> 20) + " MiB" : maxBytes + " bytes";
        try (Opened opened = open(file, kind, what, EnumSet.of(StandardOpenOption.READ), exit)) {
            if (opened.attributes().size() > maxBytes) {
                throw refusal(what, file, "it is larger than " + limit + ", which no such file is", null, exit);
            }
            // At most one byte more than the limit: a file that grew since it was checked is still caught.
            byte[] bytes = Channels.newInputStream(opened.channel()).readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
            if (bytes.length > maxBytes) {
                throw refusal(what, file, "it grew past " + limit + " while being read", null, exit);
            }
            return bytes;
        } catch (NoSuchFileException | UserError e) {
            throw e;
        } catch (IOException e) {
            throw new UserError("cannot read " + what + " " + shown(file) + ": " + reason(e), Exits.FAILURE, e);
        }
    }

    /**
     * Opens {@code file} under the policy for its kind: with {@code CREATE} in {@code options}, a file
     * that does not exist is created owner-only (never through a link, never over one that appears
     * meanwhile).
     *
     * @param what what the file is to the person, e.g. "the transcript"
     * @param exit the exit code of a refusal (a failure to read or create is exit 1)
     * @throws UserError (one line) when the file or its directory breaks the rule, or cannot be opened
     * @throws NoSuchFileException when it does not exist and {@code options} has no {@code CREATE}
     */
    static Opened open(Path file, Kind kind, String what, Set<? extends OpenOption> options, int exit)
            throws UserError, NoSuchFileException {
        Path absolute = file.toAbsolutePath();
        try {
            if (kind.followsLinks) {
                absolute = absolute.toRealPath();
            }
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            throw new UserError("cannot use " + what + " " + shown(file) + ": " + reason(e), Exits.FAILURE, e);
        }
        Path dir = absolute.getParent();
        if (dir == null) {
            throw refusal(what, file, "it is a directory", null, exit);
        }
        DirectoryStream<Path> stream = null;
        try {
            try {
                stream = Files.newDirectoryStream(dir);
            } catch (NoSuchFileException | NotDirectoryException e) {
                throw new UserError("cannot use " + what + " " + shown(file) + ": no such directory; make it first (mkdir -p "
                        + shown(dir) + ") or give another path", Exits.FAILURE, e);
            } catch (AccessDeniedException e) {
                stream = null; // a directory that can be searched but not listed: checked by path
            }
            Place place = stream instanceof SecureDirectoryStream
                    ? new Held((SecureDirectoryStream<Path>) stream, dir) : new ByPath(dir);
            checkDirectory(place, what, file, exit);
            return openIn(place, absolute.getFileName(), kind, what, file, options, exit);
        } catch (NoSuchFileException | UserError e) {
            throw e;
        } catch (IOException e) {
            throw new UserError("cannot use " + what + " " + shown(file) + ": " + reason(e), Exits.FAILURE, e);
        } finally {
            if (stream != null) {
                try {
                    stream.close();
                } catch (IOException e) {
                    // only the directory's descriptor: the file stays open
                }
            }
        }
    }

    private static Opened openIn(Place place, Path name, Kind kind, String what, Path file, Set<? extends OpenOption> options,
            int exit) throws IOException, UserError {
        Set<OpenOption> existing = new HashSet<>(options);
        existing.remove(StandardOpenOption.CREATE);
        existing.remove(StandardOpenOption.CREATE_NEW);
        existing.add(LinkOption.NOFOLLOW_LINKS);
        for (int attempt = 0; attempt < 2; attempt++) {
            BasicFileAttributes before;
            try {
                before = place.file(name);
            } catch (NoSuchFileException e) {
                if (!options.contains(StandardOpenOption.CREATE)) {
                    throw e;
                }
                Set<OpenOption> fresh = new HashSet<>(existing);
                fresh.add(StandardOpenOption.CREATE_NEW); // O_EXCL: never through a link, never over a file
                try {
                    FileChannel created = place.open(name, fresh, true);
                    return new Opened(created, place.file(name), true);
                } catch (FileAlreadyExistsException another) {
                    continue; // made meanwhile: checked as any existing file
                }
            }
            check(place, name, before, kind, what, file, exit);
            FileChannel channel;
            try {
                channel = place.open(name, existing, false);
            } catch (NoSuchFileException gone) {
                continue;
            } catch (FileSystemException e) {
                if (place.file(name).isSymbolicLink()) {
                    break; // replaced by a link meanwhile
                }
                throw e;
            }
            BasicFileAttributes after = place.file(name);
            if (before.fileKey() != null && !before.fileKey().equals(after.fileKey())) {
                channel.close();
                break;
            }
            return new Opened(channel, after, false);
        }
        throw refusal(what, file, "it was replaced while being opened", "check who else writes to its directory", exit);
    }

    /** The directory that holds the file: this user's or root's, and writable by no one else unless sticky. */
    private static void checkDirectory(Place place, String what, Path file, int exit) throws IOException, UserError {
        BasicFileAttributes attributes = place.directory();
        if (!(attributes instanceof PosixFileAttributes)) {
            return; // not a POSIX file system: nothing more to check
        }
        PosixFileAttributes dir = (PosixFileAttributes) attributes;
        String shownDir = shown(place.path());
        if (!ownedByMeOrRoot(dir.owner())) {
            throw refusal(what, file, "its directory " + shownDir + " belongs to " + dir.owner().getName() + ", who could replace it",
                    "use a directory of your own", exit);
        }
        Set<PosixFilePermission> p = dir.permissions();
        if (!Collections.disjoint(p, OTHERS_WRITE) && !place.sticky(dir)) {
            throw refusal(what, file, "others can write to its directory " + shownDir + " (" + PosixFilePermissions.toString(p)
                    + ") and replace it", "chmod go-w " + shownDir + ", or use a directory of your own", exit);
        }
    }

    /** The file as found, before it is opened: its type, owner, mode and names, for its kind. */
    private static void check(Place place, Path name, BasicFileAttributes attributes, Kind kind, String what, Path file, int exit)
            throws IOException, UserError {
        if (attributes.isSymbolicLink()) {
            throw refusal(what, file, "it is a symbolic link, which Parley does not follow here",
                    "give the file itself", exit);
        }
        if (attributes.isDirectory()) {
            throw refusal(what, file, "it is a directory, not a regular file", "give a file", exit);
        }
        if (!attributes.isRegularFile()) {
            throw refusal(what, file, "it is not a regular file (" + place.type(name) + ")", "give a regular file", exit);
        }
        if (!(attributes instanceof PosixFileAttributes)) {
            return;
        }
        PosixFileAttributes posix = (PosixFileAttributes) attributes;
        String shownFile = shown(file);
        if (!ownedByMeOrRoot(posix.owner())) {
            throw refusal(what, file, "it belongs to " + posix.owner().getName() + ", not to you (" + myName()
                    + "); someone else could read or change it", "remove it, or chown " + myName() + " " + shownFile, exit);
        }
        Set<PosixFilePermission> p = posix.permissions();
        if (!Collections.disjoint(p, kind.forbidden)) {
            throw refusal(what, file, String.format(kind.exposed, PosixFilePermissions.toString(p)), kind.fix + " " + shownFile, exit);
        }
        int links = place.links(name, attributes);
        if (links > 1 && !kind.followsLinks) {
            throw refusal(what, file, "it has " + (links - 1) + " other name" + (links > 2 ? "s" : "")
                    + " (hard links), under which others could have put it there", "give a new file", exit);
        }
    }

    private static UserError refusal(String what, Path file, String reason, String fix, int exit) {
        return new UserError("cannot use " + what + " " + shown(file) + ": " + reason + (fix == null ? "" : "; " + fix), exit, null);
    }

    /** Where the file's name is looked up: relative to its directory held open, or by path where that cannot be. */
    private interface Place {
        Path path();

        BasicFileAttributes directory() throws IOException;

        /** The name's attributes, a link's own. */
        BasicFileAttributes file(Path name) throws IOException;

        FileChannel open(Path name, Set<OpenOption> options, boolean create) throws IOException;

        /** True when the directory whose attributes are {@code dir} has its sticky bit (read by path, for the same directory). */
        default boolean sticky(BasicFileAttributes dir) throws IOException {
            Map<String, Object> unix = unix(path(), new LinkOption[0]);
            return unix != null && dir.fileKey() != null && dir.fileKey().equals(unix.get("fileKey"))
                    && ((Integer) unix.get("mode") & STICKY) != 0;
        }

        /** The number of names the file has, read by path for the same file (1 where it cannot be told). */
        default int links(Path name, BasicFileAttributes attributes) throws IOException {
            Map<String, Object> unix = unix(path().resolve(name), LinkOption.NOFOLLOW_LINKS);
            return unix != null && attributes.fileKey() != null && attributes.fileKey().equals(unix.get("fileKey"))
                    ? (Integer) unix.get("nlink") : 1;
        }

        /** What kind of file that is not a regular file the name is, in words. */
        default String type(Path name) throws IOException {
            Map<String, Object> unix = unix(path().resolve(name), LinkOption.NOFOLLOW_LINKS);
            int format = unix == null ? 0 : (Integer) unix.get("mode") & 0170000;
            return format == 0010000 ? "a FIFO" : format == 0020000 || format == 0060000 ? "a device"
                    : format == 0140000 ? "a socket" : "a special file";
        }
    }

    /** The "unix" attributes of {@code path} in one look; null where there are none. */
    private static Map<String, Object> unix(Path path, LinkOption... links) throws IOException {
        try {
            return Files.readAttributes(path, "unix:*", links);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The directory held open: its own attributes from the descriptor, the file's relative to it. */
    private record Held(SecureDirectoryStream<Path> stream, Path path) implements Place {
        @Override
        public BasicFileAttributes directory() throws IOException {
            PosixFileAttributeView view = stream.getFileAttributeView(PosixFileAttributeView.class);
            return view != null ? view.readAttributes() : Files.readAttributes(path, BasicFileAttributes.class);
        }

        @Override
        public BasicFileAttributes file(Path name) throws IOException {
            PosixFileAttributeView view = stream.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            return view.readAttributes();
        }

        @Override
        public FileChannel open(Path name, Set<OpenOption> options, boolean create) throws IOException {
            SeekableByteChannel channel = create ? stream.newByteChannel(name, options, OWNER_ONLY) : stream.newByteChannel(name, options);
            if (channel instanceof FileChannel) {
                return (FileChannel) channel;
            }
            channel.close();
            throw new IOException("not a file channel");
        }
    }

    /** The directory by path, where it cannot be held: the same checks, each by name. */
    private record ByPath(Path path) implements Place {
        @Override
        public BasicFileAttributes directory() throws IOException {
            try {
                return Files.readAttributes(path, PosixFileAttributes.class); // the directory a link in its path leads to
            } catch (UnsupportedOperationException e) {
                return Files.readAttributes(path, BasicFileAttributes.class);
            }
        }

        @Override
        public BasicFileAttributes file(Path name) throws IOException {
            return attributes(path.resolve(name));
        }

        private static BasicFileAttributes attributes(Path path) throws IOException {
            try {
                return Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (UnsupportedOperationException e) {
                return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            }
        }

        @Override
        public FileChannel open(Path name, Set<OpenOption> options, boolean create) throws IOException {
            try {
                return create ? FileChannel.open(path.resolve(name), options, OWNER_ONLY) : FileChannel.open(path.resolve(name), options);
            } catch (UnsupportedOperationException notPosix) {
                return FileChannel.open(path.resolve(name), options);
            }
        }
    }

    /** This process's user's name, as shown in a refusal. */
    private static String myName() {
        return System.getProperty("user.name");
    }

    /** True when {@code owner} is this process's user or root. */
    private static boolean ownedByMeOrRoot(UserPrincipal owner) {
        return owner.equals(Me.USER) || owner.equals(Me.ROOT);
    }

    /** This process's user and root, as the file system names owners. */
    private static final class Me {
        static final UserPrincipal USER = byNumber(new com.sun.security.auth.module.UnixSystem().getUid());
        static final UserPrincipal ROOT = byNumber(0);

        private static UserPrincipal byNumber(long uid) {
            try {
                return java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(String.valueOf(uid));
            } catch (IOException e) {
                throw new IllegalStateException("no user " + uid, e);
            }
        }
    }

    /**
     * Creates {@code file} owner-only with {@code bytes}, whole, unless it exists; true when this
     * call created it (false: another process did first, and its file stands). Its directory is
     * one the caller has checked ({@link ConfigDirectory#secure()}).
     */
    static boolean createPrivate(Path file, byte[] bytes) throws IOException {
        Path aside = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8) + ".tmp");
        Files.createFile(aside, OWNER_ONLY);
        try {
            try (OutputStream out = Files.newOutputStream(aside, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                out.write(bytes);
            }
            try (FileChannel channel = FileChannel.open(aside, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
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

    /** Appends one line to {@code file}, a file of {@code kind}, creating it owner-only if it does not exist. */
    static void appendLine(Path file, Kind kind, String what, String line) throws UserError {
        try (Opened opened = open(file, kind, what,
                EnumSet.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND, StandardOpenOption.CREATE), Exits.FAILURE)) {
            ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)); // one write: lines of two clients do not mix
            while (bytes.hasRemaining()) {
                opened.channel().write(bytes);
            }
        } catch (NoSuchFileException e) {
            throw new UserError("cannot write " + what + " " + shown(file) + ": no such file", Exits.FAILURE, e);
        } catch (IOException e) {
            throw new UserError("cannot write " + what + " " + shown(file) + ": " + reason(e), Exits.FAILURE, e);
        }
    }

    public static String shown(Path file) {
        return TerminalSafe.forLog(file.toString(), 200);
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
