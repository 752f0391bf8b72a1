"""The SPARQL 1.1 Protocol at /sparql through Flask's test client.

Transports, the protocol dataset, content negotiation, every format parsed back and compared
with pyoxigraph's own answer, statuses for client errors, the SERVICE refusal (checked
against a listening socket), the row cap, the service description and CORS.
"""

from __future__ import annotations

import csv
import gc
import io
import random
import socket
import threading
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from alliance_kg.config import Settings
from alliance_kg.web import create_app
from alliance_kg.web.dataset import DataFile, Dataset, load_build, load_files
from alliance_kg.web.protocol import GRAPH_FORMATS, RESULT_FORMATS, ProtocolError, check_query

EX = "http://example.org/"
SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
READ_ONLY = "read-only"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
TOY = f"""
<{EX}a> <{EX}p> "default graph" .
GRAPH <{EX}g1> {{
  <{EX}s1> <{EX}p> "in g1" ; <{EX}q> <{EX}o1> .
  <{EX}tokyo> <{EX}label> "東京"@ja .
}}
GRAPH <{EX}g2> {{ <{EX}s2> <{EX}p> "in g2"@en ; <{EX}q> 2 . }}
"""
TOY_SIZES = {"": 1, f"{EX}g1": 3, f"{EX}g2": 2}
SELECT_ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
CONSTRUCT_ALL = "CONSTRUCT WHERE { ?s ?p ?o }"
RESULT_TYPES = {f.media_type: f.results for f in RESULT_FORMATS}
GRAPH_TYPES = {f.media_type: f.rdf for f in GRAPH_FORMATS}


@dataclass
class App:
    """A test client and the dataset behind it, to compare answers with the store's own."""

    client: object
    data: Dataset

    def direct(self, query: str, **options):
        """The store's own answer, normalised like ``parse_answer``."""
        if not options:
            options = {"use_default_graph_as_union": True}
        return normalise(
            self.data.store.query(query, base_iri=self.data.settings.base_iri, **options)
        )


@pytest.fixture(scope="module")
def toy_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("toy") / "toy.trig"
    path.write_text(TOY, encoding="utf-8")
    return path


def toy_app(toy_file: Path, **settings) -> App:
    config = Settings(build_dir=toy_file.parent / "unused", **settings)
    data = load_files(config, [DataFile(toy_file)])
    return App(create_app(config, data).test_client(), data)


@pytest.fixture(scope="module")
def toy(toy_file) -> App:
    return toy_app(toy_file)


@pytest.fixture(scope="module")
def kg(default_build) -> App:
    config = Settings(build_dir=default_build)
    data = load_build(config)
    return App(create_app(config, data).test_client(), data)


# -- parsing answers back -----------------------------------------------------------------


def normalise(result):
    """(variables, rows of N-Triples-style terms in a fixed order), a bool, or a set of
    triples: answers in a form that compares equal when they hold the same thing."""
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows = [tuple(_term(row[name]) for name in names) for row in result]
        return names, sorted(rows, key=str)
    return {t.triple if isinstance(t, ox.Quad) else t for t in result}


def _term(term) -> str | None:
    return None if term is None else str(term)


def parse_answer(response):
    """Parse a response body by its media type (CSV with the csv module, as it is lossy)."""
    body = response.get_data()
    media_type = response.mimetype
    if media_type == "text/csv":
        return list(csv.reader(io.StringIO(body.decode("utf-8"))))
    if media_type in RESULT_TYPES:
        return normalise(ox.parse_query_results(body, format=RESULT_TYPES[media_type]))
    if media_type in GRAPH_TYPES:
        return normalise(ox.parse(body, format=GRAPH_TYPES[media_type]))
    raise AssertionError(f"unexpected media type {media_type}: {body[:200]!r}")


def as_csv(expected) -> list[list[str]]:
    """What the CSV of a result holds: plain values (IRIs and lexical forms)."""
    if isinstance(expected, bool):
        return [["true" if expected else "false"]]
    names, rows = expected
    plain = [[_plain(cell) for cell in row] for row in rows]
    return [names, *plain]


def _plain(cell: str | None) -> str:
    if cell is None:
        return ""
    if cell.startswith("<"):
        return cell[1:-1]
    return cell[1 : cell.rindex('"')]


def same_answer(response, expected) -> bool:
    got = parse_answer(response)
    if response.mimetype == "text/csv":
        return sorted(got[1:]) == sorted(as_csv(expected)[1:]) and got[:1] == as_csv(expected)[:1]
    return got == expected


def row_count(response) -> int:
    got = parse_answer(response)
    if response.mimetype == "text/csv":
        return len(got) - 1
    return len(got) if isinstance(got, set) else len(got[1])


# -- transports and the protocol dataset --------------------------------------------------

TRANSPORTS = {
    "GET": lambda c, path, q: c.get(path, query_string={"query": q}),
    "POST form": lambda c, path, q: c.post(path, data={"query": q}),
    "POST direct": lambda c, path, q: c.post(
        path, data=q.encode("utf-8"), content_type="application/sparql-query"
    ),
    "POST direct, charset": lambda c, path, q: c.post(
        path, data=q.encode("utf-8"), content_type="application/sparql-query; charset=UTF-8"
    ),
}


@pytest.mark.parametrize("path", ["/sparql", "/sparql/"])
@pytest.mark.parametrize("transport", TRANSPORTS)
def test_every_transport_answers_the_same(toy, transport, path):
    response = TRANSPORTS[transport](toy.client, path, SELECT_ALL)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/sparql-results+json"
    assert parse_answer(response) == toy.direct(SELECT_ALL)
    assert response.headers["X-Result-Rows"] == str(sum(TOY_SIZES.values()))


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_non_ascii_queries_survive_every_transport(toy, transport):
    query = f'SELECT ?s WHERE {{ ?s <{EX}label> "東京"@ja }}'
    response = TRANSPORTS[transport](toy.client, "/sparql", query)
    assert parse_answer(response) == (["s"], [(f"<{EX}tokyo>",)])


def ask(app: App, query: str, **params) -> bool:
    response = app.client.get("/sparql", query_string={"query": query, **params})
    assert response.status_code == 200, response.get_data(as_text=True)
    return parse_answer(response)


def test_the_default_graph_is_the_union_of_all_graphs(toy):
    in_g1 = f'ASK {{ <{EX}s1> <{EX}p> "in g1" }}'
    assert ask(toy, in_g1) is True
    assert ask(toy, in_g1, **{"default-graph-uri": f"{EX}g2"}) is False
    assert ask(toy, in_g1, **{"default-graph-uri": f"{EX}g1"}) is True


def test_a_named_graph_triple_of_the_build_is_visible_without_graph(kg):
    graphs = sorted(g for g in kg.data.graph_sizes if "/document/" in g)
    assert len(graphs) >= 2
    home, other = graphs[0], graphs[1]
    picked = kg.client.get(
        "/sparql",
        query_string={
            "query": f"SELECT ?s ?p ?o WHERE {{ GRAPH <{home}> {{ ?s ?p ?o FILTER isIRI(?o) }}"
            f" FILTER NOT EXISTS {{ GRAPH <{other}> {{ ?s ?p ?o }} }} }} LIMIT 1",
            "format": "tsv",
        },
    )
    (_, [(s, p, o)]) = parse_answer(picked)
    query = f"ASK {{ {s} {p} {o} }}"
    assert ask(kg, query) is True
    assert ask(kg, query, **{"default-graph-uri": other}) is False
    assert ask(kg, query, **{"default-graph-uri": home}) is True


def test_protocol_default_graphs_merge(toy):
    response = toy.client.get(
        "/sparql",
        query_string=[
            ("query", SELECT_ALL),
            ("default-graph-uri", f"{EX}g1"),
            ("default-graph-uri", f"{EX}g2"),
        ],
    )
    graphs = [ox.NamedNode(f"{EX}g1"), ox.NamedNode(f"{EX}g2")]
    expected = toy.direct(SELECT_ALL, default_graph=graphs, named_graphs=[])
    assert len(expected[1]) == TOY_SIZES[f"{EX}g1"] + TOY_SIZES[f"{EX}g2"]
    assert parse_answer(response) == expected


def test_named_graph_uri_limits_graph_and_empties_the_default_graph(toy):
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = toy.client.get(
        "/sparql", query_string={"query": graphs, "named-graph-uri": f"{EX}g1"}
    )
    assert parse_answer(response) == (["g"], [(f"<{EX}g1>",)])
    assert ask(toy, "ASK { ?s ?p ?o }", **{"named-graph-uri": f"{EX}g1"}) is False


def test_a_query_keeps_its_own_from_unless_the_protocol_names_a_dataset(toy):
    query = f"SELECT ?o FROM <{EX}g1> WHERE {{ ?s <{EX}p> ?o }}"
    own = toy.client.get("/sparql", query_string={"query": query})
    assert parse_answer(own) == (["o"], [('"in g1"',)])
    overridden = toy.client.get(
        "/sparql", query_string={"query": query, "default-graph-uri": f"{EX}g2"}
    )
    assert parse_answer(overridden) == (["o"], [('"in g2"@en',)])
    named = f"SELECT DISTINCT ?g FROM NAMED <{EX}g2> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    response = toy.client.get("/sparql", query_string={"query": named})
    assert parse_answer(response) == (["g"], [(f"<{EX}g2>",)])


def test_relative_iris_resolve_against_the_dataset_base(toy):
    response = toy.client.get(
        "/sparql", query_string={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}", "format": "nt"}
    )
    base = toy.data.settings.base_iri
    assert response.status_code == 200, response.get_data(as_text=True)
    assert {(t.subject.value, t.predicate.value) for t in parse_answer(response)} == {
        (base + "s", base + "p")
    }


# -- content negotiation and formats ------------------------------------------------------

QUERIES = {
    "SELECT": SELECT_ALL,
    "ASK": f'ASK {{ <{EX}s2> <{EX}p> "in g2"@en }}',
    "ASK false": f"ASK {{ <{EX}s2> <{EX}p> <{EX}nothing> }}",
    "CONSTRUCT": CONSTRUCT_ALL,
    "DESCRIBE": f"DESCRIBE <{EX}s1> <{EX}tokyo>",
}
NEGOTIATION = [
    ("SELECT", None, "application/sparql-results+json"),
    ("SELECT", "*/*", "application/sparql-results+json"),
    ("SELECT", "application/json", "application/sparql-results+json"),
    ("SELECT", "application/sparql-results+xml", "application/sparql-results+xml"),
    ("SELECT", "text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
    ("SELECT", "text/tab-separated-values;q=0.1, text/csv;q=0.2", "text/csv"),
    ("SELECT", BROWSER, "application/sparql-results+xml"),
    (
        "SELECT",
        "text/turtle, application/sparql-results+xml;q=0.1",
        "application/sparql-results+xml",
    ),
    ("ASK", "application/json", "application/sparql-results+json"),
    ("ASK", "text/xml", "application/sparql-results+xml"),
    ("CONSTRUCT", None, "text/turtle"),
    ("CONSTRUCT", "*/*", "text/turtle"),
    ("CONSTRUCT", BROWSER, "application/rdf+xml"),
    ("CONSTRUCT", "application/json", "application/ld+json"),
    ("CONSTRUCT", "text/plain", "application/n-triples"),
    ("CONSTRUCT", "application/n-triples;q=0.2, text/turtle;q=0.9", "text/turtle"),
    ("CONSTRUCT", "application/sparql-results+json, application/trig;q=0.1", "application/trig"),
    ("DESCRIBE", "application/rdf+xml", "application/rdf+xml"),
    ("DESCRIBE", "application/n-quads", "application/n-quads"),
]


@pytest.mark.parametrize(
    ("form", "accept", "media_type"),
    NEGOTIATION,
    ids=[f"{form}-{accept or 'no Accept'}" for form, accept, _ in NEGOTIATION],
)
def test_accept_negotiation(toy, form, accept, media_type):
    headers = {"Accept": accept} if accept else {}
    response = toy.client.get("/sparql", query_string={"query": QUERIES[form]}, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == media_type
    assert same_answer(response, toy.direct(QUERIES[form]))


FORMAT_CASES = [(form, f) for form in ("SELECT", "ASK", "ASK false") for f in RESULT_FORMATS] + [
    (form, f) for form in ("CONSTRUCT", "DESCRIBE") for f in GRAPH_FORMATS
]


@pytest.mark.parametrize(
    ("form", "fmt"), FORMAT_CASES, ids=[f"{form}-{f.names[0]}" for form, f in FORMAT_CASES]
)
def test_every_format_parses_back_to_the_stores_answer(toy, form, fmt):
    expected = toy.direct(QUERIES[form])
    # A non-empty answer (and both booleans), so the comparison means something.
    assert expected == (form == "ASK") if isinstance(expected, bool) else expected
    by_name = toy.client.get(
        "/sparql", query_string={"query": QUERIES[form], "format": fmt.names[0]}
    )
    by_accept = toy.client.get(
        "/sparql", query_string={"query": QUERIES[form]}, headers={"Accept": fmt.media_type}
    )
    for response in (by_name, by_accept):
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.mimetype == fmt.media_type
        assert same_answer(response, expected)


def test_format_parameter_wins_over_accept(toy):
    response = toy.client.get(
        "/sparql",
        query_string={"query": SELECT_ALL, "format": "xml"},
        headers={"Accept": "text/csv"},
    )
    assert response.mimetype == "application/sparql-results+xml"


# -- statuses -----------------------------------------------------------------------------

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"


def req(method: str, path: str = "/sparql", **kwargs) -> tuple[str, str, dict]:
    return method, path, kwargs


def get(query: str, **params) -> tuple[str, str, dict]:
    return req("GET", query_string={"query": query, **params})


STATUS_CASES = {
    "syntax error": (get("SELECT * {"), 400, "query syntax error: error at 1:"),
    "two query parameters": (
        req("GET", "/sparql?query=ASK%7B%7D&query=SELECT%20*%7B%7D"),
        400,
        "given 2 times",
    ),
    "two queries in a form": (
        req("POST", data="query=ASK%7B%7D&query=ASK%7B%7D", content_type=FORM),
        400,
        "given 2 times",
    ),
    "query in body and URL": (
        req("POST", "/sparql?query=ASK%7B%7D", data="ASK {}", content_type=DIRECT),
        400,
        "not both",
    ),
    "bad default graph IRI": (
        get("ASK {}", **{"default-graph-uri": "not an IRI"}),
        400,
        "default-graph-uri: not an absolute IRI",
    ),
    "bad named graph IRI": (
        get("ASK {}", **{"named-graph-uri": "<x>"}),
        400,
        "named-graph-uri: not an absolute IRI",
    ),
    "unknown format=": (get("ASK {}", format="png"), 400, "unknown format 'png'"),
    "graph format= for SELECT": (
        get(SELECT_ALL, format="turtle"),
        400,
        "offers json, xml, csv, tsv",
    ),
    "POST form without query": (
        req("POST", data={"default-graph-uri": f"{EX}g1"}),
        400,
        "missing 'query'",
    ),
    "POST empty body": (req("POST", data=b"", content_type=DIRECT), 400, "body is empty"),
    "POST form not UTF-8": (
        req("POST", data=b"query=ASK \xff{}", content_type=FORM),
        400,
        "could not be read",
    ),
    "POST body not UTF-8": (
        req("POST", data=b"ASK \xff{}", content_type=DIRECT),
        400,
        "not valid UTF-8",
    ),
    "update via form": (req("POST", data={"update": "CLEAR ALL"}), 403, READ_ONLY),
    "update via sparql-update": (
        req("POST", data="CLEAR ALL", content_type="application/sparql-update"),
        403,
        READ_ONLY,
    ),
    "update via GET": (req("GET", query_string={"update": "CLEAR ALL"}), 403, READ_ONLY),
    "update sent as a query": (
        get(f"INSERT DATA {{ <{EX}x> <{EX}y> <{EX}z> }}"),
        403,
        READ_ONLY,
    ),
    "update= beside a direct query": (
        req("POST", "/sparql?update=CLEAR%20ALL", data="ASK {}", content_type=DIRECT),
        403,
        READ_ONLY,
    ),
    "PUT": (req("PUT", data="ASK {}", content_type=DIRECT), 405, "method PUT not allowed"),
    "DELETE": (req("DELETE", "/sparql/"), 405, "method DELETE not allowed"),
    "Accept image/png": (
        req("GET", query_string={"query": "ASK {}"}, headers={"Accept": "image/png"}),
        406,
        "none of the accepted media types",
    ),
    "Accept refusing every RDF syntax": (
        req(
            "GET",
            query_string={"query": CONSTRUCT_ALL},
            headers={"Accept": "text/turtle;q=0, image/png"},
        ),
        406,
        "offered: text/turtle",
    ),
    "body over the cap": (
        req("POST", data=b"#" * 1_000_001 + b"\nASK {}", content_type=DIRECT),
        413,
        "request body too large (limit 1000000 bytes)",
    ),
    "text/plain": (
        req("POST", data="ASK {}", content_type="text/plain"),
        415,
        "unsupported Content-Type text/plain",
    ),
    "no Content-Type": (req("POST", data="query=ASK%20%7B%7D"), 415, "no Content-Type"),
    "UTF-16 body": (
        req("POST", data="ASK {}".encode("utf-16"), content_type=DIRECT + "; charset=UTF-16"),
        415,
        "must be UTF-8, not utf-16",
    ),
    "JSON body": (
        req("POST", data='{"query": "ASK {}"}', content_type="application/json"),
        415,
        "unsupported Content-Type application/json",
    ),
}


@pytest.mark.parametrize("case", STATUS_CASES)
def test_client_errors_get_their_status_and_a_message(toy, case):
    (method, path, kwargs), status, message = STATUS_CASES[case]
    response = toy.client.open(path, method=method, **kwargs)
    text = response.get_data(as_text=True)
    assert (response.status_code, response.mimetype) == (status, "text/plain"), text
    assert message in text
    if status == 405:
        assert {"GET", "POST"} <= {m.strip() for m in response.headers["Allow"].split(",")}


GARBAGE = {
    "lone %": req("GET", "/sparql?query=%"),
    "surrogate bytes": req("GET", "/sparql?query=%ED%A0%80"),
    "NUL": req("GET", "/sparql?query=ASK%20%7B%7D%00"),
    "deep parentheses": req("GET", "/sparql?query=" + "(" * 5000),
    "huge LIMIT": req("GET", "/sparql?query=SELECT%20*%20%7B%7D%20LIMIT%209999999999999999999999"),
    "odd format=": req("GET", "/sparql", query_string={"query": "ASK {}", "format": "\x00é"}),
    "broken Accept": req(
        "GET", "/sparql", query_string={"query": "ASK {}"}, headers={"Accept": ";;;,q=x/y;q=a"}
    ),
    "long Accept": req(
        "GET", "/sparql", query_string={"query": "ASK {}"}, headers={"Accept": "a/b;" * 2000}
    ),
    "graph IRI with a space": req(
        "GET", "/sparql", query_string={"query": "ASK {}", "default-graph-uri": "http://a b"}
    ),
    "empty graph IRI": req(
        "GET", "/sparql", query_string={"query": "ASK {}", "named-graph-uri": ""}
    ),
    "bad regex": req(
        "GET", "/sparql", query_string={"query": "SELECT * { ?s ?p ?o FILTER(REGEX(?o, '(')) }"}
    ),
    "escaped surrogate": req(
        "GET", "/sparql", query_string={"query": r"SELECT ('\uD800' AS ?x) {}", "format": "csv"}
    ),
    "triple term in CSV": req(
        "GET",
        "/sparql",
        query_string={"query": "SELECT (<<( <x:a> <x:b> <x:c> )>> AS ?t) {}", "format": "csv"},
    ),
    "BOM in GET": req("GET", "/sparql", query_string={"query": "\ufeffASK {}"}),
    "BOM in body": req("POST", data=b"\xef\xbb\xbfASK {}", content_type=DIRECT),
    "NULs in body": req("POST", data=b"\x00" * 100, content_type=DIRECT),
    "undecodable escapes": req("POST", data=b"query=%FF%FE", content_type=FORM),
    "latin-1 charset": req("POST", data=b"ASK {}", content_type=DIRECT + "; charset=latin-1"),
    "multipart": req("POST", data=b"--x\r\n\r\n", content_type="multipart/form-data; boundary=x"),
    "broken media type parameter": req(
        "POST", data=b"query=ASK%7B%7D", content_type="application/x-www-form-urlencoded; q"
    ),
    "HEAD": req("HEAD", "/sparql?query=ASK%20%7B%7D"),
    "PATCH": req("PATCH"),
}


@pytest.mark.parametrize("case", GARBAGE)
def test_garbage_never_gets_a_server_error(toy, case):
    method, path, kwargs = GARBAGE[case]
    response = toy.client.open(path, method=method, **kwargs)
    assert response.status_code < 500, response.get_data(as_text=True)


def test_an_evaluation_error_frees_pyoxigraph_results_on_their_own_thread(toy):
    """pyoxigraph results may only be freed on the thread that made them; freed on the
    request thread, they raise an unraisable error, which fails this test."""

    def work():
        result = toy.data.store.query(SELECT_ALL)  # alive in this frame as the error rises
        raise ValueError(f"serialisation failed after {len(result.variables)} variables")

    with pytest.raises(ValueError, match="serialisation failed after 3 variables"):
        toy.data.run(work)
    gc.collect()


# -- SERVICE ------------------------------------------------------------------------------


@pytest.fixture
def listener():
    """A local socket a SERVICE call would reach, and a count of the connections so far.

    Connections are accepted and closed at once by a thread: pyoxigraph's HTTP client has
    no timeout, so a connection left waiting would hang the query.
    """
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    sock.settimeout(0.05)
    accepted: list[tuple] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, peer = sock.accept()
            except TimeoutError:
                continue
            accepted.append(peer)
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/sparql", lambda: len(accepted)
    stop.set()
    thread.join()
    sock.close()


XSD = "http://www.w3.org/2001/XMLSchema#"
# Data for the patterns before a SERVICE to match: pyoxigraph skips the call after an empty
# join.
SERVICE_BAIT = [
    ox.Literal("1", datatype=ox.NamedNode(XSD + "integer")),
    ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")),
    ox.Literal("1"),
    ox.Literal('1"'),
    ox.Literal("z"),
    ox.NamedNode(f"{EX}b"),
]


def calls_out(query: str, calls) -> bool:
    """Whether pyoxigraph itself, given ``query``, connects to the listener."""
    store = ox.Store()
    for predicate in (ox.NamedNode(f"{EX}p"), ox.NamedNode(f"{EX}p'")):
        for value in SERVICE_BAIT:
            store.add(ox.Quad(ox.NamedNode(f"{EX}a"), predicate, value))
    before = calls()
    try:
        result = store.query(query, base_iri=EX, use_default_graph_as_union=True)
        if not isinstance(result, ox.QueryBoolean):
            list(result)
    except (SyntaxError, OSError, RuntimeError):
        pass  # a connection, if any, has been made by then
    return calls() > before


PATTERN = "{ ?s ?p ?o }"
# pyoxigraph connects to the service IRI for each of these (the test checks it), except for
# the escaped spellings, which only a parser applying escapes everywhere would run.
FEDERATED = {
    "plain": "SELECT * { SERVICE <URL> PATTERN }",
    "lower case": "select * { service <URL> PATTERN }",
    "SILENT": "SELECT * { SERVICE SILENT <URL> PATTERN }",
    "in EXISTS": "ASK { FILTER EXISTS { SERVICE <URL> PATTERN } }",
    "in a subquery": "SELECT * { { SELECT * { SERVICE <URL> PATTERN } } }",
    "in CONSTRUCT": "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <URL> PATTERN }",
    "glued to a prefixed name": "PREFIX h: <URL> SELECT * { SERVICEh: PATTERN }",
    "glued to the empty prefix": "PREFIX : <URL> SELECT * { SERVICE:PATTERN }",
    "after a number": "SELECT * { ?s ?p 1SERVICE <URL> PATTERN }",
    "after true": "SELECT * { ?s ?p trueSERVICE <URL> PATTERN }",
    "after a variable and a dot": "SELECT * { ?s ?p ?o.SERVICE <URL> PATTERN }",
    "after a CR-ended comment, tabs": "SELECT * { #\rSERVICE\t<URL>\tPATTERN }",
    "less-than read as an IRI": "SELECT * { FILTER(1<2)SERVICE#>\n<URL>PATTERN }",
    "less-than and a long string": "SELECT * { FILTER(1<2)#>'''\nSERVICE <URL> PATTERN #'''\n}",
    "escaped quote in a local name": (
        f"PREFIX ex: <{EX}> SELECT * {{ ?s ex:p\\' ?o . SERVICE <URL> PATTERN ?s ex:p\\' ?o }}"
    ),
    "escaped quote ending a string": (
        'SELECT * { ?s ?p "1\\u0022" . SERVICE <URL> PATTERN ?s ?p "1" }'
    ),
    "SERV\\u0049CE": "SELECT * { SERV\\u0049CE <URL> PATTERN }",
    "\\u0053ERVICE": "SELECT * { \\u0053ERVICE <URL> PATTERN }",
}
ESCAPED = {"SERV\\u0049CE", "\\u0053ERVICE"}
NOT_FEDERATED = {
    "a variable ?service": "SELECT ?service WHERE { ?service ?p ?o }",
    "a variable $service": "SELECT $service WHERE { $service ?p ?o }",
    "a string": 'SELECT * WHERE { ?s ?p "SERVICE <http://example.org/> {}" }',
    "a long string": "SELECT * WHERE { ?s ?p '''a\nSERVICE b''' }",
    "a comment": "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://example.org/> {}",
    "an IRI": "SELECT * WHERE { ?s <http://example.org/service/x> ?o }",
    "an IRI in a comparison": (
        "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> "
        "SELECT * WHERE { ?s a sd:Service FILTER(?s != <http://example.org/service>) }"
    ),
    "a local name": f"PREFIX ex: <{EX}> SELECT * WHERE {{ ?s ex:service ?o ; ex:hasService ?x }}",
    "a comparison": "SELECT * WHERE { ?s ?p ?o FILTER(?o < 3) } # service",
}


@pytest.mark.parametrize("case", FEDERATED)
def test_service_is_refused_before_evaluation(toy, listener, case):
    url, calls = listener
    query = FEDERATED[case].replace("URL", url).replace("PATTERN", PATTERN)
    if case not in ESCAPED:
        assert calls_out(query, calls), "pyoxigraph runs this SERVICE; the case tests nothing"
    before = calls()
    for response in (
        toy.client.get("/sparql", query_string={"query": query}),
        toy.client.post("/sparql", data={"query": query}),
        toy.client.post("/sparql", data=query.encode(), content_type=DIRECT),
    ):
        assert response.status_code == 400
        assert "federated queries (SERVICE) are not allowed" in response.get_data(as_text=True)
    assert calls() == before


@pytest.mark.parametrize("case", NOT_FEDERATED)
def test_service_spelled_elsewhere_is_not_refused(toy, case):
    response = toy.client.get("/sparql", query_string={"query": NOT_FEDERATED[case]})
    assert response.status_code == 200, response.get_data(as_text=True)


FRAGMENTS = [
    *["", " ", "\n", "(", ")", "<", ">", "'", '"', "'''", "#", "1", "1.", "true", "?o", "?o."],
    *["ex:p", "ex:.", "ex:a.", "\\'", "\\#", "\\u0022", "\\u0027", "_:b", "@en", "<x:y>", "'x'"],
    *["FILTER(1<2)", "FILTER(1<'>')", "FILTER(?o<?p)", "[]", "{}", "VALUES ?v {1}"],
]
KEYWORDS = ["SERVICE", "service", "SeRvIcE", "SERV\\u0049CE"]
TARGETS = ["<URL>", "h:", ":", " SILENT <URL>"]
ENDINGS = ["", ">", "'", '"', "#", ")", "\n", " ?s ?p 'z' "]


def test_no_composed_query_calls_out_past_the_check(listener):
    """Random compositions around the keyword: whatever the check lets through, pyoxigraph
    must not connect with; and enough of them do connect for that to mean something."""
    url, calls = listener
    rng = random.Random(20240611)
    prologue = f"PREFIX ex: <{EX}> PREFIX h: <{url}> PREFIX : <{url}> SELECT * {{ ?s ?p ?o "
    refused_calls, passed = 0, 0
    for _ in range(3000):
        before = "".join(
            rng.choice(FRAGMENTS) + rng.choice(["", " "]) for _ in range(rng.randint(0, 2))
        )
        service = rng.choice(KEYWORDS) + rng.choice(["", " "]) + rng.choice(TARGETS)
        query = f"{prologue}{before}{service}{PATTERN}{rng.choice(ENDINGS)} }}"
        query = query.replace("URL", url)
        try:
            check_query(query)
        except ProtocolError:
            refused_calls += calls_out(query, calls)
            continue
        passed += 1
        assert not calls_out(query, calls), query
    assert refused_calls >= 200 and passed >= 400


# -- the row cap --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def capped(toy_file) -> App:
    return toy_app(toy_file, max_rows=3)


@pytest.mark.parametrize("fmt", RESULT_FORMATS + GRAPH_FORMATS, ids=lambda f: f.names[0])
def test_results_over_the_cap_are_cut_to_exactly_the_cap(capped, fmt):
    query = CONSTRUCT_ALL if fmt in GRAPH_FORMATS else SELECT_ALL
    full = capped.direct(query)
    response = capped.client.get("/sparql", query_string={"query": query, "format": fmt.names[0]})
    assert response.status_code == 200
    assert row_count(response) == 3
    assert response.headers["X-Result-Rows"] == "3"
    assert "X-Result-Truncated" in response.headers
    got = parse_answer(response)
    if isinstance(got, set):
        assert got < full
    elif fmt.media_type == "text/csv":
        assert got[0] == full[0]
    else:
        assert got[0] == full[0] and set(got[1]) < set(full[1])


@pytest.mark.parametrize("fmt", RESULT_FORMATS + GRAPH_FORMATS, ids=lambda f: f.names[0])
@pytest.mark.parametrize("limit", [2, 3])
def test_results_up_to_the_cap_are_complete(capped, fmt, limit):
    query = (CONSTRUCT_ALL if fmt in GRAPH_FORMATS else SELECT_ALL) + f" LIMIT {limit}"
    response = capped.client.get("/sparql", query_string={"query": query, "format": fmt.names[0]})
    assert response.status_code == 200
    assert row_count(response) == limit
    assert response.headers["X-Result-Rows"] == str(limit)
    assert "X-Result-Truncated" not in response.headers


# -- service description and CORS ---------------------------------------------------------


def service_triples(response) -> set[tuple[str, str, str]]:
    parsed = ox.parse(response.get_data(), format=GRAPH_TYPES[response.mimetype])
    return {(t.subject.value, t.predicate.value, t.object.value) for t in normalise(parsed)}


@pytest.mark.parametrize("path", ["/sparql", "/sparql/"])
def test_service_description_is_turtle_by_default(kg, path):
    response = kg.client.get(path)
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    triples = service_triples(response)
    services = {s for s, p, o in triples if p == RDF_TYPE and o == SD + "Service"}
    assert len(services) == 1
    (service,) = services
    assert (service, SD + "endpoint", "http://localhost/sparql") in triples
    assert (service, SD + "supportedLanguage", SD + "SPARQL11Query") in triples
    assert (service, SD + "feature", SD + "UnionDefaultGraph") in triples
    named = {o for s, p, o in triples if p == SD + "name"}
    assert named == {g for g in kg.data.graph_sizes if g}
    formats = {o for s, p, o in triples if p == SD + "resultFormat"}
    assert len(formats) == len(RESULT_FORMATS) + len(GRAPH_FORMATS)


@pytest.mark.parametrize("fmt", GRAPH_FORMATS, ids=lambda f: f.names[0])
def test_service_description_in_every_rdf_format(toy, fmt):
    for response in (
        toy.client.get("/sparql", headers={"Accept": fmt.media_type}),
        toy.client.get("/sparql", query_string={"format": fmt.names[0]}),
    ):
        assert response.status_code == 200 and response.mimetype == fmt.media_type
        endpoints = {o for s, p, o in service_triples(response) if p == SD + "endpoint"}
        assert endpoints == {"http://localhost/sparql"}


def test_cors_on_answers_and_preflight(toy):
    origin = {"Origin": "https://yasgui.example"}
    answer = toy.client.get("/sparql", query_string={"query": "ASK {}"}, headers=origin)
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-Result-Truncated" in answer.headers["Access-Control-Expose-Headers"]
    preflight = toy.client.options(
        "/sparql/",
        headers={
            **origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "content-type" in preflight.headers["Access-Control-Allow-Headers"].lower()


def test_cors_follows_the_configured_origins(toy_file):
    def origin_header(cors_origins: str, origin: str) -> str | None:
        client = toy_app(toy_file, cors_origins=cors_origins).client
        response = client.get(
            "/sparql", query_string={"query": "ASK {}"}, headers={"Origin": origin}
        )
        return response.headers.get("Access-Control-Allow-Origin")

    assert origin_header("https://a.example", "https://a.example") == "https://a.example"
    assert origin_header("https://a.example", "https://b.example") is None
    assert origin_header("", "https://a.example") is None
