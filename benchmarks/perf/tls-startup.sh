#!/usr/bin/env bash
# What TLS costs a client that starts, connects and leaves, side by side with plain text in one run
# (runs alternate; median of N each), against echo servers of the same jar:
#   plain      `printf 'bye\n' | parley client`                                 (plain text)
#   tls        `printf 'bye\n' | parley client --tls --fingerprint FP`          (a full TLS 1.3 handshake)
#   fp-old     `parley fingerprint` with the identity already made              (read and check a PEM)
#   fp-new     `parley fingerprint` in an empty configuration directory         (make an EC key and certificate)
#
# Usage: benchmarks/perf/tls-startup.sh JAR [RUNS]   (RUNS defaults to 11)
set -euo pipefail
jar=$1 runs=${2:-11}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
JAVA=${JAVA:-java}
now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
start() { # NAME READY OPTIONS...: an echo server, waited for until its log has a line starting with READY
    local name=$1 ready=$2; shift 2
    PARLEY_CONFIG_DIR=$work/server "$JAVA" -jar "$jar" server --responder echo --port 0 --quiet "$@" </dev/null >/dev/null 2>"$work/$name.err" &
    pids+=($!)
    for _ in $(seq 1 200); do grep -q "^$ready" "$work/$name.err" && break; sleep 0.05; done
}
start plain 'listening on'
start tls 'fingerprint' --tls
plain=$(grep -o 'listening on [^ ]*' "$work/plain.err" | sed 's/.*://')
tls=$(grep -o 'listening on [^ ]*' "$work/tls.err" | sed 's/.*://')
fp=$(sed -n 's/^fingerprint //p' "$work/tls.err")
PARLEY_CONFIG_DIR=$work/client "$JAVA" -jar "$jar" fingerprint >/dev/null 2>&1

plain() { local t=$(now); printf 'bye\n' | "$JAVA" -jar "$jar" client --port "$plain" >/dev/null 2>&1; echo $(( ($(now) - t) / 1000000 )); }
tls() { local t=$(now); printf 'bye\n' | PARLEY_CONFIG_DIR=$work/client "$JAVA" -jar "$jar" client --tls --port "$tls" --fingerprint "$fp" \
    >/dev/null 2>&1; echo $(( ($(now) - t) / 1000000 )); }
fp-old() { local t=$(now); PARLEY_CONFIG_DIR=$work/client "$JAVA" -jar "$jar" fingerprint >/dev/null 2>&1; echo $(( ($(now) - t) / 1000000 )); }
fp-new() { rm -rf "$work/fresh"; local t=$(now); PARLEY_CONFIG_DIR=$work/fresh "$JAVA" -jar "$jar" fingerprint >/dev/null 2>&1
    echo $(( ($(now) - t) / 1000000 )); }

for what in plain tls fp-old fp-new; do : >"$work/$what.ms"; done
for _ in $(seq 1 "$runs"); do
    for what in plain tls fp-old fp-new; do $what >>"$work/$what.ms"; done
done
for what in plain tls fp-old fp-new; do
    printf '%-7s %5s ms   (median of %s, alternating)\n' "$what" "$(median <"$work/$what.ms")" "$runs"
done
