package dev.parley.web;

import java.time.Duration;
import java.util.Objects;

/**
 * How the web port behaves: the longest message taken (the server's {@code --max-line-bytes}: a
 * frame is refused past it), which pages may join ({@link Origins}), how long a connection has to
 * send its request, and how many connections may wait for an answer at once, in all and from one
 * address (the app gives the larger of the server's {@code --max-conversations} and
 * {@code --max-per-address} and room for a browser's several connections).
 */
public record WebSettings(int maxLineBytes, Origins origins, Duration requestTimeout, int maxWaiting, int maxWaitingPerAddress) {

    public WebSettings {
        Objects.requireNonNull(origins, "origins");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (maxLineBytes < 1 || maxLineBytes > Integer.MAX_VALUE - 16 || maxWaiting < 1 || maxWaitingPerAddress < 1) {
            throw new IllegalArgumentException("maxLineBytes, maxWaiting and maxWaitingPerAddress must be at least 1");
        }
    }
}
