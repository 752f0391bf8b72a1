"""The data a server answers from, and query evaluation that a deadline can stop.

pyoxigraph cannot cancel a query from Python, and while a query runs inside Rust no signal
handler can interrupt it. So a query is evaluated where the request need not wait for it to
answer 504 at the deadline:

- under the production server (gunicorn) the query runs in the request's own thread, and a
  ``Watchdog`` thread keeps the deadline: when it passes, the watchdog answers 504 on the
  request's connection, the worker retires (it stops taking requests and finishes the ones
  in flight) and then exits, which ends the runaway evaluation; the master starts a fresh
  worker, and other workers answer meanwhile;
- elsewhere (the test client, the development server) the query runs in a daemon thread and
  the request waits for it with a deadline, answers 504 when it passes, and the thread is
  left behind (under ``serve``, the worker retires as above).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import queue
import signal
import socket
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..config import Settings
from ..namespaces import Namespaces
from ..store import BuildError, BuildPaths, read_manifest

log = logging.getLogger(__name__)

RDF_EXTENSIONS = {
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
}


class QueryTimeoutError(Exception):
    """The query ran past the deadline; the message is the whole answer (a 504)."""


QUERY_ADVICE = "narrow the query or add a LIMIT"


class Watchdog:
    """Deadlines of queries that run in their request's own thread (under gunicorn).

    Handing a query to another thread and back costs a tenth of a millisecond, as much as a
    simple query takes to evaluate. Under gunicorn the request's connection is at hand, so a
    query runs in its own request's thread, and this thread keeps the deadlines: when one
    passes it answers 504 on the connection (``expire``), asks the worker to retire
    (``retire``) and, once the other requests in flight are answered, ends the process: the
    threads stuck in runaway queries would otherwise hold its exit until they finish.

    Requests in flight are counted by gunicorn's ``pre_request``/``post_request`` hooks
    (``started``/``finished``). A deadline is the current time plus the same timeout
    (``idle``), so a new one is never earlier than those watched, nor than the end of the
    thread's idle sleep of that length: the thread is woken only for a shorter timeout,
    never once per query.
    """

    def __init__(
        self, retire: Callable[[], None], idle: float, end: Callable[[], None] | None = None
    ) -> None:
        self.retire = retire
        self.idle = idle
        self.end = end or end_process
        self.cond = threading.Condition()
        self.deadlines: dict[int, tuple[float, Callable[[], None]]] = {}
        self.keys = iter(range(1 << 62))
        self.requests = 0  # in flight, stuck ones included
        self.runaway = 0  # answered 504 and still evaluating
        self.wake_at = 0.0  # awake
        self.thread: threading.Thread | None = None

    def started(self) -> None:
        with self.cond:
            self.requests += 1

    def finished(self) -> None:
        with self.cond:
            self.requests -= 1
            if self.runaway:
                self.cond.notify()

    def watch(self, deadline: float, expire: Callable[[], None]) -> int:
        with self.cond:
            if self.thread is None:  # started in the worker, after the fork
                self.thread = threading.Thread(target=self._loop, name="watchdog", daemon=True)
                self.thread.start()
            key = next(self.keys)
            self.deadlines[key] = (deadline, expire)
            if deadline < self.wake_at:
                self.cond.notify()
            return key

    def release(self, key: int) -> bool:
        """Stop watching; False when the deadline passed first (504 already answered)."""
        with self.cond:
            if self.deadlines.pop(key, None) is not None:
                return True
            self.runaway -= 1
            return False

    def _loop(self) -> None:
        with self.cond:
            while not (self.runaway and self.requests <= self.runaway):
                now = time.monotonic()
                due = [key for key, (deadline, _) in self.deadlines.items() if deadline <= now]
                if due:
                    self.runaway += len(due)
                    expired = [self.deadlines.pop(key)[1] for key in due]
                    self.cond.release()
                    try:
                        for expire in expired:
                            expire()
                        self.retire()
                    finally:
                        self.cond.acquire()
                    continue
                self.wake_at = min((d for d, _ in self.deadlines.values()), default=now + self.idle)
                self.cond.wait(self.wake_at - now)
                self.wake_at = 0.0  # awake: a new deadline needs no notify
        self.end()


def end_process() -> None:
    """Exit now, runaway query threads and all (``sys.exit`` would wait for them)."""
    log.warning("worker %d exits: its other requests are answered", os.getpid())
    logging.shutdown()
    os._exit(0)


def answer_on_socket(environ: dict, status: str, headers: dict[str, str], body: bytes) -> None:
    """Write a whole response on a request's gunicorn connection and close it, from a
    thread other than the request's (the watchdog's 504)."""
    sock = environ.get("gunicorn.socket")
    if sock is None:
        return
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    message = f"HTTP/1.1 {status}\r\n{head}Connection: close\r\n\r\n".encode("latin-1")
    with contextlib.suppress(OSError):
        sock.sendall(message + body)
        sock.shutdown(socket.SHUT_RDWR)


class QueryThreads:
    """Daemon threads that evaluate queries; a thread stuck in a runaway query is left behind
    (the process retires) and a new one takes its place, so the pool grows only then.

    Reusing threads saves starting one per request, a tenth of a millisecond.
    """

    def __init__(self) -> None:
        self.jobs: queue.SimpleQueue = queue.SimpleQueue()
        self.idle = 0
        self.lock = threading.Lock()

    def submit(self, work: Callable[[], object], done: queue.SimpleQueue) -> None:
        with self.lock:
            if self.idle == 0:
                threading.Thread(target=self._loop, name="query", daemon=True).start()
            else:
                self.idle -= 1
        self.jobs.put((work, done))

    def _loop(self) -> None:
        while True:
            work, done = self.jobs.get()
            try:
                done.put((True, work()))
            except BaseException as err:  # handed over to the waiting request
                release_frames(err)
                done.put((False, err))
            with self.lock:
                self.idle += 1


def release_frames(err: BaseException) -> None:
    """Drop the local variables of the frames in an error's tracebacks (chained ones too).

    pyoxigraph results may only be freed on the thread that made them, and a traceback keeps
    the frames of the query thread, with their results, alive; the request thread that
    receives the error would free them, which pyoxigraph reports as an error of its own.
    """
    seen: set[int] = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        traceback.clear_frames(err.__traceback__)
        err = err.__cause__ or err.__context__


@dataclass(frozen=True)
class DataFile:
    """An RDF file to serve, into a named graph or (graph None) the default graph."""

    path: Path
    graph: str | None = None

    @classmethod
    def parse(cls, spec: str) -> DataFile:
        """``FILE`` or ``FILE=GRAPH_IRI``."""
        path, sep, graph = spec.partition("=")
        if sep and not graph.startswith(("http://", "https://", "urn:")):
            raise ValueError(f"{spec}: the graph after '=' must be an absolute IRI")
        return cls(Path(path), graph or None)


@dataclass
class Dataset:
    """A store and what the server says about it (graphs, sizes, where it came from)."""

    store: ox.Store
    settings: Settings
    source: str  # "build" or "files"
    build_dir: Path | None = None
    manifest: dict = field(default_factory=dict)
    graph_sizes: dict[str, int] = field(default_factory=dict)
    retiring: threading.Event = field(default_factory=threading.Event)
    threads: QueryThreads = field(default_factory=lambda: QueryThreads())
    # Set by `serve`: queries run in the request's thread, and a worker whose query times out
    # retires.
    watchdog: Watchdog | None = None
    # The request being answered in this thread: ``reply(status, message)`` answers it on
    # its connection from another thread (set by the WSGI middleware under gunicorn).
    connection: threading.local = field(default_factory=threading.local)

    @property
    def ns(self) -> Namespaces:
        return Namespaces(self.settings.base_iri)

    @functools.cached_property
    def prefixes(self) -> dict[str, str]:
        """The project's prefixes, for serialisations that have them (made once)."""
        return self.ns.prefixes()

    @property
    def triples(self) -> int:
        return sum(self.graph_sizes.values())

    def count_graphs(self) -> None:
        sizes: dict[str, int] = {}
        for row in self.store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        ):
            sizes[row["g"].value] = int(row["n"].value)
        default = self.store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        n_default = int(next(iter(default))["n"].value)
        if n_default:
            sizes[""] = n_default  # the store's own default graph
        self.graph_sizes = dict(sorted(sizes.items()))

    # -- evaluation ------------------------------------------------------------------------

    def run(
        self,
        work: Callable[[], object],
        timeout: float | None = None,
        advice: str = QUERY_ADVICE,
    ) -> object:
        """Run ``work`` (which queries the store and serialises) under the query deadline;
        past it, raise (or, under the watchdog, answer) 504 with ``advice`` for the user."""
        timeout = self.settings.query_timeout if timeout is None else timeout
        message = f"query stopped after the {timeout:g} s limit; {advice}"
        reply = getattr(self.connection, "reply", None) if self.watchdog else None
        if reply is not None:
            key = self.watchdog.watch(time.monotonic() + timeout, lambda: reply(504, message))
            try:
                value = work()
            finally:
                answered = not self.watchdog.release(key)
            if answered:
                raise QueryTimeoutError(message)
            return value
        done: queue.SimpleQueue = queue.SimpleQueue()
        self.threads.submit(work, done)
        try:
            ok, value = done.get(timeout=timeout)
        except queue.Empty:
            self._retire()
            raise QueryTimeoutError(message) from None
        if ok:
            return value
        raise value

    def _retire(self) -> None:
        """Stop this worker process once its other requests are answered (see module doc)."""
        if self.retiring.is_set():
            return
        self.retiring.set()
        if self.watchdog is not None:  # under `serve`: gunicorn replaces the worker
            retire_worker()
        else:
            log.warning("query timed out; it keeps running until this process exits")


def retire_worker() -> None:
    """Ask gunicorn to stop this worker gracefully (the master starts a fresh one)."""
    log.warning("query timed out: retiring worker %d to stop the evaluation", os.getpid())
    os.kill(os.getpid(), signal.SIGTERM)


def load_build(settings: Settings, build_dir: Path | None = None) -> Dataset:
    """A dataset over a build: its N-Quads (asserted and inferred) in memory, or its store
    opened read-only."""
    build_dir = Path(build_dir or settings.build_dir)
    manifest = read_manifest(build_dir)
    paths = BuildPaths(build_dir)
    if settings.store_mode == "memory":
        store = ox.Store()
        store.bulk_load(path=str(paths.nquads), format=ox.RdfFormat.N_QUADS)
        if paths.inferred.exists():
            store.bulk_load(path=str(paths.inferred), format=ox.RdfFormat.N_QUADS)
    else:
        try:
            store = ox.Store.read_only(str(paths.store))
        except OSError as err:
            raise BuildError(f"{paths.store}: cannot open the store ({err})") from None
    dataset = Dataset(store, settings, "build", build_dir=build_dir, manifest=manifest)
    dataset.count_graphs()
    return dataset


def load_files(settings: Settings, files: Iterable[DataFile]) -> Dataset:
    """A dataset of RDF files loaded into memory (``serve --data``)."""
    store = ox.Store()
    for data in files:
        fmt = RDF_EXTENSIONS.get(data.path.suffix.lower())
        if fmt is None:
            raise ValueError(f"{data.path}: unknown RDF format (use {', '.join(RDF_EXTENSIONS)})")
        if not data.path.is_file():
            raise ValueError(f"{data.path}: no such file")
        target = ox.NamedNode(data.graph) if data.graph else None
        if target is not None and fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            raise ValueError(
                f"{data.path}: a quad format keeps its own graphs; drop '={data.graph}'"
            )
        try:
            store.bulk_load(path=str(data.path), format=fmt, to_graph=target)
        except SyntaxError as err:
            raise ValueError(f"{data.path}: {err}") from None
    dataset = Dataset(store, settings, "files")
    dataset.count_graphs()
    return dataset
