"""Hostile input: random and mutated requests (hypothesis), path traversal, markup in labels,
oversized bodies and absurd headers.

Whatever arrives, the server answers with a status below 500 (504 only for a query that
hits the time limit, as documented), within the time limit, and without connecting
anywhere: in process an audit hook records every ``socket.connect`` Python makes, a
listening socket on loopback counts the connections a SERVICE call would make from inside
pyoxigraph, and the live server runs with the same audit hook writing to a file.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import json
import socket
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance_kg.config import Settings
from alliance_kg.web import create_app
from alliance_kg.web.dataset import DataFile, load_build, load_files
from alliance_kg.web.live import LiveServer, query_string

BASE = "https://w3id.org/alliance-kg/id/"
EX = "http://example.org/"
GRAPH = EX + "graph"  # entity pages show what named graphs say
SCRIPT = "<script>alert('label')</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
BOLD = "<b>bold property</b>"
HOSTILE = f"""
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{BASE}person/evil> a <{EX}Person> ;
    skos:prefLabel {json.dumps(SCRIPT)}@en ;
    <{EX}note> {json.dumps(IMAGE)} ;
    <{EX}homepage> <javascript:alert(3)> ;
    <{EX}knows> <{BASE}person/other> .
<{BASE}person/other> skos:prefLabel {json.dumps(IMAGE)}@en ;
    <{EX}knows> <{BASE}person/evil> .
<{EX}note> rdfs:label {json.dumps(BOLD)} .
<{EX}Person> rdfs:label "</title><script>alert(4)</script>" .
"""
MARKUP = ("<script>alert", "<img src", "<b>bold", "</title><script>")
TIME_LIMIT = 5.0


# -- what the server must never do: connect out ----------------------------------------


CONNECTS: list[tuple] = []
WATCHING = threading.Event()


def _audit(event: str, args: tuple) -> None:
    if WATCHING.is_set() and event in ("socket.connect", "socket.getaddrinfo"):
        CONNECTS.append((event, args[1] if event == "socket.connect" else args[0]))


sys.addaudithook(_audit)  # hooks cannot be removed; this one records only while watching


def outbound(records) -> list:
    """The records that reach beyond loopback."""
    found = []
    for event, target in records:
        host = target[0] if isinstance(target, tuple) else target
        try:
            if not ipaddress.ip_address(str(host).split("%")[0]).is_loopback:
                found.append((event, target))
        except ValueError:
            if host not in ("localhost",):
                found.append((event, target))
    return found


@pytest.fixture(scope="module")
def listener():
    """A loopback socket that a SERVICE call would reach; counts the connections."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    sock.settimeout(0.05)
    accepted: list = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                conn, peer = sock.accept()
                accepted.append(peer)
                conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/sparql", accepted
    stop.set()
    thread.join()
    sock.close()


# -- the data -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "hostile.ttl"
    path.write_text(HOSTILE, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hostile(hostile_file):
    config = Settings(
        build_dir=hostile_file.parent / "unused", query_timeout=TIME_LIMIT, max_body=10_000
    )
    data = load_files(config, [DataFile(hostile_file, GRAPH)])
    return create_app(config, data).test_client()


# -- requests, random and mutated --------------------------------------------------------


SEEDS = [
    "SELECT * WHERE { ?s ?p ?o } LIMIT 10",
    "ASK { ?s a ?t }",
    "CONSTRUCT WHERE { ?s ?p ?o }",
    f"DESCRIBE <{BASE}person/evil>",
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "SELECT ?l (COUNT(*) AS ?n) { ?s skos:prefLabel ?l FILTER(REGEX(?l, '^<')) } GROUP BY ?l",
    "SELECT ?x { VALUES ?x { 1 'a' <x:y> } } ORDER BY DESC(?x) OFFSET 1",
    "SELECT * FROM <http://example.org/g> FROM NAMED <x:g> { GRAPH ?g { ?s ?p ?o } }",
    "SELECT * { SERVICE <LISTENER> { ?s ?p ?o } }",
    "INSERT DATA { <x:a> <x:b> <x:c> }",
    "LOAD <LISTENER>",
    "SELECT * { ?s <http://example.org/knows>+ ?o . BIND(IRI(CONCAT('file:///', ?o)) AS ?f) }",
]
FRAGMENTS = [
    "{",
    "}",
    "(",
    ")",
    "<",
    ">",
    '"',
    "'",
    "'''",
    "#",
    "\\",
    "\\u0053",
    "\x00",
    "\ufeff",
    "é",
    "?s",
    "$o",
    "_:b",
    ":",
    "a",
    ".",
    ";",
    ",",
    "*",
    "SELECT",
    "WHERE",
    "SERVICE",
    "FILTER",
    "OPTIONAL",
    "UNION",
    "MINUS",
    "GRAPH",
    "BIND",
    "LIMIT 0",
    "LIMIT 99999999999999999999",
    "<<( <x:a> <x:b> <x:c> )>>",
    "@en",
    "^^<x:t>",
    "1e999",
    "NOW()",
    "RAND()",
    "\n",
    "\t",
]
ACCEPTS = [
    "*/*",
    "application/sparql-results+json",
    "text/csv;q=0.1, text/html",
    "image/png",
    "application/json;q=0.5, application/ld+json",
    "text/turtle;q=abc",
    ";;;",
    "a/b;" * 200,
    "text/*",
    "application/*;q=0",
    "",
]
CONTENT_TYPES = [
    "application/sparql-query",
    "application/x-www-form-urlencoded",
    "application/sparql-query; charset=latin-1",
    "application/sparql-update",
    "multipart/form-data; boundary=x",
    "text/plain",
    "application/json",
    "",
]
PATHS = [
    "/sparql",
    "/sparql/",
    "/",
    "/id/person/evil",
    "/id/person/other",
    "/id/person/nobody",
    "/.well-known/void",
    "/dumps/",
    "/dumps/kg.nq",
    "/favicon.ico",
    "/static/app.js",
]
PARAMS = ["query", "format", "default-graph-uri", "named-graph-uri", "update", "callback"]


@st.composite
def mutated_query(draw) -> str:
    """A seed query changed a few times: fragments inserted, slices cut or doubled."""
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(0, 4))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 12)))
        op = draw(st.sampled_from(["insert", "cut", "double", "replace"]))
        if op == "insert":
            text = text[:i] + draw(st.sampled_from(FRAGMENTS)) + text[i:]
        elif op == "cut":
            text = text[:i] + text[j:]
        elif op == "double":
            text = text[:j] + text[i:j] + text[j:]
        else:
            text = text[:i] + draw(st.text(max_size=4)) + text[j:]
    return text


queries = st.one_of(mutated_query(), st.text(max_size=200))
values = st.one_of(queries, st.sampled_from(["json", "csv", "xml", "turtle", "html", "x:g"]))


@st.composite
def requests(draw, listener_url: str) -> dict:
    method = draw(st.sampled_from(["GET", "GET", "POST", "POST", "HEAD", "OPTIONS", "PUT"]))
    path = draw(
        st.one_of(
            st.sampled_from(PATHS),
            st.text(max_size=30).map(
                lambda t: "/id/" + urllib.parse.quote(t.encode("utf-8", "surrogatepass"), "/%")
            ),
        )
    )
    params = draw(
        st.lists(
            st.tuples(st.one_of(st.sampled_from(PARAMS), st.text(max_size=8)), values), max_size=4
        )
    )
    headers = {}
    if draw(st.booleans()):
        headers["Accept"] = draw(st.one_of(st.sampled_from(ACCEPTS), st.text(max_size=40)))
    body = b""
    if method in ("POST", "PUT"):
        headers["Content-Type"] = draw(
            st.one_of(st.sampled_from(CONTENT_TYPES), st.text(max_size=30))
        )
        body = draw(
            st.one_of(
                queries.map(lambda q: q.encode("utf-8", "surrogatepass")),
                st.binary(max_size=300),
                st.just(urllib.parse.urlencode(params).encode("utf-8", "surrogatepass")),
            )
        )
    query = urllib.parse.urlencode(
        [
            (k.encode("utf-8", "surrogatepass"), v.encode("utf-8", "surrogatepass"))
            for k, v in params
        ]
    )
    target = path + ("?" + query if query else "")
    return {
        "method": method,
        "path": target.replace("LISTENER", listener_url),
        "headers": {k: _header(v) for k, v in headers.items()},
        "body": body.replace(b"LISTENER", listener_url.encode()),
    }


def _header(value: str) -> str:
    """A header value a client can send (no line breaks, Latin-1)."""
    return (
        "".join(c for c in value if c not in "\r\n\x00")
        .encode("latin-1", "replace")
        .decode("latin-1")
    )


def check_answer(status: int, seconds: float, request: dict) -> None:
    assert status < 500 or status == 504, request
    assert seconds < TIME_LIMIT + 5, request


FUZZ = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)


def test_random_requests_never_break_the_app(hostile, listener):
    url, accepted = listener

    @FUZZ
    @given(requests(url))
    def fuzz(request):
        started = time.monotonic()
        response = hostile.open(
            request["path"],
            method=request["method"],
            headers=request["headers"],
            data=request["body"],
        )
        response.get_data()
        response.close()  # a file answer (static, dumps) holds the file open until then
        check_answer(response.status_code, time.monotonic() - started, request)

    CONNECTS.clear()
    WATCHING.set()
    try:
        fuzz()
    finally:
        WATCHING.clear()
    assert outbound(CONNECTS) == []
    assert accepted == []


SITECUSTOMIZE = """
import os, sys

_log = os.environ.get("AKG_AUDIT_LOG")


def _hook(event, args):
    if _log and event in ("socket.connect", "socket.getaddrinfo"):
        target = args[1] if event == "socket.connect" else args[0]
        with open(_log, "a") as out:
            out.write(repr((event, target)) + "\\n")


sys.addaudithook(_hook)
"""


@pytest.fixture(scope="module")
def audited(hostile_file, tmp_path_factory):
    """A live server on the hostile data, recording its Python-level connections."""
    folder = tmp_path_factory.mktemp("audit")
    (folder / "sitecustomize.py").write_text(SITECUSTOMIZE)
    log = folder / "connects.log"
    env = {
        "PYTHONPATH": str(folder),
        "AKG_AUDIT_LOG": str(log),
        "ALLIANCE_KG_MAX_BODY": "10000",
    }
    args = ("--data", f"{hostile_file}={GRAPH}", "--workers", "2", "--timeout", str(TIME_LIMIT))
    with LiveServer(*args, env=env) as server:
        yield server, log


def test_random_requests_never_break_the_live_server(audited, listener):
    server, log = audited
    url, accepted = listener

    @settings(FUZZ, max_examples=120)
    @given(requests(url))
    def fuzz(request):
        started = time.monotonic()
        try:
            status, _, _ = server.request(
                request["method"],
                request["path"],
                body=request["body"] or None,
                headers=request["headers"],
                timeout=TIME_LIMIT + 5,
            )
        except http.client.BadStatusLine:
            return  # gunicorn closed a request it could not parse: no answer, no crash
        check_answer(status, time.monotonic() - started, request)

    fuzz()
    status, _, body = server.request("GET", "/sparql?" + query_string("ASK { ?s ?p ?o }"))
    assert status == 200 and b"true" in body
    records = [eval(line) for line in log.read_text().splitlines()] if log.exists() else []
    assert outbound(records) == []
    assert accepted == []


@settings(max_examples=60, deadline=None, database=None)
@given(st.binary(min_size=1, max_size=400))
def test_raw_bytes_on_the_socket_never_get_a_server_error(raw_server, garbage):
    with socket.create_connection(("127.0.0.1", raw_server.port), timeout=5) as sock:
        with contextlib.suppress(OSError):
            sock.sendall(garbage + b"\r\n\r\n")
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        with contextlib.suppress(OSError):
            while chunk := sock.recv(65536):
                answer += chunk
    assert not answer.startswith(b"HTTP/1.1 5"), answer[:200]


@pytest.fixture(scope="module")
def raw_server(audited):
    return audited[0]


# -- path traversal -----------------------------------------------------------------------


TRAVERSALS = [
    "/id/../../../../etc/passwd",
    "/id/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/id/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/id/person/..%2F..%2F..%2F..%2Fpyproject.toml",
    "/id/person/%2e%2e%2f%2e%2e%2fbuild.json",
    "/dumps/../../../../etc/passwd",
    "/dumps/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/dumps/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/dumps/....//....//etc/passwd",
    "/dumps/kg.nq/../../../etc/passwd",
    "/dumps/kg.nq%00.txt",
    "/dumps/store/CURRENT",
    "/dumps/store%2fCURRENT",
    "/dumps/.build.lock",
    "/dumps/%2fetc%2fpasswd",
    "/exports/../../../../etc/passwd",
    "/exports/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/exports/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/exports/%2fetc%2fpasswd",
    "/exports/..%5c..%5c..%5cetc%5cpasswd",
    "/static/../../../pyproject.toml",
    "/static/..%2f..%2f..%2f..%2fpyproject.toml",
]
SECRETS = (b"root:x:0:0", b"[build-system]", b"MANIFEST-")


@pytest.fixture(scope="module")
def build_app(default_build):
    config = Settings(build_dir=default_build)
    return create_app(config, load_build(config)).test_client()


@pytest.fixture(scope="module")
def build_server(default_build):
    with LiveServer("--build-dir", str(default_build), "--workers", "1") as server:
        yield server


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_fails_in_the_app(build_app, path):
    response = build_app.get(path)
    body = response.get_data()
    assert 400 <= response.status_code < 500, (response.status_code, body[:200])
    assert not any(secret in body for secret in SECRETS)


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_fails_over_http(build_server, path):
    status, _, body = build_server.request("GET", path)
    assert 400 <= status < 500, (status, body[:200])
    assert not any(secret in body for secret in SECRETS)


# -- markup in the data -------------------------------------------------------------------


@pytest.mark.parametrize("entity", ["person/evil", "person/other"])
def test_markup_in_labels_is_escaped_in_entity_pages(hostile, entity):
    response = hostile.get(f"/id/{entity}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert not any(markup in page for markup in MARKUP)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'href="javascript:' not in page.lower()
    if entity == "person/evil":  # a javascript: IRI is shown as text, never as a link
        assert '<span class="iri" title="javascript:alert(3)">javascript:alert(3)</span>' in page


def test_markup_in_labels_is_escaped_in_the_title_and_heading(hostile):
    page = hostile.get("/id/person/evil", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "<title>&lt;script&gt;alert(&#39;label&#39;)&lt;/script&gt;" in page
    assert "<h1>&lt;script&gt;" in page


def test_a_query_in_the_page_link_is_escaped(hostile):
    page = hostile.get(
        "/", query_string={"query": "</textarea><script>alert(5)</script>"}
    ).get_data(as_text=True)
    assert "<script>alert(5)" not in page
    assert "&lt;/textarea&gt;&lt;script&gt;alert(5)" in page


# -- sizes and headers --------------------------------------------------------------------


def test_oversized_bodies_get_413(hostile):
    big = "x" * 20_000
    for kwargs in (
        {"data": ("ASK {} #" + big).encode(), "content_type": "application/sparql-query"},
        {"data": {"query": "ASK {} #" + big}},
    ):
        response = hostile.post("/sparql", **kwargs)
        assert response.status_code == 413
        assert "request body too large (limit 10000 bytes)" in response.get_data(as_text=True)


def test_an_oversized_chunked_body_gets_413_over_http(audited):
    server, _ = audited
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.putrequest("POST", "/sparql")
        conn.putheader("Content-Type", "application/sparql-query")
        conn.putheader("Transfer-Encoding", "chunked")
        conn.endheaders()
        chunk = b"#" * 4096
        for _ in range(8):  # 32 KiB, past the 10,000-byte limit, without a length up front
            conn.send(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        conn.send(b"0\r\n\r\n")
        response = conn.getresponse()
        assert response.status == 413, response.read()
    finally:
        conn.close()


ABSURD = "image/png, application/x-absurd;q=0.9, video/*;q=0.1"


@pytest.mark.parametrize(
    "path",
    [
        "/sparql?" + query_string("SELECT * { ?s ?p ?o }"),
        "/sparql?" + query_string("CONSTRUCT WHERE { ?s ?p ?o }"),
        "/sparql",
        "/id/person/evil",
        "/.well-known/void",
    ],
)
def test_absurd_accept_headers_get_406(hostile, path):
    response = hostile.get(path, headers={"Accept": ABSURD})
    assert response.status_code == 406
    assert "none of the accepted media types" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "headers",
    [
        {"Accept": "text/html;" + "q=1;" * 5000},  # one header past gunicorn's 8 KiB field limit
        {f"X-Padding-{i}": "x" for i in range(200)},  # more fields than gunicorn takes
    ],
    ids=["huge Accept", "200 headers"],
)
def test_absurd_headers_get_431_over_http(audited, headers):
    server, _ = audited
    status, _, body = server.request("GET", "/sparql?" + query_string("ASK {}"), headers=headers)
    assert status == 431, body
    status, _, _ = server.request("GET", "/sparql?" + query_string("ASK {}"))
    assert status == 200
