"""Exports of a build for Gephi (GEXF, GraphML, CSV) and for triplestores (RDF dumps).

``export_view``, ``export_query``, ``export_network`` and ``export_dump`` return an ``Export``:
the files of one export by name, so that the command line writes them and the web app serves
them from the same code:

- a graph format (gexf, graphml, csv) of a view (``queries/views/NAME``) or of a query's
  result (a CONSTRUCT, or a SELECT with ``?source ?target``);
- an RDF format (nquads, trig, turtle, jsonld) of the whole graph, or of a CONSTRUCT result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from . import dumps
from .gexf import write_gexf
from .graphml import write_graphml
from .network import Network, NetworkError
from .tabular import write_csv
from .views import View, asserted_graphs, load_views, result_to_network, run_view

GRAPH_FORMATS = ("gexf", "graphml", "csv")
RDF_FORMATS = tuple(dumps.FORMATS)
FORMATS = GRAPH_FORMATS + RDF_FORMATS
MEDIA_TYPES = {
    "gexf": "application/gexf+xml",
    "graphml": "application/graphml+xml",
    "csv": "text/csv",
    **{f: dumps.media_type(f) for f in RDF_FORMATS},
}
EXTENSIONS = {"gexf": "gexf", "graphml": "graphml", "csv": "csv"} | {
    f: dumps.extension(f) for f in RDF_FORMATS
}

__all__ = [
    "FORMATS",
    "GRAPH_FORMATS",
    "RDF_FORMATS",
    "Export",
    "ExportError",
    "Network",
    "NetworkError",
    "View",
    "export_dump",
    "export_network",
    "export_query",
    "export_view",
    "load_views",
    "render_network",
]


class ExportError(ValueError):
    """An export cannot be made as asked; the message says why and what to do instead."""


@dataclass(frozen=True)
class Export:
    """The files of one export, by file name, with the media type of each."""

    files: dict[str, bytes]
    media_type: str


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")


def render_network(network: Network, fmt: str, *, dynamic: bool = False) -> Export:
    """A network in a graph format: one file (gexf, graphml) or two (csv)."""
    check_format(fmt)
    if fmt == "gexf":
        body = write_gexf(network, dynamic=dynamic)
        return Export({f"{network.name}.gexf": body}, MEDIA_TYPES[fmt])
    if fmt == "graphml":
        return Export({f"{network.name}.graphml": write_graphml(network)}, MEDIA_TYPES[fmt])
    if fmt == "csv":
        return Export(write_csv(network), MEDIA_TYPES[fmt])
    raise ExportError(f"{fmt} is an RDF format: it exports the whole graph or a CONSTRUCT result")


def export_view(store: ox.Store, view: View, fmt: str, *, dynamic: bool = False) -> Export:
    """A view of the graph in a graph format."""
    check_format(fmt)
    if fmt in RDF_FORMATS:
        raise ExportError(
            f"views are networks for Gephi: export them as {', '.join(GRAPH_FORMATS)}; "
            f"{fmt} exports the whole graph (no --view) or a CONSTRUCT result (--query)"
        )
    return render_network(run_view(store, view), fmt, dynamic=dynamic)


def export_network(
    result, fmt: str, prefixes: Mapping[str, str], *, dynamic: bool = False, name: str = "query"
) -> Export:
    """A query result (already evaluated: triples, or SELECT solutions) in any format."""
    check_format(fmt)
    if fmt in RDF_FORMATS:
        if isinstance(result, ox.QueryBoolean) or hasattr(result, "variables"):
            raise ExportError(f"{fmt} needs a CONSTRUCT or DESCRIBE query: it writes triples")
        body = dumps.serialize_triples(result, fmt, prefixes)
        return Export({f"{name}.{EXTENSIONS[fmt]}": body}, MEDIA_TYPES[fmt])
    try:
        network = result_to_network(result, prefixes, name=name)
    except NetworkError as err:
        raise ExportError(str(err)) from None
    return render_network(network, fmt, dynamic=dynamic)


def export_query(
    store: ox.Store,
    text: str,
    fmt: str,
    prefixes: Mapping[str, str],
    *,
    dynamic: bool = False,
    base_iri: str | None = None,
) -> Export:
    """Run a query over the union of the asserted graphs and export its result."""
    check_format(fmt)
    graphs = asserted_graphs(store)
    result = store.query(
        text, prefixes=dict(prefixes), base_iri=base_iri, default_graph=graphs, named_graphs=graphs
    )
    return export_network(result, fmt, prefixes, dynamic=dynamic)


def export_dump(store: ox.Store, fmt: str, prefixes: Mapping[str, str]) -> Export:
    """The whole store in an RDF format."""
    check_format(fmt)
    if fmt not in RDF_FORMATS:
        raise ExportError(f"{fmt} is a network format: export a view or a query's result as {fmt}")
    body = dumps.dump_store(store, fmt, prefixes, asserted_graphs(store))
    return Export({f"alliance-kg.{EXTENSIONS[fmt]}": body}, MEDIA_TYPES[fmt])
