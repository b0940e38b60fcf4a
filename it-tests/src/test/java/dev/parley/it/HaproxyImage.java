package dev.parley.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;

/**
 * The HAProxy image for one test run, built with the project's own recipe
 * ({@code docker/build-haproxy-image.sh}: FROM scratch, this machine's haproxy and the libraries it
 * needs, {@code docker/haproxy.cfg}), and removed afterwards.
 */
final class HaproxyImage implements AutoCloseable {

    final String tag;

    private HaproxyImage(String tag) {
        this.tag = tag;
    }

    static HaproxyImage build() throws IOException, InterruptedException {
        String tag = "parley-haproxy-it:" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
        Path script = Path.of(System.getProperty("parley.haproxy.script", "../docker/build-haproxy-image.sh"));
        Process process = new ProcessBuilder("bash", script.toString(), tag).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException("building the HAProxy image failed:\n" + output);
        }
        return new HaproxyImage(tag);
    }

    @Override
    public void close() {
        DockerClientFactory.instance().client().removeImageCmd(tag).withForce(true).exec();
    }
}
