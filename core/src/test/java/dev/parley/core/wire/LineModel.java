package dev.parley.core.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a line decoder should hand out for a whole input, worked out the simple way (split the
 * whole input at every {@code \n}), independently of LineDecoder's incremental buffering.
 */
public final class LineModel {

    private LineModel() {}

    /**
     * The frames, as {@link Decoding} lists them: each line's text, or {@link Decoding#TOO_LONG}
     * for a line whose bytes (one {@code \r} before its {@code \n} excluded) exceed {@code limit}.
     * Every {@code \r} that ends a line is dropped from its text.
     *
     * <p>An unterminated last line is {@link Decoding#cutOff} (or too long), never a line: the end
     * of input cut it off. It loses its trailing {@code \r}s too, as docs/PROTOCOL.md says.
     */
    public static List<String> lines(byte[] input, int limit) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= input.length; i++) {
            boolean terminated = i < input.length && input[i] == '\n';
            boolean last = i == input.length;
            if (!terminated && !last) {
                continue;
            }
            if (last && start == input.length) {
                break; // nothing after the last \n
            }
            int counted = i > start && input[i - 1] == '\r' ? i - 1 : i;
            int end = i;
            while (end > start && input[end - 1] == '\r') {
                end--;
            }
            String text = new String(Arrays.copyOfRange(input, start, end), StandardCharsets.UTF_8);
            out.add(counted - start > limit ? Decoding.TOO_LONG : terminated ? text : Decoding.cutOff(text));
            start = i + 1;
        }
        return out;
    }

    /** The same frames seen through LineFraming: a leading {@code !} is a failure or an escape; a cut-off line stays cut off. */
    static List<String> framed(byte[] input, int limit) {
        List<String> out = new ArrayList<>();
        for (String line : lines(input, limit)) {
            if (line.equals(Decoding.TOO_LONG) || !line.startsWith("!")) {
                out.add(line);
            } else if (line.startsWith("!!")) {
                out.add(line.substring(1));
            } else if (line.startsWith("!notice: ")) {
                out.add("<notice:" + line.substring("!notice: ".length()) + ">");
            } else {
                out.add("<failure:" + line.substring(1) + ">");
            }
        }
        return out;
    }
}
