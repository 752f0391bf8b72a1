"""Export cost: seconds to export each view (GEXF, static and with timeline) and each RDF dump.

Measured on a build of the default corpus and, when ../shared is beside the repository, on a
build of the whole shared corpus. An export's time is that of the view's queries plus that of
the writer (each the best of a few runs; one run on the shared corpus), as the command line
runs them; the size of what it wrote is recorded too.
Figures are from one run on a shared machine: compare ratios within a run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from alliance_kg.config import Settings
from alliance_kg.export import export_dump, load_views, render_network
from alliance_kg.export.views import run_view
from alliance_kg.namespaces import Namespaces
from alliance_kg.pipeline import build
from alliance_kg.store import open_store
from report import machine, write

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"


def best_of(runs: int, work) -> tuple[float, object]:
    """The fastest of ``runs`` timings of ``work()``, and its result."""
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def measure(build_dir: Path, runs: int) -> list[dict]:
    """Per view: the time of its queries and of each writer; then each dump."""
    settings = Settings(build_dir=build_dir)
    store = open_store(build_dir)
    views = load_views(settings.queries_dir)
    prefixes = Namespaces(settings.base_iri).prefixes()
    rows = []
    for name, view in views.items():
        query_s, network = best_of(runs, lambda view=view: run_view(store, view))
        for fmt, dynamic in (("gexf", False), ("gexf", True), ("graphml", False), ("csv", False)):
            write_s, result = best_of(
                runs,
                lambda network=network, fmt=fmt, dynamic=dynamic: render_network(
                    network, fmt, dynamic=dynamic
                ),
            )
            rows.append(
                {
                    "export": f"{name} ({fmt}{', timeline' if dynamic else ''})",
                    "nodes": len(network.nodes),
                    "edges": len(network.edges),
                    "seconds": round(query_s + write_s, 3),
                    "queries_seconds": round(query_s, 3),
                    "writer_seconds": round(write_s, 3),
                    "bytes": sum(len(b) for b in result.files.values()),
                }
            )
    for fmt in ("nquads", "trig", "turtle", "jsonld"):
        seconds, result = best_of(1, lambda fmt=fmt: export_dump(store, fmt, prefixes))
        rows.append(
            {
                "export": f"whole graph ({fmt})",
                "seconds": round(seconds, 3),
                "bytes": sum(len(b) for b in result.files.values()),
            }
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "exports.json")
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs")
    args = parser.parse_args()
    corpora = [("default corpus", ROOT / "data" / "corpus")]
    if (SHARED / "manifest.toml").exists():
        corpora.append(("all of ../shared/corpus", SHARED))
    else:
        print(f"{SHARED} is absent: measuring the default corpus only", file=sys.stderr)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, (corpus_name, corpus) in enumerate(corpora):
            build_dir = Path(tmp) / f"build-{i}"
            manifest = build(Settings(build_dir=build_dir), corpus_dir=corpus)
            rows = measure(build_dir, args.runs if i == 0 else 1)
            results.append({"corpus": corpus_name, "quads": manifest["quads"], "rows": rows})
            print(f"\n{corpus_name}: {manifest['quads']:,} quads")
            print(f"{'export':40} {'nodes':>6} {'edges':>6} {'seconds':>8} {'bytes':>11}")
            for r in rows:
                print(
                    f"{r['export']:40} {r.get('nodes', ''):>6} {r.get('edges', ''):>6} "
                    f"{r['seconds']:8.3f} {r['bytes']:11,}"
                )
    write(args.out, {"machine": machine(), "runs": args.runs, "corpora": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())
