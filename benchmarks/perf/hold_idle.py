"""Opens N idle connections to HOST:PORT and keeps them open until stdin closes.

Used to measure the server's memory per idle conversation: the connections send nothing, so each
holds an open conversation waiting for its client's first message. Prints 'holding N' when done.
Usage: python3 hold_idle.py HOST PORT N
"""
import resource
import socket
import sys
import time

host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
held = []
for i in range(count):
    # To a loopback server, from 127.0.0.1-.254 in turn (as `parley bench` does): one source address
    # has some 28,000 ephemeral ports, and connect() takes them from half of that range first, so a
    # run after another's TIME_WAITs could find none left from one address.
    source = ("127.0.0.%d" % (1 + i % 254), 0) if host.startswith("127.") else None
    for attempt in range(50):
        try:
            held.append(socket.create_connection((host, port), timeout=10, source_address=source))
            break
        except OSError as e:
            failure = e
            time.sleep(0.05)
    else:
        sys.exit("could not open connection %d: %s" % (i, failure))
print("holding %d" % len(held), flush=True)
sys.stdin.read()
