"""The fast OWL 2 RL path: same triples as owlrl, inconsistencies reported, inferred graph built."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from alliance_kg import reason
from alliance_kg.namespaces import Namespaces
from alliance_kg.reason import INFERRED_GRAPH, ReasoningError, is_axiomatic, materialise

EX = "urn:example:"
PREFIXES = f"""
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix : <{EX}> .
"""

# Every construct the fast path implements, with data that makes each rule fire.
CONSTRUCTS = """
:Minister rdfs:subClassOf :Official . :Official rdfs:subClassOf :Person .
:Person owl:equivalentClass :Human .
:chairs rdfs:subPropertyOf :attends . :attends owl:equivalentProperty :takesPart .
:attends rdfs:domain :Person ; rdfs:range :Meeting .
:heldBy owl:inverseOf :holds .
:meets a owl:SymmetricProperty .
:partOf a owl:TransitiveProperty .
:post a owl:FunctionalProperty .
:passport a owl:InverseFunctionalProperty .
:age a owl:DatatypeProperty ; rdfs:range xsd:integer .
:abe a :Minister ; :chairs :summit ; :meets :trump ; :post :pm ; :age "64"^^xsd:integer .
:abe :post :primeMinister .
:suga :passport :p1 . :yoshihide :passport :p1 . :yoshihide :holds :office .
:a :partOf :b . :b :partOf :c . :c :partOf :d .
"""


def _triples(turtle: str) -> set[reason.Triple]:
    return {
        (t.subject, t.predicate, t.object)
        for t in ox.parse(input=(PREFIXES + turtle).encode(), format=ox.RdfFormat.TURTLE)
    }


def test_every_implemented_rule_agrees_with_owlrl():
    triples = _triples(CONSTRUCTS)
    fast = materialise(triples)
    assert fast.triples == reason.reference_closure(triples)
    # the rules did fire: a few of their consequences
    for s, p, o in [
        ("abe", "type", "Human"),
        ("abe", "takesPart", "summit"),
        ("summit", "type", "Meeting"),
        ("trump", "meets", "abe"),
        ("a", "partOf", "d"),
        ("pm", "sameAs", "primeMinister"),
        ("suga", "holds", "office"),
        ("office", "heldBy", "suga"),
    ]:
        ns = {"type": reason.TYPE, "sameAs": reason.SAME_AS}
        triple = (ox.NamedNode(EX + s), ns.get(p, ox.NamedNode(EX + p)), ox.NamedNode(EX + o))
        assert triple in fast.triples, triple


@pytest.mark.slow
def test_fast_path_yields_owlrl_closure_on_the_default_build(default_build):
    store = ox.Store()
    store.bulk_load(path=str(default_build / "kg.nq"), format=ox.RdfFormat.N_QUADS)
    triples = {(q.subject, q.predicate, q.object) for q in store}
    fast = materialise(triples)
    reference = reason.reference_closure(triples)
    assert fast.triples == reference, (
        f"only fast: {sorted(map(str, fast.triples - reference))[:5]}; "
        f"only owlrl: {sorted(map(str, reference - fast.triples))[:5]}"
    )
    assert not fast.inconsistencies


def test_inconsistencies_are_reported_not_derived():
    triples = _triples("""
        :A owl:disjointWith :B . :x a :A , :B .
        [] a owl:AllDisjointClasses ; owl:members ( :C :D :E ) . :y a :C . :y a :E .
        :n a owl:Nothing .
        :age a owl:FunctionalProperty . :z :age 1 , 2 .
    """)
    found = materialise(triples).inconsistencies
    assert any(f"{EX}x" in line and "disjoint" in line for line in found)
    assert any(f"{EX}y" in line and "disjoint" in line for line in found)
    assert any(f"{EX}n" in line and "owl:Nothing" in line for line in found)
    assert any(f"{EX}z" in line and "two values" in line for line in found)


def test_a_construct_the_fast_path_lacks_is_refused():
    triples = _triples(":A rdfs:subClassOf [ owl:onProperty :p ; owl:someValuesFrom :B ] .")
    with pytest.raises(ReasoningError, match="someValuesFrom"):
        materialise(triples)


@pytest.mark.parametrize(
    ("turtle", "axiomatic"),
    [
        (":x owl:sameAs :x .", True),
        (":C rdfs:subClassOf owl:Thing .", True),
        (":x a owl:Thing .", True),
        (":p rdfs:range owl:Thing .", True),
        ("xsd:boolean owl:disjointWith xsd:decimal .", True),
        (":x owl:sameAs :y .", False),
        (":C rdfs:subClassOf :D .", False),
        (":x a :C .", False),
    ],
)
def test_axiomatic_filter(turtle, axiomatic):
    (triple,) = _triples(turtle)
    assert is_axiomatic(triple) is axiomatic


def test_the_build_stores_and_dumps_the_inferred_graph(default_build):
    manifest = json.loads((default_build / "build.json").read_text())
    graph = Namespaces().graph_iri(INFERRED_GRAPH)
    assert manifest["inference"]["graph"] == graph
    assert graph in manifest["graphs"]
    inferred = (default_build / "kg-inferred.nq").read_text().splitlines()
    assert len(inferred) == manifest["inference"]["triples"] > 0
    assert all(line.endswith(f"<{graph}> .") for line in inferred)
    assert f"<{graph}>" not in (default_build / "kg.nq").read_text()
    assert manifest["inference"]["inconsistencies"] == []


def test_subclass_and_subproperty_reasoning_answers_in_the_store(default_build):
    """ "Meetings a person took part in", asked with superclasses and superproperties."""
    from alliance_kg.store import open_store, query

    store = open_store(default_build)
    text = """
        SELECT (COUNT(DISTINCT ?event) AS ?n) WHERE {
          ?event a akg:Meeting ; sem:hasActor ?who . ?who a foaf:Person }"""
    prefixes = Namespaces().prefixes()
    with_inference = next(iter(query(store, text, prefixes=prefixes)))["n"]
    asserted = [g for g in store.named_graphs() if not g.value.endswith("/" + INFERRED_GRAPH)]
    without = next(iter(store.query(text, prefixes=prefixes, default_graph=asserted)))["n"]
    assert int(without.value) == 0 < int(with_inference.value)
