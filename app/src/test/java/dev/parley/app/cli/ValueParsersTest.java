package dev.parley.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Durations and sizes on the command line, read as people write them. */
class ValueParsersTest {

    @Test
    void durationsReadAsPeopleWriteThem() {
        assertEquals(Duration.ofMillis(500), DurationParser.parse("500ms"));
        assertEquals(Duration.ofSeconds(30), DurationParser.parse("30s"));
        assertEquals(Duration.ofSeconds(30), DurationParser.parse("30"));
        assertEquals(Duration.ofMinutes(5), DurationParser.parse("5m"));
        assertEquals(Duration.ofHours(1), DurationParser.parse("1h"));
        assertEquals(Duration.ofSeconds(90), DurationParser.parse("PT1M30S"));
        assertEquals(Duration.ofMillis(1500), DurationParser.parse("1.5s"));
        assertEquals(Duration.ofMillis(250), DurationParser.parse("0.25"));
        assertEquals(Duration.ofSeconds(90), DurationParser.parse("1.5m"));
        assertEquals(Duration.ZERO, DurationParser.parse("0"));
    }

    @Test
    void sizesReadAsPeopleWriteThem() {
        assertEquals(512L << 10, SizeParser.parse("512k"));
        assertEquals(64L << 20, SizeParser.parse("64m"));
        assertEquals(64L << 20, SizeParser.parse("64MiB"));
        assertEquals(1L << 30, SizeParser.parse("1G"));
        assertEquals(1500, SizeParser.parse("1500"));
        assertEquals("48 MiB", SizeParser.format(48L << 20));
        assertEquals("1.5 GiB", SizeParser.format(3L << 29));
        assertEquals("900 bytes", SizeParser.format(900));
        for (String bad : new String[] {"", "m", "12q", "-5m", "99999999999999g"}) {
            try {
                SizeParser.parse(bad);
                throw new AssertionError(bad + " parsed");
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage().contains(bad.isEmpty() ? "''" : bad), expected.getMessage());
            }
        }
    }
}
