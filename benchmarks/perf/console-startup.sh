#!/usr/bin/env bash
# Start-up of the person's side, two jars side by side (runs alternate A B A B; median of N each):
#   version    `parley --version`: the command line is read and the JVM exits
#   piped      `printf 'bye\n' | parley client` against an echo server: connect, leave, exit
#   terminal   a client in a real terminal (tmux) until its prompt `you>` is on the screen
#
# Usage: benchmarks/perf/console-startup.sh BEFORE.jar AFTER.jar [RUNS]   (RUNS defaults to 11)
# Needs: a JDK 17+, tmux, python3. JAVA=/path/to/bin/java runs both jars on another JDK.
set -euo pipefail
before=$1 after=$2 runs=${3:-11}
work=$(mktemp -d)
sock=parley-startup-$$
runs_done=0
server_pid=
cleanup() {
    for i in $(seq 0 "$runs_done"); do tmux -L "$sock-$i" kill-server 2>/dev/null || true; done
    [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

JAVA=${JAVA:-java}
now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
java -jar "$after" server --responder echo --port "$port" 2>"$work/server.err" &
server_pid=$!
for _ in $(seq 1 200); do grep -q listening "$work/server.err" && break; sleep 0.05; done

version() { local t=$(now); "$JAVA" -jar "$1" --version >/dev/null; echo $(( ($(now) - t) / 1000000 )); }
piped() { local t=$(now); printf 'bye\n' | "$JAVA" -jar "$1" client --port "$port" >/dev/null 2>&1; echo $(( ($(now) - t) / 1000000 )); }
terminal() { # a tmux server of its own each time: one being killed may still hold a reused socket
    runs_done=$((runs_done + 1))
    local s=$sock-$runs_done t=$(now)
    tmux -L "$s" -f /dev/null new-session -d -s t -x 100 -y 20 \
        "PARLEY_CONFIG_DIR=$work/config $JAVA -jar '$1' client --port $port; sleep 60"
    until tmux -L "$s" capture-pane -p -t t | grep -q '^you>'; do sleep 0.005; done
    echo $(( ($(now) - t) / 1000000 ))
    tmux -L "$s" kill-server
}

for what in version piped terminal; do
    : >"$work/a"; : >"$work/b"
    for _ in $(seq 1 "$runs"); do
        $what "$before" >>"$work/a"
        $what "$after" >>"$work/b"
    done
    printf '%-9s before %5s ms   after %5s ms   (median of %s, alternating)\n' "$what" \
        "$(median <"$work/a")" "$(median <"$work/b")" "$runs"
done
