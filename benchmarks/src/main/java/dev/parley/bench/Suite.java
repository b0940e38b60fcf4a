package dev.parley.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs JMH with the given command line (as {@code org.openjdk.jmh.Main} would), then prints what
 * JMH's table leaves to arithmetic: bytes per second (messages per second x the input's bytes per
 * message), allocation and CPU time per message, and Parley's line decoder against each Netty
 * anchor, by throughput and by CPU time (the steadier of the two on a shared machine).
 */
public final class Suite {

    /** Input bytes per operation, by benchmark class; absent where the measure is per message (EchoPerMessage). */
    private static final Map<String, Double> BYTES_PER_MESSAGE = Map.of(
            ChatLines.class.getName(), (double) ChatText.TOTAL_BYTES / ChatLines.LINES,
            LongLines.class.getName(), (double) ChatText.TOTAL_BYTES / LongLines.LINES,
            RawDecoding.class.getName(), (double) ChatText.READ_SIZE);

    private static final List<String> ANCHORS = List.of(
            "nettyDecoderToString", "nettyDecoder", "nettyEmbeddedChannelToString", "nettyEmbeddedChannel");

    private Suite() {}

    public static void main(String[] args) throws Exception {
        Collection<RunResult> results = new Runner(new CommandLineOptions(args)).run();
        Map<String, Double> perSecond = new LinkedHashMap<>();
        Map<String, Double> cpuPerMessage = new LinkedHashMap<>();
        System.out.println();
        System.out.println("Derived (MB = 10^6 bytes; B/msg = gc.alloc.rate.norm with -prof gc;"
                + " CPU ns/msg = cpu.ns.per.op with -prof " + CpuTimeProfiler.class.getName() + "):");
        System.out.printf(Locale.ROOT, "%-40s %12s %7s %9s %9s %11s %7s%n",
                "benchmark", "msg/s", "+-%", "MB/s", "B/msg", "CPU ns/msg", "+-%");
        List<RunResult> sorted = new ArrayList<>(results);
        sorted.sort(RunResult.DEFAULT_SORT_COMPARATOR);
        for (RunResult run : sorted) {
            String name = run.getParams().getBenchmark();
            Result<?> primary = run.getPrimaryResult();
            double score = primary.getScore();
            perSecond.put(name, score);
            Double bytes = BYTES_PER_MESSAGE.get(name.substring(0, name.lastIndexOf('.')));
            Result<?> alloc = run.getSecondaryResults().get("gc.alloc.rate.norm");
            Result<?> cpu = run.getSecondaryResults().get("cpu.ns.per.op");
            if (cpu != null) {
                cpuPerMessage.put(name, cpu.getScore());
            }
            System.out.printf(Locale.ROOT, "%-40s %12.0f %6.0f%% %9s %9s %11s %7s%n",
                    name.substring(name.indexOf("bench.") + "bench.".length()),
                    score,
                    100 * primary.getScoreError() / score,
                    bytes == null ? "-" : String.format(Locale.ROOT, "%.1f", score * bytes / 1e6),
                    alloc == null ? "-" : String.format(Locale.ROOT, "%.1f", alloc.getScore()),
                    cpu == null ? "-" : String.format(Locale.ROOT, "%.1f", cpu.getScore()),
                    cpu == null ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * cpu.getScoreError() / cpu.getScore()));
        }
        System.out.println();
        System.out.println("Parley LineDecoder / Netty, above 1 means Parley is faster:"
                + " by msg/s, and by CPU time per message (Netty's over Parley's)");
        for (String input : List.of(ChatLines.class.getName(), LongLines.class.getName())) {
            String parley = input + ".parleyLineDecoder";
            if (!perSecond.containsKey(parley)) {
                continue;
            }
            for (String anchor : ANCHORS) {
                String netty = input + "." + anchor;
                if (perSecond.containsKey(netty)) {
                    System.out.printf(Locale.ROOT, "  %-10s vs %-30s %6.2f %9s%n",
                            input.substring(input.lastIndexOf('.') + 1), anchor,
                            perSecond.get(parley) / perSecond.get(netty),
                            cpuPerMessage.containsKey(parley) && cpuPerMessage.containsKey(netty)
                                    ? String.format(Locale.ROOT, "%.2f", cpuPerMessage.get(netty) / cpuPerMessage.get(parley))
                                    : "-");
                }
            }
        }
    }
}
