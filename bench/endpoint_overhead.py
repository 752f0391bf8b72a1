"""What the HTTP endpoint adds to a query: /sparql against pyoxigraph in process, same data.

Serves a build with `alliance-kg serve` (memory store, the production set-up) and times each
query sequentially over HTTP (a fresh connection per request, as curl, SPARQLWrapper and urllib
do; and on a kept-alive connection), against the same query on the same data loaded into an
in-process pyoxigraph store (results iterated, the peer harness' "floor"). Reports medians, p99
and the difference and ratio; writes JSON. Targets: at most +2 ms at the median on a simple
query, at most +10% on a query of 50 ms or more.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pyoxigraph as ox

from report import machine, write

ROOT = Path(__file__).resolve().parents[1]

QUERIES = {
    "simple lookup": """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?s WHERE { ?s skos:prefLabel "Takeshi Iwaya"@en }""",
    "event list (ORDER BY)": """PREFIX akg: <https://w3id.org/alliance-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?e ?label ?date WHERE { ?e akg:date ?date ; skos:prefLabel ?label } ORDER BY ?date""",
    "heavy aggregate": """SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?o ?q ?x . ?x ?r ?y }
GROUP BY ?p ORDER BY DESC(?n)""",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port: int, deadline: float = 60.0) -> None:
    end = time.time() + deadline
    while time.time() < end:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/sparql?query=ASK%7B%7D")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("server did not come up")


def timed_http(port: int, query: str, runs: int, keepalive: bool) -> list[float]:
    path = "/sparql?" + urllib.parse.urlencode({"query": query})
    headers = {"Accept": "application/sparql-results+json"}
    times = []
    conn = http.client.HTTPConnection("127.0.0.1", port) if keepalive else None
    for _ in range(runs):
        start = time.perf_counter()
        c = conn or http.client.HTTPConnection("127.0.0.1", port)
        c.request("GET", path, headers=headers)
        response = c.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"HTTP {response.status} for {query[:40]}")
        times.append((time.perf_counter() - start) * 1000)
        if conn is None:
            c.close()
    return times


def timed_inprocess(store: ox.Store, query: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for _row in store.query(query, use_default_graph_as_union=True):
            pass
        times.append((time.perf_counter() - start) * 1000)
    return times


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--build-dir",
        type=Path,
        default=None,
        help="a build to serve (default: build the default corpus into a temp dir)",
    )
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument(
        "--out", type=Path, default=ROOT / "bench" / "results" / "endpoint_overhead.json"
    )
    args = parser.parse_args()

    build_dir = args.build_dir
    if build_dir is None:
        build_dir = Path(os.environ.get("TMPDIR", "/tmp")) / "alliance-kg-bench-build"
        subprocess.run(
            [sys.executable, "-m", "alliance_kg", "build", "-q", "--build-dir", str(build_dir)],
            check=True,
        )
    store = ox.Store()
    store.bulk_load(path=str(build_dir / "kg.nq"), format=ox.RdfFormat.N_QUADS)

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "alliance_kg",
            "serve",
            "--build-dir",
            str(build_dir),
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    rows = []
    try:
        wait_ready(port)
        for name, query in QUERIES.items():
            runs = args.runs if name != "heavy aggregate" else max(20, args.runs // 10)
            timed_inprocess(store, query, 3)
            timed_http(port, query, 3, keepalive=False)
            floor = timed_inprocess(store, query, runs)
            fresh = timed_http(port, query, runs, keepalive=False)
            kept = timed_http(port, query, runs, keepalive=True)
            f, h, k = (statistics.median(x) for x in (floor, fresh, kept))
            rows.append(
                {
                    "query": name,
                    "runs": runs,
                    "inprocess_median_ms": round(f, 3),
                    "http_median_ms": round(h, 3),
                    "http_keepalive_median_ms": round(k, 3),
                    "http_p99_ms": round(p99(fresh), 3),
                    "added_ms": round(h - f, 3),
                    "ratio": round(h / f, 2),
                }
            )
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(
        f"{'query':24} {'in-process':>10} {'HTTP':>8} {'keep-alive':>10} {'p99':>8} "
        f"{'added':>8} {'ratio':>6}"
    )
    for r in rows:
        print(
            f"{r['query']:24} {r['inprocess_median_ms']:10.3f} {r['http_median_ms']:8.3f} "
            f"{r['http_keepalive_median_ms']:10.3f} {r['http_p99_ms']:8.3f} "
            f"{r['added_ms']:+8.3f} {r['ratio']:5.2f}x"
        )
    report = {
        "machine": machine(),
        "build_quads": len(store),
        "rows": rows,
    }
    write(args.out, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
