"""The query page at /: an editor with the example queries, results, downloads, permalinks."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

bp = Blueprint("ui", __name__)


@bp.route("/", methods=["GET"])
def index() -> str:
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
    return render_template(
        "query.html",
        examples=examples,
        initial=request.args.get("query", ""),
        triples=data.triples,
        graphs=len([g for g in data.graph_sizes if g]),
        max_rows=data.settings.max_rows,
        timeout=data.settings.query_timeout,
    )
