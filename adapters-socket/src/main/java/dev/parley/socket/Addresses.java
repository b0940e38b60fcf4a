package dev.parley.socket;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;

/** Addresses and socket errors written the way people read them. */
public final class Addresses {

    private Addresses() {}

    /** {@code host:port}, with IPv6 hosts in brackets: {@code [::1]:1234}. */
    public static String format(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** A socket address as {@code host:port}, using the literal IP. */
    public static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress) {
            InetSocketAddress inet = (InetSocketAddress) address;
            InetAddress ip = inet.getAddress();
            String host = ip instanceof Inet6Address ? compact((Inet6Address) ip)
                    : ip != null ? ip.getHostAddress() : inet.getHostString();
            return format(host, inet.getPort());
        }
        return String.valueOf(address);
    }

    /** The RFC 5952 text form of an IPv6 address: {@code ::1}, not {@code 0:0:0:0:0:0:0:1}. */
    static String compact(Inet6Address ip) {
        byte[] b = ip.getAddress();
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && words[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(words[i]));
        }
        return out.toString();
    }

    /** A short lower-case reason for a socket error: "connection refused", "connection reset". */
    public static String reason(IOException e) {
        if (e instanceof UnknownHostException) {
            return "unknown host";
        }
        if (e instanceof SocketTimeoutException) {
            return "timed out";
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to host";
        }
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        // Netty's native transport says "bind(..) failed with error(-98): Address already in use".
        int nativeError = message.indexOf("failed with error(");
        if (nativeError >= 0 && message.indexOf("): ", nativeError) > 0) {
            message = message.substring(message.indexOf("): ", nativeError) + 3);
        }
        if (e instanceof ConnectException && message.contains("refused")) {
            return "connection refused";
        }
        if ((e instanceof BindException || nativeError >= 0) && message.contains("in use")) {
            return "address already in use";
        }
        if (message.contains("reset")) {
            return "connection reset by peer";
        }
        if (message.contains("broken pipe")) {
            return "connection closed by peer";
        }
        int paren = message.indexOf(" (");
        String text = paren > 0 ? message.substring(0, paren) : message;
        return text.isEmpty() ? e.getClass().getSimpleName() : text;
    }
}
