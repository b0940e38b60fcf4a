package dev.parley.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.core.session.Outcome;
import dev.parley.core.session.Outcome.Ending;
import dev.parley.core.session.Role;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A client's exit code for every ending: a bye is 0, a cut-off 3, a failure 1 (issue 20, bug 4). */
class ExitsTest {

    @Test
    void everyEndingHasItsExitCode() {
        Map<Ending, Integer> expected = new EnumMap<>(Ending.class);
        expected.put(Ending.SAID_BYE, Exits.OK);
        expected.put(Ending.INPUT_ENDED, Exits.OK);
        expected.put(Ending.STOPPED, Exits.OK);
        expected.put(Ending.PEER_SAID_BYE, Exits.OK);
        expected.put(Ending.PEER_CLOSED, Exits.CUT_OFF);
        expected.put(Ending.PEER_CUT_OFF, Exits.CUT_OFF);
        expected.put(Ending.PEER_LOST, Exits.CUT_OFF);
        expected.put(Ending.PEER_FAILED, Exits.FAILURE);
        expected.put(Ending.PEER_LINE_TOO_LONG, Exits.FAILURE);
        expected.put(Ending.PEER_OUT_OF_TURN, Exits.FAILURE);
        expected.put(Ending.IDLE_TIMEOUT, Exits.FAILURE);
        expected.put(Ending.LINE_TIMEOUT, Exits.FAILURE);
        expected.put(Ending.UNSENDABLE_REPLY, Exits.FAILURE);
        expected.put(Ending.REFUSED, Exits.FAILURE);
        expected.put(Ending.DROPPED, Exits.FAILURE);
        assertEquals(Ending.values().length, expected.size(), "every ending is in the table");
        expected.forEach((ending, code) -> assertEquals(code, Exits.of(new Outcome(ending, Role.SERVER, "")), ending.name()));
    }
}
