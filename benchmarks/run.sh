#!/usr/bin/env bash
# Runs Parley's JMH micro-benchmarks (codecs and core, with Netty's LineBasedFrameDecoder as the
# anchor) and prints JMH's table, then bytes per second, allocation and CPU time per message and
# the Parley/Netty ratios (see dev.parley.bench.Suite). Results go to benchmarks/target/jmh-result.json.
#
#   benchmarks/run.sh                  the whole suite, about 5 minutes on 2 cores
#   benchmarks/run.sh ChatLines        only benchmarks matching a regex (any JMH option works too)
#   REBUILD=1 benchmarks/run.sh        rebuild benchmarks.jar first (after changing core or benchmarks)
#   SETTINGS='-f 3 -wi 10 -i 10 -prof gc' benchmarks/run.sh   other run settings than the defaults
#
# The default SETTINGS are bounded for a small, shared machine: one fork, 10 x 1 s warm-up (on a
# loaded 2-core machine the JIT was still compiling the measurement loop 9 s in), 5 x 1 s
# measurement per benchmark (about 5 minutes in all), -prof gc for the bytes allocated per
# operation (one operation is one message) and CpuTimeProfiler for the CPU time per operation. JMH
# refuses an option given twice, so change these through SETTINGS, not as arguments.
#
# Throughput from a machine that runs other work at the same time is noisy: read the +-% columns,
# and prefer the CPU time per message for comparisons (time slices lost to others do not count in
# it, though shared caches and cores still do).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
jar=benchmarks/target/benchmarks.jar

if [[ ! -f $jar || ${REBUILD:-0} == 1 ]]; then
    echo "run.sh: building $jar" >&2
    ./mvnw -q -pl benchmarks -am package -DskipTests
fi

# shellcheck disable=SC2086 # SETTINGS is a list of options, split on purpose
exec java -cp "$jar" dev.parley.bench.Suite \
    ${SETTINGS:--f 1 -wi 10 -w 1s -i 5 -r 1s -prof gc -prof dev.parley.bench.CpuTimeProfiler} \
    -rf json -rff benchmarks/target/jmh-result.json \
    "$@"
