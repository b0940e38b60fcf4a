package dev.parley.core.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptTest {

    private static List<String> lines(String text) {
        Script script = Script.of(text.getBytes(StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < script.size(); i++) {
            lines.add(script.line(i));
        }
        return lines;
    }

    @Test
    void linesEndAsOnTheWire() {
        assertEquals(List.of(), lines(""));
        assertEquals(List.of("a", "b"), lines("a\nb\n"));
        assertEquals(List.of("a", "b"), lines("a\nb"), "a last line without a line feed counts");
        assertEquals(List.of("a", "b"), lines("a\r\nb\r\r\n"), "carriage returns before the line feed are dropped");
        assertEquals(List.of("", ""), lines("\n\n"));
        assertEquals(List.of("x\ry"), lines("x\ry\n"), "a carriage return inside a line is content");
    }

    @Test
    void invalidUtf8BecomesReplacementCharacters() {
        Script script = Script.of(new byte[] {'a', (byte) 0xFF, '\n'});
        assertEquals("a\uFFFD", script.line(0));
    }

    @Test
    void aScriptResponderSaysTheLinesInOrderWhateverItHearsThenBye() {
        Responder responder = Responder.script(Script.ofLines("one", "two"));
        List<String> said = new ArrayList<>();
        for (int turn = 0; turn < 4; turn++) {
            said.add(responder.reply(turn, "anything"));
        }
        assertEquals(List.of("one", "two", "bye", "bye"), said);
    }

    @Test
    void anEchoSaysWhatItHeard() {
        assertEquals("h\u00e9", Responder.echo().reply(7, "h\u00e9"));
    }
}
