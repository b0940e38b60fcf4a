package dev.parley.console;

/**
 * Renders text from the network so that it cannot act on a terminal or forge a log line.
 *
 * <p>On a terminal ({@link #render}): printable text is kept, accents, scripts and emoji included;
 * what would act on the terminal or hide itself is shown visibly instead. C0 controls and DEL in
 * caret notation, as {@code cat -v} writes them ({@code ESC} is {@code ^[}, DEL is {@code ^?});
 * tab is kept. C1 controls, bidi embeddings, overrides, isolates and marks, line and paragraph
 * separators, invisible format characters (zero-width space, word joiner, byte order mark, the
 * Mongolian vowel separator, soft hyphen...), the characters that draw as nothing (the Hangul
 * fillers, the Braille blank), Unicode tag characters outside an emoji flag's tag sequence,
 * private-use, unassigned and lone surrogate code points, all as an escape: {@code \}{@code u202E},
 * or {@code \}{@code u{E0041}} beyond the basic plane. The zero-width joiner and non-joiner are
 * kept (emoji sequences and several scripts need them). A run of more than
 * {@value #MAX_COMBINING} combining marks on one character keeps the first ones and escapes the
 * rest, so a flood of them cannot smear over the lines around it.
 *
 * <p>In a log line ({@link #forLog}) the rule is stricter: every character that is not visible
 * printable text is escaped, tab, joiners, every space but the ASCII one and every tag character
 * included, so a log reader sees exactly what was sent; and the text is cut to a length.
 */
public final class TerminalSafe {

    /** Combining marks kept on one character; more are escaped. */
    static final int MAX_COMBINING = 8;

    private static final int ZWNJ = 0x200C;
    private static final int ZWJ = 0x200D;
    private static final int BLACK_FLAG = 0x1F3F4;
    private static final int CANCEL_TAG = 0xE007F;

    private TerminalSafe() {}

    /** {@code text} as it may be shown on a terminal. Returns {@code text} itself when nothing needs changing. */
    public static String render(String text) {
        return render(text, false);
    }

    /**
     * As {@link #render(String)}, cut to at most {@code maxChars} characters of the original (with
     * an ellipsis and the count of the rest).
     */
    public static String render(String text, int maxChars) {
        return cut(text, maxChars, false);
    }

    /** {@code text} as it may be quoted in a log line: strictly visible, and cut to {@code maxChars}. */
    public static String forLog(String text, int maxChars) {
        return cut(text, maxChars, true);
    }

    private static String cut(String text, int maxChars, boolean log) {
        if (text.length() <= maxChars) {
            return render(text, log);
        }
        int end = Character.isHighSurrogate(text.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
        return render(text.substring(0, end), log) + "... (" + (text.length() - end) + " more characters)";
    }

    private static String render(String text, boolean log) {
        StringBuilder out = null;
        int combining = 0;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int next = i + Character.charCount(c);
            String visible;
            if (isCombining(c)) {
                combining++;
                visible = combining > MAX_COMBINING ? escape(c) : null;
            } else {
                combining = 0;
                visible = log ? forLogLine(c) : forTerminal(c, text, i);
            }
            if (visible != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (visible != null) {
                    out.append(visible);
                } else {
                    out.appendCodePoint(c);
                }
            }
            i = next;
        }
        return out == null ? text : out.toString();
    }

    /** The visible form of {@code c} on a terminal, or null when it is safe as it is. */
    private static String forTerminal(int c, String text, int at) {
        if (c == '\t' || c == ZWJ || c == ZWNJ) {
            return null;
        }
        if (c < 0x20 || c == 0x7F) {
            return caret(c);
        }
        if (isTag(c) && inFlagTagSequence(text, at)) {
            return null;
        }
        return isHidden(c) ? escape(c) : null;
    }

    /** The visible form of {@code c} in a log line, or null when it is plain visible text. */
    private static String forLogLine(int c) {
        if (c < 0x20 || c == 0x7F) {
            return caret(c);
        }
        if (c == ' ') {
            return null;
        }
        int type = Character.getType(c);
        boolean blank = type == Character.SPACE_SEPARATOR;
        return blank || c == ZWJ || c == ZWNJ || isHidden(c) ? escape(c) : null;
    }

    /**
     * True when {@code c} acts on a terminal or shows as nothing: a control (tab aside), or a
     * character {@link #render} escapes. The joiners are not (render keeps them); a tag character
     * is, even in a flag's sequence. What a file a person may read with {@code cat} escapes.
     */
    static boolean hidesOrActs(int c) {
        return c != '\t' && c != ZWJ && c != ZWNJ && (c < 0x20 || c == 0x7F || isHidden(c));
    }

    /** Characters that act on a terminal, or show as nothing: never shown as they are. */
    private static boolean isHidden(int c) {
        switch (Character.getType(c)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
            case Character.PRIVATE_USE:
            case Character.SURROGATE:
            case Character.UNASSIGNED:
                return true;
            default:
                // Letters and symbols that draw as nothing: the Hangul fillers and the Braille blank.
                return c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0 || c == 0x2800;
        }
    }

    private static boolean isCombining(int c) {
        int type = Character.getType(c);
        return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK;
    }

    private static boolean isTag(int c) {
        return c >= 0xE0000 && c <= 0xE007F;
    }

    /**
     * True when the tag character at {@code at} belongs to an emoji flag's tag sequence: the black
     * flag, then tag characters, ended by the cancel tag (the flags of England, Scotland, Wales).
     */
    private static boolean inFlagTagSequence(String text, int at) {
        int start = at;
        while (start > 0) {
            int before = text.codePointBefore(start);
            if (!isTag(before) || before == CANCEL_TAG) {
                break;
            }
            start -= Character.charCount(before);
        }
        if (start == 0 || text.codePointBefore(start) != BLACK_FLAG) {
            return false;
        }
        for (int i = start; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (c == CANCEL_TAG) {
                return true;
            }
            if (!isTag(c)) {
                return false;
            }
            i += Character.charCount(c);
        }
        return false;
    }

    private static String caret(int c) {
        return c == 0x7F ? "^?" : "^" + (char) (c + 0x40);
    }

    private static String escape(int c) {
        String hex = Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT);
        return c > 0xFFFF ? "\\u{" + hex + "}" : "\\u" + "0000".substring(hex.length()) + hex;
    }
}
