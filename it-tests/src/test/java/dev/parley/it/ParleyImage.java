package dev.parley.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;

/**
 * The Parley image for one test run, built with the project's own recipe
 * ({@code docker/build-image.sh}: FROM scratch, a jlink'ed runtime from the JDK running the tests,
 * the host libraries it needs, parley.jar), and removed afterwards: without Ryuk nothing else would.
 */
final class ParleyImage implements AutoCloseable {

    final String tag;

    private ParleyImage(String tag) {
        this.tag = tag;
    }

    static ParleyImage build() throws IOException, InterruptedException {
        return new ParleyImage(buildWith(System.getProperty("parley.image.script", "../docker/build-image.sh"), "parley-it",
                Map.of("JAVA_HOME", System.getProperty("java.home"), "PARLEY_JAR", OsProcess.jar().toAbsolutePath().toString())));
    }

    /** Runs one of the recipes in docker/ ({@code script}, with {@code env}) for an image tagged {@code repository:<random>}; returns the tag. */
    static String buildWith(String script, String repository, Map<String, String> env) throws IOException, InterruptedException {
        String tag = repository + ":" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
        ProcessBuilder builder = new ProcessBuilder("bash", Path.of(script).toString(), tag).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException("building the image " + tag + " with " + script + " failed:\n" + output);
        }
        return tag;
    }

    /** Removes the image {@code tag}. */
    static void remove(String tag) {
        DockerClientFactory.instance().client().removeImageCmd(tag).withForce(true).exec();
    }

    /**
     * An image FROM this one that runs {@link MitmRelay} (its classes from the test build) instead of
     * Parley: the attacker, with the same runtime and no registry either.
     */
    ParleyImage mitm() throws IOException, InterruptedException {
        Path context = java.nio.file.Files.createTempDirectory("parley-mitm");
        try {
            Path classes = Path.of(MitmRelay.class.getProtectionDomain().getCodeSource().getLocation().getPath());
            Path into = context.resolve("classes/dev/parley/it");
            java.nio.file.Files.createDirectories(into);
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(classes.resolve("dev/parley/it"))) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    if (file.getFileName().toString().startsWith("MitmRelay")) {
                        java.nio.file.Files.copy(file, into.resolve(file.getFileName()));
                    }
                }
            }
            java.nio.file.Files.writeString(context.resolve("Dockerfile"), "FROM " + tag + "\n"
                    + "COPY classes/ /opt/mitm/\n"
                    + "ENTRYPOINT [\"/opt/java/bin/java\", \"-cp\", \"/opt/parley/parley.jar:/opt/mitm\", \"dev.parley.it.MitmRelay\"]\n");
            String mitmTag = tag + "-mitm";
            Process process = new ProcessBuilder("docker", "build", "--quiet", "--tag", mitmTag, context.toString())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IOException("building the MITM image failed:\n" + output);
            }
            return new ParleyImage(mitmTag);
        } finally {
            try (java.util.stream.Stream<Path> all = java.nio.file.Files.walk(context)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Override
    public void close() {
        remove(tag);
    }
}
