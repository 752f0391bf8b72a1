"""SHACL validation: the default build conforms, each shape catches what it is for, builds fail."""

from __future__ import annotations

import json
import shutil

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from alliance_kg import validate
from alliance_kg.cli import main
from alliance_kg.config import Settings
from alliance_kg.namespaces import KINDS
from alliance_kg.pipeline import build
from alliance_kg.validate import ValidationError
from conftest import ROOT

ONTOLOGY = ROOT / "ontology"
SHAPES = ONTOLOGY / "shapes.ttl"
PREFIXES = """
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix akg: <https://w3id.org/alliance-kg/ontology#> .
@prefix event: <https://w3id.org/alliance-kg/id/event/> .
@prefix person: <https://w3id.org/alliance-kg/id/person/> .
@prefix state: <https://w3id.org/alliance-kg/id/state/> .
@prefix place: <https://w3id.org/alliance-kg/id/place/> .
@prefix document: <https://w3id.org/alliance-kg/id/document/> .
@prefix participation: <https://w3id.org/alliance-kg/id/participation/> .
@prefix sentence: <https://w3id.org/alliance-kg/id/sentence/d/> .
"""


def _triples(turtle: str) -> set:
    return {
        (t.subject, t.predicate, t.object)
        for t in ox.parse(input=(PREFIXES + turtle).encode(), format=ox.RdfFormat.TURTLE)
    }


@pytest.fixture(scope="module")
def ontology() -> set:
    return {
        (t.subject, t.predicate, t.object)
        for path in (ONTOLOGY / "alliance.ttl", ONTOLOGY / "domains.ttl")
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
    }


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return validate.load_shapes(ONTOLOGY)


GOOD = """
event:e a akg:Meeting ; skos:prefLabel "A meeting"@en ; akg:date "2019-04-19"^^xsd:date ;
    akg:participant person:p .
person:p a akg:Person ; skos:prefLabel "P"@en .
"""

# (what is wrong, the data, the shape that must report it, its severity)
BROKEN = [
    ("untyped event", 'event:x akg:date "2019"^^xsd:gYear .', "EventTyped", "Violation"),
    ("string date", GOOD.replace('"2019-04-19"^^xsd:date', '"April 2019"'), "date", "Violation"),
    ("no date", GOOD.replace('akg:date "2019-04-19"^^xsd:date ;', ""), "", "Warning"),
    ("no participant", GOOD.replace("akg:participant person:p", ""), "", "Warning"),
    (
        "two preferred labels",
        GOOD + 'person:p skos:prefLabel "Q"@en .',
        "",
        "Violation",
    ),
    (
        "bad IRI",
        GOOD + "<https://w3id.org/alliance-kg/id/Person/P> a akg:Person .",
        "EntityIRI",
        "Violation",
    ),
    (
        "sameAs across actors",
        GOOD + 'state:s a akg:State ; skos:prefLabel "S"@en . person:p owl:sameAs state:s .',
        "SameAsActors",
        "Violation",
    ),
    (
        "offsets that do not span the quote",
        r"""sentence:0-5 a akg:Sentence ; oa:hasSelector sentence:0-5\#position ,
               sentence:0-5\#quote .
           sentence:0-5\#position a oa:TextPositionSelector ; oa:start 0 ; oa:end 5 .
           sentence:0-5\#quote a oa:TextQuoteSelector ; oa:exact "abc" .""",
        "QuoteMatchesOffsets",
        "Violation",
    ),
    (
        "end before start",
        r"""sentence:0-5\#position a oa:TextPositionSelector ; oa:start 9 ; oa:end 5 .""",
        "",
        "Violation",
    ),
    (
        "two values of a functional property",
        GOOD + "participation:x akg:agent person:p , person:q .",
        "",
        "Violation",
    ),
]


def test_good_data_conforms(ontology, shapes):
    report = validate.validate(ontology | _triples(GOOD), {}, shapes)
    assert report.conforms and report.findings == ()


@pytest.mark.parametrize(
    ("what", "turtle", "shape", "severity"), BROKEN, ids=[b[0] for b in BROKEN]
)
def test_each_shape_catches_its_problem(ontology, shapes, what, turtle, shape, severity):
    report = validate.validate(ontology | _triples(turtle), {}, shapes)
    found = [f for f in report.findings if f.severity == severity and f.shape.endswith(shape)]
    assert found, report.text()
    assert report.conforms is (severity != "Violation")


def test_a_document_fact_without_its_assertion_is_a_violation(ontology, shapes):
    graph = _triples(
        """document:d a akg:Document .
           event:e akg:participant person:p .
           event:e akg:location place:x .
           [] a akg:Assertion ; rdf:subject event:e ; rdf:predicate akg:participant ;
              rdf:object person:p ."""
    )
    report = validate.validate(ontology, {"doc": graph}, shapes)
    (finding,) = [f for f in report.findings if f.shape.endswith("FactProvenance")]
    assert "location" in finding.message and finding.severity == "Violation"
    assert not report.conforms


def test_the_iri_pattern_names_every_kind():
    text = SHAPES.read_text()
    (alternatives,) = {
        line.split("id/(")[1].split(")/")[0] for line in text.splitlines() if "id/(" in line
    }
    assert set(alternatives.split("|")) == KINDS


def test_every_functional_property_has_a_max_count_shape(shapes):
    graph = rdflib.Graph().parse(ONTOLOGY / "alliance.ttl")
    functional = set(graph.subjects(rdflib.RDF.type, rdflib.OWL.FunctionalProperty))
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    capped = {
        shapes.value(prop, sh.path)
        for prop in shapes.objects(None, sh.property)
        if shapes.value(prop, sh.maxCount) == rdflib.Literal(1)
    }
    assert functional and functional <= capped


def test_the_default_build_conforms_and_stores_its_report(default_build):
    manifest = json.loads((default_build / "build.json").read_text())
    assert manifest["validation"]["conforms"] is True
    assert manifest["validation"]["violations"] == 0
    report = rdflib.Graph().parse(default_build / "validation.ttl")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert (None, sh.conforms, rdflib.Literal(True)) in report
    warnings = len(set(report.subjects(sh.resultSeverity, sh.Warning)))
    assert warnings == manifest["validation"]["warnings"]


def test_validate_command_prints_the_report(default_build):
    result = CliRunner().invoke(main, ["validate", "--build-dir", str(default_build)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("validation: conforms: 0 violations")


@pytest.mark.slow
def test_violations_fail_the_build_unless_asked_to_warn(tmp_path):
    """A shape the data breaks: strict builds fail and keep the previous build; warn builds."""
    ontology = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY, ontology)
    with open(ontology / "shapes.ttl", "a") as shapes:
        shapes.write(
            "\nakgsh:EveryActorHasASide a sh:NodeShape ; sh:targetClass akg:Actor ;\n"
            "    sh:property [ sh:path akg:side ; sh:minCount 1 ] .\n"
        )
    settings = Settings(build_dir=tmp_path / "build", ontology_dir=ontology)
    warned = build(settings, only=["guidelines-2015"], validation="warn")
    assert warned["validation"]["violations"] > 0
    before = (tmp_path / "build" / "build.json").read_text()
    with pytest.raises(ValidationError, match=r"validation failed: (.|\n)*EveryActorHasASide"):
        build(settings, only=["guidelines-2015"])
    assert (tmp_path / "build" / "build.json").read_text() == before
    result = CliRunner().invoke(
        main,
        ["validate", "--build-dir", str(tmp_path / "build")],
        env={"ALLIANCE_KG_ONTOLOGY_DIR": str(ontology)},
    )
    assert result.exit_code == 1
    assert "Violation" in result.output and "#side" in result.output


@pytest.fixture(scope="module")
def client(default_build):
    from alliance_kg.web import create_app
    from alliance_kg.web.dataset import load_build

    settings = Settings(build_dir=default_build)
    return create_app(settings, load_build(settings)).test_client()


def test_the_report_is_served_as_html_and_as_rdf(client):
    page = client.get("/validation", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert b'id="conforms">yes' in page.data
    turtle = client.get("/validation", headers={"Accept": "text/turtle"})
    body = turtle.data
    turtle.close()  # a file response keeps the file open until closed
    assert turtle.mimetype == "text/turtle"
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    report = rdflib.Graph().parse(data=body, format="turtle")
    assert (None, sh.conforms, rdflib.Literal(True)) in report
    assert client.get("/validation", query_string={"format": "jsonld"}).status_code == 200
    dumps = client.get("/dumps/").data.decode()
    assert "/dumps/validation.ttl" in dumps and "/dumps/kg-inferred.nq" in dumps


@pytest.mark.parametrize(
    ("inference", "status"), [(None, 200), ("true", 200), ("false", 200), ("maybe", 400)]
)
def test_the_endpoint_switches_the_inferred_graph(client, inference, status):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?x a <https://w3id.org/alliance-kg/ontology#Actor> }"
    params = {"query": query, **({"inference": inference} if inference else {})}
    response = client.get("/sparql", query_string=params, headers={"Accept": "text/csv"})
    assert response.status_code == status, response.data
    if status == 200:
        count = int(response.data.decode().split()[1])
        assert (count == 0) is (inference == "false")


def test_shapes_follow_the_base_iri(ontology):
    """Under another base IRI, the IRI pattern checks that base (its dots escaped)."""
    base = "http://example.org/k.g/"
    shapes = validate.load_shapes(ONTOLOGY, base)
    person = ox.NamedNode(base + "ontology#Person")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    good = (ox.NamedNode(base + "id/person/p"), rdf_type, person)
    bad = (ox.NamedNode(base + "id/Person/P"), rdf_type, person)
    look_alike = (ox.NamedNode("http://example.org/kXg/id/Person/P"), good[1], person)
    report = validate.validate({good, bad, look_alike}, {}, shapes)
    flagged = {f.focus for f in report.findings if f.shape.endswith("EntityIRI")}
    assert flagged == {base + "id/Person/P"}
