package dev.parley.socket.server;

import java.util.Locale;

/** The way a conversation came in: the TCP port in plain text, the TCP port over TLS, or the web page (http or https). */
public enum Front {
    TCP,
    TLS,
    WEB;

    /** Its name in lower case, as the metrics label it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
