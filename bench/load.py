"""Load: 20,000 requests at concurrency 32 on loopback, zero errors, flat memory.

Serves a build with `alliance-kg serve` (defaults: memory store, two workers per CPU) and
sends a mix of requests (the example queries that take under 5 ms in process, entity pages
as HTML and Turtle, CONSTRUCT, ASK, the VoID description) from 32 client threads, each on a
kept-alive connection. The server's memory (resident and peak resident, master plus
workers) is read after a warm-up, after each quarter of the load and at the end. Exits
non-zero on any error or when the resident memory grew by more than 5% (plus 8 MiB of
allocator slack) over the last three quarters.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import pyoxigraph as ox

from alliance_kg.config import Settings
from alliance_kg.queries import load_queries
from endpoint import ensure_build
from harness import LoadResult, Server, accept_for, load, sparql_path, timed_inprocess
from report import machine, write

ROOT = Path(__file__).resolve().parents[1]
CHEAP_MS = 5.0
GROWTH = 1.05
SLACK_MIB = 8
EXTRA = [
    ("ASK { ?s ?p ?o }", "SELECT"),
    ("CONSTRUCT WHERE { ?s a ?t } LIMIT 50", "CONSTRUCT"),
]


def request_mix(build_dir: Path, store: ox.Store) -> list[tuple[str, str]]:
    """(path, Accept) pairs: cheap example queries, entity pages, VoID."""
    settings = Settings(build_dir=build_dir)
    mix = []
    for q in load_queries(settings.queries_dir):
        cheap = statistics.median(timed_inprocess(store, q.text, 3)) < CHEAP_MS
        if q.name.startswith("examples/") and cheap:
            mix.append((sparql_path(q.text), accept_for(q.form)))
    mix += [(sparql_path(text), accept_for(form)) for text, form in EXTRA]
    base = settings.base_iri + "id/"
    typed = store.query(
        "SELECT DISTINCT ?s WHERE { ?s a ?t } ORDER BY ?s", use_default_graph_as_union=True
    )
    entities = [r["s"].value for r in typed if r["s"].value.startswith(base)]
    for iri in entities[:: max(1, len(entities) // 5)][:5]:
        path = "/id/" + iri[len(base) :]
        mix += [(path, "text/html"), (path, "text/turtle")]
    mix.append(("/.well-known/void", "text/turtle"))
    return mix


def merge(a: LoadResult, b: LoadResult) -> LoadResult:
    """Two runs of the load as one (counts and latencies added, wall times summed)."""
    return LoadResult(
        a.concurrency,
        a.planned + b.planned,
        a.completed + b.completed,
        a.errors + b.errors,
        a.wall_s + b.wall_s,
        a.latencies_ms + b.latencies_ms,
        (a.error_samples + b.error_samples)[:3],
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", type=Path, default=None, help="a build to serve")
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--warmup", type=int, default=2000)
    parser.add_argument("--budget-s", type=float, default=600.0)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "load.json")
    args = parser.parse_args()

    build_dir = ensure_build(args.build_dir)
    store = ox.Store()
    store.bulk_load(path=str(build_dir / "kg.nq"), format=ox.RdfFormat.N_QUADS)
    mix = request_mix(build_dir, store)
    with Server("--build-dir", str(build_dir)) as server:
        started = server.memory()
        warm = load(server.port, mix, args.concurrency, args.warmup, keepalive=True)
        before = server.memory()
        # The load in quarters, memory read after each: a leak shows as a steady climb.
        result, steps = None, []
        for _ in range(4):
            part = load(
                server.port, mix, args.concurrency, args.requests // 4, True, args.budget_s / 4
            )
            result = part if result is None else merge(result, part)
            steps.append(server.memory()["rss_mib"])
        after = server.memory()
        workers = len(server.workers())
    summary = result.summary()
    grown = after["rss_mib"] / before["rss_mib"] if before["rss_mib"] else 0.0
    # Workers settle during the first quarter (threads started, allocator arenas grown);
    # past that, memory must stay flat.
    flat = steps[-1] <= steps[0] * GROWTH + SLACK_MIB
    ok = summary["errors"] == 0 and warm.errors == 0 and summary["completed"] == args.requests
    print(f"{args.requests:,} requests at concurrency {args.concurrency} ({len(mix)} kinds)")
    print(
        f"completed {summary['completed']:,}, errors {summary['errors']}, "
        f"{summary['req_per_s']} req/s, p50 {summary['p50_ms']} ms, p99 {summary['p99_ms']} ms"
    )
    print(
        f"server memory (master + {workers} workers), MiB: at start {started['rss_mib']}, "
        f"before {before['rss_mib']} (peak {before['peak_rss_mib']}), "
        f"after {after['rss_mib']} (peak {after['peak_rss_mib']}): x{grown:.3f}; "
        f"after each quarter: {steps}"
    )
    report = {
        "machine": machine(),
        "build_quads": len(store),
        "request_kinds": len(mix),
        "keepalive": True,
        "result": summary,
        "memory_mib": {"at_start": started, "before": before, "after": after},
        "rss_mib_after_each_quarter": steps,
        "rss_growth": round(grown, 3),
        "flat_memory": flat,
        "zero_errors": ok,
    }
    write(args.out, report)
    if not ok:
        print("FAILED: requests failed", file=sys.stderr)
    if not flat:
        print("FAILED: the server's memory grew under load", file=sys.stderr)
    return 0 if ok and flat else 1


if __name__ == "__main__":
    sys.exit(main())
