package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The launcher, bin/parley, as packaged: its start-up cache, and that it never disturbs stdout. */
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

    private List<Path> caches() throws IOException {
        Path cacheDir = dir.resolve("cache").resolve("parley");
        if (!Files.isDirectory(cacheDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cacheDir)) {
            return files.toList();
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
                new ProcessBuilder("kill", "-KILL", "--", "-" + launched.process.pid()).start().waitFor(); // nothing left behind
            }
            assertEquals(1, caches().size(), run + ": the cache is there after it");
        }
    }

    @Test
    void theFirstClientRunMakesTheCacheAndNoRunEverWritesMoreThanItsMessagesToStdout() throws Exception {
        String[] version = launch(Map.of(), "", "--version");
        assertEquals("0", version[0], version[2]);
        assertTrue(version[1].startsWith("parley 0."), version[1]);
        assertEquals(List.of(), caches(), "--version is not worth a cache");

        for (int run = 1; run <= 2; run++) {
            String[] client = launch(Map.of(), "hello\nbye\n", "client", "--port", port());
            assertEquals(List.of("0", "hello\n", "parley: you said bye\n"), List.of(client), "run " + run);
            assertEquals(1, caches().size(), "run " + run + ": " + caches());
        }
        Path cache = caches().get(0);
        assertTrue(cache.getFileName().toString().matches("parley-[0-9a-f]{64}-.+\\.(jsa|aot)"), cache.toString());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.getParent())));
    }

    @Test
    void aCacheThatIsGarbageIsNotUsedAndSaysNothing() throws Exception {
        launch(Map.of(), "bye\n", "client", "--port", port());
        Path cache = caches().get(0);
        cache.toFile().setWritable(true);
        Files.write(cache, new byte[100_000]);
        String[] client = launch(Map.of(), "hello\nbye\n", "client", "--port", port());
        assertEquals(List.of("0", "hello\n", "parley: you said bye\n"), List.of(client));
    }

    @Test
    void aJarNewerThanItsCacheHasItMadeAgain() throws Exception {
        launch(Map.of(), "bye\n", "client", "--port", port());
        Path cache = caches().get(0);
        Files.setLastModifiedTime(cache, FileTime.from(Instant.parse("2000-01-01T00:00:00Z")));
        launch(Map.of(), "bye\n", "client", "--port", port());
        assertTrue(Files.getLastModifiedTime(caches().get(0)).toInstant().isAfter(Instant.parse("2001-01-01T00:00:00Z")),
                "made again");
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
