package dev.parley.core.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.parley.core.port.Transcript;
import dev.parley.core.session.Action.Sent;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Role;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The contract of the {@link Transcript} port, run against every adapter: messages are shown in the
 * order heard (or, by a transcript that shows no messages, not at all), the ending is shown, and
 * hostile text from the peer is either written rendered safe (a terminal, a log, a file a person may
 * read) or kept exactly (a recorder), never written raw. What "shown" means is the adapter's: a
 * subclass says what it presented, as text, and, for a recorder, what it kept.
 */
public abstract class TranscriptContract {

    /** Every kind of character that acts on a terminal or hides itself, from the peer. */
    static final String HOSTILE = "\u001B[2J\u001B]0;pwned\u0007\u009B31m\u202Eevil\u2028forged\uFEFF\r\u0000\u007F";
    /** Half of a surrogate pair, which no encoder can write as it is. */
    static final String LONE_SURROGATE = "\uD800 lone surrogate";
    /** A message far longer than a line of a terminal. */
    static final String LONG = "x".repeat(100_000);
    /** A failure report's detail: the peer's words, given with the ending. */
    static final String HOSTILE_DETAIL = "busy\u001B[2J\u2029\u202Dand more";

    /** A fresh transcript under test. */
    protected abstract Transcript transcript();

    /** Everything the transcript under test presented so far, as text (for a writer, exactly what it wrote). */
    protected abstract String shown();

    /** Whether the transcript under test shows the peer's messages at all (a log of endings does not). */
    protected boolean showsMessages() {
        return true;
    }

    /**
     * Whether the transcript under test writes what it shows where a person may read it (a
     * terminal, a log, a file), so that {@link #shown} must hold no raw control character. False
     * only for one that hands the peer's text on in memory, which must then keep it exactly
     * ({@link #kept}).
     */
    protected boolean writesText() {
        return true;
    }

    /**
     * The peer's text as the transcript under test kept it, when it keeps it exactly: a file's
     * records read back (decoded), or, by default, what one that writes nothing shows (a list in
     * memory). Empty when it only renders it for people.
     */
    protected Optional<String> kept() {
        return writesText() ? Optional.empty() : Optional.of(shown());
    }

    @Test
    void messagesAreShownInTheOrderHeardOrNotAtAll() {
        Transcript t = transcript();
        t.heard("first message");
        t.heard("second message");
        String shown = shown();
        int first = shown.indexOf("first message");
        if (showsMessages()) {
            assertTrue(first >= 0 && shown.indexOf("second message") > first, shown);
        } else {
            assertTrue(first < 0 && !shown.contains("second message"), shown);
        }
    }

    /** One hostile conversation: every call, each with text no terminal should see raw. */
    private void hostileConversation() {
        Transcript t = transcript();
        t.heard(HOSTILE);
        t.heard(LONE_SURROGATE);
        t.heard(LONG);
        t.notice("server: " + HOSTILE);
        t.said(new Sent.Failure("\u001B[31m"));
        t.ended(new Outcome(Outcome.Ending.PEER_FAILED, Role.SERVER, HOSTILE_DETAIL));
    }

    @Test
    void hostileTextIsWrittenWithNoRawControlCharacter() {
        hostileConversation();
        String shown = shown();
        if (!writesText()) {
            assertTrue(kept().isPresent(), "a transcript that does not write what it shows keeps it exactly");
            return;
        }
        assertEquals(Optional.empty(), firstRaw(shown), "nothing raw in what was written");
        assertTrue(shown.contains("busy"), "the ending is shown, rendered: " + cut(shown));
        if (showsMessages()) {
            for (String visible : List.of("pwned", "evil", "forged", " lone surrogate", "x".repeat(1000))) {
                assertTrue(shown.contains(visible), "the message is shown, rendered, not dropped: '" + visible + "' in " + cut(shown));
            }
        }
    }

    @Test
    void hostileTextIsKeptExactlyByATranscriptThatKeepsIt() {
        hostileConversation();
        Optional<String> kept = kept();
        if (kept.isEmpty()) {
            assertTrue(writesText(), "a transcript that keeps nothing exactly writes what it shows, rendered");
            return;
        }
        assertTrue(kept.get().contains(HOSTILE_DETAIL), "the failure's detail, exactly: " + cut(kept.get()));
        for (String message : List.of(HOSTILE, LONE_SURROGATE, LONG)) {
            assertEquals(showsMessages(), kept.get().contains(message), "the message, exactly, or not at all: " + cut(message));
        }
    }

    @Test
    void theEndingIsShown() {
        Transcript t = transcript();
        t.ended(new Outcome(Outcome.Ending.PEER_SAID_BYE, Role.SERVER, ""));
        assertTrue(shown().contains("server said bye"), shown());
    }

    @Test
    void theRuleForRawCharactersCatchesEachKind() {
        for (String raw : List.of("\u001B", "\u0007", "\r", "\u0000", "\u007F", "\u009B", "\u202E", "\u2028", "\u2029", "\uFEFF",
                "\u200B", "\uD800", "\uDC00 low first", "\uDB40\uDC41")) {
            if (firstRaw("visible " + raw).isEmpty()) {
                fail("not caught: U+" + Integer.toHexString(raw.codePointAt(0)));
            }
        }
        assertEquals(Optional.empty(), firstRaw("tab\tnew line\n h\u00e9llo \u0416 \u4e2d \uD83D\uDE00 \uD83D\uDC68\u200D\uD83D\uDCBB"),
                "tab, line feed, accents, scripts, emoji and joiners are text");
    }

    /**
     * The first character of {@code text} that would act on a terminal or hide itself, as
     * {@code U+XXXX at N}: a control other than tab and line feed (C0, DEL, C1), an invisible
     * format character (bidi controls, zero-width space, byte order mark, tags) other than the
     * joiners, a line or paragraph separator, or half of a surrogate pair.
     */
    static Optional<String> firstRaw(String text) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            boolean raw;
            switch (Character.getType(c)) {
                case Character.CONTROL:
                    raw = c != '\t' && c != '\n';
                    break;
                case Character.FORMAT:
                    raw = c != 0x200C && c != 0x200D;
                    break;
                case Character.LINE_SEPARATOR:
                case Character.PARAGRAPH_SEPARATOR:
                case Character.SURROGATE:
                    raw = true;
                    break;
                default:
                    raw = false;
            }
            if (raw) {
                return Optional.of(String.format("U+%04X at %d", c, i));
            }
            i += Character.charCount(c);
        }
        return Optional.empty();
    }

    /** {@code text} for a failure's message: cut, and every character outside printable ASCII escaped, so a report is safe to print. */
    private static String cut(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : (text.length() > 300 ? text.substring(0, 300) + "..." : text).toCharArray()) {
            out.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04X", (int) c));
        }
        return out.toString();
    }
}
