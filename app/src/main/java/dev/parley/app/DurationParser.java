package dev.parley.app;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Reads durations as people write them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code PT5S}; 0 means none. */
final class DurationParser {

    private DurationParser() {}

    /** @throws IllegalArgumentException with a message for people when {@code value} is not a duration */
    static Duration parse(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        int digits = 0;
        while (digits < text.length() && text.charAt(digits) >= '0' && text.charAt(digits) <= '9') {
            digits++;
        }
        try {
            if (digits > 0) {
                long n = Long.parseLong(text.substring(0, digits));
                switch (text.substring(digits)) {
                    case "ms":
                        return Duration.ofMillis(n);
                    case "":
                    case "s":
                        return Duration.ofSeconds(n);
                    case "m":
                        return Duration.ofMinutes(n);
                    case "h":
                        return Duration.ofHours(n);
                    default:
                        break;
                }
            } else {
                Duration d = Duration.parse(value.trim().toUpperCase(Locale.ROOT));
                if (!d.isNegative()) {
                    return d;
                }
            }
        } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + value + "' is not a duration; write e.g. 500ms, 30s, 5m or 1h");
    }
}
