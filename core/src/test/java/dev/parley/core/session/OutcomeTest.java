package dev.parley.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.core.Outcome.Ending;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Every ending, as people read it, and whether it is a failure (exit code 1). */
class OutcomeTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "SAID_BYE           | CLIENT | ''          | you said bye",
        "INPUT_ENDED        | SERVER | ''          | your input ended; left the conversation",
        "STOPPED            | CLIENT | ''          | stopped; told the client",
        "STOPPED            | SERVER | ''          | stopped; told the server",
        "PEER_SAID_BYE      | SERVER | ''          | server said bye",
        "PEER_CLOSED        | CLIENT | ''          | client closed the connection",
        "PEER_FAILED        | SERVER | busy: later | server refused: busy: later",
        "PEER_LINE_TOO_LONG | CLIENT | line longer than 8 bytes | client sent a line longer than 8 bytes; told it and closed the connection",
        "PEER_LOST          | SERVER | reset       | connection to server lost: reset",
        "UNSENDABLE_REPLY   | CLIENT | no CR       | the reply could not be sent (no CR); told the client",
    })
    void describesEachEndingInOneLine(Ending ending, Role peer, String detail, String described) {
        assertEquals(described, new Outcome(ending, peer, detail).describe());
    }

    @ParameterizedTest
    @EnumSource(Ending.class)
    void onlyFailuresAreNotNormal(Ending ending) {
        Set<Ending> failures = EnumSet.of(Ending.PEER_FAILED, Ending.PEER_LINE_TOO_LONG, Ending.PEER_LOST,
                Ending.UNSENDABLE_REPLY);
        assertEquals(!failures.contains(ending), ending.isNormal());
        assertEquals(!failures.contains(ending), new Outcome(ending, Role.SERVER, "").isNormal());
    }
}
