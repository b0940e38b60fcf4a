package dev.parley.app.wiring;

import java.util.Locale;

/**
 * The kinds of refusal the server reports ({@code ServerEvents.refused}), read from the word its
 * code puts before the first colon of each reason ({@code busy: ...}, {@code tls: ...}): the log's
 * summary of refusals and the metrics' {@code reason} label both come from here, so a label is
 * always one of these names and never text a peer sent.
 */
enum RefusalKind {
    BUSY("busy"),
    TOO_MANY("too many"),
    MEMORY("memory"),
    NOT_A_MESSAGE("not a message"),
    TLS("tls"),
    PROXY_PROTOCOL("proxy protocol"),
    WEB("web"),
    WRONG_HOST("not this server's name"),
    CROSS_SITE("cross-site"),
    FAILED("failed"),
    UNAVAILABLE("unavailable"),
    /** A reason with none of the words above (a new one not added here yet). */
    OTHER("other");

    private final String word;

    RefusalKind(String word) {
        this.word = word;
    }

    /** The kind of {@code reason}, from its first word(s) before the colon. */
    static RefusalKind of(String reason) {
        int colon = reason.indexOf(':');
        String word = colon < 0 ? "" : reason.substring(0, colon);
        for (RefusalKind kind : values()) {
            if (kind != OTHER && kind.word.equals(word)) {
                return kind;
            }
        }
        return OTHER;
    }

    /** The words the reasons start with, as the log's summary shows them. */
    String word() {
        return word;
    }

    /** The metrics' label: the name in lower case. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
