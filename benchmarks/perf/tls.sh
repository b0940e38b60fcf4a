#!/usr/bin/env bash
# TLS against plain text, side by side in one run: three echo servers from the same jar, one plain,
# one with --tls on the JDK's provider and one with --tls on BoringSSL (PARLEY_TLS_PROVIDER=jdk and
# openssl), loaded by the same `parley bench` in alternating turns (plain, JDK, BoringSSL, plain...),
# after a warm-up of each. Prints the medians (and each turn's figures) and the ratios TLS / plain:
#   handshakes  new conversations per second, 1,000 opened at once (TLS: each a full TLS 1.3 handshake),
#               by a fresh bench process as every Parley client is; and the server's CPU time per new
#               conversation (from /proc), which the load on the machine does not inflate as much
#   throughput  round trips per second, 100 conversations x 200 messages of 64 bytes
#   latency     median round trip, 1 conversation x 20,000 messages
# The bench (the client side) runs on the provider BENCH_TLS_PROVIDER names (default: the
# program's own choice, PARLEY_TLS_PROVIDER unset).
#
# Usage: benchmarks/perf/tls.sh [RUNS]   (RUNS defaults to 3; needs a built app/target/parley.jar, python3)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
jar=${PARLEY_JAR:-app/target/parley.jar}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
kinds=(plain jdk openssl)

start() { # NAME PROVIDER READY OPTIONS...: starts a server, waits until its log has a line starting with READY
    local name=$1 provider=$2 ready=$3; shift 3
    PARLEY_TLS_PROVIDER=$provider PARLEY_CONFIG_DIR=$work/config java -jar "$jar" server --responder echo --port 0 \
        --max-conversations 2000 --max-per-address 2000 --quiet "$@" </dev/null >/dev/null 2>"$work/$name.err" &
    pids+=($!)
    echo $! >"$work/$name.pid"
    for _ in $(seq 1 200); do grep -q "^$ready" "$work/$name.err" && break; sleep 0.05; done
}
cpu_ms() { # PID: user + system CPU time so far, in ms
    awk '{print ($14 + $15) * 10}' "/proc/$1/stat"
}
port_of() { grep -o 'listening on [^ ]*' "$work/$1.err" | sed 's/.*://'; }
start plain auto 'listening on'
start jdk jdk fingerprint --tls --handshake-timeout 60s # a loaded machine may take long to send a ClientHello
start openssl openssl fingerprint --tls --handshake-timeout 60s
fp=$(sed -n 's/^fingerprint //p' "$work/jdk.err")

bench() { # KIND ARGS...: one JSON line
    local kind=$1; shift
    if [[ $kind == plain ]]; then
        java -jar "$jar" bench --port "$(port_of plain)" --connect-timeout 120s --json "$@"
    else
        env ${BENCH_TLS_PROVIDER:+PARLEY_TLS_PROVIDER=$BENCH_TLS_PROVIDER} PARLEY_CONFIG_DIR="$work/config" \
            java -jar "$jar" bench --port "$(port_of "$kind")" --tls --fingerprint "$fp" --connect-timeout 120s --json "$@"
    fi
}
field() { python3 -c "import json,sys; d=json.loads(sys.stdin.read()); print($1)"; }

echo "warming up the servers..." >&2
for _ in 1 2; do
    for kind in "${kinds[@]}"; do bench "$kind" --conversations 500 --messages 200 >/dev/null; done
done

for kind in "${kinds[@]}"; do : >"$work/$kind.hs"; : >"$work/$kind.cpu"; : >"$work/$kind.rt"; : >"$work/$kind.lat"; done
for i in $(seq 1 "$runs"); do
    for kind in "${kinds[@]}"; do
        pid=$(cat "$work/$kind.pid"); before=$(cpu_ms "$pid")
        bench "$kind" --conversations 1000 --messages 1 | field "d['connectsPerSecond']" >>"$work/$kind.hs"
        python3 -c "print(($(cpu_ms "$pid") - $before) / 1000)" >>"$work/$kind.cpu"
        bench "$kind" --conversations 100 --messages 200 | field "d['roundTripsPerSecond']" >>"$work/$kind.rt"
        bench "$kind" --conversations 1 --messages 20000 | field "d['latencyMicros']['p50']" >>"$work/$kind.lat"
    done
    echo "turn $i of $runs done" >&2
done

median() { sort -g "$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-50s %10s %10s %10s %9s %9s\n' measure plain 'TLS JDK' BoringSSL 'JDK/pl' 'Boring/pl'
for m in hs:'new conversations/s, 1,000 opened at once' cpu:'server CPU ms per new conversation' \
         rt:'round trips/s, 100 conversations x 200 messages' \
         lat:'median round trip, 1 conversation (us)'; do
    key=${m%%:*} label=${m#*:}
    p=$(median "$work/plain.$key") j=$(median "$work/jdk.$key") o=$(median "$work/openssl.$key")
    printf '%-50s %10.2f %10.2f %10.2f %8.2fx %8.2fx\n' "$label" "$p" "$j" "$o" \
        "$(python3 -c "print($j/$p)")" "$(python3 -c "print($o/$p)")"
done
echo "(median of $runs alternating turns; each turn's figures:)"
for key in hs cpu rt lat; do
    echo "  $key: plain $(paste -sd, "$work/plain.$key") / JDK $(paste -sd, "$work/jdk.$key") / BoringSSL $(paste -sd, "$work/openssl.$key")"
done
