"""The latest benchmark figures as one Markdown summary (bench/results/summary.md).

Reads every bench/results/*.json that a benchmark wrote and renders it: the ones this file
knows get their own table; any other with a ``rows`` list of flat records (one per
measurement) gets a table of its columns, so a new benchmark shows up without changes here.
The README's Benchmarks section is a copy of this file's output.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, bool):
        return "yes" if value else "**no**"
    return str(value)


def endpoint(report: dict) -> list[str]:
    out = [
        f"Endpoint vs pyoxigraph in process, same store ({report['build_quads']:,} quads, "
        "the example queries; a fresh connection per request):",
        "",
    ]
    out += table(
        ["query", "in process ms", "HTTP median ms", "HTTP p99 ms", "ratio"],
        [
            [
                r["query"],
                r["inprocess_median_ms"],
                r["http_median_ms"],
                r["http_p99_ms"],
                f"{r['ratio']:.2f}x",
            ]
            for r in report["queries"]
        ]
        + [["geometric mean", "", "", "", f"{report['geomean_ratio']:.2f}x"]],
    )
    out += ["", "Overhead targets:", ""]
    out += table(
        ["probe", "in process ms", "HTTP ms", "kept-alive ms", "added ms", "target", "met"],
        [
            [
                r["query"],
                r["inprocess_median_ms"],
                r["http_median_ms"],
                r["http_keepalive_median_ms"],
                r["added_ms"],
                r["target"],
                r["met"],
            ]
            for r in report["probes"]
        ],
    )
    out += ["", "Throughput, round-robin over the example queries:", ""]
    out += table(
        ["concurrency", "req/s", "p50 ms", "p99 ms", "errors", "ratio to in process"],
        [
            [
                r["concurrency"],
                r["req_per_s"],
                r.get("p50_ms", ""),
                r.get("p99_ms", ""),
                r.get("errors", ""),
                f"{r['ratio_to_inprocess']:.2f}x" if "errors" in r else "1x",
            ]
            for r in report["throughput"]
        ],
    )
    return out


def peers(report: dict) -> list[str]:
    ours = report["project"]
    out = [
        f"Peer harness (../shared/bench-peers, {report['triples']:,} triples, its 8 queries; "
        f"{report['comparison']}):",
        "",
    ]
    rows = [
        ["geometric mean of median latencies / floor", f"{ours['geomean_ratio_to_floor']}x"],
        ["req/s at C=1 / 8 / 32", " / ".join(str(ours["req_per_s"][c]) for c in ("1", "8", "32"))],
        ["C=8 throughput / Virtuoso's", f"{report['c8_ratio_to_virtuoso']}x"],
        ["errors", ours["errors"]],
    ]
    theirs = report.get("virtuoso", {})
    if "req_per_s" in theirs:
        rows.insert(
            2,
            [
                "Virtuoso: geomean / floor; req/s at C=1 / 8 / 32",
                f"{theirs['geomean_ratio_to_floor']}x; "
                + " / ".join(str(theirs["req_per_s"][c]) for c in ("1", "8", "32")),
            ],
        )
    runs = report.get("runs")
    if runs:
        out[0] = out[0][:-2] + f"; median of {len(runs)} runs, each ratio within its run):"
        rows.append(
            [
                "each run: geomean / floor; C=8 / Virtuoso; machine busy just before",
                "; ".join(
                    f"{r['geomean_ratio_to_floor']}x / {r['c8_ratio_to_virtuoso']}x / "
                    + (
                        f"{r['machine_busy_before']:.0%}"
                        if r["machine_busy_before"] is not None
                        else "?"
                    )
                    for r in runs
                ),
            ]
        )
    else:
        busy = report.get("machine_busy_before")
        if busy is not None:
            rows.append(["machine busy with other work just before", f"{busy:.0%}"])
    rows += [[target, met] for target, met in report["targets"].items()]
    return out + table(["measure", "value"], rows)


def load(report: dict) -> list[str]:
    r, mem = report["result"], report["memory_mib"]
    return [
        f"Load: {r['requests']:,} requests at concurrency {r['concurrency']} (kept-alive "
        f"connections, {report['request_kinds']} kinds of request): {r['completed']:,} "
        f"answered, {r['errors']} errors, {r['req_per_s']} req/s, p50 {r['p50_ms']} ms, "
        f"p99 {r['p99_ms']} ms. Server resident memory (master and workers) "
        f"{mem['before']['rss_mib']} MiB before, {mem['after']['rss_mib']} MiB after "
        f"(peak {mem['before']['peak_rss_mib']} / {mem['after']['peak_rss_mib']} MiB): "
        f"x{report['rss_growth']}"
        + (
            f"; after each quarter of the load: {report['rss_mib_after_each_quarter']} MiB."
            if "rss_mib_after_each_quarter" in report
            else "."
        ),
    ]


def build_cost(report: dict) -> list[str]:
    base = report["rows"][0]
    out = ["Build cost as the corpus grows (one fresh process per build):", ""]
    out += table(
        ["corpus", "input MB", "seconds", "s/MB", "peak RSS MiB", "quads"],
        [
            [
                r["corpus"],
                r["input_mb"],
                r["seconds"],
                round(r["seconds"] / r["input_mb"], 2) if r["input_mb"] else "",
                r["peak_rss_mib"],
                r["quads"],
            ]
            for r in report["rows"]
        ],
    )
    largest = report["rows"][-1]
    if largest is not base and base["input_mb"]:
        grew = largest["input_mb"] / base["input_mb"]
        took = largest["seconds"] / base["seconds"]
        out += ["", f"Input x{grew:.0f}, time x{took:.0f}."]
    return out


def generic(report: dict) -> list[str]:
    rows = report.get("rows")
    if not rows or not all(isinstance(r, dict) for r in rows):
        return []
    columns = list(dict.fromkeys(k for r in rows for k in r))
    return table(columns, [[r.get(c, "") for c in columns] for r in rows])


def _cost(run: dict) -> str:
    """One measured step: "0.61 s, 67 MiB", or a bound when it was stopped."""
    if not run:
        return ""
    seconds = f"{run['seconds']:,.1f} s" if run.get("finished", True) else f">= {run['seconds']} s"
    return f"{seconds}, {run['peak_rss_mib']:,.0f} MiB" if "peak_rss_mib" in run else seconds


def reasoning(report: dict) -> list[str]:
    rows = [
        [
            r["corpus"],
            r["fast"]["asserted"],
            r["fast"]["inferred"],
            _cost(r["fast"]),
            _cost(r["owlrl"]),
            f"{r['speedup']:.0f}x",
            r["same_triples_as_owlrl"],
            _cost(r["validate"]),
        ]
        for r in report["rows"]
    ]
    header = [
        "corpus", "asserted", "inferred", "fast path", "owlrl", "speed-up", "same as owlrl",
        "SHACL validation",
    ]  # fmt: skip
    intro = ["OWL 2 RL closure, fast path vs owlrl (separate processes), and SHACL validation:", ""]
    return intro + table(header, rows)


def exports(report: dict) -> list[str]:
    out = []
    for corpus in report["corpora"]:
        out += [f"Exports of the {corpus['corpus']} ({corpus['quads']:,} quads):", ""]
        rows = [
            [r["export"], r.get("nodes", ""), r.get("edges", ""), r["seconds"]]
            for r in corpus["rows"]
        ]
        out += [*table(["export", "nodes", "edges", "seconds"], rows), ""]
    return out[:-1]


RENDER: dict[str, tuple[str, Callable[[dict], list[str]]]] = {
    "endpoint": ("Endpoint latency and throughput", endpoint),
    "peers": ("Against the peers", peers),
    "load": ("Load", load),
    "build_cost": ("Build cost", build_cost),
    "reasoning": ("Inference and validation", reasoning),
    "exports": ("Exports", exports),
}


def main() -> int:
    out = ["<!-- generated by bench/summary.py from bench/results/*.json -->"]
    machines = set()
    files = sorted(p for p in RESULTS.glob("*.json") if not p.stem.endswith("-run"))
    order = {name: i for i, name in enumerate(RENDER)}
    for path in sorted(files, key=lambda p: (order.get(p.stem, len(order)), p.stem)):
        report = json.loads(path.read_text())
        title, render = RENDER.get(path.stem, (path.stem.replace("_", " ").capitalize(), generic))
        lines = render(report)
        if not lines:
            continue
        out += ["", f"#### {title}", "", *lines]
        m = report.get("machine", {})
        machines.add(f"{m.get('cpus')} CPUs, {m.get('platform')}, Python {m.get('python')}")
    out += ["", "Measured on: " + "; ".join(sorted(machines)) + "."]
    text = "\n".join(out) + "\n"
    (RESULTS / "summary.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
