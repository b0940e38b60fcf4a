package dev.parley.socket.server;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one account of what a server holds for its clients, against its memory budget: every
 * connection, from its accept to its close, whether its conversation was admitted, refused or not
 * started yet (a page request, a PROXY header, a TLS handshake), through its {@link MemoryShare}.
 * Each connection's driver ({@link ConversationHandler}) counts what it holds (its session's
 * unfinished line and kept messages, its unsent replies, what the decoders before it hold:
 * {@link HeldBytes}) after each read and each input, and tells the change here. When the total passes the budget, the
 * connections holding the most are ended (told why, {@code !memory: ...}), and new conversations
 * are refused until the total is back under it. A flood of long partial lines, frames or messages
 * waiting for the operator is then refused, never fatal. See docs/VERIFICATION.md for every place
 * bytes wait and its bound.
 */
final class MemoryBudget {

    private final long limit;
    private final AtomicLong held = new AtomicLong();
    private final Set<MemoryShare> holders = ConcurrentHashMap.newKeySet();

    MemoryBudget(long limit) {
        this.limit = limit;
    }

    long limit() {
        return limit;
    }

    long held() {
        return held.get();
    }

    boolean over() {
        return held.get() > limit;
    }

    void join(MemoryShare holder) {
        holders.add(holder);
    }

    /**
     * {@code holder} now holds {@code delta} more bytes (or fewer). Over the budget, the largest
     * holders are ended until what they hold brings the total back to nine tenths of it: room is
     * left, so a conversation that holds little (a person's line) is still admitted and served
     * while a flood of large holders is turned away. Those already ended are not chosen again; what
     * they still hold counts until it is given back, which their drivers do at once (see
     * {@link ConversationHandler}), so admission waits for it rather than letting memory that is
     * still held be promised to newcomers. The change may be the server's own (the shared desk's
     * queued appends): it has no connection to end, so the connections make room.
     */
    void change(long delta) {
        if (delta == 0) {
            return;
        }
        long total = held.addAndGet(delta);
        if (total <= limit || delta < 0) {
            return;
        }
        List<Holding> largestFirst = new ArrayList<>();
        for (MemoryShare other : holders) {
            long theirs = other.held(); // read once: it changes on other loops meanwhile
            if (!other.dropped() && theirs > 0) {
                largestFirst.add(new Holding(other, theirs));
            }
        }
        long excess = total - limit / 10 * 9;
        largestFirst.sort(Comparator.comparingLong(Holding::bytes).reversed());
        for (Holding victim : largestFirst) {
            if (excess <= 0) {
                break;
            }
            excess -= victim.bytes();
            victim.holder().drop();
        }
    }

    private record Holding(MemoryShare holder, long bytes) {}

    /**
     * Takes {@code bytes} for the server itself (a turn relayed by another replica of the desk), only
     * if they fit under the budget: no connection is ended for them, the holder refuses what does not fit.
     *
     * @return whether they were taken (give them back with {@link #give})
     */
    boolean take(long bytes) {
        long now;
        do {
            now = held.get();
            if (now + bytes > limit) {
                return false;
            }
        } while (!held.compareAndSet(now, now + bytes));
        return true;
    }

    /** Gives back {@code bytes} taken with {@link #take}. */
    void give(long bytes) {
        held.addAndGet(-bytes);
    }

    /** {@code holder}'s connection closed: what it held is given back. */
    void leave(MemoryShare holder, long stillHeld) {
        holders.remove(holder);
        held.addAndGet(-stillHeld);
    }
}
