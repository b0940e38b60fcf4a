"""Opens N idle TLS 1.3 connections to HOST:PORT (each handshake done, nothing sent) and keeps them
open until stdin closes. Prints 'holding N' when done. The server is not checked: the test knows it.

Used to measure the server's memory per idle TLS conversation (benchmarks/perf/tls-memory.sh).
Usage: python3 hold_tls.py HOST PORT N
"""
import resource
import socket
import ssl
import sys

host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE
context.minimum_version = ssl.TLSVersion.TLSv1_3
held = []
for i in range(count):
    raw = socket.create_connection((host, port), timeout=30)
    held.append(context.wrap_socket(raw, server_hostname="parley"))
print("holding %d" % len(held), flush=True)
sys.stdin.read()
