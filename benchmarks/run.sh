#!/usr/bin/env bash
# Runs Parley's JMH micro-benchmarks (codecs and core, with Netty's LineBasedFrameDecoder as the
# anchor) and prints JMH's table, then bytes per second, allocation per message and the
# Parley/Netty ratios (see dev.parley.bench.Suite). Results go to benchmarks/target/jmh-result.json.
#
#   benchmarks/run.sh                  the whole suite, a few minutes on 2 cores
#   benchmarks/run.sh ChatLines        only benchmarks matching a regex (any JMH option works too)
#   REBUILD=1 benchmarks/run.sh        rebuild benchmarks.jar first (after changing core or benchmarks)
#   SETTINGS='-f 3 -wi 10 -i 10 -prof gc' benchmarks/run.sh   other run settings than the defaults
#
# The default SETTINGS are bounded for a small, shared machine: one fork, 5 x 1 s warm-up (fewer
# left the 4 KiB-line decoders still compiling) and 5 x 1 s measurement per benchmark, and -prof gc
# for the bytes allocated per operation (one operation is one message). JMH refuses an option given
# twice, so change these through SETTINGS, not as arguments.
# Figures from a machine that runs other work at the same time are noisy: compare runs made
# together, and read the +-% column.
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
    ${SETTINGS:--f 1 -wi 5 -w 1s -i 5 -r 1s -prof gc} \
    -rf json -rff benchmarks/target/jmh-result.json \
    "$@"
