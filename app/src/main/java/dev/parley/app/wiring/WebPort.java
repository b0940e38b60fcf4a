package dev.parley.app.wiring;

import dev.parley.web.Origins;

/**
 * Where the server's web page listens ({@code --web [ADDR:]PORT}; the address defaults to
 * {@code --bind}) and which other pages may join ({@code --web-origin}).
 */
public record WebPort(String bind, int port, Origins origins) {

    /**
     * Reads {@code --web}: {@code 8080}, {@code 0.0.0.0:8080}, {@code [::1]:8080}.
     *
     * @throws IllegalArgumentException with a message for people when it is not {@code [ADDR:]PORT}
     */
    public static WebPort parse(String text, String defaultBind, Origins origins) {
        if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return new WebPort(defaultBind, port(text, text), origins);
        }
        int colon = text.lastIndexOf(':');
        boolean bracketed = text.startsWith("[") && colon > 0 && text.charAt(colon - 1) == ']';
        if (colon <= 0 || (text.indexOf(':') != colon && !bracketed)) {
            throw new IllegalArgumentException("'" + text + "' is not [ADDR:]PORT; write 8080, 0.0.0.0:8080 or [::1]:8080");
        }
        String host = bracketed ? text.substring(1, colon - 1) : text.substring(0, colon);
        return new WebPort(host, port(text.substring(colon + 1), text), origins);
    }

    private static int port(String digits, String text) {
        try {
            int port = Integer.parseInt(digits);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + digits + "' in '" + text + "' is not a port (0 to 65535)");
    }
}
