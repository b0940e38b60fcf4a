package dev.parley.socket.tls;

import dev.parley.core.session.Durations;
import dev.parley.socket.Addresses;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLException;

/** A TLS connection that failed, in the words a client's person is told. */
public final class TlsReasons {

    private TlsReasons() {}

    /** The handshake did not finish in time. */
    public static String timedOut(TlsWire wire, Duration timeout) {
        return wire.firstBytes().length == 0
                ? "no TLS answer within " + Durations.format(timeout) + " (connect timeout); a plaintext server says nothing to a "
                        + "TLS client: is it one? then drop --tls"
                : "the TLS handshake did not finish within " + Durations.format(timeout) + " (connect timeout)";
    }

    /** Why a TLS connection failed; {@code firstBytes}, when given, are what the server sent first. */
    public static String clientSide(IOException e, byte[] firstBytes) {
        if (firstBytes != null && firstBytes.length > 0 && !isTlsRecord(firstBytes[0])) {
            return "the server does not speak TLS: it answered in plain text ('" + printable(firstBytes)
                    + "'); drop --tls to talk to it";
        }
        String message = String.valueOf(e.getMessage());
        String m = message.toLowerCase(Locale.ROOT);
        if (e instanceof EOFException && m.contains("handshake")) {
            return message + (firstBytes != null && firstBytes.length == 0 ? "; does it speak TLS? a plaintext server may: drop --tls" : "");
        }
        if (m.contains("certificate_unknown") || m.contains("bad_certificate") || m.contains("certificate_required")
                || m.contains("unknown_ca") || m.contains("access_denied")) {
            return "the server refused this client (TLS alert " + TlsFailures.alert(m) + "): it lets in only the clients it "
                    + "knows; give its operator this client's fingerprint, from 'parley fingerprint --client'";
        }
        if (m.contains("protocol_version") || m.contains("protocol versions") || m.contains("no appropriate protocol")) {
            return "the server does not speak TLS 1.3, the only version Parley speaks";
        }
        if (m.contains("unsupported or unrecognized ssl message") || m.contains("not an ssl/tls record")) {
            return "the server does not speak TLS; drop --tls to talk to it";
        }
        if (e instanceof EOFException) {
            return message;
        }
        if (e instanceof SSLException) {
            return "TLS failed: " + message;
        }
        return Addresses.reason(e);
    }

    /** True for the first byte of a TLS record: change_cipher_spec, alert, handshake or application data. */
    static boolean isTlsRecord(byte first) {
        return first >= 0x14 && first <= 0x17;
    }

    /** The bytes as text, escaping what is not printable ASCII, without a leading '!' of a failure line. */
    private static String printable(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.US_ASCII);
        int end = text.indexOf('\n');
        if (end >= 0) {
            text = text.substring(0, end);
        }
        if (text.startsWith("!")) {
            text = text.substring(1);
        }
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return out.toString();
    }
}
