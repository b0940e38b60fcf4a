#!/usr/bin/env bash
# What an idle conversation costs the server, plain and over TLS on each provider, side by side:
# for each kind, an echo server (heap 512 MiB, touched at start so that heap growth does not show
# in its RSS) takes 200 conversations and lets them go (a warm-up), then N idle ones are opened
# (TLS: each handshake done, nothing sent) and held. Prints, per conversation, the growth of the
# heap in use after a full GC (jcmd) and of RSS, which is then what lies outside the heap
# (BoringSSL's state, direct memory, the kernel's accounting of the process).
#
# Usage: benchmarks/perf/tls-memory.sh [N] [RUNS]   (N defaults to 3000, RUNS to 1; needs a built
# app/target/parley.jar, python3, and a JDK's jcmd on the PATH)
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-3000} runs=${2:-1}
jar=${PARLEY_JAR:-app/target/parley.jar}
work=$(mktemp -d)
pid=
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

heap_kib() { jcmd "$1" GC.run >/dev/null; sleep 0.5; jcmd "$1" GC.heap_info | awk '/garbage-first heap/ {for (i = 1; i <= NF; i++) if ($i == "used") print $(i + 1)}' | tr -d K; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

measure() { # KIND: one line, bytes of heap and of RSS per conversation
    local kind=$1 provider=jdk tls=(--tls) hold=benchmarks/perf/hold_tls.py
    case $kind in
        plain) tls=(); hold=benchmarks/perf/hold_idle.py ;;
        openssl) provider=openssl ;;
    esac
    rm -f "$work/err"
    PARLEY_TLS_PROVIDER=$provider PARLEY_CONFIG_DIR=$work/config java -Xms512m -Xmx512m -XX:+AlwaysPreTouch -jar "$jar" server \
        "${tls[@]}" --responder echo --port 0 --max-conversations $((n + 500)) --max-per-address $((n + 500)) --idle-timeout 10m \
        --quiet </dev/null >/dev/null 2>"$work/err" &
    pid=$!
    for _ in $(seq 1 200); do grep -q 'listening on' "$work/err" && break; sleep 0.05; done
    local port; port=$(grep -o 'listening on [^ ]*' "$work/err" | sed 's/.*://')
    python3 "$hold" 127.0.0.1 "$port" 200 </dev/null >/dev/null
    sleep 1
    local h0 r0 h1 r1
    h0=$(heap_kib "$pid"); r0=$(rss_kib "$pid")
    mkfifo "$work/in"
    python3 "$hold" 127.0.0.1 "$port" "$n" <"$work/in" >"$work/held" &
    local holder=$!
    exec 3>"$work/in"
    for _ in $(seq 1 1200); do grep -q holding "$work/held" && break; sleep 0.1; done
    sleep 2
    h1=$(heap_kib "$pid"); r1=$(rss_kib "$pid")
    exec 3>&-
    wait "$holder" || true
    rm -f "$work/in"
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
    printf '%-8s heap %6d B   RSS %6d B   per conversation (%s)\n' "$kind" $(( (h1 - h0) * 1024 / n )) $(( (r1 - r0) * 1024 / n )) \
        "$(cat "$work/held")"
}

for _ in $(seq 1 "$runs"); do
    for kind in plain jdk openssl; do measure "$kind"; done
done
