"""Faults: a worker killed mid-query, builds killed at random points, a read-only build
directory, a full disk and a file-size limit. The server keeps serving, the previous build
stays intact, and the error says what happened.

The read-only directory is made with ``chattr +i`` (root ignores permission bits) and the
full disk is a tiny tmpfs; where the machine allows neither, those tests skip and the
file-size limit (RLIMIT_FSIZE, which needs no privilege) still checks the write errors.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from alliance_kg.store import read_manifest, recover
from alliance_kg.web.live import LiveServer, query_string

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "corpus" / "mini"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def cli(*args: str, preexec=None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "alliance_kg", *args],
        capture_output=True,
        text=True,
        preexec_fn=preexec,
        timeout=timeout,
        check=False,
    )


def fingerprint(build_dir: Path) -> tuple[str, dict]:
    """What must not change: the dump's hash and the manifest."""
    digest = hashlib.sha256((build_dir / "kg.nq").read_bytes()).hexdigest()
    return digest, read_manifest(build_dir)


def leftovers(build_dir: Path) -> list[str]:
    prefix = f".{build_dir.name}."
    return sorted(
        p.name
        for p in build_dir.parent.iterdir()
        if p.name.startswith(prefix) and not p.name.endswith(".lock")
    )


def count(server: LiveServer) -> int:
    status, _, body = server.request("GET", "/sparql?" + query_string(COUNT, format="csv"))
    assert status == 200, body
    return int(body.decode().split()[-1])


# -- the server ---------------------------------------------------------------------------


@pytest.mark.slow
def test_a_worker_killed_mid_query_is_replaced_and_the_others_keep_answering(default_build):
    with LiveServer("--build-dir", str(default_build), "--workers", "2") as server:
        original = server.wait_for_workers(2)
        assert len(original) == 2
        outcome: dict[str, object] = {}

        def runaway() -> None:
            try:
                outcome["status"] = server.request(
                    "GET", "/sparql?" + query_string(RUNAWAY), timeout=20
                )[0]
            except (OSError, http.client.HTTPException) as err:
                outcome["error"] = err
            outcome["finished"] = time.monotonic()

        thread = threading.Thread(target=runaway)
        thread.start()
        # The worker evaluating the query is the one burning CPU.
        deadline = time.monotonic() + 10
        busy = None
        while busy is None and time.monotonic() < deadline:
            time.sleep(0.3)
            now = server.workers()
            spent = {pid: now[pid] - original.get(pid, 0) for pid in now}
            top = max(spent, key=spent.get)
            if spent[top] >= 10:
                busy = top
        assert busy is not None, "no worker took up the query"
        killed_at = time.monotonic()
        os.kill(busy, signal.SIGKILL)
        thread.join(timeout=30)
        assert not thread.is_alive()
        # The client of the killed worker learns at once, it does not hang.
        assert "error" in outcome or outcome["status"] >= 500
        assert outcome["finished"] - killed_at < 5

        answers = [count(server) for _ in range(20)]
        assert len(set(answers)) == 1 and answers[0] > 0
        workers = server.wait_for_workers(2)
        assert busy not in workers and len(workers) == 2
        assert count(server) == answers[0]


def test_a_read_only_store_still_serves(default_build, immutable):
    build = immutable(default_build)
    for mode in ("disk", "memory"):
        with LiveServer("--build-dir", str(build), "--store-mode", mode, "--workers", "1") as s:
            assert count(s) > 0


# -- builds -------------------------------------------------------------------------------


@pytest.fixture
def previous(tmp_path) -> Path:
    """A finished build of the small test corpus, the one that must survive."""
    build_dir = tmp_path / "build"
    result = cli("build", "-q", "--corpus", str(MINI), "--build-dir", str(build_dir))
    assert result.returncode == 0, result.stderr
    return build_dir


@pytest.mark.slow
def test_builds_killed_at_random_points_leave_the_previous_build(previous):
    before = fingerprint(previous)
    rng = random.Random(7)
    started = time.monotonic()
    full = cli("build", "-q", "--build-dir", str(previous.parent / "timing"))
    assert full.returncode == 0, full.stderr
    duration = time.monotonic() - started
    shutil.rmtree(previous.parent / "timing")
    killed = 0
    for _ in range(5):
        proc = subprocess.Popen(
            [sys.executable, "-m", "alliance_kg", "build", "-q", "--build-dir", str(previous)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.2, duration * 0.9))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        proc.wait()
        if proc.returncode == 0:  # it finished first: that build is the one to keep now
            before = fingerprint(previous)
        assert fingerprint(previous) == before
    assert killed >= 3
    recover(previous)
    assert leftovers(previous) == []
    result = cli("build", "-q", "--build-dir", str(previous))
    assert result.returncode == 0, result.stderr
    assert fingerprint(previous) != before and leftovers(previous) == []


@pytest.fixture
def immutable():
    """Make a copy of a folder immutable (``chattr +i``, which binds root too), or skip."""
    made: list[Path] = []
    holder = Path(tempfile.mkdtemp(prefix="akg-ro-"))

    def make(source: Path) -> Path:
        target = holder / source.name
        shutil.copytree(source, target)
        for path in (target, target / "store"):
            done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
            if done.returncode != 0:
                pytest.skip(f"chattr +i is not possible here: {done.stderr.decode().strip()}")
            made.append(path)
        return target

    yield make
    for path in made:
        subprocess.run(["chattr", "-i", str(path)], check=False)
    shutil.rmtree(holder, ignore_errors=True)


def test_a_build_into_a_read_only_directory_says_so(previous, immutable):
    locked = immutable(previous)
    before = fingerprint(locked)
    result = cli("build", "-q", "--corpus", str(MINI), "--build-dir", str(locked))
    assert result.returncode == 1
    assert f"{locked}: not writable" in result.stderr
    assert fingerprint(locked) == before and leftovers(locked) == []


@pytest.fixture
def tiny_disk(tmp_path):
    """A 3 MiB tmpfs (room for the small build, not for the default one), or skip."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_fails_the_build_and_keeps_the_previous(tiny_disk):
    build_dir = tiny_disk / "build"
    first = cli("build", "-q", "--corpus", str(MINI), "--build-dir", str(build_dir))
    assert first.returncode == 0, first.stderr
    before = fingerprint(build_dir)
    result = cli("build", "-q", "--build-dir", str(build_dir))
    assert result.returncode == 1
    assert f"{build_dir}: no space left on device" in result.stderr
    assert fingerprint(build_dir) == before and leftovers(build_dir) == []
    with LiveServer("--build-dir", str(build_dir), "--workers", "1") as server:
        manifest = before[1]
        assert count(server) == manifest["quads"] + manifest["inference"]["triples"]


def limit_file_size(limit: int):
    def preexec() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return preexec


def test_a_file_size_limit_fails_the_build_and_keeps_the_previous(previous):
    before = fingerprint(previous)
    result = cli("build", "-q", "--build-dir", str(previous), preexec=limit_file_size(1_000_000))
    assert result.returncode == 1
    assert f"{previous}: file size limit exceeded" in result.stderr
    assert fingerprint(previous) == before
    with contextlib.suppress(FileNotFoundError):
        assert leftovers(previous) == []
