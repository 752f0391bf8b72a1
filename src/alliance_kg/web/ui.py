"""The query page at /: an editor with the example queries, results, downloads, permalinks.

The page is plain HTML with one script (``static/app.js``) that talks to ``/sparql`` like any
other client. Everything the script needs to know about this server (the endpoint path, the
entity namespace and where its pages live, the prefixes, the download formats) is handed
over in a JSON block, so the script holds no copy of the server's configuration.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    render_template,
    request,
    send_from_directory,
    url_for,
)

from ..reason import INFERRED_GRAPH
from .protocol import GRAPH_FORMATS, RESULT_FORMATS, Format

bp = Blueprint("ui", __name__)

# The network downloads offered under a result: link text, file name, extra parameters.
NETWORK_EXPORTS = [
    {"name": "GEXF", "file": "query.gexf", "params": {}},
    {"name": "GEXF with timeline", "file": "query.gexf", "params": {"dynamic": "1"}},
    {"name": "GraphML", "file": "query.graphml", "params": {}},
    {"name": "CSV", "file": "query.zip", "params": {}},
]


def _formats(formats: tuple[Format, ...]) -> list[dict[str, str]]:
    """Download choices: the ``format=`` name, the media type and a file extension."""
    return [
        {"name": f.names[0], "media_type": f.media_type, "extension": f.extension} for f in formats
    ]


def endpoint_path() -> str:
    """The endpoint's path; /sparql and /sparql/ both answer, the page names the first."""
    return url_for("sparql.sparql").rstrip("/")


def page_config() -> dict:
    """What the page script needs to run queries and present their results."""
    data = current_app.extensions["alliance_kg"]
    # The entity route needs a non-empty path; the placeholder is cut off again to get the
    # prefix that an IRI's part after the id namespace is appended to.
    entity_path = url_for("entities.entity", path="_").removesuffix("_")
    return {
        "endpoint": endpoint_path(),
        "idNamespace": data.ns.id,
        "entityPath": entity_path,
        "prefixes": data.ns.prefixes(),
        "maxRows": data.settings.max_rows,
        "resultFormats": _formats(RESULT_FORMATS),
        "graphFormats": _formats(GRAPH_FORMATS),
        # Where a CONSTRUCT result, or a SELECT one with ?source ?target, opens in Gephi.
        "exportPath": url_for("exports.download", name="query.gexf").removesuffix("query.gexf"),
        "networkExports": NETWORK_EXPORTS,
    }


@bp.route("/", methods=["GET"])
def index() -> str:
    """The query page; ``?query=`` opens it with that query in the editor (a permalink)."""
    queries = current_app.extensions["alliance_kg.queries"]
    examples = [
        {
            "name": q.name.removeprefix("examples/"),
            "title": q.title,
            "description": q.description,
            "text": q.text,
        }
        for name, q in sorted(queries.items())
        if name.startswith("examples/")
    ]
    data = current_app.extensions["alliance_kg"]
    inferred = data.ns.graph_iri(INFERRED_GRAPH)
    return render_template(
        "query.html",
        inferred_graph=inferred if inferred in data.graph_sizes else None,
        examples=examples,
        initial=request.args.get("query", ""),
        triples=data.triples,
        graphs=len([g for g in data.graph_sizes if g]),
        max_rows=data.settings.max_rows,
        timeout=data.settings.query_timeout,
        endpoint_url=request.host_url.rstrip("/") + endpoint_path(),
        config=page_config(),
    )


@bp.route("/favicon.ico", methods=["GET", "HEAD"])
def favicon() -> Response:
    """The site icon, for browsers that ask for it at the conventional path on every page."""
    return send_from_directory(
        current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400
    )
