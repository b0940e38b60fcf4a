package dev.parley.web;

import io.netty.util.NetUtil;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which pages may join and by which names the server is reached: the defence against a page on
 * another site opening a WebSocket to this server in its visitor's browser (cross-site WebSocket
 * hijacking) and against a name of the attacker's that resolves to this machine (DNS rebinding).
 *
 * <p>By default a WebSocket is taken only from a page of this server itself (its {@code Origin}
 * is {@code http://} or {@code https://} and the very host and port the request was sent to), and
 * the server answers only to an IP address or {@code localhost}; each origin given
 * ({@code --web-origin}) may join too, and its host name is answered to. {@code *} allows every
 * origin and name. A request without an {@code Origin} does not come from a page (a program's
 * WebSocket client) and is let through: it could say anything it liked.
 */
public final class Origins {

    private final boolean any;
    private final List<String> allowed;

    private Origins(boolean any, List<String> allowed) {
        this.any = any;
        this.allowed = List.copyOf(allowed);
    }

    /** Only this server's own pages, reached by an IP address or {@code localhost}. */
    public static Origins sameOriginOnly() {
        return new Origins(false, List.of());
    }

    /**
     * Reads a comma-separated list of origins ({@code https://chat.example.org,http://10.0.0.5:8080})
     * or {@code *}.
     *
     * @throws IllegalArgumentException with a message for people when an entry is not an origin
     */
    public static Origins parse(String text) {
        List<String> origins = new ArrayList<>();
        for (String entry : text.split(",", -1)) {
            String origin = entry.strip();
            if (origin.equals("*")) {
                return new Origins(true, List.of());
            }
            String normalized = normalize(origin);
            if (normalized == null) {
                throw new IllegalArgumentException("'" + origin + "' is not an origin; write http://HOST[:PORT] or https://HOST[:PORT], "
                        + "several separated by commas, or * for any");
            }
            origins.add(normalized);
        }
        return new Origins(false, origins);
    }

    /**
     * True when a request sent with this {@code Host} header names this server: an IP address,
     * {@code localhost}, or the host of an allowed origin.
     */
    boolean servesHost(String hostHeader) {
        if (any) {
            return true;
        }
        String host = hostOf(hostHeader);
        if (host == null) {
            return false;
        }
        if (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)
                || host.equals("localhost") || host.endsWith(".localhost")) {
            return true;
        }
        for (String origin : allowed) {
            if (host.equals(hostOf(origin.substring(origin.indexOf("://") + 3)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when a page of {@code originHeader} (null when the request has none) may open a WebSocket
     * sent to {@code hostHeader}, over TLS when {@code secure}.
     */
    boolean allows(String originHeader, String hostHeader, boolean secure) {
        if (any || originHeader == null) {
            return true;
        }
        String origin = normalize(originHeader);
        if (origin == null) {
            return false; // "null" (a sandboxed or file: page), or not an origin at all
        }
        if (allowed.contains(origin)) {
            return true;
        }
        String self = normalize((secure ? "https://" : "http://") + hostHeader);
        return self != null && self.equals(origin);
    }

    /** {@code scheme://host[:port]} in lower case, the scheme's default port left out; null when {@code text} is not an origin. */
    static String normalize(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean http = scheme.equals("http");
        if (!(http || scheme.equals("https")) || uri.getHost() == null || uri.getRawUserInfo() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty()) || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return null;
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (http ? port == 80 : port == 443);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    /** The host of a {@code Host} header ({@code name}, {@code name:port}, {@code [v6]:port}), lower case; null when malformed. */
    static String hostOf(String hostHeader) {
        if (hostHeader == null || hostHeader.isEmpty()) {
            return null;
        }
        String host = hostHeader.toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close < 0 ? null : host.substring(1, close);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }
}
