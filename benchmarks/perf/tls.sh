#!/usr/bin/env bash
# TLS against plain text, side by side in one run: two echo servers from the same jar, one with
# --tls, loaded by the same `parley bench` in alternating turns (plain, TLS, plain, TLS...), after a
# warm-up of each. Prints the medians and the ratios TLS / plain:
#   handshakes  new conversations per second, 1,000 opened at once (TLS: each a full TLS 1.3 handshake),
#               by a fresh bench process as every Parley client is; and the server's CPU time per new
#               conversation (from /proc), which the load on the machine does not inflate as much
#   throughput  round trips per second, 100 conversations x 200 messages of 64 bytes
#   latency     median round trip, 1 conversation x 20,000 messages
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

start() { # NAME OPTIONS...: starts a server, waits until it listens
    local name=$1; shift
    PARLEY_CONFIG_DIR=$work/config java -jar "$jar" server --responder echo --port 0 --max-conversations 2000 \
        --max-per-address 2000 --quiet "$@" </dev/null >/dev/null 2>"$work/$name.err" &
    pids+=($!)
    echo $! >"$work/$name.pid"
    for _ in $(seq 1 200); do grep -q 'listening on' "$work/$name.err" && break; sleep 0.05; done
}
cpu_ms() { # PID: user + system CPU time so far, in ms
    awk '{print ($14 + $15) * 10}' "/proc/$1/stat"
}
port_of() { grep -o 'listening on [^ ]*' "$work/$1.err" | sed 's/.*://'; }
start plain
start tls --tls
plain_port=$(port_of plain)
tls_port=$(port_of tls)
for _ in $(seq 1 100); do grep -q '^fingerprint' "$work/tls.err" && break; sleep 0.05; done
fp=$(sed -n 's/^fingerprint //p' "$work/tls.err")

bench() { # PORT TLS? ARGS...: one JSON line
    local port=$1 tls=$2; shift 2
    if [[ $tls == yes ]]; then
        PARLEY_CONFIG_DIR=$work/config java -jar "$jar" bench --port "$port" --tls --fingerprint "$fp" --json "$@"
    else
        java -jar "$jar" bench --port "$port" --json "$@"
    fi
}
field() { python3 -c "import json,sys; d=json.loads(sys.stdin.read()); print($1)"; }

echo "warming up both servers..." >&2
for _ in 1 2; do
    bench "$plain_port" no --conversations 500 --messages 200 >/dev/null
    bench "$tls_port" yes --conversations 500 --messages 200 >/dev/null
done

for kind in plain tls; do : >"$work/$kind.hs"; : >"$work/$kind.cpu"; : >"$work/$kind.rt"; : >"$work/$kind.lat"; done
for i in $(seq 1 "$runs"); do
    for kind in plain tls; do
        port=$plain_port; tls=no
        [[ $kind == tls ]] && port=$tls_port && tls=yes
        pid=$(cat "$work/$kind.pid"); before=$(cpu_ms "$pid")
        bench "$port" $tls --conversations 1000 --messages 1 | field "d['connectsPerSecond']" >>"$work/$kind.hs"
        python3 -c "print(($(cpu_ms "$pid") - $before) / 1000)" >>"$work/$kind.cpu"
        bench "$port" $tls --conversations 100 --messages 200 | field "d['roundTripsPerSecond']" >>"$work/$kind.rt"
        bench "$port" $tls --conversations 1 --messages 20000 | field "d['latencyMicros']['p50']" >>"$work/$kind.lat"
    done
    echo "turn $i of $runs done" >&2
done

median() { sort -g "$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-52s %12s %12s %8s\n' measure plain TLS 'TLS/plain'
for m in hs:'new conversations/s, 1,000 opened at once' cpu:'server CPU ms per new conversation' \
         rt:'round trips/s, 100 conversations x 200 messages' \
         lat:'median round trip, 1 conversation (us)'; do
    key=${m%%:*} label=${m#*:}
    p=$(median "$work/plain.$key") t=$(median "$work/tls.$key")
    printf '%-52s %12.1f %12.1f %7.2fx\n' "$label" "$p" "$t" "$(python3 -c "print($t/$p)")"
done
echo "(median of $runs alternating turns; each turn's figures: plain $(paste -sd, "$work/plain.hs") / TLS $(paste -sd, "$work/tls.hs") conversations/s)"
