package dev.parley.app;

import dev.parley.socket.ServerSettings;
import java.io.PrintStream;

/** What the server's limits may ask of the heap, said at start-up when the heap cannot give it. */
final class MemoryLimits {

    private MemoryLimits() {}

    /** Warns, one line each, when the memory budget passes the heap or the limits may pass the budget. */
    static void warnIfTooLow(ServerSettings settings, PrintStream err) {
        long heap = Runtime.getRuntime().maxMemory();
        long budget = settings.memoryBudget();
        if (budget > heap / 2) {
            err.println("parley: warning: the memory budget (" + SizeParser.format(budget) + ") is more than half the heap ("
                    + SizeParser.format(heap) + "): the heap may run out before the budget does; lower --memory-budget or raise -Xmx");
            return;
        }
        long mostAsked = settings.maxConversations() * settings.mostHeldByOne();
        if (mostAsked > budget) {
            err.println("parley: warning: " + settings.maxConversations() + " conversations may hold up to "
                    + SizeParser.format(mostAsked) + " of unfinished lines and unsent replies, more than the memory budget of "
                    + SizeParser.format(budget) + " (heap " + SizeParser.format(heap) + "); past it the conversations holding the most"
                    + " are ended (--memory-budget, --max-line-bytes, --max-conversations, -Xmx)");
        }
    }
}
