"""The SPARQL 1.1 Protocol endpoint at /sparql (read-only), with its service description.

GET ``?query=``, POST ``application/x-www-form-urlencoded`` and POST
``application/sparql-query``; ``default-graph-uri`` / ``named-graph-uri`` select the dataset,
otherwise the default graph is the union of all graphs (unless the query names its own with
``FROM``). Relative IRIs in a query resolve against the dataset's base IRI. Results by
``Accept`` (q-values) or ``format=``. Updates are refused (403), federated queries
(``SERVICE``) too (400), and a query stops at the configured deadline (504). A client error
never answers 5xx.
"""

from __future__ import annotations

import functools
import io
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.utils import get_content_type

from ..namespaces import RDF, VOID
from ..reason import INFERRED_GRAPH
from .dataset import Dataset, QueryTimeoutError, answer_on_socket
from .protocol import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    Format,
    ProtocolError,
    QueryShape,
    check_query,
    negotiate,
    negotiate_header,
)
from .results import (
    Serialized,
    serialize_boolean,
    serialize_graph,
    serialize_solutions,
    serialize_triples,
)

bp = Blueprint("sparql", __name__)

SD = "http://www.w3.org/ns/sparql-service-description#"
FORM_TYPE = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
READ_ONLY = "this endpoint is read-only: SPARQL Update is not accepted"
# How much of an oversized body is read (and dropped) so that the client, still sending it,
# receives the 413 rather than a reset connection.
DRAIN_BYTES = 32 * 1024 * 1024
DRAIN_SECONDS = 5.0


def dataset() -> Dataset:
    return current_app.extensions["alliance_kg"]


def plain(status: int, message: str, **headers: str) -> Response:
    return Response(message.rstrip() + "\n", status=status, mimetype="text/plain", headers=headers)


def _single(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise ProtocolError(
            400, f"the '{name}' parameter was given {len(values)} times; give it once"
        )
    return values[0] if values else None


def _graphs(names: list[str], param: str) -> list[ox.NamedNode]:
    graphs = []
    for name in names:
        try:
            graphs.append(ox.NamedNode(name))
        except ValueError:
            raise ProtocolError(400, f"{param}: not an absolute IRI: {name!r}") from None
    return graphs


def read_request() -> tuple[str | None, dict]:
    """The query text (None when there is none) and pyoxigraph dataset options.

    The options hold the protocol's dataset (``default-graph-uri`` / ``named-graph-uri``)
    when the request gives one; otherwise they are empty and ``dataset_options`` decides.
    """
    content_type = request.mimetype
    args = request.args
    if request.method == "POST":
        if content_type == UPDATE_TYPE or "update" in request.form or "update" in args:
            raise ProtocolError(403, READ_ONLY)
        if content_type == QUERY_TYPE:
            charset = request.mimetype_params.get("charset", "utf-8").lower()
            if charset not in ("utf-8", "utf8"):
                raise ProtocolError(415, f"the query body must be UTF-8, not {charset}")
            try:
                text = request.get_data().decode("utf-8").removeprefix("\ufeff")
            except UnicodeDecodeError:
                raise ProtocolError(400, "the query body is not valid UTF-8") from None
            if _single(args.getlist("query"), "query") is not None:
                raise ProtocolError(400, "give the query in the body or in 'query=', not both")
            if not text.strip():
                raise ProtocolError(400, f"the {QUERY_TYPE} body is empty: POST the query text")
            params = args
        elif content_type == FORM_TYPE:
            params = request.form
            text = _single(params.getlist("query") + args.getlist("query"), "query")
            if text is None:
                raise ProtocolError(400, _missing_form_query())
        else:
            shown = content_type or "no Content-Type"
            raise ProtocolError(
                415,
                f"unsupported Content-Type {shown}: POST {FORM_TYPE} or {QUERY_TYPE}",
            )
        defaults = params.getlist("default-graph-uri") + (
            args.getlist("default-graph-uri") if params is not args else []
        )
        named = params.getlist("named-graph-uri") + (
            args.getlist("named-graph-uri") if params is not args else []
        )
    else:
        if "update" in args:
            raise ProtocolError(403, READ_ONLY + " (and never over GET)")
        text = _single(args.getlist("query"), "query")
        defaults = args.getlist("default-graph-uri")
        named = args.getlist("named-graph-uri")
    options: dict = {}
    if defaults or named:
        options["default_graph"] = _graphs(defaults, "default-graph-uri")
        options["named_graphs"] = _graphs(named, "named-graph-uri")
    return text, options


def _missing_form_query() -> str:
    """Why a form POST has no query: none sent, or a body the form parser could not read
    (it drops a body that is not UTF-8 as a whole)."""
    if not request.form and request.content_length:
        return "the form body could not be read: send UTF-8, URL-encoded 'query=...'"
    return "missing 'query' parameter in the form body"


INFERENCE_VALUES = {"true": True, "on": True, "1": True, "false": False, "off": False, "0": False}


def read_inference() -> bool:
    """The ``inference`` parameter: whether the default dataset includes the inferred graph."""
    values = request.values.getlist("inference")
    if not values:
        return True
    value = _single(values, "inference").strip().lower()
    if value not in INFERENCE_VALUES:
        raise ProtocolError(400, f"inference must be true or false, not {value!r}")
    return INFERENCE_VALUES[value]


def dataset_options(options: dict, shape: QueryShape, inference: bool = True) -> dict:
    """Add the default dataset: the union of all graphs, unless the query has FROM clauses.

    pyoxigraph's union option overrides a query's own FROM, so it is only set when neither
    the protocol nor the query names a dataset. Without inference the default dataset names
    every graph but the inferred one, as default graph and as named graphs.
    """
    if options or shape.dataset_clause:
        return options
    if not inference:
        data = current_app.extensions["alliance_kg"]
        inferred = data.ns.graph_iri(INFERRED_GRAPH)
        graphs = [ox.NamedNode(g) for g in data.graph_sizes if g and g != inferred]
        return {"default_graph": [ox.DefaultGraph(), *graphs], "named_graphs": graphs}
    return {"use_default_graph_as_union": True}


@dataclass(frozen=True)
class Answer:
    """What the endpoint sends back for a query: status, media type, body, extra headers."""

    status: int
    media_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def answer(
    data: Dataset,
    text: str,
    options: dict,
    accept: str | None,
    format_param: str | None,
    inference: bool = True,
) -> Answer:
    """Check, evaluate and serialise a query; a refused or failed query gets its 4xx/504
    and a message (a client error never answers 5xx). Without ``inference`` the default
    dataset leaves the inferred graph out."""
    try:
        shape = check_query(text)
        options = dataset_options(options, shape, inference)
        result, media_type = evaluate(data, text, options, shape, accept, format_param)
    except ProtocolError as err:
        return failure(err.status, err.message)
    except SyntaxError as err:
        return failure(400, f"query syntax error: {err}")
    except QueryTimeoutError as err:
        return failure(504, str(err))
    except (ValueError, TypeError) as err:
        return failure(400, f"query cannot be evaluated: {err}")
    except (OSError, RuntimeError) as err:
        # pyoxigraph reports evaluation errors of the query itself (an unbound SERVICE
        # name, a failed CSV conversion) as these.
        return failure(400, f"query evaluation failed: {err}")
    headers = {}
    if result.rows is not None:
        headers["X-Result-Rows"] = str(result.rows)
    if result.truncated:
        headers["X-Result-Truncated"] = f"first {result.rows} rows of a larger result"
    return Answer(200, media_type, result.body, headers)


def failure(status: int, message: str) -> Answer:
    return Answer(status, "text/plain", (message.rstrip() + "\n").encode())


def evaluate(
    data: Dataset,
    text: str,
    options: dict,
    shape: QueryShape,
    accept: str | None,
    format_param: str | None,
) -> tuple[Serialized, str]:
    """Run a query under the deadline and serialise it; returns (result, media type).

    The format is negotiated before evaluation for the form the query text shows, so a 406
    costs nothing; the serialisation then follows the kind of result pyoxigraph returns.
    """
    limit = data.settings.max_rows
    graph = shape.form in ("CONSTRUCT", "DESCRIBE")
    formats = {kind: negotiate_header(kind, accept, format_param) for kind in (graph, not graph)}
    if isinstance(formats[graph], ProtocolError):
        raise fresh(formats[graph])
    base = data.settings.base_iri

    def work() -> tuple[Serialized, Format]:
        result = data.store.query(text, base_iri=base, **options)
        fmt = formats[isinstance(result, ox.QueryTriples)]
        if isinstance(fmt, ProtocolError):
            raise fresh(fmt)
        if isinstance(result, ox.QueryTriples):
            return serialize_triples(result, fmt.rdf, limit, data.prefixes), fmt
        if isinstance(result, ox.QueryBoolean):
            return serialize_boolean(result, fmt.results), fmt

        def rerun() -> ox.QuerySolutions:
            return data.store.query(text, base_iri=base, **options)

        return serialize_solutions(result, fmt.results, limit, rerun), fmt

    result, fmt = data.run(work)
    return result, fmt.media_type


def fresh(err: ProtocolError) -> ProtocolError:
    """A new error like a remembered one: raising the same object again and again would
    chain its tracebacks."""
    return ProtocolError(err.status, err.message)


def respond(result: Answer) -> Response:
    return Response(
        result.body, status=result.status, mimetype=result.media_type, headers=result.headers
    )


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"], strict_slashes=False)
@bp.route("/sparql/", methods=["GET", "POST", "OPTIONS"])
def sparql() -> Response:
    if request.method == "OPTIONS":
        return Response(status=204, headers={"Allow": "GET, POST, OPTIONS"})
    too_large = refuse_large_body()
    if too_large is not None:
        return too_large
    try:
        text, options = read_request()
        if text is None:
            if request.method == "POST":
                raise ProtocolError(400, "missing query")
            return service_description()
        inference = read_inference()
    except ProtocolError as err:
        return plain(err.status, err.message)
    accept = request.headers.get("Accept")
    return respond(
        answer(dataset(), text, options, accept, request.values.get("format"), inference)
    )


class QueryFastPath:
    """WSGI middleware answering the commonest request, ``GET /sparql?query=...`` (with at
    most ``format=`` besides), without Flask's request and response objects; everything
    else goes to the app.

    It runs the same ``answer`` as the view and adds the same CORS headers, so the answers
    are byte for byte the same; it saves about a quarter of a millisecond per query, as
    much as a simple query takes to evaluate.
    """

    PATHS = frozenset({"/sparql", "/sparql/"})
    PARAMS = frozenset({"query", "format"})

    def __init__(self, app, data: Dataset, cors: Callable[[str, str | None], dict]) -> None:
        self.app = app
        self.data = data
        self.cors = cors

    def __call__(self, environ: dict, start_response):
        connection = self.data.connection
        if self.data.watchdog is not None and "gunicorn.socket" in environ:
            connection.reply = functools.partial(self.reply, environ)
        try:
            return self.route(environ, start_response)
        finally:
            connection.reply = None

    def reply(self, environ: dict, status: int, message: str) -> None:
        """Answer a request on its connection from another thread (the watchdog's 504)."""
        result = failure(status, message)
        answer_on_socket(environ, *self._head(environ, result), result.body)

    def route(self, environ: dict, start_response):
        if environ.get("REQUEST_METHOD") == "GET" and environ.get("PATH_INFO") in self.PATHS:
            params = self._params(environ.get("QUERY_STRING", ""))
            if params is not None:
                result = answer(
                    self.data,
                    params["query"],
                    {},
                    environ.get("HTTP_ACCEPT"),
                    params.get("format"),
                )
                status, headers = self._head(environ, result)
                start_response(status, list(headers.items()))
                return [result.body]
        return self.app(environ, start_response)

    def _head(self, environ: dict, result: Answer) -> tuple[str, dict[str, str]]:
        """The status line and headers of an answer, as the view would send them."""
        headers = {
            "Content-Type": get_content_type(result.media_type, "utf-8"),
            "Content-Length": str(len(result.body)),
            **result.headers,
            **self.cors(environ.get("PATH_INFO", ""), environ.get("HTTP_ORIGIN")),
        }
        return f"{result.status} {HTTP_STATUS_CODES[result.status].upper()}", headers

    def _params(self, query_string: str) -> dict[str, str] | None:
        """The parameters when they are one ``query`` and at most one ``format``, else None.

        Parsed as werkzeug parses ``request.args``.
        """
        try:
            pairs = query_pairs(query_string)
        except (UnicodeError, ValueError):
            return None
        params = dict(pairs)
        if len(params) != len(pairs) or "query" not in params or not params.keys() <= self.PARAMS:
            return None
        return params


# A "%" that does not start an escape: such a query string takes the standard parser.
BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def query_pairs(query_string: str) -> list[tuple[str, str]]:
    """``parse_qsl`` of a WSGI query string, as werkzeug reads ``request.args``, faster.

    A SPARQL query in a URL is mostly escapes ("%7B", "%3F"), which the standard parser
    decodes one by one in Python: a tenth of a millisecond for a short query, as long as the
    query itself takes. An ASCII query string with well-formed escapes is decoded here by the
    C codec instead, to the same text; anything else goes to the standard parser.
    """
    if not query_string.isascii() or BAD_ESCAPE.search(query_string):
        return parse_qsl(
            query_string.encode("latin-1").decode(),
            keep_blank_values=True,
            errors="werkzeug.url_quote",
        )
    return [
        tuple(map(_unquote, part.partition("=")[::2])) for part in query_string.split("&") if part
    ]


def _unquote(text: str) -> str:
    if "%" not in text:
        return text.replace("+", " ")
    # Every backslash escaped, every "%" made "\\x": the codec's only escapes are the URL's.
    raw = text.replace("+", " ").encode("ascii").replace(b"\\", b"\\\\").replace(b"%", b"\\x")
    octets = raw.decode("unicode_escape").encode("latin-1")
    return octets.decode("utf-8", "werkzeug.url_quote")


def refuse_large_body() -> Response | None:
    """413 for a body over the size limit, or None.

    gunicorn drops the connection when a response leaves more than a little of the body
    unread, and a client still sending then sees a reset instead of the answer. So the body
    is read to its end first, within DRAIN_BYTES and DRAIN_SECONDS; past those the client
    may still see the reset.

    A chunked body has no length up front, and werkzeug's own limit cuts it at the limit
    without an error; so it is read here, up to one byte past the limit, and handed on as a
    body of known length.
    """
    limit = dataset().settings.max_body
    length = request.content_length
    environ = request.environ
    stream = environ["wsgi.input"]
    if length is None and environ.get("wsgi.input_terminated") and request.method == "POST":
        body = stream.read(limit + 1)
        if len(body) <= limit:
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            return None
        length = DRAIN_BYTES
    elif length is None or length <= limit:
        return None
    left = min(length, DRAIN_BYTES)
    deadline = time.monotonic() + DRAIN_SECONDS
    while left > 0 and time.monotonic() < deadline:
        chunk = stream.read(min(left, 1 << 16))
        if not chunk:
            break
        left -= len(chunk)
    return plain(413, f"request body too large (limit {limit} bytes)")


def service_description() -> Response:
    """SPARQL 1.1 Service Description of this endpoint (Turtle unless Accept says otherwise)."""
    data = dataset()
    try:
        fmt = negotiate(
            GRAPH_FORMATS, request.accept_mimetypes, request.args.get("format"), graph=True
        )
    except ProtocolError as err:
        return plain(err.status, err.message)
    endpoint = ox.NamedNode(request.base_url.rstrip("/"))
    service = ox.NamedNode(request.base_url.rstrip("/") + "#service")
    ds = ox.BlankNode("dataset")
    dg = ox.BlankNode("default")

    def t(s, p, o):
        return ox.Triple(s, ox.NamedNode(p), o)

    triples = [
        t(service, RDF + "type", ox.NamedNode(SD + "Service")),
        t(service, SD + "endpoint", endpoint),
        t(service, SD + "supportedLanguage", ox.NamedNode(SD + "SPARQL11Query")),
        t(service, SD + "feature", ox.NamedNode(SD + "UnionDefaultGraph")),
        t(service, SD + "defaultDataset", ds),
        t(ds, RDF + "type", ox.NamedNode(SD + "Dataset")),
        t(ds, SD + "defaultGraph", dg),
        t(dg, RDF + "type", ox.NamedNode(SD + "Graph")),
        t(dg, VOID + "triples", ox.Literal(str(data.triples), datatype=ox.NamedNode(XSD_INTEGER))),
    ]
    for f in RESULT_FORMATS + GRAPH_FORMATS:
        triples.append(t(service, SD + "resultFormat", ox.NamedNode(FORMAT_IRIS[f.media_type])))
    for i, (graph, size) in enumerate(sorted(data.graph_sizes.items())):
        if not graph:
            continue
        named = ox.BlankNode(f"g{i}")
        inner = ox.BlankNode(f"g{i}graph")
        triples += [
            t(ds, SD + "namedGraph", named),
            t(named, SD + "name", ox.NamedNode(graph)),
            t(named, SD + "graph", inner),
            t(inner, RDF + "type", ox.NamedNode(SD + "Graph")),
            t(inner, VOID + "triples", ox.Literal(str(size), datatype=ox.NamedNode(XSD_INTEGER))),
        ]
    body = serialize_graph(triples, fmt.rdf, {"sd": SD, "void": VOID})
    return Response(body, mimetype=fmt.media_type)


XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
FORMAT_IRIS = {
    "application/sparql-results+json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "application/sparql-results+xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "text/csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "text/tab-separated-values": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "text/turtle": "http://www.w3.org/ns/formats/Turtle",
    "application/n-triples": "http://www.w3.org/ns/formats/N-Triples",
    "application/n-quads": "http://www.w3.org/ns/formats/N-Quads",
    "application/trig": "http://www.w3.org/ns/formats/TriG",
    "application/rdf+xml": "http://www.w3.org/ns/formats/RDF_XML",
    "application/ld+json": "http://www.w3.org/ns/formats/JSON-LD",
}
