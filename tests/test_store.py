"""Builds are atomic: a failed, interrupted or concurrent build never damages the previous one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from alliance_kg.store import BuildError, open_store, read_manifest, recover, write_build

EX = "http://example.org/"


def quads(n: int, graph: str = "g"):
    for i in range(n):
        yield ox.Quad(
            ox.NamedNode(f"{EX}s{i}"),
            ox.NamedNode(f"{EX}p"),
            ox.Literal(str(i)),
            ox.NamedNode(EX + graph),
        )


def build(path: Path, n: int = 3, **manifest):
    return write_build(path, quads(n), prefixes={"ex": EX}, manifest={"label": "test", **manifest})


def leftovers(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(f".{path.name}."))


def test_build_writes_store_dumps_and_manifest(tmp_path):
    out = tmp_path / "build"
    result = build(out, 5)
    assert result["quads"] == 5 and result["graphs"] == [EX + "g"]
    assert (out / "store").is_dir() and (out / "kg.trig").exists()
    lines = (out / "kg.nq").read_text().splitlines()
    assert lines == sorted(lines) and len(lines) == 5
    assert read_manifest(out)["label"] == "test"
    assert len(open_store(out)) == 5


def test_failed_build_leaves_previous_intact(tmp_path):
    out = tmp_path / "build"
    build(out, 3)
    before = (out / "kg.nq").read_bytes()

    def broken():
        yield from quads(2)
        raise RuntimeError("extraction failed half-way")

    with pytest.raises(RuntimeError):
        write_build(out, broken(), prefixes={}, manifest={})
    assert (out / "kg.nq").read_bytes() == before
    assert len(open_store(out)) == 3
    assert [p for p in leftovers(out) if not p.endswith(".lock")] == []


def test_killed_build_leaves_previous_intact_and_is_cleaned_up(tmp_path):
    out = tmp_path / "build"
    build(out, 3)
    before = (out / "kg.nq").read_bytes()
    script = textwrap.dedent(f"""
        import time, pyoxigraph as ox
        from alliance_kg.store import write_build
        def slow():
            for i in range(10**6):
                if i == 10:
                    print("started", flush=True)
                    time.sleep(60)
                yield ox.Quad(ox.NamedNode("{EX}s%d" % i), ox.NamedNode("{EX}p"), ox.Literal("x"),
                              ox.NamedNode("{EX}g"))
        write_build({str(out)!r}, slow(), prefixes={{}}, manifest={{}})
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "started"
    time.sleep(0.2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    assert any(".tmp-" in p for p in leftovers(out))
    assert (out / "kg.nq").read_bytes() == before
    build(out, 4)  # the next build sweeps the dead build's work directory
    assert not any(".tmp-" in p for p in leftovers(out))
    assert len(open_store(out)) == 4


def test_interrupted_swap_is_recovered(tmp_path):
    out = tmp_path / "build"
    build(out, 3)
    out.rename(tmp_path / ".build.old-999999")  # died between the two renames of a swap
    recover(out)
    assert len(open_store(out)) == 3


def test_refuses_to_replace_a_folder_that_is_not_a_build(tmp_path):
    precious = tmp_path / "thesis"
    precious.mkdir()
    (precious / "chapter1.tex").write_text("...")
    with pytest.raises(BuildError, match="not an alliance-kg build"):
        build(precious)
    assert (precious / "chapter1.tex").exists()


def test_missing_build_is_a_clear_error(tmp_path):
    with pytest.raises(BuildError, match="no build here"):
        open_store(tmp_path / "nothing")


def test_unwritable_parent_is_a_clear_error(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root ignores directory permissions")
    locked = tmp_path / "ro"
    locked.mkdir(mode=0o500)
    with pytest.raises(BuildError, match="not writable"):
        build(locked / "build")


def test_parent_that_is_a_file_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(BuildError, match=str(blocker)):
        build(blocker / "build")
