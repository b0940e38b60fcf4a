package dev.parley.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.core.session.Outcome.Ending;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class OutcomeTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SAID_BYE           | CLIENT | ''          | you said bye",
        "INPUT_ENDED        | SERVER | ''          | your input ended; left the conversation",
        "STOPPED            | CLIENT | ''          | stopped; told the client",
        "STOPPED            | SERVER | ''          | stopped; told the server",
        "PEER_SAID_BYE      | SERVER | ''          | server said bye",
        "PEER_CLOSED        | CLIENT | ''          | client closed the connection without bye",
        "PEER_CUT_OFF       | SERVER | I agree     | server closed the connection in the middle of a line; cut off, not a message: 'I agree'",
        "PEER_FAILED        | SERVER | busy: later | server says: busy: later",
        "PEER_LINE_TOO_LONG | CLIENT | line longer than 8 bytes | line longer than 8 bytes; told the client and closed the connection",
        "PEER_OUT_OF_TURN   | SERVER | out of turn: x | out of turn: x; told the server and closed the connection",
        "IDLE_TIMEOUT       | CLIENT | idle: no message for 5m (idle timeout) | idle: no message for 5m (idle timeout); told the client and closed the connection",
        "LINE_TIMEOUT       | CLIENT | too slow: x | too slow: x; told the client and closed the connection",
        "PEER_LOST          | SERVER | reset       | connection to server lost: reset",
        "UNSENDABLE_REPLY   | CLIENT | no CR       | the reply could not be sent (no CR); told the client",
        "REFUSED            | CLIENT | busy: 3 open | refused: busy: 3 open; told the client",
        "DROPPED            | CLIENT | memory: full | dropped: memory: full; told the client",
    })
    void describesEachEndingInOneLine(Ending ending, Role peer, String detail, String described) {
        assertEquals(described, new Outcome(ending, peer, detail).describe());
    }

    @ParameterizedTest
    @EnumSource(Ending.class)
    void theEndingsAPersonChoseOrThePeerEndedCleanlyAreNormal(Ending ending) {
        Set<Ending> normal = EnumSet.of(Ending.SAID_BYE, Ending.INPUT_ENDED, Ending.STOPPED, Ending.PEER_SAID_BYE,
                Ending.PEER_CLOSED);
        assertEquals(normal.contains(ending), ending.isNormal());
        assertEquals(normal.contains(ending), new Outcome(ending, Role.SERVER, "").isNormal());
    }
}
