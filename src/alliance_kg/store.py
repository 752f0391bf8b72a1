"""The only module that opens the Oxigraph store; builds are atomic.

A build directory holds ``store/`` (an on-disk pyoxigraph store), ``kg.nq`` (every graph as
sorted N-Quads), ``kg.trig`` and ``build.json`` (what was built, when, from what). A new build
is written into a hidden sibling directory and swapped in only when complete, so a failed or
interrupted build leaves the previous one intact; a lock keeps two builds from racing.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

STORE_DIR = "store"
NQUADS = "kg.nq"
INFERRED_NQUADS = "kg-inferred.nq"
TRIG = "kg.trig"
MANIFEST = "build.json"
VALIDATION = "validation.ttl"

#: A step run on the finished store of a build before it is swapped in: it may add graphs
#: (not part of kg.nq / kg.trig), write files into the work directory and raise to abort the
#: build; what it returns is added to build.json.
AfterLoad = Callable[[ox.Store, "BuildPaths"], Mapping[str, object]]


class BuildError(Exception):
    """A build cannot be written or read; the message says which directory and why."""


@dataclass(frozen=True)
class BuildPaths:
    """Where the parts of one build directory live."""

    root: Path

    @property
    def store(self) -> Path:
        return self.root / STORE_DIR

    @property
    def nquads(self) -> Path:
        return self.root / NQUADS

    @property
    def trig(self) -> Path:
        return self.root / TRIG

    @property
    def manifest(self) -> Path:
        return self.root / MANIFEST

    @property
    def inferred(self) -> Path:
        return self.root / INFERRED_NQUADS

    @property
    def validation(self) -> Path:
        return self.root / VALIDATION


def _siblings(build_dir: Path, tag: str) -> list[Path]:
    parent = build_dir.parent
    if not parent.is_dir():
        return []
    return sorted(parent.glob(f".{build_dir.name}.{tag}-*"))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(build_dir: Path) -> None:
    """Repair what an interrupted swap or build left behind.

    If the process died between moving the old build aside and moving the new one in, the old
    build is put back; work directories of dead builds are removed.
    """
    build_dir = Path(build_dir)
    olds = _siblings(build_dir, "old")
    if not build_dir.exists() and olds:
        olds[-1].rename(build_dir)
        olds = olds[:-1]
    for path in olds:
        shutil.rmtree(path, ignore_errors=True)
    for path in _siblings(build_dir, "tmp"):
        pid = path.name.rsplit("-", 2)[-2]
        if not pid.isdigit() or not _pid_alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def is_build(path: Path) -> bool:
    """True when path looks like a build directory (or is an empty directory)."""
    path = Path(path)
    if not path.is_dir():
        return False
    return (path / MANIFEST).exists() or (path / STORE_DIR).is_dir() or not any(path.iterdir())


@contextlib.contextmanager
def _build_lock(build_dir: Path) -> Iterator[None]:
    lock_path = build_dir.parent / f".{build_dir.name}.lock"
    with open(lock_path, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"{build_dir}: another build is running") from None
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _explain(err: OSError, where: Path) -> str:
    """What went wrong, in words, for an OS error while writing a build.

    Errors raised by the store (RocksDB) carry no errno, only the system's message inside
    their own, so the message is matched too.
    """
    code = err.errno or next(
        (code for code, words in _STORE_ERRORS.items() if words in str(err)), None
    )
    if code == errno.ENOSPC:
        return f"{where}: no space left on device"
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{where}: not writable ({err.strerror or os.strerror(code)})"
    if code == errno.EFBIG:
        return f"{where}: file size limit exceeded"
    return f"{where}: {err.strerror or err}"


_STORE_ERRORS = {
    code: os.strerror(code)
    for code in (errno.ENOSPC, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM)
}


def _write_sorted_nquads(store: ox.Store, path: Path, graph: ox.NamedNode | None = None) -> int:
    if graph is None:
        lines = store.dump(format=ox.RdfFormat.N_QUADS).splitlines(keepends=True)
    else:
        quads = store.quads_for_pattern(None, None, None, graph)
        lines = [f"{q} .\n".encode() for q in quads]
    lines.sort()
    with open(path, "wb") as out:
        out.writelines(lines)
    return len(lines)


def write_graph_nquads(store: ox.Store, graph: ox.NamedNode, path: Path) -> int:
    """Write one named graph of a store as sorted N-Quads; returns the number of quads."""
    return _write_sorted_nquads(store, path, graph)


def store_quads(store: ox.Store, graph: ox.NamedNode | None = None) -> Iterator[ox.Quad]:
    """Every quad of a store, or of one of its named graphs."""
    return store.quads_for_pattern(None, None, None, graph)


def write_build(
    build_dir: Path,
    quads: Iterable[ox.Quad],
    *,
    prefixes: Mapping[str, str],
    manifest: Mapping[str, object],
    after_load: AfterLoad | None = None,
) -> dict:
    """Write a complete build from quads and swap it in place of the previous one.

    ``after_load`` runs once kg.nq and kg.trig are written and before the swap (inference and
    validation). Returns the manifest written to ``build.json`` (the given one plus counts,
    timings and what ``after_load`` returned). Raises BuildError, leaving any previous build
    untouched, when anything fails.
    """
    build_dir = Path(build_dir).absolute()
    try:
        build_dir.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise BuildError(_explain(err, build_dir.parent)) from None
    if build_dir.exists() and not is_build(build_dir):
        raise BuildError(
            f"{build_dir}: exists and is not an alliance-kg build; choose another --build-dir"
        )
    try:
        with _build_lock(build_dir):
            recover(build_dir)
            return _write_and_swap(build_dir, quads, prefixes, manifest, after_load)
    except OSError as err:
        raise BuildError(_explain(err, build_dir)) from None


def _write_and_swap(build_dir: Path, quads, prefixes, manifest, after_load) -> dict:
    stamp = time.strftime("%Y%m%dT%H%M%S")
    work = build_dir.parent / f".{build_dir.name}.tmp-{os.getpid()}-{stamp}"
    started = time.perf_counter()
    try:
        work.mkdir()
        paths = BuildPaths(work)
        store = ox.Store(str(paths.store))
        store.bulk_extend(quads)
        store.flush()
        loaded = time.perf_counter()
        count = _write_sorted_nquads(store, paths.nquads)
        store.dump(str(paths.trig), format=ox.RdfFormat.TRIG, prefixes=dict(prefixes))
        dumped = time.perf_counter()
        extra = dict(after_load(store, paths)) if after_load is not None else {}
        store.flush()
        graphs = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
        store.optimize()
        del store
        written = dict(manifest)
        written.update(extra)
        written.update(
            {
                "quads": count,
                "graphs": graphs,
                "seconds": {
                    "extract_and_load": round(loaded - started, 3),
                    "after_load": round(time.perf_counter() - dumped, 3),
                    "total": round(time.perf_counter() - started, 3),
                },
                "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            }
        )
        paths.manifest.write_text(json.dumps(written, indent=2, sort_keys=True) + "\n")
        _swap(work, build_dir)
        return written
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def _swap(work: Path, build_dir: Path) -> None:
    """Move the finished work directory to build_dir, replacing the previous build."""
    if build_dir.exists():
        old = build_dir.parent / f".{build_dir.name}.old-{os.getpid()}"
        build_dir.rename(old)
        work.rename(build_dir)
        shutil.rmtree(old, ignore_errors=True)
    else:
        work.rename(build_dir)


def read_manifest(build_dir: Path) -> dict:
    """The build.json of a build; BuildError when there is no build."""
    build_dir = Path(build_dir)
    recover_if_possible(build_dir)
    path = BuildPaths(build_dir).manifest
    if not path.exists():
        raise BuildError(
            f"{build_dir}: no build here; run `alliance-kg build --build-dir {build_dir}`"
        )
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as err:
        raise BuildError(f"{path}: unreadable build manifest ({err})") from None


def recover_if_possible(build_dir: Path) -> None:
    """Run recover() unless a build is running or the directory is not ours to repair."""
    with contextlib.suppress(OSError, BuildError), _build_lock(Path(build_dir).absolute()):
        recover(build_dir)


def open_store(build_dir: Path) -> ox.Store:
    """Open a build's store read-only; BuildError when there is none."""
    read_manifest(build_dir)
    path = BuildPaths(Path(build_dir)).store
    try:
        return ox.Store.read_only(str(path))
    except OSError as err:
        raise BuildError(f"{path}: cannot open the store ({err})") from None


def query(
    store: ox.Store,
    text: str,
    *,
    prefixes: Mapping[str, str] | None = None,
    substitutions: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
    union: bool = True,
    graphs: Sequence[ox.NamedNode] | None = None,
):
    """Evaluate a SPARQL query; the default graph is the union of all graphs unless union=False,
    or the union of ``graphs`` (also the named graphs the query may see) when given.

    ``substitutions`` binds variables (by name, without '?') before evaluation.
    """
    bound = {ox.Variable(k): v for k, v in (substitutions or {}).items()}
    if graphs is not None:
        return store.query(
            text,
            prefixes=dict(prefixes or {}),
            substitutions=bound or None,
            default_graph=list(graphs),
            named_graphs=list(graphs),
        )
    return store.query(
        text,
        prefixes=dict(prefixes or {}),
        substitutions=bound or None,
        use_default_graph_as_union=union,
    )
