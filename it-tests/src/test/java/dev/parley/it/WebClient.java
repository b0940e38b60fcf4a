package dev.parley.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WebSocket client that no one here wrote, the JDK's ({@code java.net.http}), as a program (not
 * a browser) would use it: each text message received is one line of the line protocol; the
 * Close frame's status is kept. A slow reader asks for nothing after the first message.
 */
final class WebClient implements AutoCloseable {

    final BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    final AtomicInteger pongs = new AtomicInteger();
    final WebSocket socket;

    private WebClient(HttpClient http, URI uri, String origin, boolean reads) {
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (origin != null) {
            builder.header("Origin", origin);
        }
        socket = builder.buildAsync(uri, new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    heard.add(text.toString());
                    text.setLength(0);
                }
                if (reads) {
                    webSocket.request(1);
                }
                return null;
            }

            @Override
            public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
                pongs.incrementAndGet();
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.completeExceptionally(error);
            }
        }).join();
    }

    /** A client with no Origin header: a program, not a page. */
    static WebClient connect(int port) {
        return new WebClient(HttpClient.newHttpClient(), plain(port), null, true);
    }

    /** A client that says its page is of {@code origin}, as a browser does. */
    static WebClient fromPage(int port, String origin) {
        return new WebClient(HttpClient.newHttpClient(), plain(port), origin, true);
    }

    /** A client over TLS ({@code wss:}) with {@code https}'s trust, that says its page is of {@code origin}. */
    static WebClient overTls(HttpClient https, int port, String origin) {
        return new WebClient(https, URI.create("wss://127.0.0.1:" + port + "/ws"), origin, true);
    }

    /** A client that reads nothing after its first message. */
    static WebClient notReading(int port) {
        return new WebClient(HttpClient.newHttpClient(), plain(port), null, false);
    }

    private static URI plain(int port) {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    void say(String line) {
        socket.sendText(line, true).join();
    }

    String next() throws InterruptedException {
        String line = heard.poll(20, TimeUnit.SECONDS);
        if (line == null) {
            throw new AssertionError("nothing heard in 20 s; closed: " + closed);
        }
        return line;
    }

    String ask(String line) throws InterruptedException {
        say(line);
        return next();
    }

    /** The status of the server's Close frame, once it has come. */
    int closeStatus() throws Exception {
        return closed.get(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        socket.abort();
    }
}
