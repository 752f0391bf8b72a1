"""Downloads for Gephi and for triplestores: /exports and /exports/NAME.EXT.

- ``/exports`` lists them (HTML for browsers, a plain list of addresses otherwise);
- ``/exports/VIEW.gexf`` (``?dynamic=1`` for Gephi's timeline), ``VIEW.graphml``,
  ``VIEW.zip`` (nodes.csv and edges.csv), ``VIEW.nodes.csv``, ``VIEW.edges.csv``: a view;
- ``/exports/dataset.nq|trig|ttl|jsonld``: the whole graph (Turtle and JSON-LD collapse the
  named graphs into their union);
- ``/exports/query.EXT?query=...`` (GET, or a POSTed form): the result of a CONSTRUCT, or of
  a SELECT with ``?source ?target``, checked and evaluated like an endpoint query (no
  ``SERVICE``, no update, ``default-graph-uri``/``named-graph-uri`` honoured).

Names are checked against the known views and extensions (unknown ones answer 404 with the
choices); nothing is read from disk by name. Every export runs under the query deadline, and
a view's exports are kept in memory once made (they are small; the dumps are not kept).
"""

from __future__ import annotations

import re
from itertools import islice

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request

from ..export import (
    MEDIA_TYPES,
    ExportError,
    NetworkError,
    View,
    export_dump,
    export_network,
    export_view,
)
from ..export.tabular import ZIP_TYPE, zip_files
from ..export.views import views_from_queries
from .dataset import Dataset, QueryTimeoutError
from .protocol import ProtocolError, check_query
from .sparql import dataset, dataset_options, plain, read_request

bp = Blueprint("exports", __name__)
EXPORT_ADVICE = "the export stopped; `alliance-kg export` has no deadline"

NAME_RE = re.compile(r"^(?P<stem>[a-z0-9][a-z0-9-]*)\.(?P<ext>[a-z.]+)$")
# Extension -> (export format, the file of a two-file export to serve, or None for all).
NETWORK_EXTENSIONS = {
    "gexf": ("gexf", None),
    "graphml": ("graphml", None),
    "zip": ("csv", None),
    "nodes.csv": ("csv", "nodes.csv"),
    "edges.csv": ("csv", "edges.csv"),
}
RDF_EXTENSIONS = {"nq": "nquads", "trig": "trig", "ttl": "turtle", "jsonld": "jsonld"}
DATASET = "dataset"
QUERY = "query"


def views() -> dict[str, View]:
    """The views among the queries the app loaded at start."""
    return views_from_queries(current_app.extensions["alliance_kg.queries"].values())


def not_found(message: str) -> Response:
    return plain(404, message)


def _dynamic() -> bool:
    return request.values.get("dynamic", "").lower() in ("1", "true", "yes", "on")


def _respond(files: dict[str, bytes], media_type: str, stem: str, ext: str) -> Response:
    """One file as is, a chosen table of a CSV export, or all of a CSV export as a zip."""
    if ext == "zip":
        body, media_type = zip_files(files, folder=stem), ZIP_TYPE
    elif ext.endswith(".csv"):
        body = files[ext]
    else:
        (body,) = files.values()
    suffix = "-timeline" if ext == "gexf" and _dynamic() else ""
    filename = f"alliance-kg-{stem}{suffix}.{ext}"
    return Response(
        body,
        mimetype=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/exports", methods=["GET"], strict_slashes=False)
def index() -> Response:
    """The list of downloads."""
    found = views()
    if "text/html" not in str(request.accept_mimetypes):
        root = request.url_root + "exports/"
        lines = [f"{root}{v}.{e}" for v in found for e in NETWORK_EXTENSIONS]
        lines += [f"{root}{DATASET}.{e}" for e in RDF_EXTENSIONS]
        return Response("\n".join(lines) + "\n", mimetype="text/plain")
    return Response(
        render_template(
            "exports.html",
            views=list(found.values()),
            rdf_extensions=RDF_EXTENSIONS,
            media_types=MEDIA_TYPES,
        )
    )


@bp.route("/exports/<name>", methods=["GET", "POST"])
def download(name: str) -> Response:
    """A view, the whole graph or a query's result in one format (see the module doc)."""
    data = dataset()
    match = NAME_RE.match(name)
    if not match:
        return not_found(f"no export named {name!r}: see /exports for the list")
    stem, ext = match["stem"], match["ext"]
    if request.method == "POST" and stem != QUERY:
        return plain(405, "only /exports/query.EXT takes a POSTed query", Allow="GET")
    if stem == DATASET:
        if ext not in RDF_EXTENSIONS:
            return not_found(
                f"the whole graph is exported as {', '.join(RDF_EXTENSIONS)}, not {ext!r}"
            )
        return _run(
            data,
            lambda: export_dump(data.store, RDF_EXTENSIONS[ext], data.ns.prefixes()),
            stem,
            ext,
            cache=False,  # as large as the graph: made anew for each request, not kept
        )
    if stem == QUERY:
        return query_export(data, ext)
    found = views()
    if stem not in found:
        return not_found(
            f"no view named {stem!r}: the views are {', '.join(found)} "
            f"(and {DATASET}.EXT for the whole graph)"
        )
    if ext not in NETWORK_EXTENSIONS:
        return not_found(f"a view is exported as {', '.join(NETWORK_EXTENSIONS)}, not {ext!r}")
    fmt = NETWORK_EXTENSIONS[ext][0]
    dynamic = _dynamic() and fmt == "gexf"
    return _run(data, lambda: export_view(data.store, found[stem], fmt, dynamic=dynamic), stem, ext)


def _run(data: Dataset, work, stem: str, ext: str, *, cache: bool = True) -> Response:
    """Run an export under the query deadline; a view's export is kept for later requests
    (the data a server answers from never changes while it runs)."""
    saved = current_app.extensions.setdefault("alliance_kg.exports", {})
    key = (stem, NETWORK_EXTENSIONS.get(ext, (ext,))[0], _dynamic())
    try:
        result = saved[key] if cache and key in saved else data.run(work, advice=EXPORT_ADVICE)
    except QueryTimeoutError as err:
        return plain(504, str(err))
    except (ExportError, NetworkError) as err:
        return plain(400, str(err))
    if cache:
        saved[key] = result
    return _respond(result.files, result.media_type, stem, ext)


class Rows:
    """The first rows of a SELECT result, with its variables (what an export reads)."""

    def __init__(self, solutions: ox.QuerySolutions, limit: int) -> None:
        self.variables = solutions.variables
        self.rows = list(islice(solutions, limit + 1))

    def __iter__(self):
        return iter(self.rows)


def query_export(data: Dataset, ext: str) -> Response:
    """The result of the request's query, checked like an endpoint query, as a download."""
    if ext in NETWORK_EXTENSIONS:
        fmt = NETWORK_EXTENSIONS[ext][0]
    elif ext in RDF_EXTENSIONS:
        fmt = RDF_EXTENSIONS[ext]
    else:
        choices = ", ".join([*NETWORK_EXTENSIONS, *RDF_EXTENSIONS])
        return not_found(f"a query's result is exported as {choices}, not {ext!r}")
    try:
        text, options = read_request()
        if text is None:
            raise ProtocolError(400, "missing 'query' parameter: the query to export")
        shape = check_query(text)
        options = dataset_options(options, shape)
    except ProtocolError as err:
        return plain(err.status, err.message)
    limit = data.settings.max_rows
    prefixes = data.ns.prefixes()
    dynamic = _dynamic() and fmt == "gexf"

    def work():
        result = data.store.query(text, base_iri=data.settings.base_iri, **options)
        if isinstance(result, ox.QueryTriples):
            result = list(islice(result, limit + 1))
            size = len(result)
        elif isinstance(result, ox.QuerySolutions):
            result = Rows(result, limit)
            size = len(result.rows)
        else:
            size = 0
        if size > limit:
            raise ExportError(
                f"the result has more than {limit:,} rows or triples, this server's cap: "
                "narrow the query, or export it with `alliance-kg export --query`"
            )
        return export_network(result, fmt, prefixes, dynamic=dynamic)

    try:
        return _run(data, work, QUERY, ext, cache=False)
    except SyntaxError as err:
        return plain(400, f"query syntax error: {err}")
    except (ValueError, TypeError, OSError, RuntimeError) as err:
        return plain(400, f"query cannot be evaluated: {err}")
