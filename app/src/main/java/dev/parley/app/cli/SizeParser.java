package dev.parley.app.cli;

import java.util.Locale;

/** Reads sizes as people write them: {@code 512k}, {@code 64m}, {@code 1g} (powers of 1024), or bytes. */
public final class SizeParser {

    private SizeParser() {}

    /** @throws IllegalArgumentException with a message for people when {@code value} is not a size */
    static long parse(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        if (text.endsWith("ib")) {
            text = text.substring(0, text.length() - 2);
        } else if (text.endsWith("b")) {
            text = text.substring(0, text.length() - 1);
        }
        int digits = 0;
        while (digits < text.length() && Character.isDigit(text.charAt(digits))) {
            digits++;
        }
        String unit = text.substring(digits);
        int shift = unit.isEmpty() ? 0 : unit.equals("k") ? 10 : unit.equals("m") ? 20 : unit.equals("g") ? 30 : -1;
        if (digits == 0 || shift < 0) {
            throw new IllegalArgumentException("'" + value + "' is not a size; write e.g. 512k, 64m or 1g");
        }
        long number;
        try {
            number = Long.parseLong(text.substring(0, digits));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is too large a size");
        }
        if (number > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("'" + value + "' is too large a size");
        }
        return number << shift;
    }

    /** {@code bytes} for people: {@code 48 MiB}, {@code 1.5 GiB}, {@code 900 bytes}. */
    public static String format(long bytes) {
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        String number = value >= 100 || value == Math.rint(value)
                ? String.valueOf(Math.round(value))
                : String.format(Locale.ROOT, "%.1f", value);
        return number + " " + units[unit];
    }
}
