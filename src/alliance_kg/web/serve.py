"""Serve the app with a production WSGI server (gunicorn), configured from Settings.

Memory mode loads the data once in the master process before the workers fork, so workers
share it copy-on-write and a retired worker (one that hit the query deadline) is replaced at
once. Disk mode opens the store read-only in each worker after the fork.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable, Sequence

from gunicorn import util
from gunicorn.app.base import BaseApplication
from gunicorn.workers.gthread import ThreadWorker

from ..config import Settings
from . import create_app
from .dataset import DataFile, Dataset, Watchdog, load_build, load_files, retire_worker

log = logging.getLogger(__name__)


class Server(BaseApplication):
    """gunicorn with the alliance-kg app and no command-line parsing of its own."""

    def __init__(self, make_app: Callable, options: dict) -> None:
        self.make_app = make_app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.make_app()


class Worker(ThreadWorker):
    """gunicorn's threaded worker, doing less per connection.

    SPARQL clients (SPARQLWrapper, curl, urllib) open a connection per query. gunicorn's
    worker hands every event of a connection to its thread pool and back, the client's
    closing of a kept-alive connection included, waits on a new selector for a request that
    has often arrived with the connection, and tells the master it is alive at every turn
    of its loop (a file-system call). This worker closes a connection its client has left
    without the round trip through the pool, takes a request already waiting without
    waiting for it again, and tells the master at most once a second (the master waits
    ``timeout`` seconds, half a minute or more, before it acts). It relies on the internals
    of gunicorn's ``gthread`` worker, hence the pinned gunicorn release series.
    """

    NOTIFY_EVERY = 1.0  # seconds
    notified = float("-inf")

    def notify(self) -> None:
        now = time.monotonic()
        if now - self.notified >= self.NOTIFY_EVERY:
            self.notified = now
            super().notify()

    def enqueue_req(self, conn) -> None:
        if not conn.initialized and not conn.data_ready and peek(conn.sock) is not None:
            conn.data_ready = True
        super().enqueue_req(conn)

    def on_client_socket_readable(self, conn, client) -> None:
        if peek(client) == b"":  # the client closed the kept-alive connection
            self.poller.unregister(client)
            self.keepalived_conns.remove(conn)
            self.nr_conns -= 1
            util.close(client)
            return
        super().on_client_socket_readable(conn, client)


def peek(sock: socket.socket) -> bytes | None:
    """The first byte waiting on ``sock``, b"" once the peer has closed, None when nothing
    has arrived yet (or the socket failed: the worker's own path then reports it)."""
    try:
        return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except OSError:
        return None


def make_loader(
    settings: Settings, data: Sequence[DataFile], watchdog: Watchdog
) -> Callable[[], Dataset]:
    def load() -> Dataset:
        dataset = load_files(settings, data) if data else load_build(settings)
        dataset.watchdog = watchdog
        return dataset

    return load


def serve(settings: Settings, data: Sequence[DataFile] = (), *, announce=print) -> None:
    """Run the server until interrupted. Raises BuildError/ValueError before binding."""
    watchdog = Watchdog(retire_worker, settings.query_timeout)
    load = make_loader(settings, data, watchdog)
    preload = settings.store_mode == "memory" or bool(data)
    if preload:
        dataset = load()  # errors surface here, before any worker starts

        def make_app():
            return create_app(settings, dataset)
    else:
        load_build(settings)  # check the build opens before forking workers

        def make_app():
            return create_app(settings, load())

    # The worker deadline sits above the query deadline: a worker retiring after a timed-out
    # query must get the time to finish its other requests before gunicorn kills it.
    options = {
        "bind": f"{settings.host}:{settings.port}",
        "workers": settings.worker_count,
        "worker_class": Worker,
        "threads": settings.threads,
        "preload_app": preload,
        "timeout": int(settings.query_timeout) + 30,
        "graceful_timeout": int(settings.query_timeout) + 5,
        "keepalive": 5,
        "limit_request_line": 0,  # long GET queries are normal for SPARQL
        "accesslog": os.environ.get("ALLIANCE_KG_ACCESS_LOG"),
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "alliance-kg",
        # The watchdog ends a worker with a runaway query once its other requests are done.
        "pre_request": lambda worker, req: watchdog.started(),
        "post_request": lambda worker, req, environ, resp: watchdog.finished(),
    }
    announce(
        f"serving on http://{settings.host}:{settings.port}/ "
        f"({settings.worker_count} workers x {settings.threads} threads, "
        f"{settings.store_mode} store)"
    )
    Server(make_app, options).run()
