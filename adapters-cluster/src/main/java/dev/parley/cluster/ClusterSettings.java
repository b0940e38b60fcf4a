package dev.parley.cluster;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the shared desk lives: the NATS servers ({@code nats://HOST:PORT}, a token or user in a URL
 * allowed), and the desk's name (several desks may share one NATS).
 *
 * @param servers the NATS servers' URLs, tried in order
 * @param desk the desk's name: letters, digits, {@code -} and {@code _}
 */
public record ClusterSettings(List<String> servers, String desk) {

    /** What a desk's name may hold: a word fit for a NATS subject and a stream's name. */
    public static final Pattern DESK_NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    /** The desk's name when none is given. */
    public static final String DEFAULT_DESK = "parley";

    public ClusterSettings {
        servers = List.copyOf(servers);
        Objects.requireNonNull(desk, "desk");
        if (servers.isEmpty() || !DESK_NAME.matcher(desk).matches()) {
            throw new IllegalArgumentException("servers and a desk's name are needed");
        }
    }

    /**
     * {@code url} with any user, password or token replaced by {@code ***}, fit for a log line.
     *
     * @param url a NATS server's URL, as given
     * @return the URL without its secret
     */
    public static String masked(String url) {
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        if (at < 0) {
            return url;
        }
        return (scheme < 0 ? "" : url.substring(0, scheme + 3)) + "***" + url.substring(at);
    }

    /**
     * Whether {@code url} is a NATS server's URL Parley takes: {@code nats://} or {@code tls://}, a host and a port.
     *
     * @param url as given
     * @return true when usable
     */
    public static boolean isServerUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("nats".equals(uri.getScheme()) || "tls".equals(uri.getScheme())) && uri.getHost() != null && uri.getPort() > 0
                    && (uri.getPath() == null || uri.getPath().isEmpty()) && uri.getQuery() == null && uri.getFragment() == null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
