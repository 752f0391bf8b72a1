"""What the endpoint benchmarks share: a server in a subprocess, HTTP timing, load, memory.

The server is `alliance-kg serve` in its own process group on a free loopback port; the
clients are plain `http.client` connections (a fresh one per request, as curl, urllib and
SPARQLWrapper do, or kept alive), each request bounded by a socket timeout, each loop by a
count and a time budget. Memory is read from /proc: the resident set and its peak (VmRSS,
VmHWM) of the server's master and workers.
"""

from __future__ import annotations

import http.client
import itertools
import statistics
import threading
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from alliance_kg.web.live import LiveServer

JSON_RESULTS = "application/sparql-results+json"


class Server(LiveServer):
    """The server for a benchmark: a large build may take longer to load than a test's."""

    ready_timeout = 120.0


def sparql_path(query: str, **params: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query, **params})


def get(
    port: int,
    path: str,
    conn: http.client.HTTPConnection | None = None,
    accept: str = JSON_RESULTS,
    timeout: float = 60.0,
) -> tuple[int, bytes]:
    """One GET; on a given (kept-alive) connection, or a fresh one closed afterwards."""
    c = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request("GET", path, headers={"Accept": accept})
        response = c.getresponse()
        return response.status, response.read()
    finally:
        if conn is None:
            c.close()


def accept_for(form: str) -> str:
    return "text/turtle" if form in ("CONSTRUCT", "DESCRIBE") else JSON_RESULTS


def timed_http(port: int, path: str, runs: int, accept: str, keepalive: bool) -> list[float]:
    """Milliseconds of ``runs`` sequential requests (each to the last byte of the answer)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60) if keepalive else None
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        status, body = get(port, path, conn, accept)
        if status != 200:
            raise SystemExit(f"HTTP {status} for {path[:80]}: {body[:200]!r}")
        times.append((time.perf_counter() - start) * 1000)
    if conn is not None:
        conn.close()
    return times


def run_inprocess(store: ox.Store, query: str) -> int:
    """Evaluate and consume a query as the peer harness' floor does; the result size."""
    result = store.query(query, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryBoolean):
        return int(bool(result))
    return sum(1 for _ in result)


def timed_inprocess(store: ox.Store, query: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run_inprocess(store, query)
        times.append((time.perf_counter() - start) * 1000)
    return times


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


@dataclass
class LoadResult:
    concurrency: int
    planned: int
    completed: int = 0
    errors: int = 0
    wall_s: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    error_samples: list[str] = field(default_factory=list)

    @property
    def throughput(self) -> float:
        return self.completed / self.wall_s if self.wall_s else 0.0

    def summary(self) -> dict:
        lat = self.latencies_ms
        return {
            "concurrency": self.concurrency,
            "requests": self.planned,
            "completed": self.completed,
            "errors": self.errors,
            "wall_s": round(self.wall_s, 2),
            "req_per_s": round(self.throughput, 1),
            "p50_ms": round(statistics.median(lat), 2) if lat else None,
            "p99_ms": round(percentile(lat, 99), 2) if lat else None,
            **({"error_samples": self.error_samples} if self.error_samples else {}),
        }


def load(
    port: int,
    paths: Sequence[tuple[str, str]],
    concurrency: int,
    total: int,
    keepalive: bool,
    budget_s: float = 300.0,
    timeout: float = 60.0,
) -> LoadResult:
    """``total`` requests round-robin over ``paths`` ((path, Accept) pairs) from
    ``concurrency`` threads, each one request at a time; stops early after ``budget_s``.

    An error is a non-200 answer, a timeout or a failed connection.
    """
    result = LoadResult(concurrency, total)
    counter = itertools.count()
    lock = threading.Lock()
    deadline = time.perf_counter() + budget_s

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        mine: list[float] = []
        errors = 0
        samples: list[str] = []
        while (i := next(counter)) < total and time.perf_counter() < deadline:
            path, accept = paths[i % len(paths)]
            start = time.perf_counter()
            try:
                status, body = get(port, path, conn if keepalive else None, accept, timeout)
                ok = status == 200
                if not ok:
                    samples.append(f"HTTP {status}: {body[:120]!r}")
            except (OSError, http.client.HTTPException) as err:
                ok = False
                samples.append(f"{type(err).__name__}: {err}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
            if ok:
                mine.append((time.perf_counter() - start) * 1000)
            else:
                errors += 1
        conn.close()
        with lock:
            result.latencies_ms.extend(mine)
            result.completed += len(mine)
            result.errors += errors
            result.error_samples.extend(samples[: 3 - len(result.error_samples)])

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.wall_s = time.perf_counter() - start
    return result
