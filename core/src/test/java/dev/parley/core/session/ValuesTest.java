package dev.parley.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.core.session.Action.Sent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The session's small values: durations as people read them, limits, and sends compared by content. */
class ValuesTest {

    @ParameterizedTest
    @CsvSource({"0, 0s", "300, 300ms", "1000, 1s", "30000, 30s", "90000, 90s", "60000, 1m", "300000, 5m", "3600000, 1h",
        "5400000, 90m", "1500, 1500ms"})
    void durationsAreWrittenInTheirShortestExactUnit(long millis, String written) {
        assertEquals(written, Durations.format(Duration.ofMillis(millis)));
    }

    @Test
    void limitsCannotBeNegative() {
        assertThrows(IllegalArgumentException.class, () -> new Limits(Duration.ofSeconds(-1), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new Limits(Duration.ZERO, Duration.ofSeconds(-1)));
        assertEquals(Duration.ZERO, Limits.NONE.idleTimeout());
        assertThrows(IllegalArgumentException.class, () -> Limits.idle(Duration.ofSeconds(-1)));
    }

    @Test
    void idleLimitsHaveTheIdleTimeoutAlone() {
        assertEquals(new Limits(Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO), Limits.idle(Duration.ofSeconds(5)));
        assertEquals(Limits.NONE, Limits.idle(Duration.ZERO));
    }

    @Test
    void aSendIsEqualToAnotherWithTheSameBytesNotTheSameArray() {
        Action.Send one = new Action.Send(new Sent.Message("hi"), "hi\n".getBytes(StandardCharsets.UTF_8));
        Action.Send same = new Action.Send(new Sent.Message("hi"), "hi\n".getBytes(StandardCharsets.UTF_8));
        Action.Send other = new Action.Send(new Sent.Message("hi"), "hi!\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(one, same);
        assertEquals(one.hashCode(), same.hashCode());
        assertNotEquals(one, other);
        assertNotEquals(one.hashCode(), other.hashCode());
        assertNotEquals(one, new Action.Send(new Sent.Bye(), "hi\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("Send[Message[text=hi], hi\\n]", one.toString());
    }

    @Test
    void aWaitHasSomeoneAhead() {
        assertThrows(IllegalArgumentException.class, () -> new Input.Wait(0));
        assertThrows(IndexOutOfBoundsException.class, () -> new Input.PeerBytes(new byte[2], 1, 2));
    }
}
