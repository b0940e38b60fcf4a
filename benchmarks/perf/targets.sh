#!/usr/bin/env bash
# Measures Parley against its performance targets side by side in one run, on loopback only, and
# prints each figure with its baseline, the ratio and the target. Exits 1 if a target is missed.
#
#   P1  median round trip, one conversation: parley's echo server vs the C floor
#       (benchmarks/perf/echo_floor.c: a thread per connection, read and write back), the same
#       client (parley bench) against both                                                 <= 1.15x
#   P3  10,000 concurrent echo conversations, every reply correct, aggregate round trips/s, as a
#       ratio to the plain Netty echo server (dev.parley.bench.NettyEchoServer) under the same load  >= 0.9x
#   P4  server RSS per idle open conversation (10,000 idle connections)                       <= 4 KB
#   P2  20,000 piped exchanges, piped client <-> piped console server (--once), wall time from
#       a listening server to the client's exit, vs the seed tutorial's two Python programs doing
#       the same 20,000 exchanges                                                            <= 0.5x
#   P5  start-up: `parley --version` and a client connecting and leaving, each vs a bare
#       `java -cp` hello world (median of 11 runs)                                          <= 1.5x
#
# Usage: benchmarks/perf/targets.sh     (builds app/target/parley.jar and benchmarks.jar if missing)
# Needs: a JDK 17+, gcc, python3, ss (iproute2). Takes about three minutes on 2 cores.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/benchmarks/perf
jar=${PARLEY_JAR:-$root/app/target/parley.jar}
seed=$root/it-tests/src/test/resources/seed
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

bench_jar=$root/benchmarks/target/benchmarks.jar
[[ -f $jar && -f $bench_jar ]] || (cd "$root" && ./mvnw -q -DskipTests package)
ulimit -n "$(ulimit -Hn)"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_listening() { # PORT
    for _ in $(seq 1 200); do
        ss -ltn "sport = :$1" | grep -q LISTEN && return
        sleep 0.05
    done
    echo "nothing listening on port $1" >&2; exit 2
}
now() { date +%s%N; }
json_field() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval("d"+sys.argv[1]))' "$1"; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
parley() { java -jar "$jar" "$@"; }
serve() { exec java -jar "$jar" server "$@"; } # exec: so that $! is the JVM and cleanup can stop it

results=()
missed=0
record() { # ID WHAT PARLEY BASELINE RATIO TARGET OK
    results+=("$(printf '%-3s %-52s %14s %14s %8s %10s  %s' "$@")")
    [[ $7 != MISSED ]] || missed=1
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1)" >&2

# P1 and P3 compare two servers under the same client. On a small shared machine one run of each is
# mostly noise (a JIT compile or a neighbour lands in one of them), so both are warmed up, then
# measured in turns, A B A B A B, and the medians compared.
p50() { parley bench --port "$1" --conversations 1 --messages 20000 --json | json_field '["latencyMicros"]["p50"]'; }
rate() { parley bench --port "$1" --conversations 10000 --messages 20 --json | json_field '["roundTripsPerSecond"]'; }
in_turns() { # MEASURE PORT_A PORT_B: three measures of each, in turns; prints "median_a median_b"
    local a=() b=()
    for _ in 1 2 3; do a+=("$("$1" "$2")"); b+=("$("$1" "$3")"); done
    echo "$(printf '%s\n' "${a[@]}" | median) $(printf '%s\n' "${b[@]}" | median)"
}

# ---- P1: single-conversation round trip vs the floor -------------------------------------------
port=$(free_port)
serve --port "$port" --responder echo 2>/dev/null & pids+=($!)
floor_port=$(free_port)
gcc -O2 -pthread -o "$work/echo_floor" "$here/echo_floor.c"
"$work/echo_floor" "$floor_port" 2>/dev/null & floor=$!; pids+=($floor)
wait_listening "$port"
wait_listening "$floor_port"
parley bench --port "$port" --conversations 1 --messages 50000 --json >/dev/null            # warm-up: past the JIT
parley bench --port "$floor_port" --conversations 1 --messages 50000 --json >/dev/null      # the client's warm-up
read -r p1_parley p1_floor < <(in_turns p50 "$port" "$floor_port")
kill "$floor" 2>/dev/null || true
p1_ratio=$(python3 -c "print(round($p1_parley/$p1_floor, 2))")
record P1 "median round trip, 1 conversation (us)" "$p1_parley" "$p1_floor" "${p1_ratio}x" "<= 1.15x" \
    "$(python3 -c "print('met' if $p1_ratio <= 1.15 else 'MISSED')")"

# ---- P3: 10,000 concurrent conversations, against the plain Netty echo under the same load ----------
p3_port=$(free_port)
serve --port "$p3_port" --responder echo --max-conversations 10000 --max-per-address 10000 2>/dev/null & p3_server=$!; pids+=($p3_server)
netty_port=$(free_port)
java -cp "$bench_jar" dev.parley.bench.NettyEchoServer "$netty_port" 2>/dev/null & netty_server=$!; pids+=($netty_server)
wait_listening "$p3_port"
wait_listening "$netty_port"
parley bench --port "$p3_port" --conversations 2000 --messages 20 --json >/dev/null        # warm-up
parley bench --port "$netty_port" --conversations 2000 --messages 20 --json >/dev/null     # warm-up
read -r p3_parley p3_netty < <(in_turns rate "$p3_port" "$netty_port")
kill "$netty_server" "$p3_server" 2>/dev/null || true
p3_ratio=$(python3 -c "print(round($p3_parley/$p3_netty, 2))")
record P3 "10,000 concurrent conversations, round trips/s" "$p3_parley" "$p3_netty" "${p3_ratio}x" ">= 0.9x" \
    "$(python3 -c "print('met' if $p3_ratio >= 0.9 else 'MISSED')")"

# ---- P4: memory per idle conversation (same server, warmed up) ------------------------------------
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
kb_per_idle_conversation() { # PORT SERVER_PID: RSS growth while 10,000 idle connections are held, per connection
    local before after holder
    sleep 1
    before=$(rss "$2")
    rm -f "$work/hold" "$work/held"
    mkfifo "$work/hold"
    python3 "$here/hold_idle.py" 127.0.0.1 "$1" 10000 <"$work/hold" >"$work/held" & holder=$!; pids+=($holder)
    exec 3>"$work/hold"
    for _ in $(seq 1 600); do grep -q holding "$work/held" 2>/dev/null && break; sleep 0.1; done
    sleep 2
    after=$(rss "$2")
    exec 3>&-
    wait "$holder" || true
    python3 -c "print(round(($after-$before)/10000, 1))"
}
# A fresh server, warmed up by a small run: after P3's 10,000 conversations the heap has grown and
# idle connections would fit into the space garbage left, so growth would hide what they cost.
p4_port=$(free_port)
serve --port "$p4_port" --responder echo --max-conversations 10000 --max-per-address 10000 2>/dev/null & p4_server=$!; pids+=($p4_server)
wait_listening "$p4_port"
parley bench --port "$p4_port" --conversations 100 --messages 100 --json >/dev/null
p4_kb=$(kb_per_idle_conversation "$p4_port" "$p4_server")
record P4 "server RSS per idle conversation (KB)" "$p4_kb" "-" "-" "<= 4" \
    "$(python3 -c "print('met' if $p4_kb <= 4 else 'MISSED')")"

# P2 and P5 time whole processes: stop the servers above so that they do not compete for the CPU
# (only P5's idle echo server stays up, for the client start-up measure).
for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
wait 2>/dev/null || true
pids=()
p5_port=$(free_port)
serve --port "$p5_port" --responder echo 2>/dev/null & p5_server=$!

# ---- P2: 20,000 piped exchanges vs the seed -------------------------------------------------------
python3 - "$work" <<'PY'
import sys
d = sys.argv[1]
with open(d + "/messages.txt", "w") as m, open(d + "/replies.txt", "w") as r:
    for i in range(20000):
        m.write("message %d from the client\n" % i)
        r.write("reply %d from the server\n" % i)
    m.write("bye\n")
PY
p2_port=$(free_port)
serve --port "$p2_port" --once <"$work/replies.txt" >"$work/p2-server.out" 2>/dev/null & s=$!; pids+=($s)
wait_listening "$p2_port"
start=$(now)  # from a listening server to the client's exit
parley client --port "$p2_port" <"$work/messages.txt" >"$work/p2-client.out" 2>/dev/null
wait "$s"
p2_parley=$(( ($(now) - start) / 1000000 ))
[[ $(wc -l <"$work/p2-client.out") -eq 20000 && $(wc -l <"$work/p2-server.out") -eq 20000 ]] \
    || { echo "P2: Parley did not carry all 20,000 exchanges" >&2; exit 2; }
seed_port=$(free_port)
SEED_PORT=$seed_port python3 -u "$seed/run_seed.py" socket_server.py <"$work/replies.txt" >"$work/p2-seed-server.out" 2>/dev/null & s=$!; pids+=($s)
wait_listening "$seed_port"
start=$(now)  # from a listening server to the client's exit
SEED_PORT=$seed_port python3 -u "$seed/run_seed.py" socket_client.py <"$work/messages.txt" >"$work/p2-seed-client.out" 2>/dev/null
wait "$s"
p2_seed=$(( ($(now) - start) / 1000000 ))
[[ $(grep -c 'Data Received' "$work/p2-seed-client.out") -eq 20000 ]] \
    || { echo "P2: the seed did not carry all 20,000 exchanges" >&2; exit 2; }
p2_ratio=$(python3 -c "print(round($p2_parley/$p2_seed, 2))")
record P2 "20,000 piped exchanges, wall time (ms)" "$p2_parley" "$p2_seed" "${p2_ratio}x" "<= 0.5x" \
    "$(python3 -c "print('met' if $p2_ratio <= 0.5 else 'MISSED')")"

# ---- P5: start-up ------------------------------------------------------------------------------------
printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' >"$work/Hello.java"
javac -d "$work" "$work/Hello.java"
time_ms() { local t; t=$(now); "$@" >/dev/null 2>&1 </dev/null || true; echo $(( ($(now) - t) / 1000000 )); }
hello=$(for _ in $(seq 1 11); do time_ms java -cp "$work" Hello; done | median)
version=$(for _ in $(seq 1 11); do time_ms java -jar "$jar" --version; done | median)
wait_listening "$p5_port"
client_once() { printf 'bye\n' | java -jar "$jar" client --port "$p5_port" >/dev/null 2>&1; }
ready=$(for _ in $(seq 1 11); do time_ms client_once; done | median)
v_ratio=$(python3 -c "print(round($version/$hello, 2))")
c_ratio=$(python3 -c "print(round($ready/$hello, 2))")
record P5a "start-up: parley --version (ms)" "$version" "$hello" "${v_ratio}x" "<= 1.5x" \
    "$(python3 -c "print('met' if $v_ratio <= 1.5 else 'MISSED')")"
record P5b "start-up: client connects and leaves (ms)" "$ready" "$hello" "${c_ratio}x" "<= 1.5x" \
    "$(python3 -c "print('met' if $c_ratio <= 1.5 else 'MISSED')")"

kill "$p5_server" 2>/dev/null || true
printf '\n%-3s %-52s %14s %14s %8s %10s  %s\n' id measure parley baseline ratio target result
printf '%s\n' "${results[@]}"
exit "$missed"
