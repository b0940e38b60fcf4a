package dev.parley.core.wire;

import static dev.parley.core.wire.Decoding.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Reproducers for bugs found by the properties and the fuzzer, reported and not fixed here (the
 * main code is someone else's to change). Each is disabled with the reason; a fix enables it and
 * deletes the matching predicate in {@link KnownBugs}.
 */
class KnownBugsTest {

    @Test
    @Disabled("known bug: LineDecoder.append reads bytes[from - 1] when a read starts with the \\n "
            + "of a line of exactly the limit ended by \\r\\n (ArrayIndexOutOfBoundsException); see KnownBugs")
    void aFullLineWhoseCrAndLfArriveInDifferentReadsIsAccepted() {
        LineDecoder decoder = new LineDecoder(8);
        List<String> out = new ArrayList<>();
        decoder.feed(utf8("xxxxxxxx\r")); // one read, as a socket returns it
        Decoding.drain(decoder, out);
        decoder.feed(utf8("\nnext\n")); // the next read, a fresh array from offset 0
        Decoding.drain(decoder, out);
        assertEquals(List.of("xxxxxxxx", "next"), out);
    }

    /** A tripwire: once the bug is fixed this fails, to say that the skips must go. */
    @Test
    void theBugIsStillThereSoThePropertiesStillSkipIt() {
        LineDecoder decoder = new LineDecoder(8);
        decoder.feed(utf8("xxxxxxxx\r"));
        assertThrows(ArrayIndexOutOfBoundsException.class, () -> decoder.feed(utf8("\n")),
                "fixed? then enable the test above and delete KnownBugs.crOfAFullLineEndsARead");
    }

    @Test
    void thePredicateMatchesExactlyTheReproducer() {
        byte[] input = utf8("xxxxxxxx\r\nnext\n");
        assertTrue(KnownBugs.crOfAFullLineEndsARead(input, List.of(0, 9), 8));
        assertFalse(KnownBugs.crOfAFullLineEndsARead(input, List.of(0, 8), 8));
        assertFalse(KnownBugs.crOfAFullLineEndsARead(input, List.of(0, 9), 9));
        assertFalse(KnownBugs.crOfAFullLineEndsARead(utf8("xxxxxxxxx\nnext\n"), List.of(0, 9), 8));
    }
}
