package dev.parley.bench;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time the benchmark's JVM spent per operation ({@code cpu.ns.per.op}): a figure that time
 * slices lost to other processes do not inflate, unlike throughput on a shared machine.
 *
 * <p>It is the process's CPU time over each iteration divided by the operations done in it, so it
 * counts the benchmark thread and also the JVM's own work for it (garbage collection, and the JIT
 * compiler if it is still busy). Caches and cores shared with other processes still slow it down.
 * Use with {@code -prof dev.parley.bench.CpuTimeProfiler}.
 */
public final class CpuTimeProfiler implements InternalProfiler {

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long startNanos;

    @Override
    public String getDescription() {
        return "CPU time of the whole JVM per operation, in nanoseconds";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        startNanos = os.getProcessCpuTime();
    }

    @Override
    public List<? extends Result<?>> afterIteration(
            BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
        long spent = os.getProcessCpuTime() - startNanos;
        long ops = result.getMetadata().getAllOps();
        double perOp = ops == 0 ? Double.NaN : (double) spent / ops;
        return List.of(new ScalarResult("cpu.ns.per.op", perOp, "ns/op", AggregationPolicy.AVG));
    }
}
