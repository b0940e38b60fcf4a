package dev.parley.core.wire;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Parley's own framing: one UTF-8 message per {@code \n}-terminated line ({@code \r\n} accepted).
 *
 * <p>A line that starts with a single {@code !} is a failure report from the peer, sent just before
 * it closes (for example {@code !busy: ...}); a message that itself starts with {@code !} travels
 * with one more {@code !} in front, which the receiver removes. Bye is the line {@code bye}.
 */
public final class LineFraming implements Framing {

    /** The default maximum line length: 64 KiB. */
    public static final int DEFAULT_MAX_LINE_BYTES = 64 * 1024;

    private static final byte[] BYE = "bye\n".getBytes(StandardCharsets.US_ASCII);

    private final int maxLineBytes;

    public LineFraming(int maxLineBytes) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be at least 1, was " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
    }

    public LineFraming() {
        this(DEFAULT_MAX_LINE_BYTES);
    }

    public int maxLineBytes() {
        return maxLineBytes;
    }

    @Override
    public FrameDecoder newDecoder() {
        return new Decoder(new LineDecoder(maxLineBytes));
    }

    @Override
    public byte[] encode(String message) {
        if (message.indexOf('\n') >= 0 || message.endsWith("\r")) {
            throw new UnsendableMessageException(
                    "a message in line framing cannot contain a line feed or end with a carriage return");
        }
        Framing.requireWellFormed(message);
        String escaped = message.startsWith("!") ? "!" + message : message;
        return line(escaped);
    }

    @Override
    public Optional<byte[]> farewell() {
        return Optional.of(BYE.clone());
    }

    @Override
    public Optional<byte[]> failure(String reason) {
        String oneLine = reason.replace('\n', ' ').replace('\r', ' ');
        // A reason starting with ! would read as an escaped message ("!!..."): keep it a failure.
        return Optional.of(line("!" + (oneLine.startsWith("!") ? " " + oneLine : oneLine)));
    }

    @Override
    public int readSize() {
        return 8192;
    }

    @Override
    public String name() {
        return "line";
    }

    private static byte[] line(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] framed = new byte[body.length + 1];
        System.arraycopy(body, 0, framed, 0, body.length);
        framed[body.length] = '\n';
        return framed;
    }

    /** Lines from a {@link LineDecoder}, with the {@code !} prefix read as failure or escape. */
    private static final class Decoder implements FrameDecoder {
        private final LineDecoder lines;

        Decoder(LineDecoder lines) {
            this.lines = lines;
        }

        @Override
        public void feed(byte[] bytes, int offset, int length) {
            lines.feed(bytes, offset, length);
        }

        @Override
        public void endOfInput() {
            lines.endOfInput();
        }

        @Override
        public Frame next() {
            Frame frame = lines.next();
            if (frame instanceof Frame.Message && ((Frame.Message) frame).text().startsWith("!")) {
                String text = ((Frame.Message) frame).text();
                return text.startsWith("!!")
                        ? new Frame.Message(text.substring(1))
                        : new Frame.Failure(text.substring(1));
            }
            return frame;
        }

        @Override
        public boolean hasPartialFrame() {
            return lines.hasPartialFrame();
        }
    }
}
