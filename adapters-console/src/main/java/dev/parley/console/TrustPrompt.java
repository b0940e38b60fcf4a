package dev.parley.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * A yes-or-no question to the person at the terminal, before any console is open (the client asks
 * whether to trust a server it does not know, before it converses): the lines and the question
 * are shown where the person sees them (standard output when it is the terminal, else standard
 * error), and one line is read from standard input in the terminal's own line mode, byte by byte,
 * so nothing typed after it is taken from the console that comes next. Only {@code y} or
 * {@code yes} (any case) is yes; an empty line, anything else, or the end of input is no.
 */
public final class TrustPrompt {

    /** The longest answer read; the rest of a longer line is read and dropped, and the answer is no. */
    static final int MAX_ANSWER = 256;

    private TrustPrompt() {}

    /** Shows {@code lines} and {@code question}, reads the answer; true for yes. */
    public static boolean ask(Terminals.Mode mode, InputStream in, PrintStream out, PrintStream err, List<String> lines, String question) {
        PrintStream screen = mode == Terminals.Mode.LINE_EDITOR ? out : err;
        for (String line : lines) {
            screen.println(line);
        }
        screen.print(question);
        screen.flush();
        byte[] answer = new byte[MAX_ANSWER];
        int n = 0;
        boolean tooLong = false;
        try {
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                if (n < answer.length) {
                    answer[n++] = (byte) b;
                } else {
                    tooLong = true;
                }
            }
            if (b < 0) {
                screen.println();
            }
        } catch (IOException e) {
            return false;
        }
        String text = new String(answer, 0, n, StandardCharsets.UTF_8).strip().toLowerCase(Locale.ROOT);
        return !tooLong && (text.equals("y") || text.equals("yes"));
    }
}
