"""Serve the app with a production WSGI server (gunicorn), configured from Settings.

Memory mode loads the data once in the master process before the workers fork, so workers
share it copy-on-write and a retired worker (one that hit the query deadline) is replaced at
once. Disk mode opens the store read-only in each worker after the fork.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence

from gunicorn.app.base import BaseApplication

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
        "worker_class": "gthread",
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
