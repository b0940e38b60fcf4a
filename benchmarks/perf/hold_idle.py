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
    for attempt in range(50):
        try:
            held.append(socket.create_connection((host, port), timeout=10))
            break
        except OSError:
            time.sleep(0.05)
    else:
        sys.exit("could not open connection %d" % i)
print("holding %d" % len(held), flush=True)
sys.stdin.read()
