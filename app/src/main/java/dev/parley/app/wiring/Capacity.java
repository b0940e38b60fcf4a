package dev.parley.app.wiring;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.parley.app.cli.Exits;
import dev.parley.app.cli.SizeParser;
import dev.parley.app.cli.UserError;
import dev.parley.socket.server.ServerSettings;
import dev.parley.socket.tls.TlsProvider;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a server's limits ask of the machine, checked once at start-up: the heap, the direct-memory
 * limit and the open-file limit must hold the memory budget and every connection the limits
 * admit, or the server does not start. A limit the person gave that cannot fit is refused (exit 2,
 * one line naming the flag to change); a default that cannot fit is lowered to what fits, said in
 * one line. So a server never starts with limits that the load they admit would exhaust.
 *
 * <p>The memory budget ({@code --memory-budget}) holds everything clients' bytes cost, counted as
 * they are held (see docs/VERIFICATION.md); those bytes may be on the heap (a session's line) or in
 * Netty's pooled direct memory (a read, a frame in part, a reply not yet taken), so the budget may
 * be at most half of each: the rest of the heap is the server's own, the rest of direct memory is
 * each event loop's reads and the pool's chunks. Besides the budget each open connection costs a
 * constant, {@link #PER_CONNECTION}, of the heap (its channel and pipeline, its session), which
 * three quarters of the heap must hold with the budget for every connection the limits allow: the
 * conversations, and with {@code --web} as many page requests waiting for an answer.
 */
public final class Capacity {

    /**
     * The heap a server with {@code --cluster} holds outside the memory budget, once: the NATS client
     * library's fixed buffers (a compile-time constant: reading it loads no NATS class).
     */
    public static final long CLUSTER_BYTES = dev.parley.cluster.NatsDesk.LIBRARY_BYTES;

    /** The heap an open connection costs outside the memory budget: measured 2.6 KiB (TCP) and 2.9 KiB (WebSocket), rounded up. */
    static final long PER_CONNECTION = 4 * 1024;

    /**
     * What each open connection costs besides the memory budget, by how it is carried: of the heap,
     * and outside the heap and direct memory (BoringSSL's own state, which no JVM limit bounds). The
     * TLS figures are an idle conversation's after its handshake (benchmarks/perf/tls-memory.sh):
     * the JDK's engine 8.0 KB of heap more than a plaintext one; BoringSSL's 3.8 KB of heap and 10 KB
     * outside it (RSS with the heap touched beforehand, less a plaintext conversation's), rounded up.
     */
    public enum PerConnection {
        PLAIN(PER_CONNECTION, 0, Optional.empty()),
        TLS_JDK(10 * 1024, 0, Optional.of(TlsProvider.JDK)),
        TLS_BORINGSSL(6 * 1024, 12 * 1024, Optional.of(TlsProvider.OPENSSL));

        final long heap;
        final long outsideHeap;
        final Optional<TlsProvider> tls;

        PerConnection(long heap, long outsideHeap, Optional<TlsProvider> tls) {
            this.heap = heap;
            this.outsideHeap = outsideHeap;
            this.tls = tls;
        }

        /** The cost of a connection carried by {@code tls} (empty: plain text). */
        public static PerConnection of(Optional<TlsProvider> tls) {
            return tls.isEmpty() ? PLAIN : tls.get() == TlsProvider.JDK ? TLS_JDK : TLS_BORINGSSL;
        }
    }

    /**
     * Set (-Dparley.uncheckedLimits=true) only to test what happens when the account fails anyway:
     * the limits are taken as given, unchecked, and the server may die under the load they admit.
     */
    static final String UNCHECKED = "parley.uncheckedLimits";

    /** The machine as this JVM sees it. */
    public record Machine(long heap, long directMemory, OptionalLong openFiles) {

        public static Machine current() {
            long heap = Runtime.getRuntime().maxMemory();
            long direct = 0;
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (hotspot != null) {
                direct = Long.parseLong(hotspot.getVMOption("MaxDirectMemorySize").getValue());
            }
            OptionalLong files = FileLimits.maxOpenFiles();
            // 0, the JVM's default: as much direct memory as heap.
            return new Machine(heap, direct > 0 ? direct : heap, files);
        }
    }

    /** Limits that fit, and the lines that say what was lowered (none when nothing was). */
    public record Fit(ServerSettings settings, List<String> lowered) {}

    private Capacity() {}

    /**
     * Fits {@code settings} to {@code machine}: given limits that cannot fit are refused, defaults lowered.
     *
     * @param web whether a web port listens (its page requests are connections too)
     * @param operators how many operators may be connected at once ({@code --max-operators}; 0 without {@code --operators})
     * @param budgetGiven whether --memory-budget was given
     * @param conversationsGiven whether --max-conversations was given
     * @throws UserError (exit 2) naming the flag to change, when a given limit cannot fit
     */
    public static Fit fit(ServerSettings settings, boolean web, int operators, boolean budgetGiven, boolean conversationsGiven, Machine machine)
            throws UserError {
        return fit(settings, web, operators, budgetGiven, conversationsGiven, machine, PerConnection.PLAIN, 0);
    }

    /**
     * As {@link #fit(ServerSettings, boolean, int, boolean, boolean, Machine)}, each connection costing {@code cost}, and
     * the process {@code perProcess} bytes of heap besides (with --cluster, {@link #CLUSTER_BYTES}).
     */
    public static Fit fit(ServerSettings settings, boolean web, int operators, boolean budgetGiven, boolean conversationsGiven,
            Machine machine, PerConnection cost, long perProcess) throws UserError {
        List<String> lowered = new ArrayList<>();
        if (Boolean.getBoolean(UNCHECKED)) {
            return new Fit(settings, lowered);
        }
        long budget = settings.memoryBudget();
        long mostBudget = Math.min(machine.heap() / 2, machine.directMemory() / 2);
        if (budget > mostBudget) {
            String why = "half the heap (" + size(machine.heap()) + ") and half the direct-memory limit ("
                    + size(machine.directMemory()) + "), " + size(mostBudget);
            if (budgetGiven) {
                throw new UserError("--memory-budget " + size(budget) + " does not fit this JVM: at most " + why
                        + "; lower --memory-budget, or raise -Xmx (and -XX:MaxDirectMemorySize)", Exits.USAGE, null);
            }
            budget = mostBudget;
            lowered.add("parley: the memory budget is lowered to " + size(budget) + ", " + why.substring(0, why.lastIndexOf(','))
                    + " allow no more (--memory-budget)");
        }
        int conversations = settings.maxConversations();
        long fitted = budget + perProcess;
        int mostByHeap = mostConversations(n -> fitted + connections(n, web, operators) * cost.heap <= machine.heap() / 4 * 3);
        int mostByFiles = machine.openFiles().isEmpty() ? Integer.MAX_VALUE
                : mostConversations(n -> connections(n, web, operators) + FileLimits.OVERHEAD <= machine.openFiles().getAsLong());
        int most = Math.min(mostByHeap, mostByFiles);
        if (conversations > most) {
            String why = mostByHeap <= mostByFiles
                    ? "each connection costs about " + size(cost.heap) + " of heap besides the memory budget of " + size(budget)
                            + (perProcess > 0 ? " and the cluster's " + size(perProcess) : "") + ", and the heap (" + size(machine.heap()) + ") holds " + count(mostByHeap)
                    : "each connection is an open file, and the open-file limit (" + count(machine.openFiles().getAsLong())
                            + ") holds " + count(mostByFiles);
            String connectionsToo = (web ? " (with --web, and as many page requests waiting)" : "")
                    + (operators > 0 ? " (with " + count(operators) + " operators' connections, --max-operators)" : "");
            if (most < 1 || conversationsGiven) {
                String fix = mostByHeap <= mostByFiles ? "lower --max-conversations or --memory-budget, or raise -Xmx"
                        : "lower --max-conversations, or raise the open-file limit (ulimit -n)";
                throw new UserError("--max-conversations " + count(conversations) + " does not fit" + connectionsToo + ": " + why
                        + "; " + fix, Exits.USAGE, null);
            }
            conversations = most;
            lowered.add("parley: --max-conversations is lowered to " + count(most) + connectionsToo + ": " + why);
        }
        if (lowered.isEmpty()) {
            return new Fit(settings, lowered);
        }
        return new Fit(new ServerSettings(settings.bind(), settings.port(), settings.framing(), settings.limits(), conversations,
                settings.maxPerAddress(), budget, settings.backlog(), settings.proxyProtocol()), lowered);
    }

    /**
     * The start-up line that says what the limits allow for connections costing {@code cost}, e.g.
     * {@code parley: up to 100 conversations at once (--max-conversations), about 4 KiB of heap each
     * besides the memory budget of 32 MiB (heap 128 MiB, direct memory 128 MiB); the open-file limit,
     * 20,000, allows 19,936}; with TLS, it names the provider ({@code tls}, as
     * {@link TlsProvider.Choice#describe()}) and what each connection costs outside the heap, e.g.
     * {@code ...; TLS on BoringSSL (netty-tcnative), about 12 KiB each outside the heap; the open-file...}.
     */
    static String line(ServerSettings settings, boolean web, int operators, Machine machine, PerConnection cost,
            Optional<TlsProvider.Choice> tls, long perProcess) {
        String line = "parley: up to " + count(settings.maxConversations()) + " conversations at once (--max-conversations)"
                + (web ? " and as many page requests" : "")
                + (operators > 0 ? " and " + count(operators) + " operators (--max-operators)" : "") + ", about " + size(cost.heap)
                + " of heap each besides the memory budget of " + size(settings.memoryBudget())
                + (perProcess > 0 ? " and " + size(perProcess) + " for the cluster's client (--cluster)" : "") + " (heap " + size(machine.heap())
                + ", direct memory " + size(machine.directMemory()) + ")";
        if (tls.isPresent()) {
            line += "; TLS on " + tls.get().describe() + (cost.outsideHeap == 0 ? ""
                    : ", about " + size(cost.outsideHeap) + " each outside the heap");
        }
        return machine.openFiles().isEmpty() ? line : line + "; the open-file limit, " + count(machine.openFiles().getAsLong())
                + ", allows " + count(Math.max(0, machine.openFiles().getAsLong() - FileLimits.OVERHEAD));
    }

    /** The connections {@code conversations} may open at once: with --web, as many page requests again (at least 128); the operators'. */
    static long connections(long conversations, boolean web, int operators) {
        return conversations + (web ? Math.max(ParleyServer.WAITING_WEB_REQUESTS, conversations) : 0) + operators;
    }

    /** The largest count that {@code fits} (which holds for all smaller ones), 0 when none. */
    private static int mostConversations(java.util.function.LongPredicate fits) {
        long low = 0;
        long high = Integer.MAX_VALUE;
        while (low < high) {
            long mid = (low + high + 1) >>> 1;
            if (fits.test(mid)) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return (int) low;
    }

    private static String size(long bytes) {
        return SizeParser.format(bytes);
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
