"""Exports: every view in every network format, query results, RDF dumps, CLI and web.

Each GEXF export is validated against the official GEXF 1.3 RELAX NG schema (in
../shared/conformance/gexf-1.3), read back with networkx, and its node and edge counts are
compared with an independent counting query over the same view (tests/data/views/*.rq).
GraphML is read back with networkx and CSV with the csv module, against the same counts.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from lxml import etree

from alliance_kg.cli import main
from alliance_kg.config import Settings
from alliance_kg.export import (
    ExportError,
    export_dump,
    export_query,
    export_view,
    load_views,
    render_network,
)
from alliance_kg.export.network import Edge, Network, NetworkError, Node, period, spells_of
from alliance_kg.export.views import asserted_graphs, run_view
from alliance_kg.namespaces import Namespaces
from alliance_kg.pipeline import build
from alliance_kg.queries import load_query
from alliance_kg.store import open_store, query
from alliance_kg.web import create_app
from conftest import shared_path

ROOT = Path(__file__).resolve().parents[1]
COUNTS = Path(__file__).resolve().parent / "data" / "views"
NS = Namespaces()
PREFIXES = NS.prefixes()
VIEWS = load_views(ROOT / "queries")
VIEW_NAMES = sorted(VIEWS)
GEXF = "{http://gexf.net/1.3}"
VIZ = "{http://gexf.net/1.3/viz}"
PARTICIPANTS = f"""PREFIX akg:  <{NS.ontology}>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT {{ ?event akg:participant ?person ; a ?type ; skos:prefLabel ?name ; akg:date ?date }}
WHERE {{ ?event akg:participant ?person ; a ?type ; skos:prefLabel ?name ; akg:date ?date }}
"""
EDGE_LIST = f"""PREFIX akg:  <{NS.ontology}>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?source ?target ?sourceLabel ?label ?start (COUNT(*) AS ?weight) WHERE {{
  ?target akg:participant ?source ; akg:date ?start .
  ?source skos:prefLabel ?sourceLabel .
  BIND("took part in" AS ?label)
}} GROUP BY ?source ?target ?sourceLabel ?label ?start
"""


@pytest.fixture(scope="module")
def store(default_build):
    return open_store(default_build)


@pytest.fixture(scope="module")
def counts(store) -> dict[str, tuple[int, int]]:
    """Nodes and edges of every view, by the independent counting queries."""
    out = {}
    for name in VIEW_NAMES:
        text = load_query(COUNTS / f"{name}.rq").text
        (row,) = list(query(store, text, graphs=asserted_graphs(store)))
        out[name] = (int(row["nodes"].value), int(row["edges"].value))
    return out


@pytest.fixture(scope="module")
def networks(store) -> dict[str, Network]:
    """Every view's network, run once for the module (each format renders from it)."""
    return {name: run_view(store, VIEWS[name]) for name in VIEW_NAMES}


def render(networks, name: str, fmt: str, dynamic: bool = False) -> dict[str, bytes]:
    return render_network(networks[name], fmt, dynamic=dynamic).files


@pytest.fixture(scope="module")
def schema():
    folder = shared_path("conformance", "gexf-1.3")
    return etree.RelaxNG(etree.parse(str(folder / "gexf.rng")))


def only(export) -> bytes:
    (body,) = export.files.values()
    return body


# -- time spells -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("2015", "2015-01-01", "2015-12-31"),
        ("2015-04", "2015-04-01", "2015-04-30"),
        ("2016-02", "2016-02-01", "2016-02-29"),
        ("2019-04-19", "2019-04-19", "2019-04-19"),
        ("2019-04-19Z", "2019-04-19", "2019-04-19"),
    ],
)
def test_a_date_covers_its_whole_period(value, first, last):
    start, end = period(value)
    assert (start.isoformat(), end.isoformat()) == (first, last)


@pytest.mark.parametrize("bad", ["April 2015", "2015-13", "2015-02-30", ""])
def test_a_bad_date_is_refused_by_name(bad):
    with pytest.raises(NetworkError, match="not a date"):
        period(bad)


def test_overlapping_spells_merge_and_separate_ones_stay():
    spells = spells_of(["2015", "2015-04-27", "2016-01-01", "2019-04-19"])
    assert [s.iso() for s in spells] == [
        ("2015-01-01", "2016-01-01"),
        ("2019-04-19", "2019-04-19"),
    ]
    assert [s.iso() for s in spells_of(start="1997")] == [("1997-01-01", None)]


def test_parallel_edges_of_different_kinds_stay_apart_and_same_kinds_add_up():
    network = Network(
        "t",
        "test",
        nodes=[Node("a", "A"), Node("b", "B")],
        edges=[Edge("a", "b", "x"), Edge("a", "b", "y"), Edge("a", "b", "x", weight=2)],
    ).finish()
    assert [(e.kind, e.weight) for e in network.edges] == [("x", 3.0), ("y", 1.0)]


# -- the views in GEXF -----------------------------------------------------------------------


@pytest.mark.shared
@pytest.mark.parametrize("dynamic", [False, True], ids=["static", "dynamic"])
@pytest.mark.parametrize("name", VIEW_NAMES)
def test_gexf_of_every_view_is_valid_gexf_1_3(networks, schema, name, dynamic):
    (body,) = render(networks, name, "gexf", dynamic).values()
    doc = etree.fromstring(body)
    assert schema.validate(doc), schema.error_log


@pytest.mark.parametrize("dynamic", [False, True], ids=["static", "dynamic"])
@pytest.mark.parametrize("name", VIEW_NAMES)
def test_gexf_of_every_view_reads_back_with_the_counted_size(networks, counts, name, dynamic):
    (body,) = render(networks, name, "gexf", dynamic).values()
    doc = etree.fromstring(body)
    graph = nx.read_gexf(io.BytesIO(body), version="1.3")
    assert (graph.number_of_nodes(), graph.number_of_edges()) == counts[name]
    assert counts[name][0] > 0 and counts[name][1] > 0
    graph_el = doc.find(f"{GEXF}graph")
    assert graph_el.get("mode") == ("dynamic" if dynamic else "static")
    if dynamic:
        assert graph_el.get("timeformat") == "date"
        assert doc.findall(f".//{GEXF}spell"), "a dynamic export of a dated view has spells"
    else:
        assert not doc.findall(f".//{GEXF}spell")
    # every node is coloured by its class's group, nodes of a group alike
    colours: dict[str, set] = {}
    for node in doc.iter(f"{GEXF}node"):
        colour = node.find(f"{VIZ}color")
        group = node.find(f"{GEXF}attvalues/{GEXF}attvalue[@for='group']")
        assert colour is not None and group is not None
        colours.setdefault(group.get("value"), set()).add(tuple(colour.attrib.values()))
    assert all(len(c) == 1 for c in colours.values())
    assert len(colours) >= 1


def test_gexf_declares_typed_attributes(store):
    doc = etree.fromstring(only(export_view(store, VIEWS["entities"], "gexf")))
    declared = {
        a.get("id"): a.get("type")
        for a in doc.findall(f"{GEXF}graph/{GEXF}attributes[@class='node']/{GEXF}attribute")
    }
    assert declared["class"] == "string"
    assert declared["wikidata"] == "anyURI"
    assert declared["documents"] == "integer"
    graph = nx.read_gexf(io.BytesIO(etree.tostring(doc)), version="1.3")
    usa = graph.nodes[NS.id + "state/united-states"]
    assert usa["wikidata"] == "http://www.wikidata.org/entity/Q30"
    assert isinstance(usa["documents"], int) and usa["documents"] >= 1


def test_entity_graph_keeps_parallel_relations_apart_by_kind(networks):
    (body,) = render(networks, "entities", "gexf").values()
    doc = etree.fromstring(body)
    edges = list(doc.iter(f"{GEXF}edge"))
    kinds = {e.get("kind") for e in edges}
    assert {"participant", "replaces", "topic", "legalBasis"} <= kinds
    assert None not in kinds
    pairs: dict[tuple[str, str], set[str]] = {}
    for e in edges:
        pairs.setdefault((e.get("source"), e.get("target")), set()).add(e.get("kind"))
    assert any(len(k) > 1 for k in pairs.values()), "some entities have parallel relations"
    nodes = [n.get("id") for n in doc.iter(f"{GEXF}node")]
    assert not any("/assertion/" in n or "/sentence/" in n for n in nodes)


def test_dynamic_coparticipation_edges_carry_the_events_dates(networks):
    (body,) = render(networks, "coparticipation", "gexf", True).values()
    doc = etree.fromstring(body)
    edges = {(e.get("source"), e.get("target")): e for e in doc.iter(f"{GEXF}edge")}
    iwaya, shanahan = NS.id + "person/takeshi-iwaya", NS.id + "person/patrick-shanahan"
    edge = edges[(shanahan, iwaya)]
    assert float(edge.get("weight")) == 4
    spells = [(s.get("start"), s.get("end")) for s in edge.iter(f"{GEXF}spell")]
    assert ("2019-01-16", "2019-01-16") in spells and ("2019-04-19", "2019-04-19") in spells
    # a year-precise event spans its year
    fujiyama = NS.id + "person/aiichiro-fujiyama"
    dulles = NS.id + "person/john-foster-dulles"
    year = [(s.get("start"), s.get("end")) for s in edges[(fujiyama, dulles)].iter(f"{GEXF}spell")]
    assert year == [("1958-01-01", "1958-12-31")]


def test_every_export_is_deterministic_across_rebuilds(networks, store, tmp_path):
    again = tmp_path / "again"
    build(Settings(build_dir=again))
    other = open_store(again)
    for name in VIEW_NAMES:
        rebuilt = run_view(other, VIEWS[name])
        for fmt in ("gexf", "graphml", "csv"):
            first = render(networks, name, fmt, fmt == "gexf")
            assert render_network(rebuilt, fmt, dynamic=fmt == "gexf").files == first
        assert render(networks, name, "gexf") == render(networks, name, "gexf")
    # the quad path and the triple path of the dumps
    for fmt in ("nquads", "jsonld"):
        assert export_dump(store, fmt, PREFIXES).files == export_dump(other, fmt, PREFIXES).files


# -- GraphML and CSV -------------------------------------------------------------------------


@pytest.mark.parametrize("name", VIEW_NAMES)
def test_graphml_reads_back_with_the_counted_size(networks, counts, name):
    (body,) = render(networks, name, "graphml").values()
    graph = nx.read_graphml(io.BytesIO(body), force_multigraph=True)
    assert (graph.number_of_nodes(), graph.number_of_edges()) == counts[name]
    assert graph.is_directed() == VIEWS[name].directed
    some = next(iter(graph.nodes(data=True)))[1]
    assert {"label", "r", "g", "b"} <= set(some)
    assert all(isinstance(d["weight"], float) for _, _, d in graph.edges(data=True))


@pytest.mark.parametrize("name", VIEW_NAMES)
def test_csv_tables_read_back_with_gephi_columns_and_the_counted_size(networks, counts, name):
    files = render(networks, name, "csv")
    assert set(files) == {"nodes.csv", "edges.csv"}
    nodes = list(csv.DictReader(io.StringIO(files["nodes.csv"].decode("utf-8"))))
    edges = list(csv.DictReader(io.StringIO(files["edges.csv"].decode("utf-8"))))
    assert (len(nodes), len(edges)) == counts[name]
    assert list(nodes[0])[:2] == ["Id", "Label"]
    assert list(edges[0])[:7] == ["Source", "Target", "Type", "Id", "Label", "Kind", "Weight"]
    ids = {n["Id"] for n in nodes}
    assert all(e["Source"] in ids and e["Target"] in ids for e in edges)
    assert {e["Type"] for e in edges} == {"Directed" if VIEWS[name].directed else "Undirected"}
    intervals = [e["Time Interval"] for e in edges if e.get("Time Interval")]
    assert intervals, "every view has dated edges"
    assert all(i.startswith("<[") and i.endswith("]>") for i in intervals)


# -- query results ---------------------------------------------------------------------------


@pytest.mark.shared
def test_a_construct_result_exports_without_a_node_per_literal(store, schema):
    body = only(export_query(store, PARTICIPANTS, "gexf", PREFIXES, dynamic=True))
    assert schema.validate(etree.fromstring(body)), schema.error_log
    graph = nx.read_gexf(io.BytesIO(body), version="1.3")
    assert all(n.startswith(NS.id) for n in graph), "literals are attributes, not nodes"
    (row,) = list(
        query(
            store,
            f"PREFIX akg: <{NS.ontology}> SELECT (COUNT(DISTINCT ?e) + COUNT(DISTINCT ?p) AS ?n)"
            " (COUNT(DISTINCT CONCAT(STR(?e), STR(?p))) AS ?m)"
            " WHERE { ?e akg:participant ?p ; a ?t ; akg:date ?d ; "
            "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l }",
        )
    )
    assert graph.number_of_nodes() == int(row["n"].value)
    assert graph.number_of_edges() == int(row["m"].value)
    event = graph.nodes[NS.id + "event/2019-04-19-japan-united-states-two-plus-two"]
    assert event["class"] == "TwoPlusTwoMeeting"
    assert event["label"] == 'Japan-U.S. "2+2" Meeting (April 19, 2019)'


@pytest.mark.shared
def test_a_select_with_source_and_target_exports_as_an_edge_list(store, schema):
    body = only(export_query(store, EDGE_LIST, "gexf", PREFIXES, dynamic=True))
    assert schema.validate(etree.fromstring(body)), schema.error_log
    graph = nx.read_gexf(io.BytesIO(body), version="1.3")
    iwaya = NS.id + "person/takeshi-iwaya"
    assert graph.nodes[iwaya]["label"] == "Takeshi Iwaya"
    assert all(d["label"] == "took part in" for _, _, d in graph.edges(data=True))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ASK { ?s ?p ?o }", "ASK query has no graph"),
        ("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", r"needs the columns \?source and \?target"),
        (
            "SELECT ?source ?target ?weight WHERE { BIND(<urn:a> AS ?source) BIND(<urn:b> AS "
            "?target) BIND('heavy' AS ?weight) }",
            "must be a number",
        ),
    ],
)
def test_a_query_that_is_no_network_is_refused_with_the_reason(store, text, message):
    with pytest.raises(ExportError, match=message):
        export_query(store, text, "gexf", PREFIXES)


def test_a_view_is_no_rdf_dump_and_a_network_is_no_dump():
    network = Network("t", "test").finish()
    with pytest.raises(ExportError, match="RDF format"):
        render_network(network, "turtle")
    with pytest.raises(ExportError, match="unknown export format"):
        render_network(network, "pdf")


# -- RDF dumps -------------------------------------------------------------------------------


def canonical_quads(body: bytes, rdf_format: ox.RdfFormat) -> set[ox.Quad]:
    return canonical(ox.parse(body, rdf_format))


def canonical(quads) -> set[ox.Quad]:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


def test_quad_dumps_keep_every_graph_and_triple_dumps_hold_the_union(store, default_build):
    build_quads = canonical_quads((default_build / "kg.nq").read_bytes(), ox.RdfFormat.N_QUADS)
    nquads = only(export_dump(store, "nquads", PREFIXES))
    lines = nquads.decode("utf-8").splitlines()
    assert len(lines) == len(build_quads) == len(set(lines))
    assert canonical_quads(nquads, ox.RdfFormat.N_QUADS) == build_quads
    assert canonical_quads(only(export_dump(store, "trig", PREFIXES)), ox.RdfFormat.TRIG) == (
        build_quads
    )
    default = ox.DefaultGraph()
    union = canonical({ox.Quad(q.subject, q.predicate, q.object, default) for q in build_quads})
    for fmt, rdf_format in (("turtle", ox.RdfFormat.TURTLE), ("jsonld", ox.RdfFormat.JSON_LD)):
        assert canonical_quads(only(export_dump(store, fmt, PREFIXES)), rdf_format) == union


def test_a_construct_result_dumps_as_rdf(store):
    body = only(export_query(store, PARTICIPANTS, "turtle", PREFIXES))
    triples = list(ox.parse(body, ox.RdfFormat.TURTLE))
    assert triples and all(t.subject.value.startswith(NS.id) for t in triples)
    with pytest.raises(ExportError, match="CONSTRUCT"):
        export_query(store, EDGE_LIST, "nquads", PREFIXES)


# -- the command line ------------------------------------------------------------------------


def run_cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_cli_exports_each_view_and_format(default_build, tmp_path, counts):
    out = tmp_path / "co.gexf"
    result = run_cli(
        "export",
        "gexf",
        "--view",
        "coparticipation",
        "--dynamic",
        "--build-dir",
        str(default_build),
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    graph = nx.read_gexf(out, version="1.3")
    assert (graph.number_of_nodes(), graph.number_of_edges()) == counts["coparticipation"]

    result = run_cli("export", "graphml", "--view", "lineage", "--build-dir", str(default_build))
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"<?xml")

    folder, archive = tmp_path / "tables", tmp_path / "tables.zip"
    for out in (folder, archive):
        args = ["csv", "--view", "actor-event", "--build-dir", str(default_build)]
        result = run_cli("export", *args, "--out", str(out))
        assert result.exit_code == 0
    assert sorted(p.name for p in folder.iterdir()) == ["edges.csv", "nodes.csv"]
    with zipfile.ZipFile(archive) as z:
        assert z.read("nodes.csv") == (folder / "nodes.csv").read_bytes()

    result = run_cli("export", "turtle", "--build-dir", str(default_build))
    assert result.exit_code == 0
    assert list(ox.parse(result.stdout_bytes, ox.RdfFormat.TURTLE))

    rq = tmp_path / "participants.rq"
    rq.write_text(PARTICIPANTS, encoding="utf-8")
    result = run_cli("export", "jsonld", "--query", str(rq), "--build-dir", str(default_build))
    assert result.exit_code == 0
    assert json.loads(result.stdout_bytes)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["gexf", "--view", "nope"], "unknown view 'nope'"),
        (["gexf"], "gexf exports a network: give --view"),
        (["csv", "--view", "lineage"], "give --out FOLDER or --out FILE.zip"),
        (["turtle", "--view", "lineage"], "views are networks for Gephi"),
        (["graphml", "--view", "lineage", "--dynamic"], "--dynamic is for gexf"),
        (["gexf", "--view", "lineage", "--query", "x.rq"], "not both"),
        (["gexf", "--query", "no-such-file.rq"], "no-such-file.rq: cannot read"),
    ],
)
def test_cli_explains_a_bad_export_request(default_build, args, message):
    result = CliRunner().invoke(main, ["export", *args, "--build-dir", str(default_build)])
    assert result.exit_code != 0
    assert message in result.output


# -- the web app -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(default_build):
    return create_app(Settings(build_dir=default_build)).test_client()


def test_exports_page_links_every_view_and_dump(client):
    page = client.get("/exports", headers={"Accept": "text/html"}).get_data(as_text=True)
    for name in VIEW_NAMES:
        for ext in ("gexf", "gexf?dynamic=1", "graphml", "zip", "nodes.csv", "edges.csv"):
            assert f'href="/exports/{name}.{ext}"' in page
        assert VIEWS[name].title in page
    for ext in ("nq", "trig", "ttl", "jsonld"):
        assert f'href="/exports/dataset.{ext}"' in page
    listing = client.get("/exports", headers={"Accept": "text/plain"}).get_data(as_text=True)
    assert "http://localhost/exports/coparticipation.gexf" in listing.splitlines()


@pytest.mark.parametrize("name", VIEW_NAMES)
def test_web_downloads_equal_the_cli_exports(client, networks, name):
    response = client.get(f"/exports/{name}.gexf?dynamic=1")
    assert response.status_code == 200
    assert response.mimetype == "application/gexf+xml"
    assert f"alliance-kg-{name}-timeline.gexf" in response.headers["Content-Disposition"]
    assert response.data == only(render_network(networks[name], "gexf", dynamic=True))
    tables = render(networks, name, "csv")
    assert client.get(f"/exports/{name}.edges.csv").data == tables["edges.csv"]
    with zipfile.ZipFile(io.BytesIO(client.get(f"/exports/{name}.zip").data)) as z:
        assert z.read(f"{name}/nodes.csv") == tables["nodes.csv"]


def test_web_dumps_the_whole_graph_as_the_cli_does(client, store):
    """The server loads the build's N-Quads into memory (new blank node ids); the dump is
    still byte for byte the CLI's, thanks to canonical blank node labels."""
    for ext, fmt in (("nq", "nquads"),):
        assert client.get(f"/exports/dataset.{ext}").data == only(export_dump(store, fmt, PREFIXES))


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/exports/nope.gexf", "no view named 'nope'"),
        ("/exports/entities.pdf", "not 'pdf'"),
        ("/exports/dataset.gexf", "the whole graph is exported as"),
        ("/exports/query.exe?query=ASK{}", "not 'exe'"),
        ("/exports/..%2F..%2Fetc%2Fpasswd", ""),
        ("/exports/.hidden.gexf", "no export named"),
        ("/exports/entities", "no export named"),
    ],
)
def test_web_unknown_exports_are_404_with_the_choices(client, path, message):
    response = client.get(path)
    assert response.status_code == 404
    assert message in response.get_data(as_text=True)


@pytest.mark.shared
def test_web_exports_a_query_result_checked_like_the_endpoint(client, schema):
    response = client.get("/exports/query.gexf", query_string={"query": PARTICIPANTS})
    assert response.status_code == 200
    assert schema.validate(etree.fromstring(response.data)), schema.error_log
    posted = client.post("/exports/query.graphml", data={"query": EDGE_LIST})
    assert posted.status_code == 200
    assert nx.read_graphml(io.BytesIO(posted.data), force_multigraph=True).number_of_edges()
    service = "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }"
    assert client.get("/exports/query.gexf", query_string={"query": service}).status_code == 400
    assert client.get("/exports/query.gexf").status_code == 400
    bad = client.get("/exports/query.gexf", query_string={"query": "SELECT * WHERE {"})
    assert bad.status_code == 400 and "syntax" in bad.get_data(as_text=True)
    everything = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    capped = client.get("/exports/query.gexf", query_string={"query": everything})
    assert capped.status_code == 400 and "cap" in capped.get_data(as_text=True)


def test_web_export_stops_at_the_deadline(default_build, monkeypatch):
    """An export runs under the query deadline: a slow one answers 504 at the limit (here a
    view export made slow by a stand-in that sleeps, so the test costs no CPU)."""
    import time

    from alliance_kg.web import exports

    def slow(*args, **kwargs):
        time.sleep(1)

    monkeypatch.setattr(exports, "export_view", slow)
    app = create_app(Settings(build_dir=default_build, query_timeout=0.05))
    started = time.monotonic()
    response = app.test_client().get("/exports/lineage.gexf")
    assert response.status_code == 504
    assert time.monotonic() - started < 0.9
    assert "stopped" in response.get_data(as_text=True)


def test_query_page_knows_where_results_open_in_gephi(client):
    page = client.get("/").get_data(as_text=True)
    assert 'id="gephi"' in page
    assert '"exportPath": "/exports/"' in page or '"exportPath":"/exports/"' in page
