package dev.parley.app.wiring;

/** Where one of the server's extra ports listens, as {@code --web} and {@code --metrics} take it: {@code [ADDR:]PORT}. */
public record ListenAddress(String bind, int port) {

    /**
     * Reads {@code 8080}, {@code 0.0.0.0:8080} or {@code [::1]:8080}; the address defaults to {@code defaultBind}.
     *
     * @throws IllegalArgumentException with a message for people when it is not {@code [ADDR:]PORT}
     */
    public static ListenAddress parse(String text, String defaultBind) {
        if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return new ListenAddress(defaultBind, port(text, text));
        }
        int colon = text.lastIndexOf(':');
        boolean bracketed = text.startsWith("[") && colon > 0 && text.charAt(colon - 1) == ']';
        if (colon <= 0 || (text.indexOf(':') != colon && !bracketed)) {
            throw new IllegalArgumentException("'" + text + "' is not [ADDR:]PORT; write 8080, 0.0.0.0:8080 or [::1]:8080");
        }
        String host = bracketed ? text.substring(1, colon - 1) : text.substring(0, colon);
        return new ListenAddress(host, port(text.substring(colon + 1), text));
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
