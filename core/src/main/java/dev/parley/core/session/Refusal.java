package dev.parley.core.session;

/** Why a server will not take a conversation, in the words its peer is told. */
public sealed interface Refusal {

    /** The failure report sent to the peer, e.g. {@code busy: 100 conversations open, ...}. */
    String reason();

    /** As many conversations are open as the server takes. */
    record Busy(int open) implements Refusal {
        @Override
        public String reason() {
            return "busy: " + open + (open == 1 ? " conversation" : " conversations")
                    + " open, the most this server takes; try again later";
        }
    }
}
