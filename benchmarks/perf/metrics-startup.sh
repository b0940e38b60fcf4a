#!/usr/bin/env bash
# What --metrics costs a server's start-up, and that a server without it starts as before: the time
# from launching an echo server to its last start-up line (wall, and the CPU time the JVM used by then), runs alternating (A B C A B C...),
# median of N each:
#   before      BEFORE.jar server                   (until 'listening on')
#   after       AFTER.jar server                    (until 'listening on': no metrics class loaded)
#   metrics     AFTER.jar server --metrics 0        (until 'metrics on': the Prometheus client loaded, its port bound)
#
# Usage: benchmarks/perf/metrics-startup.sh BEFORE.jar AFTER.jar [RUNS]   (RUNS defaults to 11)
set -euo pipefail
before=$1 after=$2 runs=${3:-11}
work=$(mktemp -d)
trap 'rm -rf "$work"' INT TERM
JAVA=${JAVA:-java}
n=0
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
run() { # JAR READY OPTIONS...: ms until the server's log has a line starting with READY; then it is stopped
    local jar=$1 ready=$2; shift 2
    local err=$work/err.$((++n)) t=$(date +%s%N)
    "$JAVA" -jar "$jar" server --responder echo --port 0 --quiet "$@" </dev/null >/dev/null 2>"$err" &
    local pid=$!
    until grep -q "^$ready" "$err" 2>/dev/null; do sleep 0.002; done
    local wall=$(( ($(date +%s%N) - t) / 1000000 ))
    # CPU time the JVM has used by then (user + system, clock ticks): far steadier than the wall on a shared machine.
    local cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) * 1000 / hz}' "/proc/$pid/stat")
    echo "$wall $cpu"
    kill "$pid"; wait "$pid" 2>/dev/null || true
}
: >"$work/before.ms"; : >"$work/after.ms"; : >"$work/metrics.ms"
for _ in $(seq 1 "$runs"); do
    run "$before" 'listening on' >>"$work/before.ms"
    run "$after" 'listening on' >>"$work/after.ms"
    run "$after" 'metrics on' --metrics 0 >>"$work/metrics.ms"
done
for what in before after metrics; do
    printf '%-8s wall %5s ms, cpu %5s ms   (medians of %s, alternating)\n' "$what" "$(cut -d' ' -f1 "$work/$what.ms" | median)" \
        "$(cut -d' ' -f2 "$work/$what.ms" | median)" "$runs"
done
rm -rf "$work"
