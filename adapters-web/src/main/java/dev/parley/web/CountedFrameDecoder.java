package dev.parley.web;

import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;

/**
 * Netty's WebSocket frame decoder, whose buffer (a frame received in part, up to
 * {@code --max-line-bytes} + 1 bytes of payload) is counted for the server's memory budget by
 * what it costs: its capacity.
 */
final class CountedFrameDecoder extends WebSocket13FrameDecoder {

    CountedFrameDecoder(WebSocketDecoderConfig config) {
        super(config);
    }

    long held() {
        return internalBuffer().capacity();
    }
}
