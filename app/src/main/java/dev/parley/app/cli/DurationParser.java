package dev.parley.app.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Reads durations as people write them: {@code 500ms}, {@code 1.5s}, {@code 30s}, {@code 5m},
 * {@code 1h}, or ISO-8601 ({@code PT5S}); a bare number is seconds; 0 means none.
 */
final class DurationParser {

    private DurationParser() {}

    /** @throws IllegalArgumentException with a message for people when {@code value} is not a duration */
    static Duration parse(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        int number = 0;
        while (number < text.length() && (Character.isDigit(text.charAt(number)) || text.charAt(number) == '.')) {
            number++;
        }
        try {
            if (number > 0) {
                BigDecimal amount = new BigDecimal(text.substring(0, number));
                BigDecimal millisPerUnit;
                switch (text.substring(number)) {
                    case "ms":
                        millisPerUnit = BigDecimal.ONE;
                        break;
                    case "":
                    case "s":
                        millisPerUnit = BigDecimal.valueOf(1_000);
                        break;
                    case "m":
                        millisPerUnit = BigDecimal.valueOf(60_000);
                        break;
                    case "h":
                        millisPerUnit = BigDecimal.valueOf(3_600_000);
                        break;
                    default:
                        millisPerUnit = null;
                        break;
                }
                if (millisPerUnit != null) {
                    return Duration.ofMillis(amount.multiply(millisPerUnit).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
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
        throw new IllegalArgumentException("'" + value + "' is not a duration; write e.g. 500ms, 1.5s, 30s, 5m or 1h");
    }
}
