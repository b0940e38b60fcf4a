package dev.parley.core.desk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** An operator's line, read once: an answer, a command to the desk, or an unknown command. */
class CommandTest {

    @Test
    void aLineThatDoesNotStartWithASlashIsAnAnswerAsTyped() {
        for (String line : List.of("hello", "", " /who", "bye", "!!", "a/b", "\\/pass")) {
            assertEquals(new Command.Say(line), Command.parse("o", line), line);
        }
    }

    @Test
    void twoSlashesSendALineThatStartsWithOne() {
        assertEquals(new Command.Say("/pass"), Command.parse("o", "//pass"));
        assertEquals(new Command.Say("/"), Command.parse("o", "//"));
        assertEquals(new Command.Say("//x"), Command.parse("o", "///x"));
    }

    @Test
    void theCommandsTellTheDeskForTheOperatorWhoEnteredThem() {
        assertEquals(new Command.ToDesk(new DeskInput.Pass("o7")), Command.parse("o7", "/pass"));
        assertEquals(new Command.ToDesk(new DeskInput.Who("o7")), Command.parse("o7", "/who"));
        assertEquals(new Command.ToDesk(new DeskInput.Away("o7")), Command.parse("o7", "/away"));
        assertEquals(new Command.ToDesk(new DeskInput.Back("o7")), Command.parse("o7", "/back"));
        assertEquals(new Command.ToDesk(new DeskInput.Who("o7")), Command.parse("o7", "/WHO  "), "case and white space around are ignored");
        assertEquals(new Command.ToDesk(new DeskInput.Pass("o7")), Command.parse("o7", "/ pass"));
    }

    @Test
    void anyOtherSlashLineIsAnUnknownCommandNeverSentAndTheNoticeSaysWhatTheCommandsAre() {
        for (String line : List.of("/", "/bye", "/passs", "/who me", "/help")) {
            assertEquals(new Command.Unknown(line), Command.parse("o", line), line);
        }
        String notice = new Command.Unknown("/bye").notice();
        assertEquals("not sent: /bye is no command; " + Command.HELP, notice);
        assertTrue(new Command.Unknown("/" + "x".repeat(100)).notice().startsWith("not sent: /" + "x".repeat(39) + "... is no command"));
    }
}
