"""The operators' desk, measured against the echo responder in the same run (issue 20's figures).

1. Clients served per second: a server with `--responder desk` and N piped `parley operator`s whose
   stdin answers every client message with itself (an echo-like operator: this script copies each
   line of the operator's stdout, a client's message, back to its stdin), against `--responder echo`.
   Each conversation is a raw socket: one message, its answer checked, bye, the server's close.
   CLIENTS sockets at a time keep the line full; CONVERSATIONS are timed after WARMUP.
2. Memory per waiting client: the server's RSS growth while WAITING clients wait in line (each has
   sent one message and been told its place; no operator), against WAITING idle echo conversations
   (each has sent one message and had its echo), each on a fresh server warmed by 100 conversations.

Usage: python3 benchmarks/perf/desk.py [JAR]   (default app/target/parley.jar; build it first:
       ./mvnw -q -DskipTests package). CONVERSATIONS, CLIENTS, WARMUP, WAITING, OPERATORS
       (e.g. "1 2 4") in the environment change the sizes. Prints one line per figure.
"""
import os
import re
import resource
import socket
import subprocess
import sys
import threading
import time

JAR = sys.argv[1] if len(sys.argv) > 1 else "app/target/parley.jar"
CONVERSATIONS = int(os.environ.get("CONVERSATIONS", "600"))
CLIENTS = int(os.environ.get("CLIENTS", "16"))
WARMUP = int(os.environ.get("WARMUP", "200"))
WAITING = int(os.environ.get("WAITING", "2000"))
OPERATORS = [int(n) for n in os.environ.get("OPERATORS", "1 2 4").split()]
LIMITS = ["--max-conversations", str(WAITING + 500), "--max-per-address", str(WAITING + 500)]

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


class Proc:
    """A parley process whose stderr is read into lines by a thread."""

    def __init__(self, args, stdin=None, stdout=None):
        self.p = subprocess.Popen(["java", "-jar", JAR] + args, stdin=stdin, stdout=stdout,
                                  stderr=subprocess.PIPE, text=True, bufsize=1)
        self.err = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.p.stderr:
            with self.cond:
                self.err.append(line)
                self.cond.notify_all()

    def await_err(self, regex, timeout=60):
        pattern = re.compile(regex)
        deadline = time.time() + timeout
        with self.cond:
            while True:
                for line in self.err:
                    m = pattern.search(line)
                    if m:
                        return m
                left = deadline - time.time()
                if left <= 0 or self.p.poll() is not None:
                    sys.exit("no /%s/ from %s:\n%s" % (regex, self.p.args, "".join(self.err)))
                self.cond.wait(left)

    def rss_kb(self):
        with open("/proc/%d/status" % self.p.pid) as f:
            return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))

    def stop(self):
        self.p.kill()
        self.p.wait()


def server(responder, *more):
    s = Proc(["server", "--port", "0", "--responder", responder] + LIMITS + list(more))
    port = int(s.await_err(r"listening on \S+:(\d+)").group(1))
    ops = s.await_err(r"operators on \S+:(\d+)").group(1) if "--operators" in more else None
    return s, port, (int(ops) if ops else None)


def echo_operator(port, name):
    """A piped operator whose every client message is answered with itself."""
    o = Proc(["operator", "--port", str(port), "--name", name], stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def echo():
        for line in o.p.stdout:
            o.p.stdin.write(line)
            o.p.stdin.flush()
    threading.Thread(target=echo, daemon=True).start()
    o.await_err("at the operators' desk")
    return o


def reply(f):
    """The next line from the server that is not a notice."""
    while True:
        line = f.readline()
        if not line.startswith("!notice:"):
            return line


def conversation(port, i):
    with socket.create_connection(("127.0.0.1", port), timeout=120) as s:
        f = s.makefile("r", encoding="utf-8", newline="\n")
        message = "message %d\n" % i
        s.sendall(message.encode())
        answer = reply(f)
        if answer != message:
            raise RuntimeError("conversation %d: %r, not %r" % (i, answer, message))
        s.sendall(b"bye\n")
        while f.readline():
            pass  # the server's bye, then its close: the operator is free


def serve(port, count, offset=0):
    """Runs count conversations, CLIENTS at a time; returns the seconds taken."""
    todo = iter(range(offset, offset + count))
    lock = threading.Lock()
    failures = []

    def client():
        while True:
            with lock:
                i = next(todo, None)
            if i is None:
                return
            try:
                conversation(port, i)
            except Exception as e:  # noqa: BLE001 - reported below
                failures.append(e)
                return
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        sys.exit("failed: %s" % failures[0])
    return time.perf_counter() - start


def served_per_second(responder, operators=0):
    s, port, ops = server(responder, *(["--operators", "127.0.0.1:0"] if operators else []))
    people = [echo_operator(ops, "op%d" % k) for k in range(operators)]
    try:
        serve(port, WARMUP)
        return CONVERSATIONS / serve(port, CONVERSATIONS, WARMUP)
    finally:
        for p in people + [s]:
            p.stop()


def kb_per_held(responder):
    """RSS growth per connection holding a conversation after one message: waiting in line (desk) or idle (echo)."""
    s, port, _ = server(responder, *(["--operators", "127.0.0.1:0"] if responder == "desk" else []))
    held = []
    try:
        if responder == "echo":
            serve(port, 100)  # warmed as for P4; a desk with no operator serves no one
        else:
            held += [open_one(port, responder, i) for i in range(100)]
        time.sleep(1)
        before = s.rss_kb()
        held += [open_one(port, responder, i) for i in range(WAITING)]
        time.sleep(1)
        return (s.rss_kb() - before) / WAITING
    finally:
        for c in held:
            c.close()
        s.stop()


def open_one(port, responder, i):
    c = socket.create_connection(("127.0.0.1", port), timeout=60)
    f = c.makefile("r", encoding="utf-8", newline="\n")
    c.sendall(b"hello\n")
    line = f.readline()  # echo: its echo; desk: its place in line
    expected = "hello\n" if responder == "echo" else "!notice: waiting for the operator; you are number "
    if not line.startswith(expected):
        sys.exit("connection %d: %r" % (i, line))
    return c


echo = served_per_second("echo")
print("echo responder: %.0f conversations/s (%d conversations, %d clients at a time)" % (echo, CONVERSATIONS, CLIENTS),
      flush=True)
for n in OPERATORS:
    desk = served_per_second("desk", n)
    print("desk, %d piped echo-like operator%s: %.0f conversations/s, %.2fx the echo responder"
          % (n, "" if n == 1 else "s", desk, desk / echo), flush=True)
echo_again = served_per_second("echo")
print("echo responder again: %.0f conversations/s" % echo_again, flush=True)
waiting = kb_per_held("desk")
idle = kb_per_held("echo")
print("RSS per waiting client (%d in line): %.1f KB; per idle echo conversation: %.1f KB; %.2fx"
      % (WAITING, waiting, idle, waiting / idle if idle > 0 else float("nan")), flush=True)
