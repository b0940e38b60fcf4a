package dev.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The scrape port's answers, one request per connection, on an embedded channel. */
class ScrapeEndpointTest {

    private final AtomicInteger made = new AtomicInteger();

    private EmbeddedChannel channel() {
        return new EmbeddedChannel(new HttpRequestDecoder(ScrapeEndpoint.MAX_HEAD_BYTES, ScrapeEndpoint.MAX_HEAD_BYTES,
                ScrapeEndpoint.MAX_HEAD_BYTES), new HttpResponseEncoder(), new ScrapeEndpoint.Scrape(() -> {
                    made.incrementAndGet();
                    return "up 1\n".getBytes(StandardCharsets.UTF_8);
                }, "text/plain; version=0.0.4"));
    }

    private String answer(String request) {
        EmbeddedChannel channel = channel();
        channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
        return written(channel);
    }

    private static String written(EmbeddedChannel channel) {
        StringBuilder all = new StringBuilder();
        for (ByteBuf out; (out = channel.readOutbound()) != null; out.release()) {
            all.append(out.toString(StandardCharsets.ISO_8859_1));
        }
        return all.toString();
    }

    @Test
    void getMetricsIsAnsweredWithTheBodyMadeNowAndTheConnectionEnds() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(Unpooled.copiedBuffer("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));
        String answer = written(channel);
        assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer);
        assertTrue(answer.contains("content-type: text/plain; version=0.0.4\r\n"), answer);
        assertTrue(answer.contains("connection: close\r\n"), answer);
        assertTrue(answer.endsWith("\r\n\r\nup 1\n"), answer);
        assertEquals(1, made.get());
    }

    @Test
    void onlyTheFirstRequestOfAConnectionIsAnswered() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(Unpooled.copiedBuffer("GET /metrics HTTP/1.1\r\n\r\n".repeat(3), StandardCharsets.US_ASCII));
        assertEquals(1, written(channel).split("HTTP/1.1 ", -1).length - 1);
        channel.writeInbound(Unpooled.copiedBuffer("GET /metrics HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII));
        assertNull(channel.readOutbound());
        assertEquals(1, made.get(), "the body is made once");
    }

    @Test
    void everythingElseIsRefusedWithoutMakingTheBody() {
        assertTrue(answer("GET / HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 404 Not Found\r\n"));
        assertTrue(answer("GET /metricsx HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 404"));
        String post = answer("POST /metrics HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
        assertTrue(post.startsWith("HTTP/1.1 405 Method Not Allowed\r\n") && post.contains("allow: GET\r\n"), post);
        assertTrue(answer("DELETE /metrics HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 405"));
        assertTrue(answer("\u0000\u0001garbage\r\n\r\n").startsWith("HTTP/1.1 400 Bad Request\r\n"));
        assertTrue(answer("GET /" + "a".repeat(ScrapeEndpoint.MAX_HEAD_BYTES + 1) + " HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 400"));
        assertTrue(answer("GET /metrics HTTP/1.1\r\nX: " + "b".repeat(ScrapeEndpoint.MAX_HEAD_BYTES + 1) + "\r\n\r\n")
                .startsWith("HTTP/1.1 400"));
        assertEquals(0, made.get(), "no metrics were read for them");
        assertTrue(answer("GET /metrics?name[]=x HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 200"), "a query is ignored");
    }
}
