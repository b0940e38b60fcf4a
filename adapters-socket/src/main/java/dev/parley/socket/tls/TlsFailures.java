package dev.parley.socket.tls;

import dev.parley.socket.Addresses;
import dev.parley.socket.ProcessErrors;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/** A failed TLS handshake or connection, in the words of the server's log. */
public final class TlsFailures {

    private TlsFailures() {}

    /** Why a handshake or a TLS connection failed, as the server sees it. */
    public static String serverSide(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ServerTls.ClientRefused) {
                return "the client's key " + ((ServerTls.ClientRefused) t).fingerprint + " " + t.getMessage();
            }
        }
        if (ProcessErrors.connectionError(failure)) {
            return "handshake failed: " + ProcessErrors.describe("what the client sent", failure);
        }
        Throwable cause = failure instanceof DecoderException && failure.getCause() != null ? failure.getCause() : failure;
        String message = String.valueOf(cause.getMessage());
        String m = message.toLowerCase(Locale.ROOT);
        String boringSsl = boringSslReason(message);
        if (boringSsl.equals("CANNOT_PARSE_LEAF_CERT")) {
            return "handshake failed: what the client sent cannot be parsed (its certificate; BoringSSL: " + boringSsl + ")";
        }
        if (cause instanceof NotSslRecordException) {
            return "not TLS (garbage after a handshake record)";
        }
        if (cause instanceof SslHandshakeTimeoutException) {
            return "handshake timed out";
        }
        if (cause instanceof ClosedChannelException || m.contains("connection closed while")) {
            return "the client closed the connection during the handshake";
        }
        if (m.contains("empty client certificate chain") || m.contains("presented no certificate") || m.contains("certificate_required")) {
            return "the client presented no certificate (this server lets only its authorized clients in)";
        }
        if (m.contains("certificate_unknown") || m.contains("bad_certificate") || m.contains("unknown_ca")) {
            return "the client did not trust this server's certificate (" + alert(m) + "): it may not know this server's key yet, "
                    + "or expected another";
        }
        if (m.contains("protocol_version") || m.contains("protocol versions") || m.contains("no appropriate protocol")) {
            return "the client does not speak TLS 1.3";
        }
        if (m.contains("received fatal alert")) {
            return "the client ended the handshake (" + alert(m) + ")";
        }
        if (cause instanceof SSLException) {
            return "handshake failed: " + message;
        }
        if (cause instanceof IOException) {
            return Addresses.reason((IOException) cause);
        }
        return String.valueOf(cause);
    }

    /**
     * The reason in a BoringSSL error, {@code "error:10000110:SSL routines:OPENSSL_internal:CANNOT_PARSE_LEAF_CERT"}
     * (Netty's OpenSSL engine words its failures so); "" for any other message.
     */
    static String boringSslReason(String message) {
        int at = message.indexOf(":OPENSSL_internal:");
        if (!message.startsWith("error:") || at < 0) {
            return "";
        }
        String reason = message.substring(at + ":OPENSSL_internal:".length());
        int end = 0;
        while (end < reason.length() && (Character.isUpperCase(reason.charAt(end)) || Character.isDigit(reason.charAt(end))
                || reason.charAt(end) == '_')) {
            end++;
        }
        return reason.substring(0, end);
    }

    /** The alert's name in {@code "received fatal alert: certificate_unknown"}. */
    static String alert(String message) {
        int at = message.indexOf("alert: ");
        return at >= 0 ? message.substring(at + 7).trim() : message;
    }
}
