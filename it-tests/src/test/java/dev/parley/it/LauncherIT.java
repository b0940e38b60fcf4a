package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher, bin/parley, as packaged: its start-up cache, and that it never disturbs stdout. The
 * cache is code the JVM runs: what another user ({@code nobody}; these tests run as root, as CI
 * does) could plant in it is not used.
 */
@Timeout(60)
class LauncherIT {

    private static final Path LAUNCHER = Path.of(System.getProperty("parley.launcher", "../app/target/parley/bin/parley"));

    @TempDir
    Path dir;

    private OsProcess server;

    @BeforeEach
    void echoServer() throws IOException {
        server = OsProcess.parley("server", "--responder", "echo", "--port", "0");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Runs the launcher with {@code args}, {@code input} on stdin; returns exit code, stdout, stderr. */
    private String[] launch(Map<String, String> env, String input, String... args) throws Exception {
        return launch(LAUNCHER.toAbsolutePath(), env, input, args);
    }

    private String[] launch(Path launcher, Map<String, String> env, String input, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("JAVA_HOME");
        builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin");
        builder.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        return new String[] {String.valueOf(process.exitValue()), out, err};
    }

    private String port() throws InterruptedException {
        return String.valueOf(server.port());
    }

    /** Every file in the cache directory: the caches, and the lists a recording run leaves for the cache to be made from. */
    private List<Path> caches() throws IOException {
        Path cacheDir = dir.resolve("cache").resolve("parley");
        if (!Files.isDirectory(cacheDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cacheDir)) {
            return files.toList();
        }
    }

    /**
     * The one cache, once the run that recorded its classes has ended and it has been made from
     * them in the background (up to 30 s); fails if there is none by then, or anything else.
     */
    private Path awaitCache() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            List<Path> files = caches();
            if (files.size() == 1 && files.get(0).getFileName().toString().matches("parley-[0-9a-f]{64}-.+\\.(jsa|aot)")) {
                return files.get(0);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("one cache expected, made in the background; the cache directory holds " + files);
            }
            TimeUnit.MILLISECONDS.sleep(50); // a file that appears has nothing to wait on
        }
    }

    @Test
    void ctrlCStopsTheFirstRunAsItStopsEveryOther() throws Exception {
        // A terminal sends Ctrl-C's SIGINT to its foreground process group: the launcher's shell and,
        // on the first run, the JVM it starts as a child (which a script's '&' starts with SIGINT ignored).
        for (String run : List.of("first, recording the cache", "second, from the cache")) {
            OsProcess launched = OsProcess.program(Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString(),
                    "PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin"),
                    "setsid", LAUNCHER.toAbsolutePath().toString(), "server", "--responder", "echo", "--port", "0");
            try {
                launched.port();
                Process kill = new ProcessBuilder("kill", "-INT", "--", "-" + launched.process.pid()).inheritIO().start();
                assertEquals(0, kill.waitFor(), "the whole group signalled");
                assertEquals(0, launched.exitCode(), run + ": " + launched.err.text());
            } finally {
                if (launched.process.isAlive()) { // failed: nothing left behind (once it has ended, its group is the cache's making)
                    new ProcessBuilder("kill", "-KILL", "--", "-" + launched.process.pid()).start().waitFor();
                }
            }
            awaitCache(); // there after either run: made from the first, kept by the second
        }
    }

    @Test
    void theFirstClientRunMakesTheCacheAndNoRunEverWritesMoreThanItsMessagesToStdout() throws Exception {
        String[] version = launch(Map.of(), "", "--version");
        assertEquals("0", version[0], version[2]);
        assertTrue(version[1].startsWith("parley 0."), version[1]);
        assertEquals(List.of(), caches(), "--version is not worth a cache");

        Path cache = null;
        for (int run = 1; run <= 2; run++) {
            String[] client = launch(Map.of(), "hello\nbye\n", "client", "--port", port());
            assertEquals(List.of("0", "hello\n", "parley: you said bye\n"), List.of(client), "run " + run);
            Path made = awaitCache();
            assertEquals(cache == null ? made : cache, made, "run " + run + ": the one made by the first");
            cache = made;
        }
        assertTrue(cache.getFileName().toString().matches("parley-[0-9a-f]{64}-.+\\.(jsa|aot)"), cache.toString());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.getParent())));
    }

    @Test
    void aClientFromTheCacheTakesEveryClassFromItAndNeverOpensTheJar() throws Exception {
        launch(Map.of(), "hello\nbye\n", "client", "--port", port()); // the cache holds what this run loaded
        awaitCache();
        Path loaded = dir.resolve("loaded.log");
        String[] client = launch(Map.of("JAVA_OPTS", "-Xlog:class+load:file=" + loaded), "hello\nbye\n", "client", "--port", port());
        assertEquals(List.of("0", "hello\n", "parley: you said bye\n"), List.of(client));
        List<String> classes = Files.readAllLines(loaded);
        assertTrue(classes.size() > 500, "a client's classes: " + classes.size());
        // Each from the cache, but for the few the JVM makes as it runs (method handles' forms, lambdas of its own)
        // and JFR's event classes, which JDK 25 loads for socket I/O and no cache holds.
        List<String> elsewhere = classes.stream().filter(line -> !line.endsWith("source: shared objects file")
                && !line.endsWith("source: shared objects file (top)") && !line.contains("source: __JVM_LookupDefineClass__")
                && !line.matches(".* source: java\\.lang\\.invoke\\.\\S+$") && !line.contains(" jdk.internal.event.")).toList();
        assertEquals(List.of(), elsewhere, "loaded from the jar or the JDK's modules");
        // A piped client needs neither the server's Netty nor the person's JLine.
        assertEquals(List.of(), classes.stream().filter(line -> line.contains(" io.netty.") || line.contains(" org.jline.")).toList());
        // Up to JDK 24 nothing opens the jar (the JDK's look for a selector provider on the class path, or -jar's
        // look at the manifest); JDK 25 opens it before main for checks of its own, which no option spares.
        if (Runtime.version().feature() < 25) {
            assertEquals(List.of(), classes.stream().filter(line -> line.contains(" java.util.zip.ZipFile$Source ")
                    || line.contains(" java.util.ServiceLoader ")).toList());
        }
    }

    @Test
    void whatAKilledBackgroundJobLeftIsRemovedOnceItIsOldAndNothingElse() throws Exception {
        Path cacheDir = Files.createDirectories(dir.resolve("cache").resolve("parley"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path old = Files.write(cacheDir.resolve("parley-0-17.jsa.partial.AbCdEf.list"), new byte[10]);
        Files.setLastModifiedTime(old, FileTime.fromMillis(System.currentTimeMillis() - TimeUnit.HOURS.toMillis(1)));
        Path working = Files.write(cacheDir.resolve("parley-0-17.jsa.partial.GhIjKl.list"), new byte[10]); // another run's, at work
        launch(Map.of(), "bye\n", "client", "--port", port());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (caches().stream().noneMatch(file -> file.getFileName().toString().matches("parley-[0-9a-f]{64}-.+\\.(jsa|aot)"))) {
            assertTrue(System.nanoTime() < deadline, "no cache made: " + caches());
            TimeUnit.MILLISECONDS.sleep(50); // a file that appears has nothing to wait on
        }
        assertTrue(Files.exists(working), "a partial file of ten minutes or less is left to its run");
        assertTrue(Files.notExists(old), "an hour-old partial file is gone: " + caches());
    }

    @Test
    void aCacheThatIsGarbageIsNotUsedAndSaysNothing() throws Exception {
        launch(Map.of(), "bye\n", "client", "--port", port());
        Path cache = awaitCache();
        cache.toFile().setWritable(true);
        Files.write(cache, new byte[100_000]);
        String[] client = launch(Map.of(), "hello\nbye\n", "client", "--port", port());
        assertEquals(List.of("0", "hello\n", "parley: you said bye\n"), List.of(client));
    }

    /** A copy of the packaged launcher and jar, bin/ and lib/, whose jar a test may change. */
    private Path dist() throws IOException {
        Path home = dir.resolve("dist");
        Files.createDirectories(home.resolve("bin"));
        Files.createDirectories(home.resolve("lib"));
        Files.copy(LAUNCHER, home.resolve("bin/parley"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(LAUNCHER.getParent().resolveSibling("lib/parley.jar"), home.resolve("lib/parley.jar"), StandardCopyOption.COPY_ATTRIBUTES);
        return home;
    }

    /**
     * Writes, in place of {@code jar}, a jar that says PLANTD where Parley says "parley " (in its
     * version line), of the same size and modification time: all the JVM checks an archive against.
     */
    private static void plantInPlaceOf(Path jar, byte[] genuine, FileTime time) throws IOException {
        byte[] planted = plantedJar(genuine, "");
        int pad = genuine.length - planted.length; // made up with the zip comment
        assertTrue(pad >= 0 && pad <= 0xFFFF, "a planted jar of the same size: " + pad + " bytes to pad");
        planted = plantedJar(genuine, "x".repeat(pad));
        assertEquals(genuine.length, planted.length);
        Files.write(jar, planted);
        Files.setLastModifiedTime(jar, time);
    }

    private static byte[] plantedJar(byte[] genuine, String comment) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(genuine)); ZipOutputStream out = new ZipOutputStream(bytes)) {
            out.setLevel(Deflater.BEST_COMPRESSION);
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                byte[] content = in.readAllBytes();
                if (entry.getName().equals("dev/parley/app/cli/Commands.class")) {
                    content = new String(content, StandardCharsets.ISO_8859_1).replace("parley ", "PLANTD ").getBytes(StandardCharsets.ISO_8859_1);
                }
                out.putNextEntry(new ZipEntry(entry.getName()));
                out.write(content);
                out.closeEntry();
            }
            out.setComment(comment);
        }
        return bytes.toByteArray();
    }

    /** Records, as an attacker would, the start-up cache {@code archive} from whatever jar is now at {@code jar}. */
    private static void record(Path jar, Path archive) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<List<String>> steps = archive.toString().endsWith(".aot")
                ? List.of(List.of(java, "-XX:AOTMode=record", "-XX:AOTConfiguration=" + archive + ".config", "-jar", jar.toString(), "--version"),
                        List.of(java, "-XX:AOTMode=create", "-XX:AOTConfiguration=" + archive + ".config", "-XX:AOTCache=" + archive, "-jar",
                                jar.toString()))
                : List.of(List.of(java, "-XX:ArchiveClassesAtExit=" + archive, "-jar", jar.toString(), "--version"));
        for (List<String> step : steps) {
            Process process = new ProcessBuilder(step).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, process.waitFor(), output);
        }
        Files.deleteIfExists(Path.of(archive + ".config"));
    }

    @Test
    void aCacheDirectoryAnotherUserCouldWriteToIsNotUsedAndTheRunGoesOn() throws Exception {
        Path cacheDir = Files.createDirectories(dir.resolve("cache").resolve("parley"));
        String notUsed = "parley: start-up cache not used: " + cacheDir + " must be yours and writable by no one else (chmod 700 "
                + cacheDir + " if it is yours, else remove it)\n";
        for (String mode : List.of("rwxrwxrwx", "rwxrwx---", "rwx----w-")) {
            Files.setPosixFilePermissions(cacheDir, PosixFilePermissions.fromString(mode));
            String[] client = launch(Map.of(), "hello\nbye\n", "client", "--port", port());
            assertEquals(List.of("0", "hello\n", notUsed + "parley: you said bye\n"), List.of(client), mode);
            assertEquals(List.of(), caches(), mode + ": nothing recorded where another user could plant it");
        }
        Files.setPosixFilePermissions(cacheDir, PosixFilePermissions.fromString("rwx------"));
        Files.setOwner(cacheDir, nobody());
        String[] client = launch(Map.of(), "hello\nbye\n", "client", "--port", port());
        assertEquals(List.of("0", "hello\n", notUsed + "parley: you said bye\n"), List.of(client), "a directory of nobody's");
        assertEquals(List.of(), caches());
    }

    @Test
    void anArchivePlantedByAnotherUserIsNotRun() throws Exception {
        Path home = dist();
        Path jar = home.resolve("lib/parley.jar");
        launch(home.resolve("bin/parley"), Map.of(), "bye\n", "client", "--port", port()); // the victim's own cache, for its name
        Path archive = awaitCache();
        byte[] genuine = Files.readAllBytes(jar);
        FileTime time = Files.getLastModifiedTime(jar);

        // The attacker records an archive from a jar of theirs, at the same path, size and time, and puts it in its place.
        plantInPlaceOf(jar, genuine, time);
        Files.delete(archive);
        record(jar, archive);
        Files.write(jar, genuine);
        Files.setLastModifiedTime(jar, time);
        Files.setOwner(archive, nobody());

        String[] version = launch(home.resolve("bin/parley"), Map.of(), "", "--version");
        assertEquals("0", version[0], version[2]);
        assertTrue(version[1].startsWith("parley 0."), "the jar's own code, not the planted archive's: " + version[1]);
        assertEquals("parley: start-up cache not used: " + archive + " must be yours and writable by no one else (remove it to have it"
                + " made again)\n", version[2]);

        Files.setOwner(archive, Files.getOwner(home));
        Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rw-rw-rw-"));
        version = launch(home.resolve("bin/parley"), Map.of(), "", "--version");
        assertTrue(version[1].startsWith("parley 0.") && version[2].contains("must be yours and writable by no one else"),
                "an archive anyone can write to: " + List.of(version));
    }

    @Test
    void theCacheIsBoundToTheJarsContentNotItsSizeAndTime() throws Exception {
        Path home = dist();
        Path jar = home.resolve("lib/parley.jar");
        launch(home.resolve("bin/parley"), Map.of(), "bye\n", "client", "--port", port());
        Path archive = awaitCache();
        byte[] genuine = Files.readAllBytes(jar);
        FileTime time = Files.getLastModifiedTime(jar);

        // Another jar, of the same size and time, where the archive's jar was: the archive is not the jar's any more.
        plantInPlaceOf(jar, genuine, time);
        String[] version = launch(home.resolve("bin/parley"), Map.of(), "", "--version");
        assertEquals("0", version[0], version[2]);
        assertTrue(version[1].startsWith("PLANTD 0."), "what runs is the jar that is there: " + version[1]);
        assertEquals(List.of(), caches(), "the archive of the jar that was there is gone");

        // Nor is a cache made from a jar this launcher was not built for.
        String[] client = launch(home.resolve("bin/parley"), Map.of(), "hello\nbye\n", "client", "--port", port());
        assertEquals(List.of("0", "hello\n", "parley: start-up cache not used: " + jar + " is not the jar this launcher was built for"
                + " (its SHA-256 differs); reinstall Parley\nparley: you said bye\n"), List.of(client));
        assertEquals(List.of(), caches());

        // The jar it was built for, back in place: the cache is made again, and used.
        Files.write(jar, genuine);
        Files.setLastModifiedTime(jar, time);
        launch(home.resolve("bin/parley"), Map.of(), "bye\n", "client", "--port", port());
        assertEquals(archive, awaitCache());
        assertTrue(launch(home.resolve("bin/parley"), Map.of(), "", "--version")[1].startsWith("parley 0."));
    }

    private static UserPrincipal nobody() throws IOException {
        return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    }

    @Test
    void withoutAWritableCacheOrWithTheCacheOffItRunsAllTheSame() throws Exception {
        Path blocker = Files.createFile(dir.resolve("a-file")); // no directory can be made under a file, even by root
        String[] client = launch(Map.of("XDG_CACHE_HOME", blocker.resolve("sub").toString()), "hello\nbye\n", "client", "--port", port());
        assertEquals(List.of("0", "hello\n", "parley: you said bye\n"), List.of(client));
        String[] off = launch(Map.of("PARLEY_CACHE", "off"), "hello\nbye\n", "client", "--port", port());
        assertEquals(List.of("0", "hello\n", "parley: you said bye\n"), List.of(off));
        assertEquals(List.of(), caches());
    }

    @Test
    void aSymlinkToTheLauncherFindsItsJarAndABadJavaHomeIsOneLine() throws Exception {
        Path link = dir.resolve("bin").resolve("parley");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, LAUNCHER.toAbsolutePath());
        String[] version = launch(link, Map.of(), "", "--version");
        assertEquals("0", version[0], version[2]);
        assertTrue(version[1].startsWith("parley 0."));

        String[] noJava = launch(Map.of("JAVA_HOME", dir.resolve("nothing").toString()), "", "--version");
        assertEquals(List.of("1", "", "parley: no java at " + dir.resolve("nothing") + "/bin/java: set JAVA_HOME to a JDK 17 or newer\n"),
                List.of(noJava));
    }

    @Test
    void theTarballHoldsTheLauncherAndTheJar() throws Exception {
        Path tarball;
        try (Stream<Path> files = Files.list(LAUNCHER.getParent().getParent().getParent())) {
            tarball = files.filter(file -> file.getFileName().toString().matches("parley-.+\\.tar\\.gz")).findFirst().orElseThrow();
        }
        Process tar = new ProcessBuilder("tar", "tzvf", tarball.toString()).start();
        String listing = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, tar.waitFor());
        assertTrue(listing.matches("(?s)-rwxr-xr-x .*/bin/parley\n-rw-r--r-- .*/lib/parley\\.jar\n"), listing);
    }
}
