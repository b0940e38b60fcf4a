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
        Listen listen = listen(text, defaultBind);
        return new WebPort(listen.host(), listen.port(), origins);
    }

    /** An address to listen on, as {@code [ADDR:]PORT} gives it. */
    public record Listen(String host, int port) {}

    /**
     * Reads {@code [ADDR:]PORT} ({@code --web}, {@code --operators}): {@code 8080}, {@code 0.0.0.0:8080}, {@code [::1]:8080}.
     *
     * @throws IllegalArgumentException with a message for people when it is not {@code [ADDR:]PORT}
     */
    public static Listen listen(String text, String defaultBind) {
        if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return new Listen(defaultBind, port(text, text));
        }
        int colon = text.lastIndexOf(':');
        boolean bracketed = text.startsWith("[") && colon > 0 && text.charAt(colon - 1) == ']';
        if (colon <= 0 || (text.indexOf(':') != colon && !bracketed)) {
            throw new IllegalArgumentException("'" + text + "' is not [ADDR:]PORT; write 8080, 0.0.0.0:8080 or [::1]:8080");
        }
        String host = bracketed ? text.substring(1, colon - 1) : text.substring(0, colon);
        return new Listen(host, port(text.substring(colon + 1), text));
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
