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
 * message), allocation per message, and Parley's line decoder over each Netty anchor.
 */
public final class Suite {

    /** Input bytes per operation, by benchmark class; absent where bytes mean nothing (Turns). */
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
        System.out.println();
        System.out.println("Derived (MB = 10^6 bytes; B/msg = gc.alloc.rate.norm, present with -prof gc):");
        System.out.printf(Locale.ROOT, "%-52s %14s %9s %10s %10s%n", "benchmark", "msg/s", "+-%", "MB/s", "B/msg");
        List<RunResult> sorted = new ArrayList<>(results);
        sorted.sort(RunResult.DEFAULT_SORT_COMPARATOR);
        for (RunResult run : sorted) {
            String name = run.getParams().getBenchmark();
            Result<?> primary = run.getPrimaryResult();
            double score = primary.getScore();
            perSecond.put(name, score);
            Double bytes = BYTES_PER_MESSAGE.get(name.substring(0, name.lastIndexOf('.')));
            Result<?> alloc = run.getSecondaryResults().get("gc.alloc.rate.norm");
            System.out.printf(Locale.ROOT, "%-52s %14.0f %8.1f%% %10s %10s%n",
                    name.substring(name.indexOf("bench.") + "bench.".length()),
                    score,
                    100 * primary.getScoreError() / score,
                    bytes == null ? "-" : String.format(Locale.ROOT, "%.1f", score * bytes / 1e6),
                    alloc == null ? "-" : String.format(Locale.ROOT, "%.1f", alloc.getScore()));
        }
        System.out.println();
        System.out.println("Parley LineDecoder / Netty (messages per second; above 1 means Parley is faster):");
        for (String input : List.of(ChatLines.class.getName(), LongLines.class.getName())) {
            Double parley = perSecond.get(input + ".parleyLineDecoder");
            if (parley == null) {
                continue;
            }
            for (String anchor : ANCHORS) {
                Double netty = perSecond.get(input + "." + anchor);
                if (netty != null) {
                    System.out.printf(Locale.ROOT, "  %-12s vs %-30s %6.2f%n",
                            input.substring(input.lastIndexOf('.') + 1), anchor, parley / netty);
                }
            }
        }
    }
}
