package dev.parley.load;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/** Prints a load run the way redis-benchmark does for people, or as one JSON object for machines. */
public final class BenchReport {

    private static final double[] PERCENTILES = {50, 90, 99, 99.9};

    private BenchReport() {}

    public static String human(LoadGenerator.Result r) {
        LoadGenerator.Plan p = r.plan();
        Histogram h = r.latencyNanos();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%d conversations x %d messages of %d bytes against %s:%d%n",
                p.conversations(), p.messages(), p.messageBytes(), p.host(), p.port()));
        out.append(String.format(Locale.ROOT, "  connected all in %.3f s: %.0f new conversations/s%s%n", r.connecting().toNanos() / 1e9,
                r.connectsPerSecond(), r.tls() ? " (each a full TLS 1.3 handshake)" : ""));
        out.append(String.format(Locale.ROOT, "  %d round trips in %.3f s: %.0f round trips/s, %.2f MB/s each way%n",
                r.roundTrips(), r.exchanging().toNanos() / 1e9, r.roundTripsPerSecond(),
                r.roundTripsPerSecond() * (p.messageBytes() + 1) / 1e6));
        out.append("  round-trip latency (us):");
        for (double q : PERCENTILES) {
            out.append(String.format(Locale.ROOT, "  p%s %.1f", label(q), h.getValueAtPercentile(q) / 1e3));
        }
        out.append(String.format(Locale.ROOT, "  max %.1f%n", h.getMaxValue() / 1e3));
        out.append("  every reply correct\n");
        return out.toString();
    }

    public static String json(LoadGenerator.Result r) {
        LoadGenerator.Plan p = r.plan();
        Histogram h = r.latencyNanos();
        StringBuilder out = new StringBuilder("{");
        out.append(String.format(Locale.ROOT,
                "\"host\":\"%s\",\"port\":%d,\"tls\":%b,\"conversations\":%d,\"messages\":%d,\"messageBytes\":%d,"
                        + "\"roundTrips\":%d,\"connectSeconds\":%.6f,\"connectsPerSecond\":%.1f,\"seconds\":%.6f,\"roundTripsPerSecond\":%.1f,"
                        + "\"allRepliesCorrect\":true,\"latencyMicros\":{",
                p.host().replace("\\", "\\\\").replace("\"", "\\\""), p.port(), r.tls(), p.conversations(), p.messages(),
                p.messageBytes(), r.roundTrips(), r.connecting().toNanos() / 1e9, r.connectsPerSecond(), r.exchanging().toNanos() / 1e9,
                r.roundTripsPerSecond()));
        for (double q : PERCENTILES) {
            out.append(String.format(Locale.ROOT, "\"p%s\":%.1f,", label(q), h.getValueAtPercentile(q) / 1e3));
        }
        out.append(String.format(Locale.ROOT, "\"max\":%.1f,\"mean\":%.1f}}", h.getMaxValue() / 1e3, h.getMean() / 1e3));
        return out.toString();
    }

    private static String label(double q) {
        return q == Math.rint(q) ? String.valueOf((int) q) : String.valueOf(q);
    }
}
