package dev.parley.load;

import dev.parley.core.port.Transcript;
import dev.parley.core.session.Outcome;
import java.util.function.UnaryOperator;
import org.HdrHistogram.Histogram;

/**
 * What one conversation of the load generator makes of what it hears: each reply must be exactly
 * the message sent, its round trip timed into the histogram, and the conversation must end by its
 * own bye; a notice ends nothing (a console server's queue, say: the stall timeout covers a wait
 * too long). A wrong reply is described, never quoted: nothing a server sends is shown but an
 * ending's detail, which the report keeps as it came for its printer to render.
 */
final class ReplyCheck implements Transcript {

    private final String conversation;
    private final Histogram latency;
    private final UnaryOperator<String> advice;
    private int sent;
    private String expected;
    private long sentAt;
    private boolean finished;
    private String failure;

    /**
     * @param conversation how the report names the conversation, e.g. {@code conversation 3}
     * @param latency where each round trip's nanoseconds go
     * @param advice for the failure report of a server that ended the conversation, what to change
     *     (a server option, say) with a leading space, or the empty string
     */
    ReplyCheck(String conversation, Histogram latency, UnaryOperator<String> advice) {
        this.conversation = conversation;
        this.latency = latency;
        this.advice = advice;
    }

    /** This side says {@code message} now (at {@code nanos}): the next reply must be exactly it. */
    void expect(String message, long nanos) {
        expected = message;
        sentAt = nanos;
        sent++;
    }

    /** How many messages this side has said. */
    int sent() {
        return sent;
    }

    /** True once the conversation ended by this side's bye. */
    boolean finished() {
        return finished;
    }

    /** What went wrong, naming the conversation, or null while nothing has. */
    String failure() {
        return failure;
    }

    @Override
    public void heard(String reply) {
        long now = System.nanoTime();
        if (expected == null) {
            failure = conversation + ": a reply came before any message was sent";
        } else if (!reply.equals(expected)) {
            int same = 0;
            while (same < Math.min(reply.length(), expected.length()) && reply.charAt(same) == expected.charAt(same)) {
                same++;
            }
            failure = conversation + ": reply " + sent + " was not '" + abbreviate(expected) + "', the message sent: it has "
                    + reply.length() + " characters and differs from character " + (same + 1) + " (is the server an echo server?)";
        } else {
            latency.recordValue(now - sentAt);
        }
    }

    @Override
    public void ended(Outcome outcome) {
        if (outcome.ending() == Outcome.Ending.SAID_BYE) {
            finished = true;
        } else {
            failure = conversation + ": the server ended the conversation before reply " + sent + ": " + outcome.describe()
                    + (outcome.ending() == Outcome.Ending.PEER_FAILED ? advice.apply(outcome.detail()) : "");
        }
    }

    static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
