package dev.parley.web;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The web port's connections that are not conversations yet (a page request, a WebSocket handshake
 * under way): at most {@code limit} at once, at most {@code perAddress} from one address, so that
 * connections that never ask for anything cannot pile up. Each lives only until its request is
 * answered or its deadline passes. Taken and given back from any event loop.
 */
final class PendingRequests {

    private final int limit;
    private final int perAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> byAddress = new ConcurrentHashMap<>();

    PendingRequests(int limit, int perAddress) {
        this.limit = limit;
        this.perAddress = perAddress;
    }

    /** Takes a place for a connection from {@code from}; false when there is none. */
    boolean take(InetAddress from) {
        if (open.incrementAndGet() > limit) {
            open.decrementAndGet();
            return false;
        }
        int[] mine = new int[1];
        byAddress.merge(from, 1, (count, one) -> mine[0] = count + one);
        if (mine[0] > perAddress) {
            release(from);
            return false;
        }
        return true;
    }

    /** Gives a place back; once for each {@link #take} that returned true. */
    void release(InetAddress from) {
        open.decrementAndGet();
        byAddress.computeIfPresent(from, (address, count) -> count <= 1 ? null : count - 1);
    }

    int open() {
        return open.get();
    }
}
