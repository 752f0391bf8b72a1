"""Inference and validation cost: the fast OWL 2 RL path against owlrl, and pySHACL.

For the default corpus and, when ../shared is beside the repository, one Defense of Japan
edition and the whole shared corpus: build (``--validation=warn``, so that a build with
violations is still measured), then, each in a fresh process (wall time, peak RSS from the
kernel's rusage of the child):

- ``fast``: ``reason.materialise`` over the asserted triples of kg.nq;
- ``owlrl``: ``reason.reference_closure`` (owlrl), killed at ``--bound`` seconds and reported
  as ">= bound"; once owlrl passes the bound on one corpus it is not run on larger ones;
- ``validate``: ``validate.validate`` with ontology/shapes.ttl.

When owlrl finishes, its closure is compared with the fast path's (sets of triples after the
same axiomatic filter). Figures are from one run on a shared machine: compare ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report import machine, write

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"


def corpora() -> list[tuple[str, Path, list[str]]]:
    out = [("default corpus", ROOT / "data" / "corpus", [])]
    if (SHARED / "manifest.toml").exists():
        out += [
            ("one edition (2019)", SHARED, ["doj2019"]),
            ("all of ../shared/corpus", SHARED, []),
        ]
    return out


def child(task: str, build_dir: Path) -> None:
    """Run one measured task in this process and print its figures as JSON."""
    import pyoxigraph as ox

    from alliance_kg import reason, validate

    store = ox.Store()
    store.bulk_load(path=str(build_dir / "kg.nq"), format=ox.RdfFormat.N_QUADS)
    union = {(q.subject, q.predicate, q.object) for q in store}
    started = time.perf_counter()
    out: dict = {"asserted": len(union)}
    if task == "fast":
        inference = reason.materialise(union)
        out["inferred"] = len(inference.triples)
        out["passes"] = inference.passes
        _save(build_dir / "fast.nt", inference.triples)
    elif task == "owlrl":
        closure = reason.reference_closure(union)
        out["inferred"] = len(closure)
        _save(build_dir / "owlrl.nt", closure)
    else:
        documents: dict[str, list] = {}
        for q in store:
            if "/graph/document/" in q.graph_name.value:
                documents.setdefault(q.graph_name.value, []).append(
                    (q.subject, q.predicate, q.object)
                )
        report = validate.validate(union, documents, validate.load_shapes(ROOT / "ontology"))
        out.update(report.counts())
    out["seconds"] = round(time.perf_counter() - started, 2)
    print(json.dumps(out))


def _save(path: Path, triples) -> None:
    path.write_text("".join(f"{s} {p} {o} .\n" for s, p, o in sorted(triples, key=str)))


def measured(task: str, build_dir: Path, bound: float | None = None) -> dict:
    """A task in a fresh interpreter (killed at ``bound`` seconds); its figures and peak RSS."""
    script = (
        "import resource, runpy, sys; sys.argv = ['reasoning.py', '--child', "
        f"{task!r}, {str(build_dir)!r}]; sys.path.insert(0, {str(ROOT / 'bench')!r});\n"
        "try:\n    runpy.run_path(sys.path[0] + '/reasoning.py', run_name='__main__')\n"
        "finally:\n    print('{\"peak_rss_mib\": %.1f}' % "
        "(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024), file=sys.stderr)"
    )
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        text=True,
    )
    try:
        stdout, stderr = proc.communicate(timeout=bound)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return {"finished": False, "seconds": None, "bound_seconds": bound}
    if proc.returncode != 0:
        raise SystemExit(f"{task} failed on {build_dir}:\n{stderr}")
    result = json.loads(stdout.strip().splitlines()[-1])
    rss = [line for line in stderr.splitlines() if line.startswith('{"peak_rss_mib"')]
    if rss:
        result.update(json.loads(rss[-1]))
    result["finished"] = True
    result["process_seconds"] = round(time.perf_counter() - started, 2)
    return result


def build(corpus: Path, only: list[str], build_dir: Path) -> dict:
    cmd = [sys.executable, "-m", "alliance_kg", "build", "-q", "--validation", "warn"]
    cmd += ["--corpus", str(corpus), "--build-dir", str(build_dir)]
    for doc in only:
        cmd += ["--only", doc]
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    manifest = json.loads((build_dir / "build.json").read_text())
    return {
        "build_seconds": round(time.perf_counter() - started, 2),
        "quads": manifest["quads"],
        "inference_in_build_seconds": manifest["inference"]["seconds"],
        "validation_in_build_seconds": manifest["validation"]["seconds"],
        "violations": manifest["validation"]["violations"],
        "warnings": manifest["validation"]["warnings"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=2, metavar=("TASK", "BUILD"), help=argparse.SUPPRESS)
    parser.add_argument("--bound", type=float, default=1800.0, help="owlrl time bound (s)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "reasoning.json")
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return 0
    rows = []
    owlrl_passed_bound = False
    with tempfile.TemporaryDirectory() as tmp:
        for name, corpus, only in corpora():
            build_dir = Path(tmp) / str(len(rows))
            row: dict = {"corpus": name, **build(corpus, only, build_dir)}
            row["fast"] = measured("fast", build_dir)
            if owlrl_passed_bound:
                row["owlrl"] = {
                    "finished": False,
                    "seconds": None,
                    "bound_seconds": args.bound,
                    "note": "not run: owlrl passed the bound on a smaller corpus",
                }
            else:
                row["owlrl"] = measured("owlrl", build_dir, args.bound)
                owlrl_passed_bound = not row["owlrl"]["finished"]
            row["validate"] = measured("validate", build_dir)
            fast = row["fast"]["seconds"]
            if row["owlrl"]["finished"]:
                row["speedup"] = round(row["owlrl"]["seconds"] / max(fast, 1e-3), 1)
                same = (build_dir / "fast.nt").read_text() == (build_dir / "owlrl.nt").read_text()
                row["same_triples_as_owlrl"] = same
            else:
                row["speedup_at_least"] = round(args.bound / max(fast, 1e-3), 1)
            rows.append(row)
            print(json.dumps(row), flush=True)
    write(args.out, {"machine": machine(), "owlrl_bound_seconds": args.bound, "rows": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
