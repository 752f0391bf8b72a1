"""Node and edge tables (CSV) in the columns of Gephi's spreadsheet import.

``nodes.csv`` has ``Id``, ``Label`` and one column per attribute; ``edges.csv`` has
``Source``, ``Target``, ``Type`` (Directed or Undirected), ``Id``, ``Label``, ``Kind``,
``Weight`` and the edge attributes. When the network is dated both get a ``Time Interval``
column in Gephi's notation, ``<[2015-01-01, 2015-12-31];[2019-04-19, 2019-04-19]>``.
Both are UTF-8, comma-separated, one line per node or edge, sorted.
"""

from __future__ import annotations

import csv
import io
import zipfile

from .gexf import attvalue
from .network import Network, Spell

MEDIA_TYPE = "text/csv"
ZIP_TYPE = "application/zip"
# A fixed timestamp for the zip entries, so that the same network gives the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def interval(spells: tuple[Spell, ...]) -> str:
    """Gephi's time interval notation for spells (open sides as -Infinity / Infinity)."""
    if not spells:
        return ""
    parts = []
    for spell in spells:
        start, end = spell.iso()
        parts.append(f"[{start or '-Infinity'}, {end or 'Infinity'}]")
    return "<" + ";".join(parts) + ">"


def _table(header: list[str], rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else attvalue(v) for v in row])
    return out.getvalue().encode("utf-8")


def write_nodes_csv(network: Network) -> bytes:
    """The nodes table."""
    dated = network.dated
    keys = [a.id for a in network.node_attributes]
    header = ["Id", "Label", *[a.title for a in network.node_attributes]]
    if dated:
        header.append("Time Interval")
    rows = []
    for node in network.nodes:
        row = [node.id, node.label, *[node.attributes.get(k) for k in keys]]
        if dated:
            row.append(interval(node.spells))
        rows.append(row)
    return _table(header, rows)


def write_edges_csv(network: Network) -> bytes:
    """The edges table."""
    dated = network.dated
    keys = [a.id for a in network.edge_attributes]
    header = ["Source", "Target", "Type", "Id", "Label", "Kind", "Weight"]
    header += [a.title for a in network.edge_attributes]
    if dated:
        header.append("Time Interval")
    kind = "Directed" if network.directed else "Undirected"
    rows = []
    for i, edge in enumerate(network.edges):
        row = [edge.source, edge.target, kind, i, edge.label, edge.kind, edge.weight]
        row += [edge.attributes.get(k) for k in keys]
        if dated:
            row.append(interval(edge.spells))
        rows.append(row)
    return _table(header, rows)


def write_csv(network: Network) -> dict[str, bytes]:
    """Both tables, by file name."""
    return {"nodes.csv": write_nodes_csv(network), "edges.csv": write_edges_csv(network)}


def zip_files(files: dict[str, bytes], folder: str = "") -> bytes:
    """A deterministic zip of the files (fixed timestamps, sorted), optionally in a folder."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{folder}/{name}" if folder else name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return out.getvalue()
