package dev.parley.examples;

import dev.parley.core.port.Transcript;
import dev.parley.core.session.Action.Sent;
import dev.parley.core.session.Outcome;
import java.io.PrintStream;

/**
 * The {@link Transcript} port on a {@link PrintStream}, one line per event, each starting with the
 * side's name. Text from the peer is raw, so every character that would act on a terminal or hide
 * itself (controls, invisible format characters such as bidi overrides but for the joiners, line
 * and paragraph separators, half a surrogate pair) is shown as a Java-style escape of its code (ESC as
 * backslash, u, 001B): a peer must not be able to move the cursor, reorder the text or forge a
 * line of this transcript.
 */
public final class PrintingTranscript implements Transcript {

    private final String side;
    private final PrintStream out;

    /**
     * A transcript that prints to {@code out}.
     *
     * @param side the name each line starts with, e.g. {@code client}
     * @param out where the lines go
     */
    public PrintingTranscript(String side, PrintStream out) {
        this.side = side;
        this.out = out;
    }

    @Override
    public void heard(String message) {
        out.println(side + " heard: " + printable(message));
    }

    @Override
    public void said(Sent what) {
        if (what instanceof Sent.Message) {
            out.println(side + " said: " + printable(((Sent.Message) what).text()));
        } else if (what instanceof Sent.Bye) {
            out.println(side + " said bye");
        } else if (what instanceof Sent.Failure) {
            out.println(side + " reported: " + printable(((Sent.Failure) what).reason()));
        } else {
            out.println(side + " notified: " + printable(((Sent.Notice) what).text()));
        }
    }

    @Override
    public void notice(String text) {
        out.println(side + " notice: " + printable(text));
    }

    @Override
    public void ended(Outcome outcome) {
        out.println(side + " ended: " + printable(outcome.describe()));
    }

    /** {@code text} with every character that acts on a terminal or hides itself written as a Java-style escape of its code. */
    static String printable(String text) {
        StringBuilder shown = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int n = Character.charCount(c);
            if (hidesOrActs(c)) {
                for (int j = i; j < i + n; j++) {
                    shown.append(String.format("\\u%04X", (int) text.charAt(j)));
                }
            } else {
                shown.appendCodePoint(c);
            }
            i += n;
        }
        return shown.toString();
    }

    /**
     * True for a control (C0, DEL, C1), a format character other than the joiners of emoji and
     * scripts (U+200C, U+200D), a line or paragraph separator, or half a surrogate pair.
     */
    private static boolean hidesOrActs(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SURROGATE -> true;
            case Character.FORMAT -> c != 0x200C && c != 0x200D;
            default -> false;
        };
    }
}
