#!/usr/bin/env bash
# What a client pays at start-up, two jars side by side in one run (BEFORE and AFTER a change,
# e.g. main's jar and this branch's), in alternating turns, median of N each, against echo servers
# of the AFTER jar (plain, and --tls on its default provider):
#   plain      `printf 'bye\n' | parley client`                          (connect and leave)
#   tls        `printf 'bye\n' | parley client --tls --fingerprint FP`   (one full TLS 1.3 handshake)
# and, on the AFTER jar only, one handshake made by `parley bench --tls --conversations 1` on each
# provider (PARLEY_TLS_PROVIDER=jdk, openssl): what BoringSSL would cost a client that makes one.
#
# Usage: benchmarks/perf/tls-client-startup.sh BEFORE.jar AFTER.jar [RUNS]   (RUNS defaults to 11)
set -euo pipefail
before=$1 after=$2 runs=${3:-11}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
JAVA=${JAVA:-java}
now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
start() { # NAME READY OPTIONS...: an echo server, waited for until its log has a line starting with READY
    local name=$1 ready=$2; shift 2
    PARLEY_CONFIG_DIR=$work/server "$JAVA" -jar "$after" server --responder echo --port 0 --quiet "$@" </dev/null >/dev/null \
        2>"$work/$name.err" &
    pids+=($!)
    for _ in $(seq 1 200); do grep -q "^$ready" "$work/$name.err" && break; sleep 0.05; done
}
start plain 'listening on'
start tls 'fingerprint' --tls
plain=$(grep -o 'listening on [^ ]*' "$work/plain.err" | sed 's/.*://')
tls=$(grep -o 'listening on [^ ]*' "$work/tls.err" | sed 's/.*://')
fp=$(sed -n 's/^fingerprint //p' "$work/tls.err")

timed() { local t; t=$(now); "$@" >/dev/null 2>&1 </dev/null || { echo "failed: $*" >&2; exit 1; }; echo $(( ($(now) - t) / 1000000 )); }
client() { printf 'bye\n' | PARLEY_CONFIG_DIR=$work/client "$JAVA" -jar "$@"; }
bench1() { env PARLEY_TLS_PROVIDER="$1" PARLEY_CONFIG_DIR="$work/client" "$JAVA" -jar "$after" bench --tls --port "$tls" \
    --fingerprint "$fp" --conversations 1 --messages 1 --json; }
cases=(plain-before plain-after tls-before tls-after bench-jdk bench-openssl)
run() {
    case $1 in
        plain-before) timed client "$before" client --port "$plain" ;;
        plain-after) timed client "$after" client --port "$plain" ;;
        tls-before) timed client "$before" client --tls --port "$tls" --fingerprint "$fp" ;;
        tls-after) timed client "$after" client --tls --port "$tls" --fingerprint "$fp" ;;
        bench-jdk) timed bench1 jdk ;;
        bench-openssl) timed bench1 openssl ;;
    esac
}
for c in "${cases[@]}"; do : >"$work/$c.ms"; run "$c" >/dev/null; done # one warm-up each (the page cache)
for _ in $(seq 1 "$runs"); do
    for c in "${cases[@]}"; do run "$c" >>"$work/$c.ms"; done
done
for c in "${cases[@]}"; do
    printf '%-14s %5s ms   (median of %s, alternating; all: %s)\n' "$c" "$(median <"$work/$c.ms")" "$runs" "$(sort -n "$work/$c.ms" | paste -sd' ')"
done
