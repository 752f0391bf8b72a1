"""Linked data: every entity IRI dereferences, the dataset describes itself, dumps download.

``/id/{kind}/{slug}`` serves ``{base}id/{kind}/{slug}``: an HTML page for browsers (labels,
types, properties, incoming links, source sentences) and Turtle, JSON-LD, N-Triples, RDF/XML,
N-Quads or TriG by ``Accept`` or ``format=``. ``/.well-known/void`` is the VoID description
and ``/dumps/`` lists the downloadable dumps of the build.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    send_file,
    url_for,
)

from ..namespaces import DCT, RDF, RDFS, SKOS, VOID, XSD
from ..queries import Query
from ..store import BuildPaths
from .dataset import Dataset
from .protocol import GRAPH_FORMATS, Format, ProtocolError, negotiate
from .results import serialize_graph

bp = Blueprint("entities", __name__)

HTML = Format("text/html", ("html",))
WEB_IRI = re.compile(r"^https?://", re.IGNORECASE)
PAGE_ADVICE = "the page lists too much; ask the SPARQL endpoint with a LIMIT instead"
PATH_RE = re.compile(r"^[A-Za-z0-9._~-]+(?:/[A-Za-z0-9._~-]+)*$")
DUMPS = {
    "kg.nq": "application/n-quads",
    "kg-inferred.nq": "application/n-quads",
    "kg.trig": "application/trig",
    "build.json": "application/json",
    "validation.ttl": "text/turtle",
}


def dataset() -> Dataset:
    return current_app.extensions["alliance_kg"]


def system_query(name: str) -> Query:
    return current_app.extensions["alliance_kg.queries"][f"system/{name}"]


def run_bound(name: str, entity: ox.NamedNode):
    """A system query with ?entity bound, under the query deadline."""
    data = dataset()
    text = system_query(name).text

    def work():
        result = data.store.query(
            text, substitutions={ox.Variable("entity"): entity}, use_default_graph_as_union=True
        )
        return result if isinstance(result, ox.QueryBoolean) else list(result)

    return data.run(work, advice=PAGE_ADVICE)


def local_href(iri: str) -> str | None:
    """The server path of an IRI under the dataset's entity namespace."""
    base = dataset().ns.id
    if iri.startswith(base):
        return url_for("entities.entity", path=iri[len(base) :])
    return None


def wants_html(accept) -> bool:
    html = accept.quality("text/html")
    rdf = max(accept.quality(f.media_type) for f in GRAPH_FORMATS)
    return html > 0 and html >= rdf and "text/html" in str(accept)


@bp.route("/id/<path:path>", methods=["GET", "HEAD", "OPTIONS"])
def entity(path: str) -> Response:
    if request.method == "OPTIONS":
        return Response(status=204, headers={"Allow": "GET, HEAD, OPTIONS"})
    if not PATH_RE.match(path) or ".." in path.split("/"):
        abort(404)
    data = dataset()
    iri = ox.NamedNode(data.ns.id + path)
    fmt_param = request.args.get("format")
    try:
        if fmt_param == "html" or (not fmt_param and wants_html(request.accept_mimetypes)):
            return entity_page(iri)
        fmt = negotiate(GRAPH_FORMATS, request.accept_mimetypes, fmt_param, graph=True)
    except ProtocolError as err:
        return Response(err.message + "\n", status=err.status, mimetype="text/plain")
    triples = run_bound("entity-description", iri)
    if not triples:
        return Response(f"no data about <{iri.value}>\n", status=404, mimetype="text/plain")
    body = serialize_graph(triples, fmt.rdf, data.ns.prefixes())
    return Response(body, mimetype=fmt.media_type, headers={"Vary": "Accept"})


def _term_view(term, label=None) -> dict:
    if isinstance(term, ox.NamedNode):
        local = local_href(term.value)
        # Only web IRIs become links: data may hold any scheme (javascript:, data:, file:).
        web = term.value if WEB_IRI.match(term.value) else None
        return {
            "iri": term.value,
            "href": local or web,
            "label": label.value if label is not None else None,
            "local": local is not None,
        }
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value if term.datatype else None
        return {
            "literal": term.value,
            "lang": term.language,
            "datatype": datatype.removeprefix(XSD)
            if datatype and datatype != XSD + "string"
            else None,
        }
    return {"literal": str(term)}


def entity_page(iri: ox.NamedNode) -> Response:
    outgoing = run_bound("entity-outgoing", iri)
    incoming = run_bound("entity-incoming", iri)
    if not outgoing and not incoming:
        return Response(render_template("not_found.html", iri=iri.value), status=404)
    sources = run_bound("entity-sources", iri)
    labels = [
        r["o"].value
        for r in outgoing
        if r["p"].value in (SKOS + "prefLabel", RDFS + "label") and isinstance(r["o"], ox.Literal)
    ]
    types = [_term_view(r["o"], r["olabel"]) for r in outgoing if r["p"].value == RDF + "type"]
    properties: dict[str, dict] = {}
    for r in outgoing:
        p = r["p"].value
        if p == RDF + "type":
            continue
        entry = properties.setdefault(
            p, {"property": _term_view(r["p"], r["plabel"]), "values": []}
        )
        view = _term_view(r["o"], r["olabel"])
        if view not in entry["values"]:
            entry["values"].append(view)
    links: dict[str, dict] = {}
    for r in incoming:
        p = r["p"].value
        entry = links.setdefault(p, {"property": _term_view(r["p"], r["plabel"]), "subjects": []})
        entry["subjects"].append(_term_view(r["s"], r["slabel"]))
    by_sentence: dict[tuple, dict] = {}
    for r in sources:
        key = (r["document"].value, int(r["start"].value), int(r["end"].value))
        item = by_sentence.setdefault(
            key,
            {
                "document": _term_view(r["document"], r["title"]),
                "start": key[1],
                "end": key[2],
                "text": r["text"].value,
                "predicates": [],
                "rules": set(),
            },
        )
        item["predicates"].append(_term_view(r["predicate"]))
        item["rules"].add(r["rule"].value.rsplit("/", 1)[-1])
    sentences = sorted(by_sentence.values(), key=lambda s: (s["document"]["iri"], s["start"]))
    for s in sentences:
        s["rules"] = sorted(s["rules"])
    formats = [(f.names[0], f.media_type) for f in GRAPH_FORMATS]
    html = render_template(
        "entity.html",
        iri=iri.value,
        label=labels[0] if labels else iri.value.rsplit("/", 1)[-1],
        types=types,
        properties=list(properties.values()),
        links=list(links.values()),
        sentences=sentences,
        formats=formats,
    )
    return Response(html, mimetype="text/html", headers={"Vary": "Accept"})


# -- VoID and dumps --------------------------------------------------------------------------


def _dump_names(data: Dataset) -> list[str]:
    if data.build_dir is None:
        return ["kg.nq"]
    paths = BuildPaths(data.build_dir)
    return [name for name in DUMPS if (paths.root / name).exists()]


@bp.route("/.well-known/void", methods=["GET", "HEAD"])
def void() -> Response:
    """The VoID description of the dataset: size, graphs, classes, endpoint and dumps."""
    data = dataset()
    try:
        fmt = negotiate(
            GRAPH_FORMATS, request.accept_mimetypes, request.args.get("format"), graph=True
        )
    except ProtocolError as err:
        return Response(err.message + "\n", status=err.status, mimetype="text/plain")
    root = request.url_root
    ds = ox.NamedNode(root + ".well-known/void#dataset")
    integer = ox.NamedNode(XSD + "integer")

    def t(s, p, o):
        return ox.Triple(s, ox.NamedNode(p), o)

    triples = [
        t(ds, RDF + "type", ox.NamedNode(VOID + "Dataset")),
        t(
            ds,
            DCT + "title",
            ox.Literal("alliance-kg: a knowledge graph of the Japan-U.S. alliance", language="en"),
        ),
        t(ds, VOID + "sparqlEndpoint", ox.NamedNode(root + "sparql")),
        t(ds, VOID + "uriSpace", ox.Literal(data.ns.id)),
        t(ds, VOID + "triples", ox.Literal(str(data.triples), datatype=integer)),
        t(ds, VOID + "vocabulary", ox.NamedNode(data.ns.ontology)),
    ]
    for name in _dump_names(data):
        if name in ("kg.nq", "kg-inferred.nq", "kg.trig"):
            triples.append(t(ds, VOID + "dataDump", ox.NamedNode(root + "dumps/" + name)))
    for i, (graph, size) in enumerate(data.graph_sizes.items()):
        if not graph:
            continue
        subset = ox.NamedNode(f"{root}.well-known/void#graph-{i}")
        triples += [
            t(ds, VOID + "subset", subset),
            t(subset, RDF + "type", ox.NamedNode(VOID + "Dataset")),
            t(subset, "http://www.w3.org/ns/sparql-service-description#name", ox.NamedNode(graph)),
            t(subset, VOID + "triples", ox.Literal(str(size), datatype=integer)),
        ]
    classes = system_query("void-classes").text
    rows = data.run(
        lambda: list(data.store.query(classes, use_default_graph_as_union=True)),
        advice=PAGE_ADVICE,
    )
    for i, r in enumerate(rows):
        part = ox.NamedNode(f"{root}.well-known/void#class-{i}")
        triples += [
            t(ds, VOID + "classPartition", part),
            t(part, VOID + "class", r["class"]),
            t(part, VOID + "entities", ox.Literal(r["entities"].value, datatype=integer)),
        ]
    body = serialize_graph(triples, fmt.rdf, {"void": VOID, "dct": DCT, "rdf": RDF})
    return Response(body, mimetype=fmt.media_type)


@bp.route("/validation", methods=["GET", "HEAD"])
def validation() -> Response:
    """The build's SHACL validation report: Turtle by Accept (or ``format=``), HTML summary
    for browsers."""
    data = dataset()
    path = BuildPaths(data.build_dir).validation if data.build_dir is not None else None
    if path is None or not path.exists():
        abort(404)
    try:
        fmt = negotiate(
            (*GRAPH_FORMATS, HTML),
            request.accept_mimetypes,
            request.args.get("format"),
            graph=True,
        )
    except ProtocolError as err:
        return Response(err.message + "\n", status=err.status, mimetype="text/plain")
    if fmt is not HTML:
        if fmt.media_type == "text/turtle":
            return send_file(path, mimetype="text/turtle", conditional=True)
        graph = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
        return Response(serialize_graph(list(graph), fmt.rdf, {}), mimetype=fmt.media_type)
    summary = data.manifest.get("validation", {}) if data.manifest else {}
    inference = data.manifest.get("inference", {}) if data.manifest else {}
    return Response(
        render_template("validation.html", summary=summary, inference=inference),
        headers={"Vary": "Accept"},
    )


@bp.route("/dumps/", methods=["GET"])
def dumps_index() -> Response:
    data = dataset()
    names = _dump_names(data)
    if "text/html" in str(request.accept_mimetypes):
        return Response(render_template("dumps.html", names=names, sizes=_sizes(data, names)))
    return Response("".join(f"{request.url_root}dumps/{n}\n" for n in names), mimetype="text/plain")


def _sizes(data: Dataset, names: list[str]) -> dict[str, int | None]:
    if data.build_dir is None:
        return dict.fromkeys(names)
    return {n: (data.build_dir / n).stat().st_size for n in names}


@bp.route("/dumps/<name>", methods=["GET", "HEAD"])
def dump(name: str) -> Response:
    data = dataset()
    if name not in DUMPS or name not in _dump_names(data):
        abort(404)
    if data.build_dir is None:
        body = data.store.dump(format=ox.RdfFormat.N_QUADS)
        return Response(body, mimetype=DUMPS[name])
    path = Path(data.build_dir) / name
    return send_file(path, mimetype=DUMPS[name], as_attachment=False, conditional=True)
