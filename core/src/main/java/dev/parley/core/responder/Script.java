package dev.parley.core.responder;

import dev.parley.core.wire.LineDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Lines prepared in advance (a responder's file), held once and shared read-only by every
 * conversation that says them: the UTF-8 bytes as read, and where each line starts and ends.
 * Lines end as on the wire: at {@code \n}, with the carriage returns before it dropped; a last
 * line without {@code \n} counts. A line is decoded only when it is said.
 */
public final class Script {

    private final byte[] bytes;
    /** Line i is bytes[starts[i], ends[i]). */
    private final int[] starts;
    private final int[] ends;

    private Script(byte[] bytes, int[] starts, int[] ends) {
        this.bytes = bytes;
        this.starts = starts;
        this.ends = ends;
    }

    /**
     * The lines of {@code utf8} (the array is kept, not copied: do not change it afterwards).
     *
     * @param utf8 the script's bytes, as read from its file
     * @return the script
     */
    public static Script of(byte[] utf8) {
        Objects.requireNonNull(utf8, "utf8");
        int count = 0;
        for (byte b : utf8) {
            count += b == '\n' ? 1 : 0;
        }
        boolean unterminatedLast = utf8.length > 0 && utf8[utf8.length - 1] != '\n';
        int lines = count + (unterminatedLast ? 1 : 0);
        int[] starts = new int[lines];
        int[] ends = new int[lines];
        int start = 0;
        int line = 0;
        for (int i = 0; i < utf8.length; i++) {
            if (utf8[i] == '\n') {
                starts[line] = start;
                ends[line++] = LineDecoder.contentEnd(utf8, start, i);
                start = i + 1;
            }
        }
        if (unterminatedLast) {
            starts[line] = start;
            ends[line] = LineDecoder.contentEnd(utf8, start, utf8.length);
        }
        return new Script(utf8, starts, ends);
    }

    /**
     * The script of these lines, for tests and programs that build one in memory.
     *
     * @param lines the lines, without line endings
     * @return the script
     */
    public static Script ofLines(String... lines) {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append('\n');
        }
        return of(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * How many lines there are.
     *
     * @return the number of lines
     */
    public int size() {
        return starts.length;
    }

    /**
     * Line {@code index}, decoded (invalid UTF-8 becomes U+FFFD).
     *
     * @param index which line, counting from 0
     * @return the line, without its line ending
     * @throws IndexOutOfBoundsException if there is no such line
     */
    public String line(int index) {
        return new String(bytes, starts[index], ends[index] - starts[index], StandardCharsets.UTF_8);
    }
}
