package dev.parley.core.wire;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Parley's own framing: one UTF-8 message per {@code \n}-terminated line ({@code \r\n} accepted).
 *
 * <p>A line that starts with a single {@code !} is a control line, not a message: {@code !notice:
 * TEXT} is a notice (it ends nothing, for example that the client waits for the operator), and any
 * other is a failure report sent just before its sender closes (for example {@code !busy: ...}). A
 * message that itself starts with {@code !} travels with one more {@code !} in front, which the
 * receiver removes. Bye is the line {@code bye}.
 */
public final class LineFraming implements Framing {

    /** The default maximum line length: 64 KiB. */
    public static final int DEFAULT_MAX_LINE_BYTES = 64 * 1024;

    /** What follows the {@code !} of a notice line. */
    static final String NOTICE = "notice: ";

    private static final byte[] BYE = "bye\n".getBytes(StandardCharsets.US_ASCII);

    private final int maxLineBytes;

    /**
     * Line framing that accepts lines of at most {@code maxLineBytes} bytes from the peer.
     *
     * @param maxLineBytes the longest line accepted, in bytes, terminator excluded; at least 1
     * @throws IllegalArgumentException if {@code maxLineBytes} is out of range
     */
    public LineFraming(int maxLineBytes) {
        if (maxLineBytes < 1 || maxLineBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxLineBytes must be between 1 and " + (Integer.MAX_VALUE - 16)
                    + ", was " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
    }

    /** Line framing with the default limit, {@link #DEFAULT_MAX_LINE_BYTES}. */
    public LineFraming() {
        this(DEFAULT_MAX_LINE_BYTES);
    }

    /**
     * The longest line accepted from the peer.
     *
     * @return the limit, in bytes, terminator excluded
     */
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
        return line(message.startsWith("!") ? "!" + message : message);
    }

    @Override
    public Optional<byte[]> farewell() {
        return Optional.of(BYE.clone());
    }

    @Override
    public Optional<byte[]> failure(String reason) {
        String oneLine = oneLine(reason);
        // A reason that would read as an escaped message ("!!...") or a notice stays a failure.
        boolean ambiguous = oneLine.startsWith("!") || oneLine.startsWith(NOTICE);
        return Optional.of(line("!" + (ambiguous ? " " + oneLine : oneLine)));
    }

    @Override
    public Optional<byte[]> notice(String text) {
        return Optional.of(line("!" + NOTICE + oneLine(text)));
    }

    @Override
    public int readSize() {
        return 8192;
    }

    @Override
    public String name() {
        return "line";
    }

    /** Line breaks blanked, and a lone surrogate (which UTF-8 cannot carry) replaced: control text is always sendable. */
    private static String oneLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                out.append(' ');
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    private static byte[] line(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] framed = new byte[body.length + 1];
        System.arraycopy(body, 0, framed, 0, body.length);
        framed[body.length] = '\n';
        return framed;
    }

    /** Lines from a {@link LineDecoder}, with a leading {@code !} read as an escape, a notice or a failure. */
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
            if (!(frame instanceof Frame.Message) || !((Frame.Message) frame).text().startsWith("!")) {
                return frame;
            }
            String text = ((Frame.Message) frame).text();
            if (text.startsWith("!!")) {
                return new Frame.Message(text.substring(1));
            }
            if (text.startsWith(NOTICE, 1)) {
                return new Frame.Notice(text.substring(1 + NOTICE.length()));
            }
            return new Frame.Failure(text.substring(1));
        }

        @Override
        public boolean hasPartialFrame() {
            return lines.hasPartialFrame();
        }

        @Override
        public int bufferedBytes() {
            return lines.bufferedBytes();
        }

        @Override
        public void clear() {
            lines.clear();
        }
    }
}
