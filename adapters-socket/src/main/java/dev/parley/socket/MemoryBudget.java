package dev.parley.socket;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of their peers' data that all of a server's conversations hold at once (unfinished
 * lines, replies the peer has not taken yet), against a budget. Each conversation reports what it
 * holds after each input; when the total passes the budget, the conversations holding the most are
 * dropped (told why, their memory given back at once), and new conversations are refused until the
 * total is back under it. A flood of long partial lines is then refused, never fatal.
 */
final class MemoryBudget {

    private final long limit;
    private final AtomicLong held = new AtomicLong();
    private final Set<ConversationHandler> holders = ConcurrentHashMap.newKeySet();

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

    void join(ConversationHandler holder) {
        holders.add(holder);
    }

    /**
     * {@code holder} now holds {@code delta} more bytes (or fewer). Over the budget, the largest
     * holders are dropped until what they hold brings the total back to nine tenths of it: room is
     * left, so a conversation that holds little (a person's line) is still admitted and served
     * while a flood of large holders is turned away.
     */
    void change(ConversationHandler holder, long delta) {
        if (delta == 0) {
            return;
        }
        long total = held.addAndGet(delta);
        if (total <= limit || delta < 0) {
            return;
        }
        List<ConversationHandler> largestFirst = new ArrayList<>();
        for (ConversationHandler other : holders) {
            if (!other.dropped() && other.held() > 0) {
                largestFirst.add(other);
            }
        }
        largestFirst.sort(Comparator.comparingLong(ConversationHandler::held).reversed());
        long excess = total - limit / 10 * 9;
        for (ConversationHandler victim : largestFirst) {
            if (excess <= 0) {
                break;
            }
            excess -= victim.held();
            victim.dropForMemory();
        }
    }

    /** {@code holder}'s connection closed: what it held is given back. */
    void leave(ConversationHandler holder, long stillHeld) {
        holders.remove(holder);
        held.addAndGet(-stillHeld);
    }
}
