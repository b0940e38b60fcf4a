package dev.parley.app.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.app.cli.Exits;
import dev.parley.app.cli.UserError;
import dev.parley.socket.tls.Identity;
import dev.parley.socket.tls.ServerTrust;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * known_servers as the client's trust reads it: a server known nowhere trusted on first use and
 * appended owner-only, a changed key refused, lines that are not entries ignored one by one (long,
 * commented, binary), and the file refused whole, in one line, when the file policy says so.
 * Another user's file is made with chown, as root (as CI runs).
 */
class KnownServersFileTest {

    private static final Identity FIRST = Identity.generate("first");
    private static final Identity SECOND = Identity.generate("second");

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("known_servers");
    }

    /** What the client's trust decides about {@code server} at {@code hostPort}, with this file. */
    private ServerTrust.Verdict verdict(String hostPort, Identity server, boolean trustNew) throws UserError {
        return new ServerTrust(hostPort, Optional.empty(), null, KnownServersFile.read(dir), trustNew)
                .decide(new X509Certificate[] {server.certificate()}, "EC", null);
    }

    private UserError refusedToRead() {
        UserError e = assertThrows(UserError.class, () -> KnownServersFile.read(dir));
        assertEquals(Exits.FAILURE, e.exitCode());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    @Test
    void aServerKnownNowhereIsTrustedOnFirstUseThenRememberedInAnOwnerOnlyFile() throws Exception {
        assertEquals(new ServerTrust.Unknown(FIRST.fingerprint()), verdict("chat.example:1234", FIRST, false), "no file: no one is known");
        assertEquals(new ServerTrust.AcceptedNew(FIRST.fingerprint()), verdict("chat.example:1234", FIRST, true));
        assertFalse(Files.exists(file()), "deciding writes nothing");

        KnownServersFile.read(dir).add("Chat.Example:1234", FIRST.fingerprint());
        assertEquals("chat.example:1234 " + FIRST.fingerprint() + "\n", Files.readString(file()), "the host in lower case, one line");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file())));

        assertEquals(new ServerTrust.KnownKey(FIRST.fingerprint(), 1), verdict("CHAT.example:1234", FIRST, false));
        assertEquals(new ServerTrust.Unknown(FIRST.fingerprint()), verdict("chat.example:1235", FIRST, false), "another port is another server");

        KnownServersFile.read(dir).add("other:1", SECOND.fingerprint());
        assertEquals("chat.example:1234 " + FIRST.fingerprint() + "\nother:1 " + SECOND.fingerprint() + "\n", Files.readString(file()),
                "appended after what was there");
        assertEquals(new ServerTrust.KnownKey(SECOND.fingerprint(), 2), verdict("other:1", SECOND, false));
    }

    @Test
    void anEntryAddedAfterALastLineLeftWithoutItsLineFeedStartsALineOfItsOwn() throws Exception {
        Files.writeString(file(), "chat:1 " + FIRST.fingerprint()); // edited by hand, or written with printf
        Files.setPosixFilePermissions(file(), PosixFilePermissions.fromString("rw-------"));
        KnownServersFile.read(dir).add("other:2", SECOND.fingerprint());
        assertEquals("chat:1 " + FIRST.fingerprint() + "\nother:2 " + SECOND.fingerprint() + "\n", Files.readString(file()));
        assertEquals(new ServerTrust.KnownKey(FIRST.fingerprint(), 1), verdict("chat:1", FIRST, false), "the first entry kept");
        assertTrue(verdict("chat:1", SECOND, true) instanceof ServerTrust.Changed, "so a changed key is still refused, not asked about");
        assertEquals(new ServerTrust.KnownKey(SECOND.fingerprint(), 2), verdict("other:2", SECOND, false));
    }

    @Test
    void aChangedKeyIsRefusedEvenWithTrustNewAndEveryLineForTheServerIsNamed() throws Exception {
        Files.writeString(file(), "# my servers\nchat:1234 " + FIRST.fingerprint() + "\n\nCHAT:1234   " + FIRST.fingerprint() + "\n");
        ServerTrust.Verdict changed = verdict("chat:1234", SECOND, true);
        assertEquals(new ServerTrust.Changed(SECOND.fingerprint(),
                List.of(new ServerTrust.Known(FIRST.fingerprint(), 2), new ServerTrust.Known(FIRST.fingerprint(), 4))), changed);
        assertFalse(changed.trusted());

        KnownServersFile.read(dir).add("chat:1234", SECOND.fingerprint()); // the person, told by the operator, adds the new key
        assertEquals(new ServerTrust.KnownKey(SECOND.fingerprint(), 5), verdict("chat:1234", SECOND, false), "any line for it may match");
    }

    @Test
    void linesThatAreNotEntriesAreIgnoredOneByOneAndTheRestKeepTheirNumbers() throws Exception {
        ByteArrayOutputStream hostile = new ByteArrayOutputStream();
        hostile.writeBytes(("x".repeat(500_000) + " " + SECOND.fingerprint() + "x\n").getBytes(StandardCharsets.US_ASCII)); // 1: long, and no fingerprint
        hostile.writeBytes(("#chat:1 " + SECOND.fingerprint() + "\n").getBytes(StandardCharsets.US_ASCII)); // 2: commented out
        hostile.writeBytes(new byte[] {0, (byte) 0xFF, (byte) 0xFE, 27, '[', '2', 'J', ' ', (byte) 0xC3, '\n'}); // 3: binary, bad UTF-8
        hostile.writeBytes(("chat:1 " + FIRST.fingerprint() + "# the real one\r\n").getBytes(StandardCharsets.US_ASCII)); // 4: comment, CRLF
        hostile.writeBytes(("chat:1\n" + FIRST.fingerprint() + " chat:1\n").getBytes(StandardCharsets.US_ASCII)); // 5, 6: half, backwards
        hostile.writeBytes(("chat:1 SHA256:short\nchat:1 sha256:" + SECOND.fingerprint().substring(7) + "\n")
                .getBytes(StandardCharsets.US_ASCII)); // 7, 8: not fingerprints as the file writes them
        hostile.writeBytes(("\tchat:1\t" + FIRST.fingerprint() + "\textra words\n").getBytes(StandardCharsets.US_ASCII)); // 9: tabs
        hostile.writeBytes(("chat:1 " + SECOND.fingerprint()).getBytes(StandardCharsets.US_ASCII)); // 10: the last line, no newline
        Files.write(file(), hostile.toByteArray());

        KnownServersFile known = KnownServersFile.read(dir);
        assertEquals(List.of(new ServerTrust.Known(FIRST.fingerprint(), 4), new ServerTrust.Known(FIRST.fingerprint(), 9),
                new ServerTrust.Known(SECOND.fingerprint(), 10)), known.lookup("chat:1"));
        assertEquals(List.of(), known.lookup("#chat:1"), "a comment is no host");
        assertEquals(List.of(), known.lookup("x".repeat(500_000)));
        assertEquals(new ServerTrust.KnownKey(FIRST.fingerprint(), 4), verdict("chat:1", FIRST, false));
    }

    @Test
    void aFileLargerThanAnyKnownServersIsRefusedWhole() throws Exception {
        Files.write(file(), new byte[(1 << 20) + 1]);
        assertEquals("cannot use the known servers " + file() + ": it is larger than 1 MiB, which no such file is",
                refusedToRead().getMessage());
    }

    @Test
    void aLinkAtItsPathIsRefusedForReadingAndForAddingAndItsTargetIsUntouched() throws Exception {
        Path planted = Files.writeString(dir.resolve("planted"), "chat:1 " + SECOND.fingerprint() + "\n");
        Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rw-------"));
        Files.createSymbolicLink(file(), planted);
        String refusal = "cannot use the known servers " + file() + ": it is a symbolic link, which Parley does not follow here;"
                + " give the file itself";
        assertEquals(refusal, refusedToRead().getMessage());

        Files.delete(file());
        KnownServersFile known = KnownServersFile.read(dir); // no file yet: a link appears before the first add
        Files.createSymbolicLink(file(), planted);
        UserError e = assertThrows(UserError.class, () -> known.add("chat:1", FIRST.fingerprint()));
        assertEquals(refusal, e.getMessage());
        assertEquals("chat:1 " + SECOND.fingerprint() + "\n", Files.readString(planted));
    }

    @Test
    void anotherUsersFileOrOneOthersCanChangeIsRefusedNamingTheFix() throws Exception {
        Path file = Files.writeString(file(), "chat:1 " + FIRST.fingerprint() + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(List.of(new ServerTrust.Known(FIRST.fingerprint(), 1)), KnownServersFile.read(dir).lookup("chat:1"),
                "others may read whom this client trusts, as ssh allows");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        assertEquals("cannot use the known servers " + file + ": others can change it (rw-rw-r--), and with it whom Parley trusts;"
                + " chmod go-w " + file, refusedToRead().getMessage());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        KnownServersFile known = KnownServersFile.read(dir);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-")); // between the read and the add
        assertThrows(UserError.class, () -> known.add("other:2", SECOND.fingerprint()), "nothing is added to a file others can change");
        assertEquals("chat:1 " + FIRST.fingerprint() + "\n", Files.readString(file));

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.setOwner(file, file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        String me = System.getProperty("user.name");
        assertEquals("cannot use the known servers " + file + ": it belongs to nobody, not to you (" + me
                + "); someone else could read or change it; remove it, or chown " + me + " " + file, refusedToRead().getMessage());
    }

    @Test
    void aDirectoryThatIsNotAFileIsRefused() throws Exception {
        Files.createDirectory(file());
        assertTrue(refusedToRead().getMessage().endsWith(": it is a directory, not a regular file; give a file"));
    }
}
