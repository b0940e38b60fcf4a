package dev.parley.examples;

import dev.parley.core.port.Transcript;
import dev.parley.core.session.Action.Sent;
import dev.parley.core.session.Outcome;
import java.io.PrintStream;

/**
 * The {@link Transcript} port on a {@link PrintStream}, one line per event, each starting with the
 * side's name. Text from the peer is raw, so every character that is not visible text is shown as
 * a Java-style escape of its code (ESC as backslash, u, 001B): a peer must not be able to move the
 * cursor, reorder the line or forge a line of this transcript.
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

    /**
     * {@code text} with every character that is not visible text or the ASCII space (controls,
     * format characters such as bidi overrides, other spaces, line separators, lone surrogates,
     * private-use and unassigned code points) written as a Java-style escape of its code.
     */
    static String printable(String text) {
        StringBuilder shown = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (c == ' ' || isVisible(c)) {
                shown.appendCodePoint(c);
            } else {
                shown.append(String.format("\\u%04X", c));
            }
        });
        return shown.toString();
    }

    private static boolean isVisible(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED -> false;
            default -> true;
        };
    }
}
