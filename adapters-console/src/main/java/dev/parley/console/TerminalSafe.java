package dev.parley.console;

/**
 * Renders text from the network so it cannot act on a terminal: control characters become
 * visible, printable text (non-ASCII included) is kept. C0 controls and DEL use caret notation as
 * {@code cat -v} does ({@code ESC} is {@code ^[}, DEL is {@code ^?}), tab is kept; C1 controls and
 * Unicode bidi and direction marks are written as a Java-style escape, {@code \}{@code u202E}.
 */
public final class TerminalSafe {

    private TerminalSafe() {}

    public static String render(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String visible = visible(c);
            if (visible != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (visible != null) {
                    out.append(visible);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    /**
     * As {@link #render(String)}, cut to at most {@code maxChars} characters of the original (with
     * an ellipsis and the count of the rest), for log lines that quote what a peer sent.
     */
    public static String render(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return render(text);
        }
        int cut = Character.isHighSurrogate(text.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
        return render(text.substring(0, cut)) + "... (" + (text.length() - cut) + " more characters)";
    }

    /** The visible form of {@code c}, or null when it is safe as it is. */
    private static String visible(char c) {
        if (c == '\t') {
            return null;
        }
        if (c < 0x20) {
            return "^" + (char) (c + 0x40);
        }
        if (c == 0x7F) {
            return "^?";
        }
        if ((c >= 0x80 && c <= 0x9F) || isDirectionControl(c)) {
            return String.format("\\u%04X", (int) c);
        }
        return null;
    }

    /** Bidi embeddings, overrides and isolates, and the invisible direction marks. */
    private static boolean isDirectionControl(char c) {
        return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)
                || c == 0x200E || c == 0x200F || c == 0x061C;
    }
}
