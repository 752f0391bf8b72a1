"""The web application: SPARQL endpoint, linked-data pages, dumps and the query page.

``create_app(settings, dataset)`` builds a Flask app around one ``Dataset``; nothing lives at
module level, so tests build as many apps as they like.
"""

from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from ..config import Settings
from ..queries import load_queries
from .dataset import Dataset, QueryTimeoutError, load_build

CORS_PATHS = (
    "/sparql",
    "/id/",
    "/dumps/",
    "/.well-known/void",
    "/graph/",
    "/exports",
    "/validation",
)


def create_app(settings: Settings | None = None, dataset: Dataset | None = None) -> Flask:
    """The Flask app serving ``dataset`` (by default: the build in ``settings.build_dir``)."""
    settings = settings or Settings.from_env()
    dataset = dataset or load_build(settings)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body
    app.config["MAX_FORM_MEMORY_SIZE"] = settings.max_body
    app.extensions["alliance_kg"] = dataset
    app.extensions["alliance_kg.queries"] = {
        q.name: q for q in load_queries(settings.queries_dir, base_iri=settings.base_iri)
    }

    from . import entities, exports, sparql, ui

    app.register_blueprint(sparql.bp)
    app.register_blueprint(entities.bp)
    app.register_blueprint(ui.bp)
    app.register_blueprint(exports.bp)

    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]

    def cors_headers(path: str, origin: str | None) -> dict[str, str]:
        headers: dict[str, str] = {}
        if origins and path.startswith(CORS_PATHS):
            if "*" in origins:
                headers["Access-Control-Allow-Origin"] = "*"
            elif origin in origins:
                headers["Access-Control-Allow-Origin"] = origin
                headers["Vary"] = "Origin"
            headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
            headers["Access-Control-Expose-Headers"] = "X-Result-Rows, X-Result-Truncated"
        return headers

    @app.after_request
    def cors(response: Response) -> Response:
        response.headers.update(cors_headers(request.path, request.headers.get("Origin")))
        return response

    app.wsgi_app = sparql.QueryFastPath(app.wsgi_app, dataset, cors_headers)

    @app.errorhandler(QueryTimeoutError)
    def timed_out(err: QueryTimeoutError) -> Response:
        return Response(f"{err}\n", status=504, mimetype="text/plain")

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException) -> Response:
        message = {
            413: f"request body too large (limit {settings.max_body} bytes)",
            404: "not found",
            405: f"method {request.method} not allowed here",
        }.get(err.code or 500, err.description or err.name)
        response = Response(f"{message}\n", status=err.code or 500, mimetype="text/plain")
        for header in ("Allow",):
            if header in err.get_headers():
                response.headers[header] = dict(err.get_headers())[header]
        if err.code == 405:
            allowed = err.valid_methods if hasattr(err, "valid_methods") else None
            if allowed:
                response.headers["Allow"] = ", ".join(allowed)
        return response

    return app
