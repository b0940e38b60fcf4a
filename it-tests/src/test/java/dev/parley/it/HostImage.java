package dev.parley.it;

import java.io.IOException;
import java.util.Map;

/**
 * An image of one of this machine's programs for one test run, built with the project's own recipe
 * (FROM scratch, the host binary and the libraries it needs): HAProxy's
 * ({@code docker/build-haproxy-image.sh}, with {@code docker/haproxy.cfg}) or NATS's
 * ({@code docker/build-nats-image.sh}); removed afterwards.
 */
final class HostImage implements AutoCloseable {

    final String tag;

    private HostImage(String tag) {
        this.tag = tag;
    }

    static HostImage haproxy() throws IOException, InterruptedException {
        return new HostImage(ParleyImage.buildWith(
                System.getProperty("parley.haproxy.script", "../docker/build-haproxy-image.sh"), "parley-haproxy-it", Map.of()));
    }

    static HostImage nats() throws IOException, InterruptedException {
        return new HostImage(ParleyImage.buildWith(
                System.getProperty("parley.nats.script", "../docker/build-nats-image.sh"), "parley-nats-it", Map.of()));
    }

    @Override
    public void close() {
        ParleyImage.remove(tag);
    }
}
