"""Writes P2's 20,000 turns into DIR: messages.txt (the client's, then bye) and replies.txt (the server's)."""
import sys

d = sys.argv[1]
with open(d + "/messages.txt", "w") as m, open(d + "/replies.txt", "w") as r:
    for i in range(20000):
        m.write("message %d from the client\n" % i)
        r.write("reply %d from the server\n" % i)
    m.write("bye\n")
