"""The endpoint over real HTTP: ``alliance-kg serve`` in a subprocess, driven by SPARQLWrapper,
rdflib's SPARQLStore, the W3C SPARQL 1.1 Protocol tests, a runaway query and hostile requests.

Each server starts once per module on a free port and is stopped at teardown whatever
happened (alliance_kg.web.live).
"""

from __future__ import annotations

import os
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import RDF
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import GET, JSON, POST, POSTDIRECTLY, TURTLE, XML, SPARQLWrapper

from alliance_kg.config import Settings
from alliance_kg.web.dataset import load_build
from alliance_kg.web.live import LiveServer, query_string

SHARED = Path(__file__).resolve().parents[2] / "shared"
PROTOCOL_SUITE = SHARED / "conformance" / "sparql11-protocol"
MANIFEST = PROTOCOL_SUITE / "manifest.ttl"
KASEI = "http://kasei.us/2009/09/sparql/data/data{}.rdf"
READ_ONLY = "this endpoint is read-only: SPARQL Update is not accepted"
GRAPH_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
TICKS = os.sysconf("SC_CLK_TCK")


@pytest.fixture(scope="module")
def kg_data(default_build):
    """The build in process: what the server's answers are compared with."""
    return load_build(Settings(build_dir=default_build))


@pytest.fixture(scope="module")
def kg_server(default_build):
    with LiveServer("--build-dir", str(default_build), "--workers", "2") as server:
        yield server


# -- real clients -------------------------------------------------------------------------


def wrapper(server: LiveServer, query: str, fmt: str, method: str) -> SPARQLWrapper:
    client = SPARQLWrapper(server.endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    if method == POSTDIRECTLY:
        client.setMethod(POST)
        client.setRequestMethod(POSTDIRECTLY)
    else:
        client.setMethod(method)
    return client


METHODS = [GET, POST, POSTDIRECTLY]


@pytest.mark.parametrize("method", METHODS)
def test_sparqlwrapper_select_json(kg_server, kg_data, method):
    result = wrapper(kg_server, GRAPH_COUNTS, JSON, method).queryAndConvert()
    counts = {b["g"]["value"]: int(b["n"]["value"]) for b in result["results"]["bindings"]}
    assert counts == {g: n for g, n in kg_data.graph_sizes.items() if g}


@pytest.mark.parametrize("method", METHODS)
def test_sparqlwrapper_select_xml(kg_server, kg_data, method):
    document = wrapper(kg_server, GRAPH_COUNTS, XML, method).queryAndConvert()
    counts = {}
    for result in document.getElementsByTagName("result"):
        values = {
            binding.getAttribute("name"): binding.firstChild.firstChild.data
            for binding in result.getElementsByTagName("binding")
        }
        counts[values["g"]] = int(values["n"])
    assert counts == {g: n for g, n in kg_data.graph_sizes.items() if g}


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    ("query", "expected"), [("ASK { ?s a ?t }", True), ("ASK { ?s a 1 }", False)]
)
def test_sparqlwrapper_ask(kg_server, method, query, expected):
    assert wrapper(kg_server, query, JSON, method).queryAndConvert()["boolean"] is expected


@pytest.mark.parametrize("method", METHODS)
def test_sparqlwrapper_construct_turtle_into_rdflib(kg_server, kg_data, method):
    build_graph = next(g for g in kg_data.graph_sizes if g.endswith("/graph/build"))
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{build_graph}> {{ ?s ?p ?o }} }}"
    body = wrapper(kg_server, query, TURTLE, method).queryAndConvert()
    got = Graph().parse(data=body, format="turtle")
    expected = Graph().parse(
        data=ox.serialize(kg_data.store.query(query), format=ox.RdfFormat.N_TRIPLES),
        format="nt",
    )
    assert len(got) == kg_data.graph_sizes[build_graph]
    assert isomorphic(got, expected)


def test_rdflib_sparqlstore_select(kg_server, kg_data):
    store = SPARQLStore(kg_server.endpoint, returnFormat="xml")
    # The whole dataset: no default-graph-uri is sent, so the union default graph applies.
    dataset = Dataset(store=store, default_union=True)
    counts = {str(row.g): int(row.n) for row in dataset.query(GRAPH_COUNTS)}
    assert counts == {g: n for g, n in kg_data.graph_sizes.items() if g}
    # One named graph: rdflib sends it as default-graph-uri, and uses GRAPH for triples().
    ontology = next(g for g in kg_data.graph_sizes if g.endswith("/graph/ontology"))
    graph = Graph(store=store, identifier=URIRef(ontology))
    assert len(graph.query("SELECT * WHERE { ?s ?p ?o }")) == kg_data.graph_sizes[ontology]
    assert sum(1 for _ in graph.triples((None, None, None))) == kg_data.graph_sizes[ontology]


# -- the W3C SPARQL 1.1 Protocol tests ----------------------------------------------------

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
FORMAT_TYPES = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    },
    "RDF": {"text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"},
}


@dataclass
class Request:
    """One ht:Request of a protocol test and what its answer must be."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[int]  # expected status classes: 2, 3, 4
    format: str | None = None
    boolean: bool | None = None

    @property
    def is_update(self) -> bool:
        """An update operation, which this read-only endpoint refuses."""
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        form = {}
        if self.headers.get("content-type") == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs((self.body or b"").decode("utf-8"))
        direct = self.headers.get("content-type", "").startswith("application/sparql-update")
        return direct or "update" in query or "update" in form


@dataclass
class ProtocolTest:
    name: str
    title: str
    requests: list[Request] = field(default_factory=list)


def read_manifest(path: Path) -> list[ProtocolTest]:
    """The manifest's tests in order, each with its requests and expectations."""
    graph = Graph().parse(path, format="turtle")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    tests = []
    for test in Collection(graph, graph.value(manifest, MF.entries)):
        action = graph.value(test, MF.action)
        case = ProtocolTest(str(test).rpartition("#")[2], str(graph.value(test, MF.name)))
        for request in Collection(graph, graph.value(action, HT.requests)):
            headers = {}
            if (header_list := graph.value(request, HT.headers)) is not None:
                for header in Collection(graph, header_list):
                    name = str(graph.value(header, HT.fieldName)).lower()
                    headers[name] = str(graph.value(header, HT.fieldValue))
            body = None
            if (content := graph.value(request, HT.body)) is not None:
                encoding = str(graph.value(content, CNT.characterEncoding))
                body = str(graph.value(content, CNT.chars)).encode(encoding)
            response = graph.value(request, HT.resp)
            statuses = {
                int(str(code).removeprefix(str(HTS.StatusCode))[0])
                for code in graph.objects(response, MF.expectedStatus)
            }
            fmt = graph.value(response, MF.expectedFormat)
            boolean = graph.value(response, MF.expectedBoolean)
            case.requests.append(
                Request(
                    method=str(graph.value(request, HT.methodName)),
                    path=str(graph.value(request, HT.absolutePath)),
                    headers=headers,
                    body=body,
                    statuses=statuses,
                    format=None if fmt is None else str(fmt),
                    boolean=None if boolean is None else boolean.toPython(),
                )
            )
        tests.append(case)
    return tests


W3C_TESTS = read_manifest(MANIFEST) if MANIFEST.is_file() else []
ABSENT = pytest.mark.skip(reason=f"{MANIFEST} is absent: ../shared is not beside this clone")


@pytest.fixture(scope="module")
def w3c_server():
    """A fresh server over the suite's data, data1.nt to data3.nt as their named graphs."""
    if not W3C_TESTS:
        pytest.skip(f"{MANIFEST} is absent: ../shared is not beside this clone")
    data = [f"{PROTOCOL_SUITE / f'data{n}.nt'}={KASEI.format(n)}" for n in (1, 2, 3)]
    with LiveServer(*[arg for spec in data for arg in ("--data", spec)], "--workers", "1") as s:
        yield s


def parse_body(media_type: str, body: bytes):
    """A boolean, a list of rows or a list of triples, by media type."""
    if media_type == "text/csv":
        return body.decode("utf-8").splitlines()
    results = {
        "application/sparql-results+json": ox.QueryResultsFormat.JSON,
        "application/sparql-results+xml": ox.QueryResultsFormat.XML,
        "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    }
    if media_type in results:
        parsed = ox.parse_query_results(body, format=results[media_type])
        return bool(parsed) if isinstance(parsed, ox.QueryBoolean) else list(parsed)
    return list(ox.parse(body, format=ox.RdfFormat.from_media_type(media_type)))


@pytest.mark.shared
def test_w3c_manifest_has_34_tests():
    if not W3C_TESTS:
        pytest.skip(f"{MANIFEST} is absent: ../shared is not beside this clone")
    assert len(W3C_TESTS) == 34
    assert sum(t.name.startswith("bad_") for t in W3C_TESTS) == 14


@pytest.mark.shared
@pytest.mark.parametrize(
    "case",
    [pytest.param(t, id=t.name) for t in W3C_TESTS] or [pytest.param(None, marks=ABSENT)],
)
def test_w3c_protocol(w3c_server, case):
    """Replay every request exactly; queries must conform, updates be refused cleanly."""
    refused_update = False
    for request in case.requests:
        status, headers, body = w3c_server.request(
            request.method, request.path, body=request.body, headers=request.headers
        )
        text = body.decode("utf-8", "replace")
        assert status < 500, f"{request.method} {request.path}: {status} {text}"
        if request.is_update:
            assert status // 100 == 4, text
            if 2 in request.statuses or status == 403:
                assert status == 403 and text.startswith(READ_ONLY), text
            refused_update = True
            continue
        assert status // 100 in request.statuses, text
        if request.format is None:
            continue
        media_type = headers["content-type"].split(";")[0].strip()
        assert media_type in FORMAT_TYPES[request.format]
        answer = parse_body(media_type, body)
        if request.format == "boolean":
            assert isinstance(answer, bool)
        if request.boolean is not None:
            # After a refused update the store is unchanged, so the check that the update
            # took effect must fail.
            assert answer is (request.boolean if not refused_update else not request.boolean)


@pytest.mark.shared
def test_w3c_updates_left_the_data_alone(w3c_server):
    status, _, body = w3c_server.request(
        "GET", "/sparql?" + query_string(GRAPH_COUNTS, format="tsv")
    )
    assert status == 200
    rows = {
        (str(row["g"].value), int(row["n"].value))
        for row in parse_body("text/tab-separated-values", body)
    }
    assert rows == {(KASEI.format(n), 1) for n in (1, 2, 3)}


# -- the query deadline -------------------------------------------------------------------


@pytest.fixture(scope="module")
def timeout_server(default_build):
    args = ("--build-dir", str(default_build), "--timeout", "2", "--workers", "2")
    with LiveServer(*args) as server:
        yield server


def busiest(before: dict[int, int], after: dict[int, int]) -> int:
    """The process that used the most CPU between two samples of ``LiveServer.workers``."""
    return max(after, key=lambda pid: after[pid] - before.get(pid, after[pid]))


@pytest.mark.slow
def test_a_runaway_query_times_out_and_its_worker_is_replaced(timeout_server):
    server = timeout_server
    original = server.wait_for_workers(2)
    assert len(original) == 2
    stop = threading.Event()
    simple: list[tuple[int, float]] = []

    def keep_asking() -> None:
        while not stop.is_set():
            started = time.monotonic()
            status, _, _ = server.request("GET", "/sparql?" + query_string("ASK { ?s a ?t }"))
            simple.append((status, time.monotonic() - started))
            time.sleep(0.05)

    askers = [threading.Thread(target=keep_asking) for _ in range(3)]
    for thread in askers:
        thread.start()
    sample: dict[int, int] = {}
    sampler = threading.Timer(1.5, lambda: sample.update(server.workers()))
    try:
        sampler.start()
        started = time.monotonic()
        status, _, body = server.request("GET", "/sparql?" + query_string(RUNAWAY))
        elapsed = time.monotonic() - started
    finally:
        sampler.join()
        time.sleep(0.5)
        stop.set()
        for thread in askers:
            thread.join()

    assert status == 504 and 2 <= elapsed < 4
    assert body.decode() == "query stopped after the 2 s limit; narrow the query or add a LIMIT\n"
    assert simple and all(code == 200 for code, _ in simple)
    assert len(simple) >= 10 and max(seconds for _, seconds in simple) < 1.5

    runaway = busiest(original, sample)
    assert sample[runaway] - original[runaway] >= TICKS // 2  # half a second of CPU or more
    deadline = time.monotonic() + 10
    while (workers := server.workers()) and runaway in workers:
        assert time.monotonic() < deadline, "the worker running the query did not exit"
        time.sleep(0.1)
    workers = server.wait_for_workers(2)
    assert runaway not in workers and len(workers) == 2
    (replacement,) = set(workers) - set(original)

    # The new worker answers queries (it uses CPU for them) ...
    before = server.workers()
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?o ?q ?x }"
    threads = [
        threading.Thread(
            target=lambda: [
                server.request("GET", "/sparql?" + query_string(heavy)) for _ in range(5)
            ]
        )
        for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert server.workers()[replacement] > before[replacement]
    # ... and once it is done, nothing in the server burns CPU.
    time.sleep(1.0)
    idle = server.tree()
    time.sleep(1.0)
    later = server.tree()
    assert server.pid in later and len(later) == 3
    assert sum(later[pid] - idle.get(pid, 0) for pid in later) <= 0.2 * TICKS


# -- hostile requests ---------------------------------------------------------------------


def test_a_5mb_body_gets_413_and_the_server_keeps_answering(kg_server):
    status, _, body = kg_server.request(
        "POST",
        "/sparql",
        body=b"#" * 5_000_000,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert status == 413 and b"request body too large" in body
    status, _, body = kg_server.request("GET", "/sparql?" + query_string("ASK {}"))
    assert status == 200 and b"true" in body


def test_an_absurd_accept_gets_406(kg_server):
    status, _, body = kg_server.request(
        "GET",
        "/sparql?" + query_string("SELECT * { ?s ?p ?o } LIMIT 1"),
        headers={"Accept": "image/png, application/x-absurd;q=0.9, video/*;q=0.1"},
    )
    assert status == 406 and b"none of the accepted media types" in body


def test_service_to_a_local_socket_is_refused_without_a_connection(kg_server):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.settimeout(1.0)
        target = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
        query = f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"
        status, _, body = kg_server.request("GET", "/sparql?" + query_string(query))
        assert status == 400 and b"federated queries (SERVICE) are not allowed" in body
        with pytest.raises(TimeoutError):
            listener.accept()
