"""Build cost: wall time and peak memory of `alliance-kg build` as the corpus grows.

Each build runs in a fresh process (peak RSS from the kernel's rusage of the child), over
the default corpus and, when ../shared is beside the repository, one edition, all six editions
and the whole shared corpus. Prints a table and writes JSON; figures are from one run on a
shared machine, so compare ratios within a run rather than absolute times across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

from alliance_kg.corpus import load_manifest
from report import machine, write

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"


def corpora(tmp: Path) -> list[tuple[str, Path, list[str]]]:
    """(name, corpus folder, --only ids) for every corpus size measured."""
    out = [("default corpus", ROOT / "data" / "corpus", [])]
    if (SHARED / "manifest.toml").exists():
        editions = [f"doj{y}" for y in range(2015, 2021)]
        out += [
            ("one edition (2019)", SHARED, ["doj2019"]),
            ("six editions", SHARED, editions),
            ("all of ../shared/corpus", SHARED, []),
        ]
    return out


def input_size(corpus: Path, only: list[str]) -> int:
    infos = [i for i in load_manifest(corpus) if not only or i.id in only]
    return sum(i.path.stat().st_size for i in infos)


def measure(corpus: Path, only: list[str], build_dir: Path) -> dict:
    cmd = [
        sys.executable,
        "-m",
        "alliance_kg",
        "build",
        "-q",
        "--validation",
        "warn",  # the whole shared corpus has violations (see bench/results/reasoning.json)
        "--corpus",
        str(corpus),
        "--build-dir",
        str(build_dir),
    ]
    for doc in only:
        cmd += ["--only", doc]
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.execv(sys.executable, cmd)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"build failed: {' '.join(cmd)}")
    manifest = json.loads((build_dir / "build.json").read_text())
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
        "quads": manifest["quads"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "build_cost.json")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, corpus, only in corpora(Path(tmp)):
            size = input_size(corpus, only)
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            result = measure(corpus, only, Path(tmp) / slug)
            rows.append({"corpus": name, "input_mb": round(size / 1e6, 2), **result})
    base = rows[0]
    print(f"{'corpus':26} {'input MB':>9} {'seconds':>8} {'s/MB':>6} {'peak MiB':>9} {'quads':>9}")
    for r in rows:
        per_mb = r["seconds"] / r["input_mb"] if r["input_mb"] else 0
        print(
            f"{r['corpus']:26} {r['input_mb']:9.2f} {r['seconds']:8.2f} {per_mb:6.2f} "
            f"{r['peak_rss_mib']:9.1f} {r['quads']:9,}"
        )
    report = {
        "machine": machine(),
        "baseline": base["corpus"],
        "rows": rows,
        "rusage_note": "peak RSS of the build process (ru_maxrss of the child)",
        "self_rusage_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    write(args.out, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
