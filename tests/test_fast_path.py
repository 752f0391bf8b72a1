"""The query fast path (``GET /sparql?query=``, outside Flask) answers exactly as the Flask
view does: same status, headers and body, for answers and for refusals alike."""

from __future__ import annotations

import io
import sys
import urllib.parse
from urllib.parse import parse_qsl

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliance_kg.config import Settings
from alliance_kg.web import create_app
from alliance_kg.web.dataset import DataFile, load_files
from alliance_kg.web.sparql import QueryFastPath, query_pairs

EX = "http://example.org/"
DATA = f"""<{EX}a> <{EX}p> "x" , 1 , <{EX}b> .
<{EX}b> <{EX}p> "y"@en ."""
CASES = [
    ({"query": "SELECT * { ?s ?p ?o }"}, None),
    ({"query": "SELECT * { ?s ?p ?o }", "format": "csv"}, None),
    ({"query": "SELECT * { ?s ?p ?o }"}, "text/tab-separated-values"),
    ({"query": "ASK { ?s ?p 1 }"}, "application/sparql-results+xml"),
    ({"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, None),
    ({"query": "DESCRIBE <http://example.org/a>"}, "application/ld+json"),
    ({"query": "SELECT * { ?s ?p ?o }"}, "image/png"),  # 406
    ({"query": "SELECT * { ?s ?p ?o }", "format": "pdf"}, None),  # 400
    ({"query": "SELECT * {"}, None),  # syntax
    ({"query": f"SELECT * {{ SERVICE <{EX}> {{ ?s ?p ?o }} }}"}, None),  # refused
    ({"query": "INSERT DATA { <x:a> <x:b> <x:c> }"}, None),  # 403
    ({"query": ""}, None),
    ({"query": "SELECT ?x { BIND(<x:y> AS ?x) }", "format": "json"}, "text/csv"),
]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    path = tmp_path_factory.mktemp("fast") / "data.ttl"
    path.write_text(DATA)
    config = Settings(build_dir=path.parent / "unused")
    return create_app(config, load_files(config, [DataFile(path)]))


def call(wsgi, params: dict, accept: str | None) -> tuple[str, dict, bytes]:
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/sparql",
        "QUERY_STRING": urllib.parse.urlencode(params),
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "HTTP_ORIGIN": "https://example.org",
        **({"HTTP_ACCEPT": accept} if accept is not None else {}),
    }
    seen: dict = {}

    def start_response(status, headers, exc_info=None):
        seen["status"] = status
        seen["headers"] = dict(headers)

    body = b"".join(wsgi(environ, start_response))
    return seen["status"], seen["headers"], body


@pytest.mark.parametrize(("params", "accept"), CASES)
def test_the_fast_path_answers_as_the_view_does(app, params, accept):
    fast = app.wsgi_app
    assert isinstance(fast, QueryFastPath)
    status, headers, body = call(fast, params, accept)
    view_status, view_headers, view_body = call(fast.app, params, accept)
    assert (status, body) == (view_status, view_body)
    assert headers == view_headers


def test_other_requests_go_to_the_app(app):
    fast = app.wsgi_app
    for params in ({}, {"query": "ASK {}", "default-graph-uri": EX}, {"query": ["a", "b"]}):
        qs = urllib.parse.urlencode(params, doseq=True)
        assert fast._params(qs) is None
    assert fast._params("query=ASK%7B%7D&format=csv") == {"query": "ASK{}", "format": "csv"}


def _standard(qs: str):
    try:
        return parse_qsl(
            qs.encode("latin-1").decode(), keep_blank_values=True, errors="werkzeug.url_quote"
        )
    except (UnicodeError, ValueError) as err:
        return type(err)


def _fast(qs: str):
    try:
        return query_pairs(qs)
    except (UnicodeError, ValueError) as err:
        return type(err)


QUERY_BYTES = st.lists(
    st.one_of(
        st.sampled_from([b"%", b"%2", b"%7B", b"%7b", b"%C3%A9", b"%E2%80", b"%ZZ", b"+", b"&"]),
        st.sampled_from([b"=", b"\\", b"\\x41", b"query", b"format", b"\xc3\xa9", b"\xff"]),
        st.binary(max_size=4),
    ),
    max_size=30,
).map(b"".join)


@settings(max_examples=500, deadline=None)
@given(QUERY_BYTES)
def test_query_strings_are_read_as_the_standard_parser_reads_them(raw):
    qs = raw.decode("latin-1")  # how WSGI hands over the query string
    assert _fast(qs) == _standard(qs)


def test_a_real_query_string_is_read_exactly():
    query = 'PREFIX ex: <http://ex.org/> SELECT ?s WHERE { ?s ex:p "café 100%" } # \\x41'
    qs = urllib.parse.urlencode({"query": query, "format": "json"})
    assert query_pairs(qs) == [("query", query), ("format", "json")]
