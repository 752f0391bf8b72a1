"""The server's gunicorn worker (web/serve.py): what it does itself instead of handing it to
its thread pool, and that it hands everything else on unchanged. Over real HTTP the same
worker serves every test of test_live_server.py, test_load.py and test_faults.py."""

from __future__ import annotations

import collections
import http.client
import os
import selectors
import socket
import time

import pytest

from alliance_kg.web import serve
from alliance_kg.web.live import LiveServer


class Conn:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.initialized = False
        self.data_ready = False


def bare_worker() -> serve.Worker:
    """A worker with only the state these methods touch (no arbiter, no sockets of its own)."""
    worker = serve.Worker.__new__(serve.Worker)
    worker.poller = selectors.DefaultSelector()
    worker.keepalived_conns = collections.deque()
    worker.nr_conns = 0
    return worker


@pytest.fixture
def pair():
    server, client = socket.socketpair()
    yield server, client
    for sock in (server, client):
        sock.close()


@pytest.fixture
def handed(monkeypatch) -> list:
    """What the worker hands to gunicorn's own path (and so to its thread pool)."""
    given: list = []
    monkeypatch.setattr(serve.ThreadWorker, "enqueue_req", lambda self, conn: given.append(conn))
    return given


def kept_alive(worker: serve.Worker, server: socket.socket) -> Conn:
    conn = Conn(server)
    server.setblocking(False)
    worker.keepalived_conns.append(conn)
    worker.poller.register(server, selectors.EVENT_READ)
    worker.nr_conns += 1
    return conn


def test_a_kept_alive_connection_the_client_closed_is_closed_in_the_loop(pair, handed):
    server, client = pair
    worker = bare_worker()
    conn = kept_alive(worker, server)
    client.close()
    worker.on_client_socket_readable(conn, server)
    assert handed == []
    assert server.fileno() == -1  # closed
    assert not worker.keepalived_conns and worker.nr_conns == 0
    assert not worker.poller.get_map()


def test_a_kept_alive_connection_with_a_request_goes_to_the_pool(pair, handed):
    server, client = pair
    worker = bare_worker()
    conn = kept_alive(worker, server)
    client.sendall(b"GET /sparql HTTP/1.1\r\n\r\n")
    worker.on_client_socket_readable(conn, server)
    assert handed == [conn]
    assert server.recv(3) == b"GET"  # only peeked: the request is still there to parse
    assert worker.nr_conns == 1


@pytest.mark.parametrize("sent, ready", [(b"GET / HTTP/1.1\r\n\r\n", True), (None, False)])
def test_a_new_connection_is_ready_only_once_its_request_arrived(pair, handed, sent, ready):
    server, client = pair
    if sent:
        client.sendall(sent)
    conn = Conn(server)
    bare_worker().enqueue_req(conn)
    assert handed == [conn]
    assert conn.data_ready is ready


def test_the_master_is_told_at_most_once_a_second(monkeypatch):
    told = []
    monkeypatch.setattr(serve.ThreadWorker, "notify", lambda self: told.append(time.monotonic()))
    worker = bare_worker()
    for _ in range(1000):
        worker.notify()
    assert len(told) == 1
    worker.notified -= serve.Worker.NOTIFY_EVERY
    worker.notify()
    assert len(told) == 2


def test_peek_tells_waiting_bytes_from_a_closed_peer_from_nothing_yet(pair):
    server, client = pair
    assert serve.peek(server) is None
    client.sendall(b"x")
    assert serve.peek(server) == b"x"
    assert serve.peek(server) == b"x"  # not consumed
    server.recv(1)
    client.close()
    assert serve.peek(server) == b""


def test_connections_opened_closed_and_kept_alive_over_real_http(default_build):
    """Fresh connections closed by the client, connections closed before sending anything,
    and a kept-alive connection reused: the server answers each, and every socket it
    accepted is closed again."""
    with LiveServer("--build-dir", str(default_build), "--workers", "1") as server:

        def ask(conn: http.client.HTTPConnection) -> bytes:
            conn.request("GET", "/sparql?query=ASK%7B%7D")
            reply = conn.getresponse()
            assert reply.status == 200
            return reply.read()

        for _ in range(20):
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            assert b"true" in ask(conn)
            conn.close()
        for _ in range(5):
            socket.create_connection(("127.0.0.1", server.port)).close()
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        assert b"true" in ask(conn)
        first = conn.sock
        for _ in range(2):
            assert b"true" in ask(conn)
        assert conn.sock is first  # the same connection served all three
        worker = next(iter(server.workers()))
        assert open_sockets(worker, server.port) == 1
        conn.close()
        deadline = time.monotonic() + 5
        while open_sockets(worker, server.port) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert open_sockets(worker, server.port) == 0


def open_sockets(pid: int, port: int) -> int:
    """Established TCP connections to ``port`` held by process ``pid``."""
    inodes = set()
    for path in (f"/proc/{pid}/net/tcp", f"/proc/{pid}/net/tcp6"):
        try:
            with open(path) as table:
                lines = table.read().splitlines()[1:]
        except FileNotFoundError:
            continue
        for line in lines:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if local_port == port and fields[3] != "0A":  # 0A: listening
                inodes.add(fields[9])
    fds = os.listdir(f"/proc/{pid}/fd")
    held = set()
    for fd in fds:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            held.add(target[8:-1])
    return len(inodes & held)
