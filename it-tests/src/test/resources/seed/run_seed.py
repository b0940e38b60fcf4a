"""Runs one of the seed tutorial's programs unchanged, on loopback and a chosen port.

The seed binds and connects to socket.gethostname() on port 1234. Tests must talk to loopback
only and must not collide on a fixed port, so this wrapper makes gethostname() answer 127.0.0.1,
replaces the port with $SEED_PORT, and sets SO_REUSEADDR so back-to-back runs can bind again.
Usage: python3 -u run_seed.py socket_server.py|socket_client.py
"""
import os
import runpy
import socket
import sys

_port = int(os.environ.get("SEED_PORT", "1234"))
_real_socket = socket.socket


class _LoopbackSocket(_real_socket):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)

    def bind(self, address):
        super().bind((address[0], _port))

    def connect(self, address):
        super().connect((address[0], _port))


socket.socket = _LoopbackSocket
socket.gethostname = lambda: "127.0.0.1"
runpy.run_path(os.path.join(os.path.dirname(os.path.abspath(__file__)), sys.argv[1]), run_name="__main__")
