package dev.parley.app.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.app.cli.Exits;
import dev.parley.app.cli.UserError;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The file policy, one rule at a time, on real files. Files of another user are made with chown,
 * as root (these tests run as root, as CI does).
 */
class SecureFilesTest {

    private static final Set<StandardOpenOption> APPEND =
            EnumSet.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND, StandardOpenOption.CREATE);

    @TempDir
    Path dir;

    private UserPrincipal nobody;

    @BeforeEach
    void anotherUser() throws IOException {
        nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    }

    private String refused(Path file, SecureFiles.Kind kind) {
        UserError error = assertThrows(UserError.class, () -> SecureFiles.open(file, kind, "the transcript", APPEND, Exits.USAGE).close());
        assertEquals(Exits.USAGE, error.exitCode());
        assertFalse(error.getMessage().contains("\n"), "one line: " + error.getMessage());
        return error.getMessage();
    }

    private static void mode(Path path, String mode) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }

    @Test
    void aRecordThatDoesNotExistIsCreatedOwnerOnlyAndAnExistingPrivateOneIsAppendedTo() throws Exception {
        Path file = dir.resolve("t.jsonl");
        try (SecureFiles.Opened opened = SecureFiles.open(file, SecureFiles.Kind.RECORD, "the transcript", APPEND, Exits.USAGE)) {
            assertTrue(opened.created());
            opened.channel().write(StandardCharsets.UTF_8.encode("one\n"));
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (SecureFiles.Opened opened = SecureFiles.open(file, SecureFiles.Kind.RECORD, "the transcript", APPEND, Exits.USAGE)) {
            assertFalse(opened.created());
            assertEquals(4, opened.attributes().size());
            opened.channel().write(StandardCharsets.UTF_8.encode("two\n"));
        }
        assertEquals("one\ntwo\n", Files.readString(file));
    }

    @Test
    void aLinkAtARecordsPathIsNotFollowedAndItsTargetIsUntouched() throws Exception {
        Path target = Files.writeString(dir.resolve("someone-elses-data"), "mine\n");
        Path link = Files.createSymbolicLink(dir.resolve("t.jsonl"), target);
        assertEquals("cannot use the transcript " + link + ": it is a symbolic link, which Parley does not follow here; give the file itself",
                refused(link, SecureFiles.Kind.RECORD));
        Path dangling = Files.createSymbolicLink(dir.resolve("d.jsonl"), dir.resolve("not-yet"));
        assertTrue(refused(dangling, SecureFiles.Kind.RECORD).contains("it is a symbolic link"), "a dangling link is not created through");
        assertEquals("mine\n", Files.readString(target));
        assertFalse(Files.exists(dir.resolve("not-yet")));
    }

    @Test
    void aRecordOfAnotherUserOrThatOthersCanReadIsRefusedSayingWhatFixesIt() throws Exception {
        Path theirs = Files.createFile(dir.resolve("theirs.jsonl"));
        mode(theirs, "rw-------");
        Files.setOwner(theirs, nobody);
        assertEquals("cannot use the transcript " + theirs + ": it belongs to nobody, not to you (" + System.getProperty("user.name")
                + "); someone else could read or change it; remove it, or chown " + System.getProperty("user.name") + " " + theirs,
                refused(theirs, SecureFiles.Kind.RECORD));

        Path open = Files.createFile(dir.resolve("open.jsonl"));
        mode(open, "rw-rw-rw-");
        assertEquals("cannot use the transcript " + open + ": others can read or change it (rw-rw-rw-); make it yours alone: chmod 600 "
                + open, refused(open, SecureFiles.Kind.RECORD));
        mode(open, "rw-r-----");
        assertTrue(refused(open, SecureFiles.Kind.RECORD).contains("(rw-r-----)"), "a group that can read is others");
    }

    @Test
    void aDirectoryAFifoAndADeviceAreEachNamed() throws Exception {
        assertEquals("cannot use the transcript " + dir + ": it is a directory, not a regular file; give a file",
                refused(dir, SecureFiles.Kind.RECORD));
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertEquals("cannot use the transcript " + fifo + ": it is not a regular file (a FIFO); give a regular file",
                refused(fifo, SecureFiles.Kind.RECORD), "refused before it is opened, which would block");
        assertEquals("cannot use the transcript /dev/null: it is not a regular file (a device); give a regular file",
                refused(Path.of("/dev/null"), SecureFiles.Kind.RECORD));
        assertTrue(refused(Path.of("/dev/stdout"), SecureFiles.Kind.RECORD).endsWith("it is a symbolic link, which Parley does not follow here;"
                + " give the file itself"));
    }

    @Test
    void aDirectoryOthersCanWriteToOrThatIsAnotherUsersIsRefusedUnlessItIsSticky() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        mode(shared, "rwxrwxrwx");
        assertEquals("cannot use the transcript " + shared.resolve("t.jsonl") + ": others can write to its directory " + shared
                + " (rwxrwxrwx) and replace it; chmod go-w " + shared + ", or use a directory of your own",
                refused(shared.resolve("t.jsonl"), SecureFiles.Kind.RECORD));
        assertEquals(0, new ProcessBuilder("chmod", "1777", shared.toString()).start().waitFor());
        SecureFiles.open(shared.resolve("t.jsonl"), SecureFiles.Kind.RECORD, "the transcript", APPEND, Exits.USAGE).close();
        assertTrue(Files.isRegularFile(shared.resolve("t.jsonl")), "as in /tmp: no one else can move a file of yours there");

        Path theirs = Files.createDirectory(dir.resolve("theirs"));
        Files.setOwner(theirs, nobody);
        assertEquals("cannot use the transcript " + theirs.resolve("t.jsonl") + ": its directory " + theirs
                + " belongs to nobody, who could replace it; use a directory of your own", refused(theirs.resolve("t.jsonl"),
                SecureFiles.Kind.RECORD));
        assertFalse(Files.exists(theirs.resolve("t.jsonl")));
    }

    @Test
    void aRecordWithAnotherNameIsRefused() throws Exception {
        Path original = Files.createFile(dir.resolve("original"));
        mode(original, "rw-------");
        Path other = Files.createLink(dir.resolve("t.jsonl"), original);
        assertTrue(refused(other, SecureFiles.Kind.RECORD).endsWith(": it has 1 other name (hard links), under which others could have"
                + " put it there; give a new file"));
    }

    @Test
    void aGivenFileIsReachedThroughALinkAndCheckedWhereItIs() throws Exception {
        Path live = Files.createDirectory(dir.resolve("live"));
        Path cert = Files.writeString(dir.resolve("cert.pem"), "chain\n");
        Path link = Files.createSymbolicLink(live.resolve("cert.pem"), cert);
        assertEquals("chain\n", new String(SecureFiles.read(link, SecureFiles.Kind.GIVEN_TRUST, "the certificate"), StandardCharsets.UTF_8));
        mode(cert, "rw-rw-rw-");
        UserError error = assertThrows(UserError.class, () -> SecureFiles.read(link, SecureFiles.Kind.GIVEN_TRUST, "the certificate"));
        assertEquals("cannot use the certificate " + link + ": others can change it (rw-rw-rw-), and with it whom Parley trusts;"
                + " chmod go-w " + link, error.getMessage());
        assertEquals(Exits.FAILURE, error.exitCode());
        assertThrows(NoSuchFileException.class, () -> SecureFiles.read(dir.resolve("none"), SecureFiles.Kind.GIVEN_TRUST, "x"));
    }

    @Test
    void aFileLargerThanItsKindIsRefusedAndAnAppendedLineIsOneWrite() throws Exception {
        Path big = Files.write(dir.resolve("known_servers"), new byte[(int) SecureFiles.MAX_BYTES + 1]);
        UserError error = assertThrows(UserError.class, () -> SecureFiles.read(big, SecureFiles.Kind.OWN_TRUST, "the known servers"));
        assertTrue(error.getMessage().endsWith(": it is larger than 1 MiB, which no such file is"), error.getMessage());

        Path known = dir.resolve("new_known_servers");
        SecureFiles.appendLine(known, SecureFiles.Kind.OWN_TRUST, "the known servers", "a:1 SHA256:x");
        SecureFiles.appendLine(known, SecureFiles.Kind.OWN_TRUST, "the known servers", "b:2 SHA256:y");
        assertEquals("a:1 SHA256:x\nb:2 SHA256:y\n", Files.readString(known));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(known)));
        try (FileChannel channel = FileChannel.open(known, StandardOpenOption.READ)) {
            assertEquals(26, channel.size());
        }
    }

    /** Each kind's rule on a file's mode: accepted (an empty message), or refused in one line that names the command that fixes it. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "OWN_SECRET   | rw------- | ''",
        "OWN_SECRET   | rw-r----- | its private key can be read or changed by others (rw-r-----); make it yours alone: chmod 600",
        "OWN_SECRET   | rw----r-- | its private key can be read or changed by others (rw----r--); make it yours alone: chmod 600",
        "OWN_TRUST    | rw-r--r-- | ''",
        "OWN_TRUST    | rw--w---- | others can change it (rw--w----), and with it whom Parley trusts; chmod go-w",
        "OWN_TRUST    | rw-----w- | others can change it (rw-----w-), and with it whom Parley trusts; chmod go-w",
        "GIVEN_SECRET | rw-rw---- | ''",
        "GIVEN_SECRET | rw----r-- | its private key can be read by anyone (rw----r--); chmod o-rw",
        "GIVEN_SECRET | rw-----w- | its private key can be read by anyone (rw-----w-); chmod o-rw",
        "GIVEN_TRUST  | rw-r--r-- | ''",
        "GIVEN_TRUST  | rw-rw-r-- | others can change it (rw-rw-r--), and with it whom Parley trusts; chmod go-w",
        "RECORD       | rw------- | ''",
        "RECORD       | rw----r-- | others can read or change it (rw----r--); make it yours alone: chmod 600",
    })
    void eachKindTakesTheModesItAllowsAndNamesTheFixForTheRest(SecureFiles.Kind kind, String mode, String refusal) throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "content\n");
        mode(file, mode);
        if (refusal.isEmpty()) {
            assertEquals("content\n", new String(SecureFiles.read(file, kind, "the file", 100, Exits.USAGE), StandardCharsets.UTF_8));
        } else {
            UserError error = assertThrows(UserError.class, () -> SecureFiles.read(file, kind, "the file", 100, Exits.USAGE));
            assertEquals("cannot use the file " + file + ": " + refusal + " " + file, error.getMessage());
            assertEquals(Exits.USAGE, error.exitCode(), "the caller's exit code");
        }
    }

    @Test
    void aHardLinkIsRefusedForTheFilesParleyKeepsAndTakenForTheOnesThePersonNames() throws Exception {
        Path original = Files.writeString(dir.resolve("original"), "key\n");
        mode(original, "rw-------");
        Path other = Files.createLink(dir.resolve("key.pem"), original);
        for (SecureFiles.Kind kind : new SecureFiles.Kind[] {SecureFiles.Kind.OWN_SECRET, SecureFiles.Kind.OWN_TRUST}) {
            UserError error = assertThrows(UserError.class, () -> SecureFiles.read(other, kind, "the key"), kind.name());
            assertEquals("cannot use the key " + other + ": it has 1 other name (hard links), under which others could have put it there;"
                    + " give a new file", error.getMessage());
        }
        for (SecureFiles.Kind kind : new SecureFiles.Kind[] {SecureFiles.Kind.GIVEN_SECRET, SecureFiles.Kind.GIVEN_TRUST}) {
            assertEquals("key\n", new String(SecureFiles.read(other, kind, "the key"), StandardCharsets.UTF_8), kind.name());
        }
    }

    @Test
    void aMissingDirectoryIsNamedWithTheCommandThatMakesIt() {
        Path missing = dir.resolve("none");
        UserError error = assertThrows(UserError.class,
                () -> SecureFiles.open(missing.resolve("t.jsonl"), SecureFiles.Kind.RECORD, "the transcript", APPEND, Exits.USAGE));
        assertEquals("cannot use the transcript " + missing.resolve("t.jsonl") + ": no such directory; make it first (mkdir -p " + missing
                + ") or give another path", error.getMessage());
        assertEquals(Exits.FAILURE, error.exitCode(), "not a refusal: a failure");
        assertFalse(Files.exists(missing));
    }

    @Test
    void aHostileFileNameReachesTheRefusalWithItsControlCharactersShownNotActedOn() throws Exception {
        Path target = Files.createFile(dir.resolve("target"));
        Path link = Files.createSymbolicLink(dir.resolve("evil\u001b]0;owned\u0007\u001b[2J.jsonl"), target);
        String message = refused(link, SecureFiles.Kind.RECORD);
        assertTrue(message.contains("/evil^[]0;owned^G^[[2J.jsonl: it is a symbolic link"), message);
        assertTrue(message.chars().noneMatch(c -> c < 0x20), "no control character reaches a terminal: " + message);
    }

    @Test
    void aSecretIsCreatedWholeAndOwnerOnlyAndNeverOverWhatIsAlreadyThere() throws Exception {
        Path key = dir.resolve("identity.pem");
        assertTrue(SecureFiles.createPrivate(key, "first\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("first\n", Files.readString(key));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertFalse(SecureFiles.createPrivate(key, "second\n".getBytes(StandardCharsets.US_ASCII)), "another process was first");
        assertEquals("first\n", Files.readString(key), "its file stands");

        Path planted = Files.createSymbolicLink(dir.resolve("other.pem"), dir.resolve("where-the-link-leads"));
        assertFalse(SecureFiles.createPrivate(planted, "secret\n".getBytes(StandardCharsets.US_ASCII)), "a link is something already there");
        assertFalse(Files.exists(dir.resolve("where-the-link-leads")), "nothing is written through it");
        try (var names = Files.list(dir)) {
            assertEquals(Set.of("identity.pem", "other.pem"), names.map(p -> p.getFileName().toString()).collect(Collectors.toSet()),
                    "nothing is left aside");
        }
    }

    @Test
    void aLimitInBytesIsSaidInBytes() throws Exception {
        Path script = Files.write(dir.resolve("script.txt"), new byte[100]);
        assertEquals(100, SecureFiles.read(script, SecureFiles.Kind.GIVEN_TRUST, "the script", 100, Exits.USAGE).length, "exactly the limit");
        Files.write(script, new byte[101]);
        UserError error = assertThrows(UserError.class,
                () -> SecureFiles.read(script, SecureFiles.Kind.GIVEN_TRUST, "the script", 100, Exits.USAGE));
        assertEquals("cannot use the script " + script + ": it is larger than 100 bytes, which no such file is", error.getMessage());
        assertEquals(Exits.USAGE, error.exitCode());
    }
}
