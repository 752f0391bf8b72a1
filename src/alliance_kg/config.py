"""One frozen Settings object, read once and passed explicitly.

Every path and tunable the project uses lives here. ``Settings.from_env()`` reads overrides
from environment variables named ``ALLIANCE_KG_<FIELD>`` (for example
``ALLIANCE_KG_BASE_IRI``); nothing reads the environment at import time.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ENV_PREFIX = "ALLIANCE_KG_"
DEFAULT_BASE_IRI = "https://w3id.org/alliance-kg/"


def project_home() -> Path:
    """Return the folder holding ontology/, queries/ and data/.

    In a source checkout (the normal, editable install) that is the repository root; in a
    wheel the three folders are packaged under ``alliance_kg/_resources``.
    """
    package = Path(__file__).resolve().parent
    packaged = package / "_resources"
    if (packaged / "ontology").is_dir():
        return packaged
    return package.parent.parent


@dataclass(frozen=True)
class Settings:
    """Paths and tunables of one alliance-kg installation."""

    home: Path = field(default_factory=project_home)
    base_iri: str = DEFAULT_BASE_IRI
    build_dir: Path = Path("build")
    corpus_dir: Path | None = None
    lexicon_path: Path | None = None
    ontology_dir: Path | None = None
    queries_dir: Path | None = None
    # serving
    host: str = "127.0.0.1"
    port: int = 5000
    # 0: one per CPU and one more. Measured on the peer harness at concurrency 8 on 2 CPUs:
    # 3 workers x 2 threads answered ~10% more requests per second, with less server CPU per
    # request, than 4 x 4, 3 x 4, 4 x 2, 2 x 3, 3 x 3 or 6 x 1: fewer threads than a
    # saturated machine can run only contend for it.
    workers: int = 0
    threads: int = 2
    store_mode: str = "memory"  # "memory": load the build into RAM; "disk": open it read-only
    query_timeout: float = 30.0  # seconds
    max_rows: int = 10_000
    max_body: int = 1_000_000  # bytes
    cors_origins: str = "*"  # comma-separated origins, "*" for any, "" for none

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str) and f.type in ("int", "float"):
                try:
                    object.__setattr__(
                        self, f.name, int(value) if f.type == "int" else float(value)
                    )
                except ValueError:
                    raise ValueError(
                        f"{ENV_PREFIX}{f.name.upper()}: not a number: {value!r}"
                    ) from None
        if not self.base_iri.endswith(("/", "#")):
            raise ValueError(f"base IRI must end with '/' or '#': {self.base_iri!r}")
        if self.store_mode not in ("memory", "disk"):
            raise ValueError(f"store mode must be 'memory' or 'disk', not {self.store_mode!r}")
        if self.query_timeout <= 0 or self.max_rows <= 0 or self.max_body <= 0:
            raise ValueError("query_timeout, max_rows and max_body must be positive")
        home = Path(self.home)
        object.__setattr__(self, "home", home)
        object.__setattr__(self, "build_dir", Path(self.build_dir))
        defaults = {
            "corpus_dir": home / "data" / "corpus",
            "lexicon_path": home / "data" / "lexicon.toml",
            "ontology_dir": home / "ontology",
            "queries_dir": home / "queries",
        }
        for name, default in defaults.items():
            value = getattr(self, name)
            object.__setattr__(self, name, Path(value) if value is not None else default)

    @property
    def worker_count(self) -> int:
        return self.workers or (os.cpu_count() or 1) + 1

    @property
    def store_path(self) -> Path:
        """The on-disk Oxigraph store of the current build."""
        return self.build_dir / "store"

    def replace(self, **changes: Any) -> Settings:
        """Return a copy with some fields changed (None values are ignored)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from ``ALLIANCE_KG_*`` variables, then explicit overrides."""
        environ = dict(os.environ if environ is None else environ)
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            raw = environ.get(ENV_PREFIX + f.name.upper())
            if raw is not None and raw != "":
                values[f.name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)
