package dev.parley.it;

import java.io.IOException;
import java.util.Map;

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
        return new HaproxyImage(ParleyImage.buildWith(
                System.getProperty("parley.haproxy.script", "../docker/build-haproxy-image.sh"), "parley-haproxy-it", Map.of()));
    }

    @Override
    public void close() {
        ParleyImage.remove(tag);
    }
}
