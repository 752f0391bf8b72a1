"""Serialise query results with a cap on rows, keeping pyoxigraph's own (fast) serialisers.

Solutions are serialised directly in the requested format into a writer that counts rows
from the format's own row markers as bytes arrive (a JSON binding separator, an XML
``<result>``, a CSV/TSV line). The common case, a result under the cap, costs nothing more.
When a result reaches the cap, the query is evaluated again into TSV (one line per row,
exactly), cut after the cap, and converted to the requested format: the answer is a valid
document holding the first ``cap`` rows, and ``truncated`` says so.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

# Bytes that occur once per row boundary in each format (never inside a value: JSON escapes
# '"', XML escapes '<'; CSV may quote a newline, which can only over-count and so only
# sends a result down the exact path).
ROW_MARKERS = {
    ox.QueryResultsFormat.JSON: (b'},{"', 1),  # between rows: rows = count + 1
    ox.QueryResultsFormat.XML: (b"<result>", 0),
    ox.QueryResultsFormat.CSV: (b"\n", -1),  # header line
    ox.QueryResultsFormat.TSV: (b"\n", -1),
}


class RowLimitError(Exception):
    """Raised inside a serialiser when the row cap is passed."""


class CountingWriter(io.RawIOBase):
    """A binary sink that counts row markers and stops the serialiser past a limit."""

    def __init__(self, marker: bytes, offset: int, limit: int) -> None:
        super().__init__()
        self.marker = marker
        self.offset = offset
        self.limit = limit
        self.count = 0
        self.tail = b""
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        data = bytes(data)
        window = self.tail + data
        self.count += window.count(self.marker) - self.tail.count(self.marker)
        self.tail = window[-(len(self.marker) - 1) :] if len(self.marker) > 1 else b""
        self.chunks.append(data)
        if self.count + self.offset > self.limit:
            raise RowLimitError
        return len(data)

    def value(self) -> bytes:
        return b"".join(self.chunks)


@dataclass(frozen=True)
class Serialized:
    body: bytes
    rows: int | None  # rows or triples written; None for booleans
    truncated: bool = False


def serialize_solutions(
    solutions: ox.QuerySolutions,
    fmt: ox.QueryResultsFormat,
    limit: int,
    rerun: Callable[[], ox.QuerySolutions],
) -> Serialized:
    """Serialise SELECT results in ``fmt``, at most ``limit`` rows (see the module doc)."""
    marker, offset = ROW_MARKERS[fmt]
    writer = CountingWriter(marker, offset, limit)
    try:
        solutions.serialize(writer, format=fmt)
    except RowLimitError:
        return _truncated(rerun(), fmt, limit)
    except OSError as err:
        if isinstance(err.__cause__ or err.__context__, RowLimitError) or "RowLimitError" in str(
            err
        ):
            return _truncated(rerun(), fmt, limit)
        raise
    body = writer.value()
    rows = writer.count + offset
    if fmt is ox.QueryResultsFormat.JSON and b'"bindings":[]' in body[-20:]:
        rows = 0
    return Serialized(body, max(rows, 0))


def _truncated(solutions: ox.QuerySolutions, fmt: ox.QueryResultsFormat, limit: int) -> Serialized:
    """The first ``limit`` rows, exactly, through TSV (one line per row)."""
    writer = CountingWriter(b"\n", -1, limit)
    with contextlib.suppress(RowLimitError, OSError):
        solutions.serialize(writer, format=ox.QueryResultsFormat.TSV)
    lines = writer.value().split(b"\n")
    tsv = b"\n".join(lines[: limit + 1]) + b"\n"
    parsed = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    return Serialized(parsed.serialize(format=fmt), limit, truncated=True)


def serialize_boolean(result: ox.QueryBoolean, fmt: ox.QueryResultsFormat) -> Serialized:
    return Serialized(result.serialize(format=fmt), None)


def serialize_triples(
    triples: ox.QueryTriples, fmt: ox.RdfFormat, limit: int, prefixes: dict[str, str]
) -> Serialized:
    """Serialise CONSTRUCT/DESCRIBE results, at most ``limit`` triples."""
    collected = []
    truncated = False
    for triple in triples:
        if len(collected) == limit:
            truncated = True
            break
        collected.append(triple)
    return Serialized(serialize_graph(collected, fmt, prefixes), len(collected), truncated)


def serialize_graph(triples: list[ox.Triple], fmt: ox.RdfFormat, prefixes: dict[str, str]) -> bytes:
    """Triples in any RDF format: in the default graph for quad formats, with prefixes where
    the format has them."""
    if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
        items = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    else:
        items = triples
    kwargs = {"prefixes": prefixes} if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else {}
    return ox.serialize(items, format=fmt, **kwargs)
