package dev.parley.socket.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The https web port's first byte: a TLS handshake goes on untouched, plain http is told to use https. */
class HttpsOnlyGateTest {

    private final List<String> refusals = new ArrayList<>();
    private final HttpsOnlyGate.Refusals recorded = (remote, reason) -> refusals.add("refused " + reason);

    @Test
    void aPlainHttpRequestIsAnsweredThatThePortSpeaksHttpsAndClosed() {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpsOnlyGate(recorded));
        channel.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: chat.example:8443\r\n\r\n", StandardCharsets.US_ASCII));

        ByteBuf answer = channel.readOutbound();
        String http = answer.toString(StandardCharsets.UTF_8);
        answer.release();
        byte[] body = HttpsOnlyGate.TOLD.getBytes(StandardCharsets.UTF_8);
        assertEquals("HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: " + body.length
                + "\r\nconnection: close\r\n\r\n" + HttpsOnlyGate.TOLD, http);
        assertFalse(channel.isOpen(), "closed once the answer is written");
        assertNull(channel.readInbound(), "nothing of the request reaches the handlers behind");
        assertEquals(List.of("refused web: a plain http request to the https port (told to use https)"), refusals);
    }

    @Test
    void aTlsHandshakeGoesOnUntouchedAndTheGateLeaves() {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpsOnlyGate(recorded));
        byte[] hello = {0x16, 0x03, 0x01, 0x00, 0x02, 0x01, 0x00};
        channel.writeInbound(Unpooled.wrappedBuffer(hello));

        ByteBuf passed = channel.readInbound();
        byte[] seen = new byte[passed.readableBytes()];
        passed.readBytes(seen);
        passed.release();
        assertEquals(List.of(0x16, 0x03, 0x01, 0x00, 0x02, 0x01, 0x00), toList(seen));
        assertNull(channel.pipeline().get(HttpsOnlyGate.class), "the gate has left the pipeline");
        assertTrue(channel.isOpen());
        assertNull(channel.readOutbound(), "nothing said");
        assertEquals(List.of(), refusals);
    }

    private static List<Integer> toList(byte[] bytes) {
        Integer[] boxed = new Integer[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            boxed[i] = (int) bytes[i];
        }
        return List.of(boxed);
    }
}
