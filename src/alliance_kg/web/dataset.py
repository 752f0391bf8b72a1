"""The data a server answers from, and query evaluation that a deadline can stop.

pyoxigraph cannot cancel a query from Python, and while a query runs inside Rust no signal
handler can interrupt it. So every query runs in a daemon thread and the request waits for it
with a deadline. When the deadline passes, the request answers 504 at once; the runaway
evaluation keeps that worker busy, so the worker retires: under the production server
(gunicorn) it stops taking requests, finishes the ones in flight, and exits, which ends the
query, and the master starts a fresh worker. Other workers answer meanwhile.
"""

from __future__ import annotations

import functools
import logging
import os
import queue
import signal
import threading
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
    """The query ran past the deadline."""


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
    recycle: bool = False  # retire the worker process after a timeout (set by `serve`)
    retiring: threading.Event = field(default_factory=threading.Event)
    threads: QueryThreads = field(default_factory=lambda: QueryThreads())

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

    def run(self, work: Callable[[], object], timeout: float | None = None) -> object:
        """Run ``work`` (which queries the store and serialises) under the query deadline."""
        timeout = self.settings.query_timeout if timeout is None else timeout
        done: queue.SimpleQueue = queue.SimpleQueue()
        self.threads.submit(work, done)
        try:
            ok, value = done.get(timeout=timeout)
        except queue.Empty:
            self._retire()
            raise QueryTimeoutError(f"query stopped after the {timeout:g} s limit") from None
        if ok:
            return value
        raise value

    def _retire(self) -> None:
        """Stop this worker process once its other requests are answered (see module doc)."""
        if self.retiring.is_set():
            return
        self.retiring.set()
        if self.recycle:
            log.warning("query timed out: retiring worker %d to stop the evaluation", os.getpid())
            os.kill(os.getpid(), signal.SIGTERM)
        else:
            log.warning("query timed out; it keeps running until this process exits")


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
