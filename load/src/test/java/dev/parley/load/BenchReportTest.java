package dev.parley.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The report of a load run, for people and for machines, from a run whose figures are known: a
 * histogram of latencies below 2,048 ns, which HdrHistogram keeps exactly at three digits.
 */
class BenchReportTest {

    private static LoadGenerator.Result run(String host, boolean tls) {
        Histogram latency = new Histogram(3_600_000_000_000L, 3);
        latency.recordValueWithCount(1_000, 50);
        latency.recordValueWithCount(1_500, 40);
        latency.recordValueWithCount(2_000, 9);
        latency.recordValue(2_040);
        LoadGenerator.Plan plan = new LoadGenerator.Plan(host, 1234, 10, 20, 64, Duration.ofSeconds(5), Duration.ofSeconds(5));
        return new LoadGenerator.Result(plan, 200, Duration.ofMillis(500), Duration.ofSeconds(2), latency, tls);
    }

    @Test
    void forPeopleEachFigureOnItsLine() {
        assertEquals("10 conversations x 20 messages of 64 bytes against 127.0.0.1:1234\n"
                + "  connected all in 0.500 s: 20 new conversations/s (each a full TLS 1.3 handshake)\n"
                + "  200 round trips in 2.000 s: 100 round trips/s, 0.01 MB/s each way\n"
                + "  round-trip latency (us):  p50 1.0  p90 1.5  p99 2.0  p99.9 2.0  max 2.0\n"
                + "  every reply correct\n", BenchReport.human(run("127.0.0.1", true)));
        assertEquals("  connected all in 0.500 s: 20 new conversations/s\n",
                BenchReport.human(run("127.0.0.1", false)).lines().skip(1).findFirst().orElseThrow() + "\n", "plain text: no handshake");
    }

    @Test
    void forMachinesOneJsonObjectWithTheHostEscaped() {
        assertEquals("{\"host\":\"a\\\"b\\\\c\",\"port\":1234,\"tls\":false,\"conversations\":10,\"messages\":20,\"messageBytes\":64,"
                + "\"roundTrips\":200,\"connectSeconds\":0.500000,\"connectsPerSecond\":20.0,\"seconds\":2.000000,"
                + "\"roundTripsPerSecond\":100.0,\"allRepliesCorrect\":true,"
                + "\"latencyMicros\":{\"p50\":1.0,\"p90\":1.5,\"p99\":2.0,\"p99.9\":2.0,\"max\":2.0,\"mean\":1.3}}",
                BenchReport.json(run("a\"b\\c", false)));
    }
}
