package dev.parley.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TerminalSafeTest {

    @ParameterizedTest
    @ValueSource(strings = {"plain text", "h\u00e9 \u4f60\u597d \uD83D\uDE00", "tab\there", "caf\u00e9 \u0645\u0631\u062D\u0628\u0627", ""})
    void printableTextIsKeptAsItIs(String text) {
        assertSame(text, TerminalSafe.render(text));
    }

    static Stream<Arguments> controls() {
        return Stream.of(
                Arguments.of("ESC colour sequence", "\u001B[31mred\u001B[0m", "^[[31mred^[[0m"),
                Arguments.of("clear screen", "\u001B[2J", "^[[2J"),
                Arguments.of("window title (OSC)", "\u001B]0;pwned\u0007", "^[]0;pwned^G"),
                Arguments.of("NUL", "a\u0000b", "a^@b"),
                Arguments.of("bell", "\u0007", "^G"),
                Arguments.of("backspace", "x\by", "x^Hy"),
                Arguments.of("carriage return", "a\rb", "a^Mb"),
                Arguments.of("line feed", "a\nb", "a^Jb"),
                Arguments.of("DEL", "a\u007Fb", "a^?b"),
                Arguments.of("C1 CSI", "\u009B31m", "\\u009B31m"),
                Arguments.of("C1 NEL", "a\u0085b", "a\\u0085b"),
                Arguments.of("bidi override", "abc\u202Edcba", "abc\\u202Edcba"),
                Arguments.of("bidi embeddings", "\u202A\u202B\u202C\u202D", "\\u202A\\u202B\\u202C\\u202D"),
                Arguments.of("bidi isolates", "\u2066\u2067\u2068\u2069", "\\u2066\\u2067\\u2068\\u2069"),
                Arguments.of("direction marks", "\u200E\u200F\u061C", "\\u200E\\u200F\\u061C"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("controls")
    void controlsAreShownVisibly(String name, String text, String expected) {
        assertEquals(expected, TerminalSafe.render(text));
        assertEquals(expected, TerminalSafe.forLog(text, 1000), "and in a log line alike");
    }

    static Stream<Arguments> hidden() {
        return Stream.of(
                Arguments.of("line separator (forged log lines)", "a\u2028conversation 99 ended", "a\\u2028conversation 99 ended"),
                Arguments.of("paragraph separator", "a\u2029b", "a\\u2029b"),
                Arguments.of("zero-width space", "pay\u200Bpal", "pay\\u200Bpal"),
                Arguments.of("byte order mark", "\uFEFFhi", "\\uFEFFhi"),
                Arguments.of("word joiner", "a\u2060b", "a\\u2060b"),
                Arguments.of("Mongolian vowel separator", "a\u180Eb", "a\\u180Eb"),
                Arguments.of("soft hyphen", "a\u00ADb", "a\\u00ADb"),
                Arguments.of("Hangul filler", "\u3164", "\\u3164"),
                Arguments.of("Braille blank", "a\u2800b", "a\\u2800b"),
                Arguments.of("tag characters (ASCII smuggling)", "hi\uDB40\uDC41\uDB40\uDC42", "hi\\u{E0041}\\u{E0042}"),
                Arguments.of("private use", "\uE000", "\\uE000"),
                Arguments.of("unassigned", "\u0378", "\\u0378"),
                Arguments.of("lone surrogate", "a\uD800b", "a\\uD800b"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hidden")
    void whatHidesOrForgesIsShownVisiblyOnTheTerminalAndInLogs(String name, String text, String expected) {
        assertEquals(expected, TerminalSafe.render(text));
        assertEquals(expected, TerminalSafe.forLog(text, 1000));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67",          // a family: emoji joined by ZWJ
        "\uD83C\uDFF4\uDB40\uDC67\uDB40\uDC62\uDB40\uDC73\uDB40\uDC63\uDB40\uDC74\uDB40\uDC7F", // Scotland's flag
        "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645",        // Persian with a ZWNJ
        "e\u0301 a\u0300\u0323",                                        // accents as combining marks
        "\u2764\uFE0F",                                                  // a variation selector
    })
    void emojiAccentsAndJoinersStayAsTheyAreOnTheTerminal(String text) {
        assertSame(text, TerminalSafe.render(text));
    }

    @Test
    void aFloodOfCombiningMarksKeepsTheFirstEightAndEscapesTheRest() {
        String zalgo = "Z" + "\u0336".repeat(10) + "a";
        assertEquals("Z" + "\u0336".repeat(8) + "\\u0336\\u0336a", TerminalSafe.render(zalgo));
    }

    @Test
    void aLogLineShowsEverySpaceThatIsNotASpaceAndEveryJoiner() {
        assertEquals("a^Ib", TerminalSafe.forLog("a\tb", 100), "tab, in caret notation like the other C0 controls");
        assertEquals("a\\u00A0b\\u3000c", TerminalSafe.forLog("a\u00A0b\u3000c", 100));
        assertEquals("x\\u200Dy", TerminalSafe.forLog("x\u200Dy", 100));
        assertEquals("\uD83C\uDFF4\\u{E0067}\\u{E007F}", TerminalSafe.forLog("\uD83C\uDFF4\uDB40\uDC67\uDB40\uDC7F", 100),
                "tags are escaped in logs even in a flag");
        assertSame("h\u00e9 \u4f60\u597d \uD83D\uDE00", TerminalSafe.forLog("h\u00e9 \u4f60\u597d \uD83D\uDE00", 100));
    }

    @Test
    void longPeerTextIsCutForLogLines() {
        assertEquals("abc", TerminalSafe.render("abc", 3));
        assertEquals("ab... (2 more characters)", TerminalSafe.render("abcd", 2));
        assertEquals("^[... (1 more characters)", TerminalSafe.render("\u001Bx", 1));
        assertEquals("a... (2 more characters)", TerminalSafe.render("a\uD83D\uDE00", 2), "a surrogate pair is not split");
        assertEquals("ab... (1 more characters)", TerminalSafe.forLog("abc", 2));
    }
}
