package dev.parley.app.cli;

/**
 * A server's address as people write it: {@code host}, {@code host:port}, {@code [v6]:port}, or a
 * bare IPv6 address ({@code ::1}), whose colons are not a port.
 */
public record HostPort(String host, int port, boolean portGiven) {

    /**
     * Reads {@code text}; the port is {@code defaultPort} unless {@code text} names one.
     *
     * @throws IllegalArgumentException with a message for people when the port is not one
     */
    public static HostPort parse(String text, int defaultPort) {
        String host = text;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || (close + 1 < text.length() && text.charAt(close + 1) != ':')) {
                throw new IllegalArgumentException("'" + text + "' is not an address; write [::1] or [::1]:1234");
            }
            host = text.substring(1, close);
            port = close + 1 < text.length() ? text.substring(close + 2) : null;
        } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            host = text.substring(0, text.indexOf(':'));
            port = text.substring(text.indexOf(':') + 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' has no host");
        }
        if (port == null) {
            return new HostPort(host, defaultPort, false);
        }
        try {
            int number = Integer.parseInt(port);
            if (number >= 1 && number <= 65535) {
                return new HostPort(host, number, true);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + port + "' in '" + text + "' is not a port (1 to 65535)");
    }
}
