#!/usr/bin/env bash
# P2 as an A/B of two jars in one run: 20,000 piped exchanges between a piped client and a piped
# console server (--once), each from `java -jar`, wall time from a listening server to the end of
# both; the two jars alternate, N rounds. Prints one line per run: jar, ms, lines each side got.
#
#   benchmarks/perf/piped-ab.sh OLD.jar NEW.jar [N]      (N rounds, 3 by default)
set -euo pipefail
old=$1 new=$2 rounds=${3:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$(dirname "$0")/p2_turns.py" "$work"
once() { # JAR
    local port s start
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    java -jar "$1" server --port "$port" --once <"$work/replies.txt" >"$work/s.out" 2>/dev/null & s=$!
    for _ in $(seq 1 200); do ss -ltn "sport = :$port" | grep -q LISTEN && break; sleep 0.05; done
    start=$(date +%s%N)
    java -jar "$1" client --port "$port" <"$work/messages.txt" >"$work/c.out" 2>/dev/null
    wait "$s"
    echo "$1 $(( ($(date +%s%N) - start) / 1000000 )) ms, $(wc -l <"$work/c.out") / $(wc -l <"$work/s.out") lines"
}
for _ in $(seq 1 "$rounds"); do
    once "$old"
    once "$new"
done
