"""The ontology files: they parse, every term is documented, the profile is OWL 2 RL, no class
is unsatisfiable, the code emits only declared terms, and the domain scheme is a sound SKOS
scheme whose labels are safe to match in text."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, SKOS

from alliance_kg.lexicon import read_domains
from alliance_kg.namespaces import Namespaces

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "alliance.ttl"
DOMAINS = ROOT / "ontology" / "domains.ttl"
SHARED = Path(__file__).resolve().parents[2] / "shared"

BASE = "https://w3id.org/alliance-kg/"
ONTOLOGY_IRI = URIRef(BASE + "ontology")
AKG = Namespace(BASE + "ontology#")
SCHEME = URIRef(BASE + "id/scheme/domains")
DOMAIN_PREFIX = BASE + "id/domain/"
DCT = Namespace("http://purl.org/dc/terms/")
VANN = Namespace("http://purl.org/vocab/vann/")
ERR = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")

CLASS_KINDS = {OWL.Class}
PROPERTY_KINDS = {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
TERM_KINDS = CLASS_KINDS | PROPERTY_KINDS | {SKOS.Concept, SKOS.ConceptScheme}
CODE_TERM_RE = re.compile(r"\bakg:([A-Za-z][A-Za-z0-9]*)")

# Datatypes OWL 2 RL supports (its datatype map without owl:real and owl:rational).
RL_DATATYPES = {RDF.PlainLiteral, RDF.XMLLiteral, RDFS.Literal} | {
    XSD[name]
    for name in [
        "decimal", "integer", "nonNegativeInteger", "nonPositiveInteger", "positiveInteger",
        "negativeInteger", "long", "int", "short", "byte", "unsignedLong", "unsignedInt",
        "unsignedShort", "unsignedByte", "double", "float", "string", "normalizedString", "token",
        "language", "Name", "NCName", "NMTOKEN", "boolean", "hexBinary", "base64Binary", "anyURI",
        "dateTime", "dateTimeStamp",
    ]
}  # fmt: skip


def _load(*paths: Path) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return _load(ONTOLOGY)


@pytest.fixture(scope="module")
def everything() -> Graph:
    return _load(ONTOLOGY, DOMAINS)


@pytest.fixture(scope="module")
def domains() -> Graph:
    return _load(DOMAINS)


def _own(term) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(BASE)


def _kinds(graph: Graph, term) -> set:
    return set(graph.objects(term, RDF.type)) & TERM_KINDS


def _own_terms(graph: Graph) -> set[URIRef]:
    """Classes, properties, concepts and schemes with an alliance-kg IRI."""
    return {s for kind in TERM_KINDS for s in graph.subjects(RDF.type, kind) if _own(s)}


def _english(graph: Graph, subject, predicate) -> list[Literal]:
    return [o for o in graph.objects(subject, predicate) if getattr(o, "language", None) == "en"]


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize("path", [ONTOLOGY, DOMAINS], ids=lambda p: p.name)
def test_rdflib_and_pyoxigraph_read_the_same_triples(path):
    quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    graph = _load(path)
    assert len(quads) == len(graph) > 0
    named = {
        (q.subject.value, q.predicate.value, q.object.value)
        for q in quads
        if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode)
    }
    from_rdflib = {
        (str(s), str(p), str(o))
        for s, p, o in graph
        if isinstance(s, URIRef) and isinstance(o, URIRef)
    }
    assert named == from_rdflib


def test_ontology_metadata(ontology, domains):
    subject = ONTOLOGY_IRI
    assert (subject, RDF.type, OWL.Ontology) in ontology
    version = ontology.value(subject, OWL.versionInfo)
    assert version is not None and re.fullmatch(r"\d+\.\d+\.\d+", str(version))
    assert ontology.value(subject, OWL.versionIRI) == URIRef(f"{ONTOLOGY_IRI}/{version}")
    assert domains.value(SCHEME, OWL.versionInfo) == version
    for predicate in (DCT.title, DCT.description):
        assert _english(ontology, subject, predicate), predicate
    assert ontology.value(subject, DCT.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    created = ontology.value(subject, DCT.created)
    assert isinstance(created, Literal) and created.datatype == XSD.date
    assert str(ontology.value(subject, DCT.creator)) == "alliance-kg"
    assert str(ontology.value(subject, VANN.preferredNamespacePrefix)) == "akg"
    assert str(ontology.value(subject, VANN.preferredNamespaceUri)) == str(AKG)


def test_ontology_iris_match_the_code():
    ns = Namespaces()
    assert ns.ontology_iri == str(ONTOLOGY_IRI)
    assert ns.ontology == str(AKG)
    assert ns.entity("domain", "space") == DOMAIN_PREFIX + "space"


# --------------------------------------------------------------------------- documentation


def test_every_own_term_has_one_english_label_and_a_comment(everything):
    terms = _own_terms(everything)
    assert len(terms) > 50
    problems = []
    for term in sorted(terms):
        if len(_english(everything, term, RDFS.label)) != 1:
            problems.append(f"{term}: needs exactly one rdfs:label @en")
        if not _english(everything, term, RDFS.comment):
            problems.append(f"{term}: needs an rdfs:comment @en")
    assert not problems, "\n".join(problems)


def test_own_terms_are_defined_by_the_ontology(ontology):
    missing = [
        t
        for t in _own_terms(ontology)
        if t != ONTOLOGY_IRI and (t, RDFS.isDefinedBy, ONTOLOGY_IRI) not in ontology
    ]
    assert not missing


def test_every_term_has_a_single_kind(everything):
    """OWL 2 DL (and so RL) forbids one IRI being, say, a datatype and an annotation property."""
    entities = CLASS_KINDS | PROPERTY_KINDS
    clashes = {
        s: kinds
        for s in set(everything.subjects(RDF.type, None))
        if len(kinds := set(everything.objects(s, RDF.type)) & entities) > 1
    }
    assert not clashes


def test_every_akg_iri_used_is_declared(everything):
    used = {t for triple in everything for t in triple if isinstance(t, URIRef)}
    undeclared = sorted(
        str(t) for t in used if str(t).startswith(str(AKG)) and not _kinds(everything, t)
    )
    assert not undeclared


# --------------------------------------------------------------------------- alignment


def test_no_equivalence_to_external_terms(everything):
    bad = [
        (s, p, o)
        for p in (OWL.equivalentClass, OWL.equivalentProperty, OWL.sameAs)
        for s, o in everything.subject_objects(p)
        if not (_own(s) and (_own(o) or isinstance(o, BNode)))
    ]
    assert not bad


@pytest.mark.parametrize(
    ("link", "allowed"),
    [
        (RDFS.subClassOf, {OWL.Class: {OWL.Class}}),
        (
            RDFS.subPropertyOf,
            {
                OWL.ObjectProperty: {OWL.ObjectProperty},
                OWL.DatatypeProperty: {OWL.DatatypeProperty},
                OWL.AnnotationProperty: {OWL.AnnotationProperty},
            },
        ),
    ],
    ids=["subClassOf", "subPropertyOf"],
)
def test_alignment_targets_are_declared_with_the_same_kind(ontology, link, allowed):
    problems = []
    for child, parent in ontology.subject_objects(link):
        if isinstance(parent, BNode):
            continue
        child_kinds, parent_kinds = _kinds(ontology, child), _kinds(ontology, parent)
        if not parent_kinds:
            problems.append(f"{parent} (parent of {child}) is not declared")
        elif not any(parent_kinds & allowed.get(k, set()) for k in child_kinds):
            problems.append(f"{child} {sorted(child_kinds)} -> {parent} {sorted(parent_kinds)}")
    assert not problems, "\n".join(problems)


def test_external_terms_name_their_vocabulary(ontology):
    undefined = [
        s
        for kind in CLASS_KINDS | PROPERTY_KINDS
        for s in ontology.subjects(RDF.type, kind)
        if not _own(s) and ontology.value(s, RDFS.isDefinedBy) is None
    ]
    assert not undefined


def test_domains_and_ranges_are_declared(ontology):
    problems = []
    for prop in ontology.subjects(RDF.type, OWL.DatatypeProperty):
        for datatype in ontology.objects(prop, RDFS.range):
            if datatype not in RL_DATATYPES:
                problems.append(f"{prop}: range {datatype} is outside the OWL 2 RL datatypes")
    for link in (RDFS.domain, RDFS.range):
        for prop, cls in ontology.subject_objects(link):
            if (prop, RDF.type, OWL.DatatypeProperty) in ontology and link == RDFS.range:
                continue
            if isinstance(cls, URIRef) and OWL.Class not in _kinds(ontology, cls):
                problems.append(f"{prop}: {link} {cls} is not a declared class")
    assert not problems, "\n".join(problems)


def test_functional_properties_are_own_object_or_datatype_properties(ontology):
    functional = set(ontology.subjects(RDF.type, OWL.FunctionalProperty))
    assert functional
    for prop in functional:
        assert _own(prop)
        assert _kinds(ontology, prop) & {OWL.ObjectProperty, OWL.DatatypeProperty}


# --------------------------------------------------------------------------- OWL 2 RL profile

_SUPER_FORBIDDEN = {
    OWL.unionOf: "owl:unionOf",
    OWL.oneOf: "owl:oneOf",
    OWL.someValuesFrom: "owl:someValuesFrom",
    OWL.minCardinality: "owl:minCardinality",
    OWL.minQualifiedCardinality: "owl:minQualifiedCardinality",
    OWL.cardinality: "owl:cardinality",
    OWL.qualifiedCardinality: "owl:qualifiedCardinality",
    OWL.hasSelf: "owl:hasSelf",
}
_SUB_FORBIDDEN = {
    OWL.allValuesFrom: "owl:allValuesFrom",
    OWL.complementOf: "owl:complementOf",
    OWL.maxCardinality: "owl:maxCardinality",
    OWL.maxQualifiedCardinality: "owl:maxQualifiedCardinality",
    OWL.minCardinality: "owl:minCardinality",
    OWL.minQualifiedCardinality: "owl:minQualifiedCardinality",
    OWL.cardinality: "owl:cardinality",
    OWL.qualifiedCardinality: "owl:qualifiedCardinality",
    OWL.hasSelf: "owl:hasSelf",
}


def _members(graph: Graph, node, predicate) -> list:
    head = graph.value(node, predicate)
    return list(Collection(graph, head)) if head is not None else []


def _super_problems(graph: Graph, node, where: str) -> list[str]:
    """Why ``node`` may not stand where OWL 2 RL wants a superclass expression."""
    if isinstance(node, URIRef):
        return [f"{where}: owl:Thing as a superclass"] if node == OWL.Thing else []
    problems = [
        f"{where}: {name} in a superclass position"
        for p, name in _SUPER_FORBIDDEN.items()
        if (node, p, None) in graph
    ]
    for limit in (OWL.maxCardinality, OWL.maxQualifiedCardinality):
        value = graph.value(node, limit)
        if value is not None and int(value) > 1:
            problems.append(f"{where}: max cardinality {value} (RL allows 0 or 1)")
    for member in _members(graph, node, OWL.intersectionOf):
        problems += _super_problems(graph, member, where)
    for filler in graph.objects(node, OWL.allValuesFrom):
        problems += _super_problems(graph, filler, where)
    for operand in graph.objects(node, OWL.complementOf):
        problems += _sub_problems(graph, operand, where)
    for qualifier in graph.objects(node, OWL.onClass):
        problems += _sub_problems(graph, qualifier, where)
    return problems


def _sub_problems(graph: Graph, node, where: str) -> list[str]:
    """Why ``node`` may not stand where OWL 2 RL wants a subclass expression."""
    if isinstance(node, URIRef):
        return []
    problems = [
        f"{where}: {name} in a subclass position"
        for p, name in _SUB_FORBIDDEN.items()
        if (node, p, None) in graph
    ]
    for p in (OWL.intersectionOf, OWL.unionOf):
        for member in _members(graph, node, p):
            problems += _sub_problems(graph, member, where)
    for filler in graph.objects(node, OWL.someValuesFrom):
        problems += _sub_problems(graph, filler, where)
    return problems


def rl_problems(graph: Graph) -> list[str]:
    """Class expressions that put an ontology outside the OWL 2 RL profile."""
    problems = []
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        where = f"{sub} rdfs:subClassOf"
        problems += _sub_problems(graph, sub, where) + _super_problems(graph, sup, where)
    for a, b in graph.subject_objects(OWL.equivalentClass):
        for node in (a, b):
            where = f"{a} owl:equivalentClass"
            problems += _sub_problems(graph, node, where) + _super_problems(graph, node, where)
    for link in (RDFS.domain, RDFS.range):
        for prop, cls in graph.subject_objects(link):
            problems += _super_problems(graph, cls, f"{prop} {link}")
    for a, b in graph.subject_objects(OWL.disjointWith):
        for node in (a, b):
            problems += _sub_problems(graph, node, f"{a} owl:disjointWith")
    for axiom in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        for member in _members(graph, axiom, OWL.members):
            problems += _sub_problems(graph, member, "owl:AllDisjointClasses")
    return problems


def test_ontology_is_in_the_owl2_rl_profile(everything):
    assert rl_problems(everything) == []


_PREFIXES = """
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix : <urn:example:> .
"""


@pytest.mark.parametrize(
    ("snippet", "reason"),
    [
        (":A rdfs:subClassOf [ owl:unionOf ( :B :C ) ] .", "owl:unionOf"),
        (
            ":A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty :p ;"
            " owl:someValuesFrom :B ] .",
            "owl:someValuesFrom",
        ),
        (
            ":A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty :p ; owl:minCardinality 1 ] .",
            "owl:minCardinality",
        ),
        (
            ":A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty :p ; owl:cardinality 2 ] .",
            "owl:cardinality",
        ),
        (
            ":A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty :p ; owl:maxCardinality 2 ] .",
            "max cardinality 2",
        ),
        (":p rdfs:range [ owl:unionOf ( :B :C ) ] .", "owl:unionOf"),
        (
            ":A rdfs:subClassOf [ owl:intersectionOf ( :B [ owl:unionOf ( :C :D ) ] ) ] .",
            "owl:unionOf",
        ),
        (
            "[ a owl:Restriction ; owl:onProperty :p ; owl:allValuesFrom :B ] rdfs:subClassOf :A .",
            "owl:allValuesFrom",
        ),
    ],
)
def test_rl_check_rejects_constructs_outside_the_profile(snippet, reason):
    graph = Graph().parse(data=_PREFIXES + snippet, format="turtle")
    problems = rl_problems(graph)
    assert problems and any(reason in p for p in problems)


def test_rl_check_accepts_constructs_inside_the_profile():
    snippet = """
    :A rdfs:subClassOf [ a owl:Restriction ; owl:onProperty :p ; owl:maxCardinality 1 ] ,
        [ a owl:Restriction ; owl:onProperty :p ; owl:allValuesFrom :B ] .
    [ owl:unionOf ( :B :C ) ] rdfs:subClassOf :D .
    [ a owl:Restriction ; owl:onProperty :p ; owl:someValuesFrom :B ] rdfs:subClassOf :E .
    """
    assert rl_problems(Graph().parse(data=_PREFIXES + snippet, format="turtle")) == []


# --------------------------------------------------------------------------- reasoning


def _closure_errors(graph: Graph) -> list[str]:
    """Run the OWL 2 RL rules over ``graph`` (in place) and return the inconsistencies found."""
    owlrl = pytest.importorskip(
        "owlrl", reason="owlrl is not installed; the OWL 2 RL closure checks need it"
    )
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    return sorted(str(o) for o in graph.objects(None, ERR.error))


def test_no_class_is_unsatisfiable(everything):
    """Give every class an instance of its own; the RL closure must find nothing inconsistent."""
    graph = Graph() + everything
    classes = sorted(c for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef))
    probes = {}
    for cls in classes:
        probe = URIRef(f"urn:probe:{len(probes)}")
        probes[probe] = cls
        graph.add((probe, RDF.type, cls))
    errors = _closure_errors(graph)
    unsatisfiable = sorted(
        str(cls)
        for probe, cls in probes.items()
        if any(e.endswith(f" {probe}") or e.startswith(f"{probe} ") for e in errors)
    )
    assert not unsatisfiable, "\n".join(errors)
    assert not errors


def test_disjointness_is_enforced(everything):
    """An individual of two disjoint classes is found inconsistent, so the check above can fail."""
    pairs = list(everything.subject_objects(OWL.disjointWith))
    assert pairs
    graph = Graph() + everything
    a, b = pairs[0]
    graph.add((URIRef("urn:probe:both"), RDF.type, a))
    graph.add((URIRef("urn:probe:both"), RDF.type, b))
    assert any("urn:probe:both" in e for e in _closure_errors(graph))


# Instance data shaped as the pipeline writes it, including the awkward cases the domains
# and ranges must allow: a summit held "in" a state, a meeting "at" a ministry, a topic that is
# a domain concept, a mechanism utilised for a disaster, a legal basis that is a treaty article.
SAMPLE = """
@base <https://w3id.org/alliance-kg/id/> .
@prefix akg: <https://w3id.org/alliance-kg/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<state/japan> a akg:State .
<state/united-states> a akg:State .
<person/takeshi-iwaya> a akg:Person ; akg:ofState <state/japan> .
<person/patrick-shanahan> a akg:Person ; akg:ofState <state/united-states> .
<organization/ministry-of-defense> a akg:GovernmentBody ; akg:ofState <state/japan> .
<organization/self-defense-forces> a akg:MilitaryForce ;
    org:subOrganizationOf <organization/ministry-of-defense> .
<post/minister-of-defense> a akg:Post ; akg:ofState <state/japan> ;
    org:postIn <organization/ministry-of-defense> .
<post/us-secretary-of-defense> a akg:Post ; akg:ofState <state/united-states> .
<mechanism/security-consultative-committee> a akg:ConsultativeBody ;
    akg:memberPost <post/minister-of-defense> , <post/us-secretary-of-defense> ;
    akg:establishedOn "1960-01-19"^^xsd:date ;
    akg:purpose "consultation on security" .
<mechanism/subcommittee-for-defense-cooperation> a akg:ConsultativeBody ;
    akg:parentBody <mechanism/security-consultative-committee> .
<mechanism/alliance-coordination-mechanism> a akg:CoordinationBody ;
    akg:legalBasis <agreement/guidelines-2015> ;
    akg:establishedBy <state/japan> , <state/united-states> ;
    akg:utilizedFor <event/2016-kumamoto-earthquake> , <issue/senkaku-islands> .
<mechanism/joint-committee> a akg:ConsultativeBody ;
    akg:legalBasis <article/sofa-article-25> .
<organization/japan-us-alliance> a akg:Alliance .
<agreement/security-treaty> a akg:Treaty ; akg:party <state/japan> , <state/united-states> ;
    akg:signedOn "1960-01-19"^^xsd:date ; akg:enteredIntoForceOn "1960-06"^^xsd:gYearMonth .
<agreement/sofa> a akg:Treaty .
<article/security-treaty-article-5> a akg:TreatyArticle ;
    akg:articleOf <agreement/security-treaty> ; akg:articleNumber 5 ;
    akg:appliesTo <place/senkaku-islands> ;
    akg:mayApplyTo <issue/cyber-attacks> .
<article/sofa-article-25> a akg:TreatyArticle ; akg:articleOf <agreement/sofa> .
<agreement/security-arrangements> a akg:Agreement ; akg:basedOn <agreement/security-treaty> .
<agreement/guidelines-1997> a akg:Guidelines .
<agreement/guidelines-2015> a akg:Guidelines ;
    akg:replaces <agreement/guidelines-1997> ; akg:revises <agreement/guidelines-1997> ;
    akg:approvedBy <mechanism/security-consultative-committee> ;
    akg:recommendedBy <mechanism/subcommittee-for-defense-cooperation> ;
    akg:approvedOn "2015-04-27"^^xsd:date ;
    akg:provides <responsibility/provision-1> .
<responsibility/provision-1> a akg:CooperationProvision ;
    akg:area <operation/asset-protection> ; akg:situation <situation/peacetime> ;
    akg:underAgreement <agreement/guidelines-2015> .
<operation/asset-protection> a akg:CooperationArea .
<situation/peacetime> a akg:Situation .
<operation/air-defense-operations> a akg:Operation .
<responsibility/r-1> a akg:Responsibility ;
    akg:responsibleActor <organization/self-defense-forces> ;
    akg:operation <operation/air-defense-operations> ;
    akg:responsibilityType <situation/primary-responsibility> ;
    akg:underAgreement <agreement/guidelines-2015> ;
    akg:situation <situation/armed-attack-against-japan> .
<situation/primary-responsibility> a akg:ResponsibilityType .
<organization/self-defense-forces> akg:primaryResponsibilityFor <operation/air-defense-operations> .
<organization/us-armed-forces> a akg:MilitaryForce ;
    akg:supportsAndSupplements <organization/self-defense-forces> .
<issue/senkaku-islands> a akg:Issue .
<place/senkaku-islands> a akg:Place .
<place/washington-dc> a akg:Place .

<event/2019-01-16-meeting> a akg:DefenseMinisterialMeeting ;
    akg:date "2019-01-16"^^xsd:date ;
    akg:participant <person/takeshi-iwaya> , <person/patrick-shanahan> ;
    akg:location <organization/ministry-of-defense> ;
    akg:topic <domain/space> , <issue/senkaku-islands> ;
    akg:hasParticipation <participation/p-1> .
<participation/p-1> a akg:Participation ; akg:agent <person/patrick-shanahan> ;
    akg:post <post/us-secretary-of-defense> ; akg:side <state/united-states> ;
    akg:acting true ; akg:titleAsWritten "Acting Secretary of Defense" .
<event/2019-04-26-summit> a akg:SummitMeeting ; akg:date "2019-04"^^xsd:gYearMonth ;
    akg:location <state/united-states> .
<event/2019-04-19-2plus2> a akg:TwoPlusTwoMeeting ;
    akg:meetingOf <mechanism/security-consultative-committee> ;
    akg:location <place/washington-dc> .
<event/2015-signing> a akg:Signing ; akg:concerns <agreement/guidelines-2015> .
<event/2016-kumamoto-earthquake> a akg:Disaster ; akg:date "2016"^^xsd:gYear .
<affirmation/a-1> a akg:Affirmation ; akg:affirmedAt <event/2019-01-16-meeting> ;
    akg:affirmedBy <person/takeshi-iwaya> ; akg:topic <agreement/guidelines-2015> ;
    akg:statementText "the two ministers confirmed" .

<document/doc-1> a akg:Document ; akg:sha256 "00ff" .
<lexicon/lex-1> a akg:Lexicon ; akg:sha256 "11ee" .
<sentence/doc-1-0-10> a akg:Sentence ; akg:section "1 Outline" .
<rule/heading.meeting> a akg:ExtractionRule .
<assertion/doc-1-1> a akg:Assertion ; akg:rule <rule/heading.meeting> ;
    akg:evidence <sentence/doc-1-0-10> .
<build/b-1> a akg:Build .
"""


def test_typical_instance_data_is_consistent_and_aligned(everything):
    graph = Graph() + everything
    graph.parse(data=SAMPLE, format="turtle")
    assert _closure_errors(graph) == []
    ids = Namespace(BASE + "id/")
    foaf = Namespace("http://xmlns.com/foaf/0.1/")
    sem = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
    schema = Namespace("https://schema.org/")
    prov = Namespace("http://www.w3.org/ns/prov#")
    org = Namespace("http://www.w3.org/ns/org#")
    meeting = ids["event/2019-01-16-meeting"]
    # Subclass and subproperty alignments make the data visible to standard vocabularies.
    assert (meeting, RDF.type, sem.Event) in graph
    assert (meeting, RDF.type, schema.Event) in graph
    assert (meeting, sem.hasActor, ids["person/takeshi-iwaya"]) in graph
    assert (meeting, schema.location, ids["organization/ministry-of-defense"]) in graph
    assert (meeting, DCT.subject, ids["domain/space"]) in graph
    assert (ids["person/takeshi-iwaya"], RDF.type, foaf.Agent) in graph
    assert (
        ids["mechanism/alliance-coordination-mechanism"],
        RDF.type,
        org.OrganizationalCollaboration,
    ) in graph
    assert (ids["assertion/doc-1-1"], prov.wasDerivedFrom, ids["sentence/doc-1-0-10"]) in graph
    # Domains and ranges type what the data leaves untyped.
    assert (ids["event/2015-signing"], RDF.type, AKG.Event) in graph
    assert (ids["person/patrick-shanahan"], RDF.type, AKG.Actor) in graph


# --------------------------------------------------------------------------- code vs ontology


def _code_terms() -> dict[str, set[str]]:
    """akg: local names the code and the queries mention, by file."""
    found: dict[str, set[str]] = defaultdict(set)
    files = [*(ROOT / "src").rglob("*.py"), *(ROOT / "queries").rglob("*.rq")]
    for path in files:
        for name in CODE_TERM_RE.findall(path.read_text(encoding="utf-8")):
            found[name].add(str(path.relative_to(ROOT)))
    return found


def test_terms_in_code_and_queries_are_declared(ontology):
    undeclared = {
        name: sorted(files)
        for name, files in _code_terms().items()
        if not _kinds(ontology, AKG[name])
    }
    assert not undeclared


def test_vocab_terms_are_declared_with_their_kind(ontology):
    vocab_path = ROOT / "src" / "alliance_kg" / "vocab.py"
    if not vocab_path.exists():
        pytest.skip("src/alliance_kg/vocab.py does not exist yet")
    from alliance_kg import vocab

    expected = {
        **{name: {OWL.Class} for name in vocab.CLASSES},
        **{name: {OWL.ObjectProperty} for name in vocab.OBJECT_PROPERTIES},
        # Literal-valued: a datatype property, or an annotation property where the
        # super-property is itself an annotation (akg:purpose under dct:description).
        **{
            name: {OWL.DatatypeProperty, OWL.AnnotationProperty}
            for name in vocab.DATATYPE_PROPERTIES
        },
    }
    wrong = {
        name: sorted(str(k) for k in _kinds(ontology, AKG[name]))
        for name, kinds in expected.items()
        if not _kinds(ontology, AKG[name]) & kinds
    }
    assert not wrong


# --------------------------------------------------------------------------- domain scheme


def _concepts(graph: Graph) -> list[URIRef]:
    return sorted(c for c in graph.subjects(RDF.type, SKOS.Concept) if isinstance(c, URIRef))


def _labels(graph: Graph, concept) -> dict:
    return {
        p: [str(o) for o in graph.objects(concept, p)]
        for p in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
    }


def is_acronym(label: str) -> bool:
    """A label with capitals and no lower-case letters ("ISR", "HA/DR", "UN PKO")."""
    return any(c.isupper() for c in label) and not any(c.islower() for c in label)


def is_single_word(label: str) -> bool:
    return not re.search(r"\s", label.strip())


def test_domain_scheme_is_declared(domains):
    assert (SCHEME, RDF.type, SKOS.ConceptScheme) in domains
    assert _english(domains, SCHEME, SKOS.prefLabel)


def test_every_domain_concept_is_complete(domains):
    concepts = _concepts(domains)
    assert len(concepts) >= 20
    problems = []
    for concept in concepts:
        iri = str(concept)
        slug = iri.removeprefix(DOMAIN_PREFIX)
        if slug == iri or not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug):
            problems.append(f"{iri}: not {DOMAIN_PREFIX}{{lower-case-hyphenated slug}}")
        if (concept, RDF.type, AKG.Domain) not in domains:
            problems.append(f"{iri}: not an akg:Domain")
        if (concept, SKOS.inScheme, SCHEME) not in domains:
            problems.append(f"{iri}: not skos:inScheme the domain scheme")
        preferred = _english(domains, concept, SKOS.prefLabel)
        if len(preferred) != 1 or len(list(domains.objects(concept, SKOS.prefLabel))) != 1:
            problems.append(f"{iri}: needs exactly one skos:prefLabel, in English")
        elif _english(domains, concept, RDFS.label) != preferred:
            problems.append(f"{iri}: rdfs:label differs from skos:prefLabel")
        if not _english(domains, concept, SKOS.definition):
            problems.append(f"{iri}: needs a skos:definition @en")
        non_english = [
            o
            for p in (SKOS.altLabel, SKOS.hiddenLabel)
            for o in domains.objects(concept, p)
            if getattr(o, "language", None) != "en"
        ]
        if non_english:
            problems.append(f"{iri}: labels without @en: {non_english}")
    assert not problems, "\n".join(problems)


def test_domain_hierarchy(domains):
    concepts = set(_concepts(domains))
    top = set(domains.objects(SCHEME, SKOS.hasTopConcept))
    assert top and top == set(domains.subjects(SKOS.topConceptOf, SCHEME))
    for concept in concepts:
        broader = set(domains.objects(concept, SKOS.broader))
        assert broader <= concepts, concept
        # A concept is either at the top or under another one, never both.
        assert (concept in top) != bool(broader), concept
        seen, todo = set(), list(broader)
        while todo:
            parent = todo.pop()
            assert parent != concept, f"{concept}: skos:broader cycle"
            if parent not in seen:
                seen.add(parent)
                todo.extend(domains.objects(parent, SKOS.broader))
    for a, b in domains.subject_objects(SKOS.related):
        assert a in concepts and b in concepts
        assert not set(domains.transitive_objects(a, SKOS.broader)) & {b}, (a, b)


def test_no_label_names_two_concepts(domains):
    owners: dict[str, set] = defaultdict(set)
    for concept in _concepts(domains):
        for labels in _labels(domains, concept).values():
            for label in labels:
                owners[label.casefold()].add(concept)
    shared = {label: sorted(c) for label, c in owners.items() if len(c) > 1}
    assert not shared


def test_label_kinds_are_disjoint_within_a_concept(domains):
    """SKOS S13: a concept's preferred, alternative and hidden labels never repeat each other."""
    for concept in _concepts(domains):
        seen: list[str] = []
        for labels in _labels(domains, concept).values():
            seen += [label.casefold() for label in labels]
        assert len(seen) == len(set(seen)), concept


def test_alternative_labels_are_safe_to_match(domains):
    """An alternative label is matched in text, so it is several words or an acronym; single
    words that are safe to match go in skos:hiddenLabel."""
    risky = [
        (str(c), label)
        for c in _concepts(domains)
        for label in _labels(domains, c)[SKOS.altLabel]
        if is_single_word(label) and not is_acronym(label)
    ]
    assert not risky


def test_lexicon_reads_every_domain_concept(domains):
    entries = {e.slug: e for e in read_domains(DOMAINS)}
    concepts = _concepts(domains)
    assert len(entries) == len(concepts)
    for concept in concepts:
        entry = entries[str(concept).removeprefix(DOMAIN_PREFIX)]
        labels = _labels(domains, concept)
        assert entry.cls == "Domain"
        assert [entry.label] == labels[SKOS.prefLabel]
        assert sorted(entry.aliases) == sorted(labels[SKOS.altLabel])
        assert sorted(entry.hidden) == sorted(labels[SKOS.hiddenLabel])


def _corpus_text() -> str:
    corpus = SHARED / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"{corpus} is absent: the shared corpus sits beside the repository only in CI")
    files = sorted(corpus.glob("*/*.txt"))
    assert files
    # Hard line wraps in the editions must not hide multi-word forms.
    return " ".join(re.sub(r"\s+", " ", f.read_text(encoding="utf-8")) for f in files)


def label_pattern(label: str, hidden: bool) -> re.Pattern[str] | None:
    """The pattern the README's matching rules give a label, or None when it is not matched."""
    if is_single_word(label) and not hidden and not is_acronym(label):
        return None
    words = r"\s+".join(re.escape(w) for w in label.split())
    flags = 0 if is_acronym(label) else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){words}(?![\w-])", flags)


@pytest.mark.shared
@pytest.mark.slow
def test_surface_forms_occur_in_the_corpus(domains):
    """Every matched label was collected from the texts: each occurs in the shared corpus."""
    text = _corpus_text()
    absent = []
    for concept in _concepts(domains):
        labels = _labels(domains, concept)
        forms = [(label, False) for label in labels[SKOS.prefLabel] + labels[SKOS.altLabel]]
        forms += [(label, True) for label in labels[SKOS.hiddenLabel]]
        for label, hidden in forms:
            pattern = label_pattern(label, hidden)
            if pattern is not None and not pattern.search(text):
                absent.append(f"{concept}: {label!r}")
    assert not absent, "\n".join(absent)


def test_concept_texts_are_short():
    """Definitions and comments of concepts are one short sentence (under 150 characters):
    long passages belong to documents, and tools tell entities from text passages by length."""
    graph = Graph().parse(DOMAINS)
    long = [(s, p) for s, p, o in graph if isinstance(o, Literal) and "/id/" in s and len(o) >= 150]
    assert long == []


# --------------------------------------------------------------------------- reasoning and shapes

BUILTIN_TERMS = {
    RDF.type,
    RDF.subject,
    RDF.predicate,
    RDF.object,
    RDF.value,
    RDF.first,
    RDF.rest,
    RDFS.label,
    RDFS.comment,
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    RDFS.domain,
    RDFS.range,
    RDFS.isDefinedBy,
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.FunctionalProperty,
    OWL.Ontology,
    OWL.AllDisjointClasses,
    OWL.members,
    OWL.disjointWith,
    OWL.versionIRI,
    OWL.versionInfo,
}


def test_the_fast_reasoner_implements_every_construct_the_ontology_uses(everything):
    from alliance_kg import reason

    triples = {
        (t.subject, t.predicate, t.object)
        for path in (ONTOLOGY, DOMAINS)
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
    }
    assert reason.unsupported(triples) == set()


def test_the_fast_reasoner_finds_no_unsatisfiable_class():
    """One instance per class: the fast path's consistency rules report nothing."""
    from alliance_kg import reason

    triples = {
        (t.subject, t.predicate, t.object)
        for path in (ONTOLOGY, DOMAINS)
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
    }
    owl_class = ox.NamedNode(str(OWL.Class))
    classes = [s for s, p, o in triples if p == reason.TYPE and o == owl_class]
    probes = {(ox.NamedNode(f"urn:probe:{i}"), reason.TYPE, c) for i, c in enumerate(classes)}
    assert reason.materialise(triples | probes).inconsistencies == ()
    clash = (ox.NamedNode("urn:probe:0"), reason.TYPE, ox.NamedNode(str(AKG.Event)))
    person = (ox.NamedNode("urn:probe:0"), reason.TYPE, ox.NamedNode(str(AKG.Person)))
    assert reason.materialise(triples | {clash, person}).inconsistencies


def test_every_term_the_data_uses_is_declared(everything, default_build):
    """Predicates and classes of the default build: declared here, or built into RDF/OWL."""
    store = ox.Store()
    store.bulk_load(path=str(default_build / "kg.nq"), format=ox.RdfFormat.N_QUADS)
    used = {URIRef(q.predicate.value) for q in store}
    used |= {
        URIRef(q.object.value)
        for q in store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)), None)
    }
    undeclared = sorted(str(t) for t in used - BUILTIN_TERMS if not _kinds(everything, t))
    assert not undeclared


def test_every_akg_term_in_the_shapes_is_declared(everything):
    shapes = Graph().parse(ROOT / "ontology" / "shapes.ttl")
    terms = {t for triple in shapes for t in triple if _own(t) and str(t).startswith(str(AKG))}
    text = (ROOT / "ontology" / "shapes.ttl").read_text()
    terms |= {AKG[name] for name in re.findall(r"\bakg:([A-Za-z][A-Za-z0-9]*)", text)}
    assert terms
    assert sorted(str(t) for t in terms if not _kinds(everything, t)) == []
