"""The endpoint against pyoxigraph in process, on the same store: latency per query, overhead,
throughput at concurrency 1, 8 and 32.

Serves a build with `alliance-kg serve` (memory store, the production set-up) and loads the
same N-Quads into an in-process pyoxigraph store (results iterated: the peer harness'
"floor"): the asserted graphs and the inferred one, whose union the endpoint's default dataset
is. Then:

- every query of queries/examples/ sequentially over HTTP (a fresh connection per request):
  median and p99, and the median as a ratio to the in-process median;
- three probe queries for the overhead targets (at most +2 ms at the median on a simple
  query, at most +10% on one of 50 ms or more in process), also on a kept-alive connection;
- throughput, round-robin over the examples, at concurrency 1, 8 and 32, as a ratio to the
  in-process rate (one thread evaluating the same mix back to back).

Prints tables and writes JSON. Figures are from one run on a shared machine: compare ratios.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from alliance_kg.config import Settings
from alliance_kg.queries import load_queries
from harness import (
    Server,
    accept_for,
    load,
    percentile,
    sparql_path,
    timed_http,
    timed_inprocess,
)
from report import machine, write

ROOT = Path(__file__).resolve().parents[1]

PROBES = {
    "simple lookup": """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?s WHERE { ?s skos:prefLabel "Takeshi Iwaya"@en }""",
    "event list (ORDER BY)": """PREFIX akg: <https://w3id.org/alliance-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?e ?label ?date WHERE { ?e akg:date ?date ; skos:prefLabel ?label } ORDER BY ?date""",
    "heavy aggregate": """SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?o ?q ?x . ?x ?r ?y }
GROUP BY ?p ORDER BY DESC(?n)""",
}
SIMPLE_TARGET_MS = 2.0
HEAVY_TARGET = 1.10
LEVELS = (1, 8, 32)


def ensure_build(build_dir: Path | None) -> Path:
    if build_dir is not None:
        return build_dir
    build_dir = Path(os.environ.get("TMPDIR", "/tmp")) / "alliance-kg-bench-build"
    subprocess.run(
        [sys.executable, "-m", "alliance_kg", "build", "-q", "--build-dir", str(build_dir)],
        check=True,
    )
    return build_dir


def per_query(server: Server, store: ox.Store, queries: dict, runs: int) -> list[dict]:
    rows = []
    for name, (text, form) in queries.items():
        path, accept = sparql_path(text), accept_for(form)
        floor = timed_inprocess(store, text, 3)
        budget = max(5, min(runs, int(2000 / max(statistics.median(floor), 0.01))))
        timed_http(server.port, path, 3, accept, keepalive=False)
        floor = timed_inprocess(store, text, budget)
        http = timed_http(server.port, path, budget, accept, keepalive=False)
        f, h = statistics.median(floor), statistics.median(http)
        rows.append(
            {
                "query": name,
                "runs": budget,
                "inprocess_median_ms": round(f, 3),
                "http_median_ms": round(h, 3),
                "http_p99_ms": round(percentile(http, 99), 3),
                "added_ms": round(h - f, 3),
                "ratio": round(h / f, 2),
            }
        )
        print(f"  {name:40} {f:9.3f} {h:9.3f} {h / f:7.2f}x", file=sys.stderr)
    return rows


def probes(server: Server, store: ox.Store, runs: int) -> list[dict]:
    rows = []
    for name, query in PROBES.items():
        n = runs if name != "heavy aggregate" else max(20, runs // 10)
        path = sparql_path(query)
        timed_inprocess(store, query, 3)
        timed_http(server.port, path, 3, accept_for("SELECT"), keepalive=False)
        floor = timed_inprocess(store, query, n)
        fresh = timed_http(server.port, path, n, accept_for("SELECT"), keepalive=False)
        kept = timed_http(server.port, path, n, accept_for("SELECT"), keepalive=True)
        f, h, k = (statistics.median(x) for x in (floor, fresh, kept))
        target = f"+{SIMPLE_TARGET_MS:g} ms" if f < 50 else f"x{HEAVY_TARGET:.2f}"
        met = (h - f <= SIMPLE_TARGET_MS) if f < 50 else (h / f <= HEAVY_TARGET)
        rows.append(
            {
                "query": name,
                "runs": n,
                "inprocess_median_ms": round(f, 3),
                "http_median_ms": round(h, 3),
                "http_keepalive_median_ms": round(k, 3),
                "http_p99_ms": round(percentile(fresh, 99), 3),
                "added_ms": round(h - f, 3),
                "ratio": round(h / f, 3),
                "target": target,
                "met": met,
            }
        )
    return rows


def throughput(server: Server, store: ox.Store, queries: dict, requests: int) -> list[dict]:
    mix = list(queries.values())
    rounds = max(3, requests // (len(mix) * 4))
    for text, _ in mix:
        timed_inprocess(store, text, 1)
    start = time.perf_counter()
    for _ in range(rounds):
        for text, _ in mix:
            timed_inprocess(store, text, 1)
    inprocess_rate = rounds * len(mix) / (time.perf_counter() - start)
    paths = [(sparql_path(text), accept_for(form)) for text, form in mix]
    rows = [{"concurrency": "in process, 1 thread", "req_per_s": round(inprocess_rate, 1)}]
    for level in LEVELS:
        result = load(server.port, paths, level, requests, keepalive=False, budget_s=120)
        row = result.summary()
        row["ratio_to_inprocess"] = round(result.throughput / inprocess_rate, 2)
        rows.append(row)
        print(f"  C={level}: {row['req_per_s']} req/s, errors {row['errors']}", file=sys.stderr)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", type=Path, default=None, help="a build to serve")
    parser.add_argument("--runs", type=int, default=200, help="sequential runs per query")
    parser.add_argument("--requests", type=int, default=2000, help="requests per level")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "endpoint.json")
    args = parser.parse_args()

    build_dir = ensure_build(args.build_dir)
    settings = Settings(build_dir=build_dir)
    queries = {
        q.name: (q.text, q.form)
        for q in load_queries(settings.queries_dir)
        if q.name.startswith("examples/")
    }
    # The data the endpoint serves by default: the asserted graphs and the inferred one.
    store = ox.Store()
    for name in ("kg.nq", "kg-inferred.nq"):
        if (build_dir / name).exists():
            store.bulk_load(path=str(build_dir / name), format=ox.RdfFormat.N_QUADS)
    with Server("--build-dir", str(build_dir)) as server:
        print("per query (in process ms, HTTP ms, ratio)", file=sys.stderr)
        rows = per_query(server, store, queries, args.runs)
        probe_rows = probes(server, store, args.runs)
        print("throughput", file=sys.stderr)
        levels = throughput(server, store, queries, args.requests)

    print(f"\n{'query':40} {'in-proc':>9} {'HTTP':>9} {'p99':>9} {'ratio':>7}")
    for r in rows:
        print(
            f"{r['query']:40} {r['inprocess_median_ms']:9.3f} {r['http_median_ms']:9.3f} "
            f"{r['http_p99_ms']:9.3f} {r['ratio']:6.2f}x"
        )
    ratios = [r["ratio"] for r in rows]
    print(f"{'geometric mean':40} {'':9} {'':9} {'':9} {statistics.geometric_mean(ratios):6.2f}x")
    print(f"\n{'probe':24} {'in-proc':>9} {'HTTP':>9} {'kept':>9} {'added':>8} {'target':>8} met")
    for r in probe_rows:
        print(
            f"{r['query']:24} {r['inprocess_median_ms']:9.3f} {r['http_median_ms']:9.3f} "
            f"{r['http_keepalive_median_ms']:9.3f} {r['added_ms']:+8.3f} {r['target']:>8} "
            f"{'yes' if r['met'] else 'NO'}"
        )
    header = ("req/s", "p50 ms", "p99 ms", "errors", "ratio")
    print(f"\n{'concurrency':22} " + " ".join(f"{h:>8}" for h in header))
    for r in levels:
        if "errors" not in r:
            print(f"{r['concurrency']:22} {r['req_per_s']:8.1f}")
            continue
        print(
            f"{r['concurrency']:<22} {r['req_per_s']:8.1f} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f} "
            f"{r['errors']:7} {r['ratio_to_inprocess']:5.2f}x"
        )
    report = {
        "machine": machine(),
        "build_quads": len(store),
        "server": "alliance-kg serve, memory store, default workers and threads",
        "queries": rows,
        "geomean_ratio": round(statistics.geometric_mean(ratios), 2),
        "probes": probe_rows,
        "throughput": levels,
    }
    write(args.out, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
