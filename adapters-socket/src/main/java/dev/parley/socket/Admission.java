package dev.parley.socket;

import java.util.concurrent.atomic.AtomicInteger;

/** The server's conversation slots: at most {@code limit} open at once, taken and given back from any event loop. */
final class Admission {

    private final int limit;
    private final AtomicInteger open = new AtomicInteger();

    Admission(int limit) {
        this.limit = limit;
    }

    /** Takes a slot if one is free. */
    boolean tryAdmit() {
        while (true) {
            int now = open.get();
            if (now >= limit) {
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Gives a slot back; called exactly once per admitted conversation, when its connection closes. */
    void release() {
        open.decrementAndGet();
    }

    int open() {
        return open.get();
    }

    int limit() {
        return limit;
    }
}
