package dev.parley.socket.server;

import dev.parley.core.session.Refusal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's conversation slots: at most {@code limit} open at once, at most {@code perAddress}
 * from one address, and none while the memory budget is spent. Taken and given back from any event
 * loop.
 */
final class Admission {

    private final int limit;
    private final int perAddress;
    private final MemoryBudget memory;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> byAddress = new ConcurrentHashMap<>();

    Admission(int limit, int perAddress, MemoryBudget memory) {
        this.limit = limit;
        this.perAddress = perAddress;
        this.memory = memory;
    }

    /**
     * Claims a slot for a connection from {@code client} (the address its PROXY header gave, else its
     * peer's; one that is not an IP address counts as the loopback's).
     */
    Slot claim(SocketAddress client) {
        InetAddress from = client instanceof InetSocketAddress inet ? inet.getAddress() : InetAddress.getLoopbackAddress();
        return new Slot(from, admit(from));
    }

    /** One connection's claim: refused (and why), or a slot held until it is released, once. */
    final class Slot {
        private final InetAddress from;
        private final Refusal refusal;
        private boolean held;

        private Slot(InetAddress from, Refusal refusal) {
            this.from = from;
            this.refusal = refusal;
            this.held = refusal == null;
        }

        /** Why the connection is refused; null when it holds its slot. */
        Refusal refusal() {
            return refusal;
        }

        /** Gives the slot back, if it holds one: called when its connection closes. */
        void release() {
            if (held) {
                held = false;
                Admission.this.release(from);
            }
        }
    }

    /** Takes a slot for a conversation from {@code from}; the reason it is refused, or null when it is admitted. */
    Refusal admit(InetAddress from) {
        if (memory.over()) {
            return new Refusal.ShortOfMemory();
        }
        while (true) {
            int now = open.get();
            if (now >= limit) {
                return new Refusal.Busy(limit);
            }
            if (open.compareAndSet(now, now + 1)) {
                break;
            }
        }
        int[] mine = new int[1];
        byAddress.merge(from, 1, (count, one) -> mine[0] = count + one);
        if (mine[0] > perAddress) {
            release(from);
            return new Refusal.TooManyFromAddress(perAddress);
        }
        return null;
    }

    /** Gives a slot back; called exactly once per admitted conversation, when its connection closes. */
    void release(InetAddress from) {
        open.decrementAndGet();
        byAddress.computeIfPresent(from, (address, count) -> count <= 1 ? null : count - 1);
    }

    int open() {
        return open.get();
    }
}
