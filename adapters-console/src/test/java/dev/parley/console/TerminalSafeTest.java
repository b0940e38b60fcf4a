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
    }

    @Test
    void longPeerTextIsCutForLogLines() {
        assertEquals("abc", TerminalSafe.render("abc", 3));
        assertEquals("ab... (2 more characters)", TerminalSafe.render("abcd", 2));
        assertEquals("^[... (1 more characters)", TerminalSafe.render("\u001Bx", 1));
        assertEquals("a... (2 more characters)", TerminalSafe.render("a\uD83D\uDE00", 2), "a surrogate pair is not split");
    }
}
