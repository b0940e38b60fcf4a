package dev.parley.core.desk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.desk.OperatorWire.Ask;
import dev.parley.core.desk.OperatorWire.Back;
import dev.parley.core.desk.OperatorWire.Ended;
import dev.parley.core.desk.OperatorWire.Failure;
import dev.parley.core.desk.OperatorWire.Hello;
import dev.parley.core.desk.OperatorWire.Line;
import dev.parley.core.desk.OperatorWire.Notice;
import dev.parley.core.desk.OperatorWire.Said;
import dev.parley.core.desk.OperatorWire.Tell;
import dev.parley.core.desk.OperatorWire.ToOperator;
import dev.parley.core.desk.OperatorWire.ToServer;
import dev.parley.core.desk.OperatorWire.Welcome;
import dev.parley.core.desk.OperatorWire.With;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The operators' protocol, line by line: each verb both ways, the escaping, and every malformed line refused with its reason. */
class OperatorWireTest {

    /** Each line an operator sends, and what it says. */
    private static final Map<String, ToServer> TO_SERVER = Map.ofEntries(
            Map.entry("parley-operator/1 Ada", new Hello("Ada")),
            Map.entry("parley-operator/1 Ada Lovelace \\\\o/", new Hello("Ada Lovelace \\o/")),
            Map.entry("parley-operator/1 Åsa 🙂", new Hello("Åsa 🙂")),
            Map.entry("line 7 hello there", new Line("7", "hello there", true)),
            Map.entry("line 7 ", new Line("7", "", true)),
            Map.entry("line r1:42 two\\nlines \\\\ and a \\r", new Line("r1:42", "two\nlines \\ and a \r", true)),
            Map.entry("line - /who", new Line(null, "/who", true)),
            Map.entry("unasked 7 bye", new Line("7", "bye", false)),
            Map.entry("unasked - //not a command", new Line(null, "//not a command", false)),
            Map.entry("line a.b_c-D:9  two  spaces ", new Line("a.b_c-D:9", " two  spaces ", true)));

    /** Each line the server sends, and what it says. */
    private static final Map<String, ToOperator> TO_OPERATOR = Map.ofEntries(
            Map.entry("welcome Ada", new Welcome("Ada")),
            Map.entry("with 7 3 conversation 7 (/127.0.0.1:5000)", new With("7", 3, "conversation 7 (/127.0.0.1:5000)")),
            Map.entry("with 8 0 ", new With("8", 0, "")),
            Map.entry("said 7 hi \\\\ there\\n\u001b[2J", new Said("7", "hi \\ there\n\u001b[2J")),
            Map.entry("ask 7", new Ask("7")),
            Map.entry("notice 7 client closed its side", new Notice("7", "client closed its side")),
            Map.entry("ended 7 client said bye", new Ended("7", "client said bye")),
            Map.entry("back 7 passed", new Back("7", DeskAction.Why.PASSED)),
            Map.entry("back 7 operator-left", new Back("7", DeskAction.Why.OPERATOR_LEFT)),
            Map.entry("tell 2 clients waiting", new Tell("2 clients waiting")),
            Map.entry("tell ", new Tell("")),
            Map.entry("!this is the operators' port; clients connect to 127.0.0.1:8080",
                    new Failure("this is the operators' port; clients connect to 127.0.0.1:8080")));

    @Test
    void everyOperatorsLineEncodesAndDecodesBothWays() {
        TO_SERVER.forEach((line, message) -> {
            assertEquals(message, OperatorWire.decodeToServer(line), line);
            assertEquals(line, OperatorWire.encode(message), line);
            assertEquals(message, OperatorWire.decodeToServer(line + "\r"), "a CR before the LF is the line ending's: " + line);
        });
    }

    @Test
    void everyServersLineEncodesAndDecodesBothWays() {
        TO_OPERATOR.forEach((line, message) -> {
            assertEquals(message, OperatorWire.decodeToOperator(line), line);
            assertEquals(line, OperatorWire.encode(message), line);
            assertEquals(message, OperatorWire.decodeToOperator(line + "\r"), "a CR before the LF is the line ending's: " + line);
        });
    }

    @Test
    void aFailureLineIsTheChatProtocolsOneLineWhateverTheReason() {
        assertEquals("!two lines", OperatorWire.encode(new Failure("two\nlines")), "line breaks blanked");
        assertEquals("! !bang", OperatorWire.encode(new Failure("!bang")), "a reason that would read as a message stays a failure");
        assertEquals(new Failure("!bang"), OperatorWire.decodeToOperator("! !bang"));
        assertEquals(new Failure("notice: x"), OperatorWire.decodeToOperator(OperatorWire.encode(new Failure("notice: x"))),
                "a failure that would read as a notice stays a failure");
        assertEquals(new Tell("waiting for an operator; number 2 in line"),
                OperatorWire.decodeToOperator("!notice: waiting for an operator; number 2 in line"),
                "a clients' port's notice, before it refuses an operator, is a status line, not its failure");
    }

    /** Each malformed line, and the start of the reason its failure line gives. */
    private static final Map<String, String> MALFORMED_TO_SERVER = Map.ofEntries(
            Map.entry("", "empty line"),
            Map.entry("hello", "unknown verb 'hello'"),
            Map.entry("GET / HTTP/1.1", "unknown verb 'GET'"),
            Map.entry("say 7 hi", "unknown verb 'say'"),
            Map.entry("\u001b[2Jline 7 hi", "unknown verb '?[2Jline'"),
            Map.entry("parley-operator/1", "a field is missing"),
            Map.entry("parley-operator/1 ", "the operator's name is empty"),
            Map.entry("parley-operator/1    ", "the operator's name is empty"),
            Map.entry("parley-operator/1 " + "n".repeat(65), "the operator's name is longer than 64 characters"),
            Map.entry("parley-operator/1 evil\u001b[2J", "the operator's name holds a control character"),
            Map.entry("parley-operator/1 two\\nlines", "the operator's name holds a control character"),
            Map.entry("parley-operator/1 bad\uD800", "the operator's name holds a control character"),
            Map.entry("parley-operator/2 Ada", "unsupported operators' protocol 'parley-operator/2'"),
            Map.entry("line", "a field is missing"),
            Map.entry("line 7", "a field is missing"),
            Map.entry("line  hi", "not a conversation id: ''"),
            Map.entry("line 7/8 hi", "not a conversation id: '7/8'"),
            Map.entry("line " + "1".repeat(65) + " hi", "not a conversation id: '"),
            Map.entry("line 7 a\\tb", "unknown escape \\t"),
            Map.entry("line 7 trailing\\", "a backslash ends the line"),
            Map.entry("unasked 7", "a field is missing"));

    private static final Map<String, String> MALFORMED_TO_OPERATOR = Map.ofEntries(
            Map.entry("", "empty line"),
            Map.entry("welcome", "a field is missing"),
            Map.entry("with 7 x label", "not a count: 'x'"),
            Map.entry("with 7 -1 label", "not a count: '-1'"),
            Map.entry("with 7 1234567890 label", "not a count"),
            Map.entry("with - 1 label", "not a conversation id: '-'"),
            Map.entry("with 7 1", "a field is missing"),
            Map.entry("ask", "a field is missing"),
            Map.entry("ask 7 now", "more fields than the verb takes"),
            Map.entry("said 7", "a field is missing"),
            Map.entry("back 7 bored", "not a reason to go back"),
            Map.entry("ended 7 \\x", "unknown escape \\x"),
            Map.entry("hello 7", "unknown verb 'hello'"),
            Map.entry("parley-operator/1 Ada", "unknown verb 'parley-operator/1'"));

    @Test
    void aMalformedLineIsRefusedWithAReasonThatIsSafeToShow() {
        MALFORMED_TO_SERVER.forEach((line, reason) -> {
            MalformedOperatorLineException e = assertThrows(MalformedOperatorLineException.class,
                    () -> OperatorWire.decodeToServer(line), line);
            assertTrue(e.getMessage().startsWith(reason), line + " -> " + e.getMessage());
            assertTrue(e.getMessage().chars().noneMatch(Character::isISOControl), "no control character in: " + e.getMessage());
        });
        MALFORMED_TO_OPERATOR.forEach((line, reason) -> {
            MalformedOperatorLineException e = assertThrows(MalformedOperatorLineException.class,
                    () -> OperatorWire.decodeToOperator(line), line);
            assertTrue(e.getMessage().startsWith(reason), line + " -> " + e.getMessage());
        });
    }

    @Test
    void anyTextSurvivesTheEscapingAndIsOneLine() {
        Random random = new Random(20);
        char[] alphabet = {'a', ' ', '\\', '\n', '\r', 'n', 'r', '!', '/', 'é', '\u001b'};
        for (int i = 0; i < 2000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String line = OperatorWire.encode(new Said("7", text.toString()));
            assertFalse(line.contains("\n") || line.contains("\r"), line);
            assertEquals(new Said("7", text.toString()), OperatorWire.decodeToOperator(line));
            assertEquals(new Line("7", text.toString(), true), OperatorWire.decodeToServer(OperatorWire.encode(new Line("7", text.toString(), true))));
        }
    }

    @Test
    void theLineLimitLeavesRoomForAnyMessageEscapedAndItsFields() {
        assertEquals(2 * 65536 + 200, OperatorWire.maxLineBytes(65536));
        assertEquals(202, OperatorWire.maxLineBytes(1));
        assertEquals(Integer.MAX_VALUE - 16, OperatorWire.maxLineBytes(Integer.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> OperatorWire.maxLineBytes(0));
        String worst = "\\".repeat(1000);
        String line = OperatorWire.encode(new Said("x".repeat(OperatorWire.MAX_ID_CHARS), worst));
        assertTrue(line.length() <= OperatorWire.maxLineBytes(1000), "a message of backslashes, the longest id: " + line.length());
    }

    @Test
    void anOperatorsHelloOfAnyVersionIsRecognisedByItsStart() {
        assertTrue(OperatorWire.looksLikeHello("parley-operator/1 Ada"));
        assertTrue(OperatorWire.looksLikeHello("parley-operator/9"));
        for (String other : List.of("hello", "parley-operator", "bye", "", " parley-operator/1 x")) {
            assertFalse(OperatorWire.looksLikeHello(other), other);
        }
    }

    @Test
    void whatCannotBeSentIsRefusedWhenBuilt() {
        assertThrows(IllegalArgumentException.class, () -> new Hello(""));
        assertThrows(IllegalArgumentException.class, () -> new Hello("a\nb"));
        assertThrows(IllegalArgumentException.class, () -> new Line("has space", "x", true));
        assertThrows(IllegalArgumentException.class, () -> new Line("-", "x", true), "- is no id: null names no conversation");
        assertThrows(IllegalArgumentException.class, () -> new With("7", -1, "x"));
        assertThrows(IllegalArgumentException.class, () -> new Ask("x".repeat(65)));
    }
}
