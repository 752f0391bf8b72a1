"""The one loader of SPARQL files (queries/*.rq) and their header comments.

Every ``.rq`` file opens with a header of ``# key: value`` comment lines; a line starting with
``#`` and two or more spaces continues the previous value::

    # title: Meetings a person took part in
    # description: Every event the person took part in, with its date and the post
    #   the person held at the time.
    # param: person -- the person's IRI (bound with pyoxigraph substitutions)

``title`` and ``description`` are required. The SPARQL text is the whole file (comments are
valid SPARQL), so a query is run exactly as written.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path

from .config import DEFAULT_BASE_IRI

HEADER_RE = re.compile(r"^#\s*([a-z][a-z_-]*)\s*:\s*(.*)$")
CONTINUATION_RE = re.compile(r"^#\s{2,}(\S.*)$")
FORM_RE = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
REQUIRED = ("title", "description")


class QueryFileError(Exception):
    """A query file is missing, unreadable or has no proper header."""


@dataclass(frozen=True)
class Query:
    """A SPARQL query read from a file, with its header."""

    name: str  # path relative to the queries folder, without .rq ("examples/01-meetings")
    path: Path
    text: str
    title: str
    description: str
    params: tuple[str, ...] = ()
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def form(self) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE (the first query keyword in the text)."""
        body = "\n".join(
            line for line in self.text.splitlines() if not line.lstrip().startswith("#")
        )
        match = FORM_RE.search(body)
        return match.group(1).upper() if match else "SELECT"


def parse_header(text: str) -> dict[str, list[str]]:
    """Read the ``# key: value`` lines at the top of a query file."""
    header: dict[str, list[str]] = {}
    last: str | None = None
    for line in text.splitlines():
        stripped = line.rstrip()
        if not stripped.startswith("#"):
            break
        cont = CONTINUATION_RE.match(stripped)
        match = HEADER_RE.match(stripped)
        if cont and last is not None:
            header[last][-1] = f"{header[last][-1]} {cont.group(1)}".strip()
        elif match:
            last = match.group(1)
            header.setdefault(last, []).append(match.group(2).strip())
    return header


def load_query(path: Path, root: Path | None = None) -> Query:
    """Read one .rq file; QueryFileError when it cannot be read or lacks title/description."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise QueryFileError(f"{path}: cannot read ({err})") from None
    header = parse_header(text)
    missing = [k for k in REQUIRED if not header.get(k) or not header[k][0]]
    if missing:
        raise QueryFileError(f"{path}: header lacks {', '.join(missing)}")
    name = path.relative_to(root).with_suffix("").as_posix() if root else path.stem
    return Query(
        name=name,
        path=path,
        text=text,
        title=header["title"][0],
        description=header["description"][0],
        params=tuple(p.split()[0] for p in header.get("param", []) if p.split()),
        meta={k: " ".join(v) for k, v in header.items() if k not in (*REQUIRED, "param")},
    )


def load_queries(
    directory: Path, pattern: str = "**/*.rq", base_iri: str | None = None
) -> list[Query]:
    """Every query under a folder, sorted by name.

    The files spell the project's default base IRI in their PREFIX lines; with another
    configured base IRI, that fixed namespace is rewritten to it (the queries' parameters are
    still only ever bound, never written into the text).
    """
    directory = Path(directory)
    queries = [load_query(p, directory) for p in sorted(directory.glob(pattern))]
    if base_iri and base_iri != DEFAULT_BASE_IRI:
        queries = [
            dataclasses.replace(q, text=q.text.replace(DEFAULT_BASE_IRI, base_iri)) for q in queries
        ]
    return queries


def find_query(directory: Path, name: str) -> Query:
    """The query named ``name`` (relative path without .rq) under directory."""
    path = Path(directory) / f"{name}.rq"
    if not path.is_file():
        raise QueryFileError(f"{path}: no such query")
    return load_query(path, Path(directory))
