"""OWL 2 RL inference: the closure of ontology + data, materialised as its own graph.

``materialise()`` is the fast path the build runs. It applies the OWL 2 RL/RDF rules
(W3C OWL 2 Profiles, section 4.3) that the constructs of our ontology trigger, in two steps:

1. the schema closure (``scm-*`` rules): subclass and subproperty hierarchies with
   equivalences, domains and ranges carried up the class and down the property hierarchy;
2. the data closure, one pass over a work list, every rule compiled into look-up tables:
   ``cax-sco``/``cax-eqc`` (types), ``prp-spo1``/``prp-eqp`` (superproperties),
   ``prp-dom``/``prp-rng``, ``prp-inv``, ``prp-symp``, ``prp-trp``, ``prp-fp``/``prp-ifp``
   (which derive ``owl:sameAs``) and ``eq-sym``/``eq-trans``; ``eq-rep-*`` (copying every
   triple of a node to the nodes it is the same as) runs between passes until nothing changes.
   If the data extends the schema (a triple with a schema predicate is derived), the two
   steps run again.

The ``cax-dw``/``cax-adc``, ``cls-nothing2``, ``eq-diff*``, ``prp-irp``, ``prp-asyp`` and
``prp-pdw`` rules derive no triples but report the data inconsistent; the reports come back
in ``Inference.inconsistencies``.

owlrl (``reference_closure``) is the reference implementation; the fast path yields the same
triples up to ``is_axiomatic`` (see its docstring), which a test checks on the default build.
An ontology that uses a construct the fast path does not implement (``unsupported``) makes
``materialise`` refuse to run rather than silently derive less than owlrl.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from .namespaces import OWL, RDF, RDFS, XSD

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Triple = tuple[Term, Term, Term]

TYPE = ox.NamedNode(RDF + "type")
SUB_CLASS = ox.NamedNode(RDFS + "subClassOf")
SUB_PROPERTY = ox.NamedNode(RDFS + "subPropertyOf")
DOMAIN = ox.NamedNode(RDFS + "domain")
RANGE = ox.NamedNode(RDFS + "range")
EQUIVALENT_CLASS = ox.NamedNode(OWL + "equivalentClass")
EQUIVALENT_PROPERTY = ox.NamedNode(OWL + "equivalentProperty")
INVERSE_OF = ox.NamedNode(OWL + "inverseOf")
SAME_AS = ox.NamedNode(OWL + "sameAs")
DIFFERENT_FROM = ox.NamedNode(OWL + "differentFrom")
DISJOINT_WITH = ox.NamedNode(OWL + "disjointWith")
PROPERTY_DISJOINT_WITH = ox.NamedNode(OWL + "propertyDisjointWith")
MEMBERS = ox.NamedNode(OWL + "members")
ALL_DISJOINT_CLASSES = ox.NamedNode(OWL + "AllDisjointClasses")
NOTHING = ox.NamedNode(OWL + "Nothing")
THING = ox.NamedNode(OWL + "Thing")
FIRST = ox.NamedNode(RDF + "first")
REST = ox.NamedNode(RDF + "rest")
NIL = ox.NamedNode(RDF + "nil")


def _owl(name: str) -> ox.NamedNode:
    return ox.NamedNode(OWL + name)


FUNCTIONAL = _owl("FunctionalProperty")
INVERSE_FUNCTIONAL = _owl("InverseFunctionalProperty")
SYMMETRIC = _owl("SymmetricProperty")
TRANSITIVE = _owl("TransitiveProperty")
IRREFLEXIVE = _owl("IrreflexiveProperty")
ASYMMETRIC = _owl("AsymmetricProperty")
PROPERTY_TYPES = frozenset(
    {FUNCTIONAL, INVERSE_FUNCTIONAL, SYMMETRIC, TRANSITIVE, IRREFLEXIVE, ASYMMETRIC}
)

#: Predicates whose triples make up the schema; deriving one of these re-runs the schema step.
SCHEMA_PREDICATES = frozenset(
    {
        SUB_CLASS,
        SUB_PROPERTY,
        DOMAIN,
        RANGE,
        EQUIVALENT_CLASS,
        EQUIVALENT_PROPERTY,
        INVERSE_OF,
        DISJOINT_WITH,
        PROPERTY_DISJOINT_WITH,
        MEMBERS,
    }
)

#: OWL vocabulary with logical consequences in OWL 2 RL that the fast path does not implement
#: (class expressions, property chains, keys, cardinalities, ...). Using one in the ontology
#: makes ``materialise`` refuse, so that it never derives less than owlrl without saying so.
UNSUPPORTED = frozenset(
    _owl(name)
    for name in (
        "intersectionOf",
        "unionOf",
        "complementOf",
        "oneOf",
        "someValuesFrom",
        "allValuesFrom",
        "hasValue",
        "hasSelf",
        "maxCardinality",
        "maxQualifiedCardinality",
        "minCardinality",
        "cardinality",
        "qualifiedCardinality",
        "propertyChainAxiom",
        "hasKey",
        "AllDifferent",
        "distinctMembers",
        "sourceIndividual",
        "NegativePropertyAssertion",
        "disjointUnionOf",
        "AllDisjointProperties",
    )
)

BUILTIN_NAMESPACES = (RDF, RDFS, OWL, XSD)

#: The named graph of the inferred triples: ``{base}graph/inferred``.
INFERRED_GRAPH = "inferred"


class ReasoningError(ValueError):
    """The ontology uses a construct the fast path cannot reason with."""


@dataclass(frozen=True)
class Inference:
    """What the closure adds to the asserted triples, and what it found inconsistent."""

    triples: frozenset[Triple]
    inconsistencies: tuple[str, ...] = ()
    passes: int = 0

    def quads(self, graph: ox.NamedNode) -> Iterator[ox.Quad]:
        """The inferred triples as quads of one named graph."""
        for s, p, o in self.triples:
            yield ox.Quad(s, p, o, graph)


def unsupported(triples: Iterable[Triple]) -> set[str]:
    """OWL terms used (as predicate or type) that ``materialise`` does not reason with."""
    found = set()
    for _, p, o in triples:
        if p in UNSUPPORTED:
            found.add(p.value)
        elif p == TYPE and o in UNSUPPORTED:
            found.add(o.value)
    return found


def is_axiomatic(triple: Triple) -> bool:
    """True for triples an OWL 2 RL closure holds about every term, or outside RDF.

    Both sides of the comparison with owlrl drop them, and the inferred graph never holds
    them, because they say nothing about the data:

    - triples with a literal subject (generalised RDF, e.g. ``"1"^^xsd:integer rdf:type
      xsd:decimal``), which RDF 1.1 cannot state;
    - reflexive ``owl:sameAs``, ``owl:equivalentClass``, ``owl:equivalentProperty``,
      ``rdfs:subClassOf``, ``rdfs:subPropertyOf`` (``eq-ref``, ``scm-cls``, ``scm-op``,
      ``scm-dp``: true of every term);
    - ``x rdf:type owl:Thing``, ``C rdfs:subClassOf owl:Thing``, ``P rdfs:domain owl:Thing``,
      ``P rdfs:range owl:Thing`` and ``owl:Nothing rdfs:subClassOf C`` (``scm-cls`` and its
      consequences by ``scm-dom1``/``scm-rng1``: true of every individual, class and property);
    - triples about the built-in vocabulary itself (subject in the rdf:, rdfs:, owl: or xsd:
      namespace: datatype axioms such as ``xsd:boolean owl:disjointWith xsd:decimal``).
    """
    s, p, o = triple
    if isinstance(s, ox.Literal):
        return True
    if s == o and p in (SAME_AS, EQUIVALENT_CLASS, EQUIVALENT_PROPERTY, SUB_CLASS, SUB_PROPERTY):
        return True
    if o == THING and p in (TYPE, SUB_CLASS, DOMAIN, RANGE):
        return True
    if s == NOTHING and p == SUB_CLASS:
        return True
    return isinstance(s, ox.NamedNode) and s.value.startswith(BUILTIN_NAMESPACES)


def _is_schema(triple: Triple) -> bool:
    p, o = triple[1], triple[2]
    return p in SCHEMA_PREDICATES or (
        p == TYPE and (o in PROPERTY_TYPES or o == ALL_DISJOINT_CLASSES)
    )


def _transitive(pairs: dict[Term, set[Term]]) -> dict[Term, set[Term]]:
    """The transitive closure of a relation given as successor sets (without x -> x)."""
    closed: dict[Term, set[Term]] = {}
    for start in pairs:
        seen: set[Term] = set()
        stack = list(pairs[start])
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(pairs.get(node, ()))
        seen.discard(start)
        closed[start] = seen
    return closed


def _rdf_list(head: Term, first: dict, rest: dict) -> list[Term]:
    items, node, seen = [], head, set()
    while node != NIL and node in first and node not in seen:
        seen.add(node)
        items.append(first[node])
        node = rest.get(node, NIL)
    return items


@dataclass
class Schema:
    """The schema closure compiled into look-up tables for the data rules."""

    superclasses: dict[Term, set[Term]] = field(default_factory=dict)
    superproperties: dict[Term, set[Term]] = field(default_factory=dict)
    domains: dict[Term, set[Term]] = field(default_factory=dict)
    ranges: dict[Term, set[Term]] = field(default_factory=dict)
    inverses: dict[Term, set[Term]] = field(default_factory=lambda: defaultdict(set))
    kinds: dict[Term, set[Term]] = field(default_factory=lambda: defaultdict(set))
    disjoint: set[frozenset[Term]] = field(default_factory=set)
    disjoint_properties: set[frozenset[Term]] = field(default_factory=set)
    triples: set[Triple] = field(default_factory=set)

    def has_kind(self, prop: Term, kind: Term) -> bool:
        return kind in self.kinds.get(prop, ())


def schema_closure(triples: set[Triple]) -> Schema:
    """Apply the ``scm-*`` rules and compile the schema (the triples are not modified)."""
    sub_c: dict[Term, set[Term]] = defaultdict(set)
    sub_p: dict[Term, set[Term]] = defaultdict(set)
    dom: dict[Term, set[Term]] = defaultdict(set)
    rng: dict[Term, set[Term]] = defaultdict(set)
    first, rest = {}, {}
    schema = Schema()
    adc_heads = []
    for s, p, o in triples:
        if p == SUB_CLASS:
            sub_c[s].add(o)
        elif p == EQUIVALENT_CLASS:  # scm-eqc1
            sub_c[s].add(o)
            sub_c[o].add(s)
        elif p == SUB_PROPERTY:
            sub_p[s].add(o)
        elif p == EQUIVALENT_PROPERTY:  # scm-eqp1
            sub_p[s].add(o)
            sub_p[o].add(s)
        elif p == DOMAIN:
            dom[s].add(o)
        elif p == RANGE:
            rng[s].add(o)
        elif p == INVERSE_OF:
            schema.inverses[s].add(o)
            schema.inverses[o].add(s)
        elif p == DISJOINT_WITH:
            schema.disjoint.add(frozenset((s, o)))
        elif p == PROPERTY_DISJOINT_WITH:
            schema.disjoint_properties.add(frozenset((s, o)))
        elif p == FIRST:
            first[s] = o
        elif p == REST:
            rest[s] = o
        elif p == TYPE and o in PROPERTY_TYPES:
            schema.kinds[s].add(o)
        elif p == TYPE and o == ALL_DISJOINT_CLASSES:
            adc_heads.append(s)
    for s, p, o in triples:
        if p == MEMBERS and s in adc_heads:  # cax-adc
            members = _rdf_list(o, first, rest)
            for a, b in itertools.combinations(members, 2):
                schema.disjoint.add(frozenset((a, b)))

    schema.superclasses = _transitive(sub_c)  # scm-sco
    schema.superproperties = _transitive(sub_p)  # scm-spo
    for prop in set(dom) | set(rng) | set(schema.superproperties):
        # scm-dom1/scm-rng1 (up the class hierarchy), scm-dom2/scm-rng2 (down the properties)
        for table, source in ((schema.domains, dom), (schema.ranges, rng)):
            classes = set(source.get(prop, ()))
            for sup in schema.superproperties.get(prop, ()):
                classes |= source.get(sup, set())
            for c in list(classes):
                classes |= schema.superclasses.get(c, set())
            if classes:
                table[prop] = classes

    out = schema.triples
    for c, sups in schema.superclasses.items():
        for d in sups:
            out.add((c, SUB_CLASS, d))
            if c in schema.superclasses.get(d, ()):  # scm-eqc2
                out.add((c, EQUIVALENT_CLASS, d))
    for p, sups in schema.superproperties.items():
        for q in sups:
            out.add((p, SUB_PROPERTY, q))
            if p in schema.superproperties.get(q, ()):  # scm-eqp2
                out.add((p, EQUIVALENT_PROPERTY, q))
    for prop, classes in schema.domains.items():
        out.update((prop, DOMAIN, c) for c in classes)
    for prop, classes in schema.ranges.items():
        out.update((prop, RANGE, c) for c in classes)
    return schema


class _Closure:
    """The data rules over one growing set of triples (a work list, no re-derivation)."""

    def __init__(self, schema: Schema, known: set[Triple]):
        self.schema = schema
        self.known = known
        self.queue: list[Triple] = []
        self.same: dict[Term, set[Term]] = defaultdict(set)
        self.sp: dict[tuple[Term, Term], set[Term]] = defaultdict(set)  # fp, trp, sameAs
        self.po: dict[tuple[Term, Term], set[Term]] = defaultdict(set)  # ifp, trp
        self.indexed = {
            p
            for p, kinds in schema.kinds.items()
            if kinds & {FUNCTIONAL, INVERSE_FUNCTIONAL, TRANSITIVE}
        }
        self.literal_clashes: list[str] = []

    def add(self, triple: Triple) -> None:
        if triple in self.known or isinstance(triple[0], ox.Literal):
            return
        self.known.add(triple)
        self.queue.append(triple)

    def run(self, seeds: Iterable[Triple]) -> None:
        for triple in seeds:
            if triple in self.known:
                self.queue.append(triple)
            else:
                self.add(triple)
        while self.queue:
            self.fire(self.queue.pop())

    def fire(self, triple: Triple) -> None:
        s, p, o = triple
        schema = self.schema
        add = self.add
        literal = isinstance(o, ox.Literal)
        if p == TYPE:
            for c in schema.superclasses.get(o, ()):  # cax-sco, cax-eqc
                add((s, TYPE, c))
        for q in schema.superproperties.get(p, ()):  # prp-spo1, prp-eqp
            add((s, q, o))
        for c in schema.domains.get(p, ()):  # prp-dom
            add((s, TYPE, c))
        if not literal:
            for c in schema.ranges.get(p, ()):  # prp-rng
                add((o, TYPE, c))
            for q in schema.inverses.get(p, ()):  # prp-inv1, prp-inv2
                add((o, q, s))
            if schema.has_kind(p, SYMMETRIC):  # prp-symp
                add((o, p, s))
        if p == SAME_AS:
            self.same_as(s, o)
        if p in self.indexed:
            self.indexed_rules(s, p, o, literal)

    def same_as(self, s: Term, o: Term) -> None:
        if s == o:
            return
        self.add((o, SAME_AS, s))  # eq-sym
        for z in list(self.same[o]):  # eq-trans
            if z != s:
                self.add((s, SAME_AS, z))
        for x in list(self.same[s]):
            if x != o:
                self.add((x, SAME_AS, o))
        self.same[s].add(o)

    def indexed_rules(self, s: Term, p: Term, o: Term, literal: bool) -> None:
        schema = self.schema
        if schema.has_kind(p, FUNCTIONAL):  # prp-fp
            for other in self.sp[(s, p)]:
                self.equate(other, o, f"{s} has two values of functional {p}")
        if schema.has_kind(p, INVERSE_FUNCTIONAL):  # prp-ifp
            for other in self.po[(p, o)]:
                self.equate(other, s, f"{o} is the value of inverse-functional {p} for two")
        if schema.has_kind(p, TRANSITIVE) and not literal:  # prp-trp
            for z in list(self.sp[(o, p)]):
                self.add((s, p, z))
            for x in list(self.po[(p, s)]):
                self.add((x, p, o))
        self.sp[(s, p)].add(o)
        self.po[(p, o)].add(s)

    def equate(self, a: Term, b: Term, why: str) -> None:
        if a == b:
            return
        if isinstance(a, ox.Literal) or isinstance(b, ox.Literal):
            # Two literal values cannot be made the same individual; owlrl would state a
            # literal-subject sameAs (not RDF). Reported instead, like an inconsistency.
            self.literal_clashes.append(f"{why}: {a} and {b}")
            return
        self.add((a, SAME_AS, b))
        self.add((b, SAME_AS, a))


def _replace_equals(known: set[Triple], same: dict[Term, set[Term]]) -> list[Triple]:
    """``eq-rep-s/p/o``: every triple about a node, restated about every node it equals."""
    if not same:
        return []
    out = []
    for s, p, o in known:
        if p == SAME_AS:
            continue
        for s2 in (s, *same.get(s, ())):
            for p2 in (p, *same.get(p, ())):
                for o2 in (o, *same.get(o, ())):
                    triple = (s2, p2, o2)
                    if triple not in known:
                        out.append(triple)
    return out


def _inconsistencies(known: set[Triple], schema: Schema, clashes: list[str]) -> list[str]:
    """The contradictions the RL rules with a ``false`` head would report."""
    found = list(clashes)
    types: dict[Term, set[Term]] = defaultdict(set)
    same, different = set(), set()
    props: dict[Term, set[tuple[Term, Term]]] = defaultdict(set)
    watched = {p for p, k in schema.kinds.items() if k & {IRREFLEXIVE, ASYMMETRIC}}
    watched |= {p for pair in schema.disjoint_properties for p in pair}
    for s, p, o in known:
        if p == TYPE:
            types[s].add(o)
        elif p == SAME_AS:
            same.add((s, o))
        elif p == DIFFERENT_FROM:
            different.add((s, o))
        if p in watched:
            props[p].add((s, o))
    for x, classes in types.items():
        if NOTHING in classes:  # cls-nothing2
            found.append(f"{x} is an instance of owl:Nothing")
        for pair in schema.disjoint:  # cax-dw, cax-adc
            if pair <= classes and len(pair) == 2:
                a, b = sorted(pair, key=str)
                found.append(f"{x} is an instance of disjoint classes {a} and {b}")
    for a, b in same & (different | {(b, a) for a, b in different}):  # eq-diff1
        found.append(f"{a} is both owl:sameAs and owl:differentFrom {b}")
    for p, pairs in props.items():
        if schema.has_kind(p, IRREFLEXIVE):  # prp-irp
            found += [f"{s} {p} itself, but {p} is irreflexive" for s, o in pairs if s == o]
        if schema.has_kind(p, ASYMMETRIC):  # prp-asyp
            found += [
                f"{s} {p} {o} both ways, but {p} is asymmetric"
                for s, o in pairs
                if (o, s) in pairs and s != o
            ]
    for pair in schema.disjoint_properties:  # prp-pdw
        if len(pair) == 2:
            a, b = sorted(pair, key=str)
            found += [f"{s} {a} and {b} {o}, disjoint properties" for s, o in props[a] & props[b]]
    return sorted(set(found))


def materialise(triples: Iterable[Triple]) -> Inference:
    """The OWL 2 RL closure of a set of triples, minus the triples given and axiomatic ones.

    Raises ReasoningError when the schema uses a construct listed in ``UNSUPPORTED``.
    """
    asserted = {t for t in triples if not isinstance(t[0], ox.Literal)}
    missing = unsupported(asserted)
    if missing:
        raise ReasoningError(
            "the ontology uses OWL constructs the fast reasoner does not implement: "
            + ", ".join(sorted(missing))
        )
    schema_source = asserted
    passes = 0
    while True:
        passes += 1
        schema = schema_closure(schema_source)
        known = set(asserted)
        closure = _Closure(schema, known)
        closure.run([*asserted, *schema.triples])
        while True:  # eq-rep until no new triple appears
            replaced = _replace_equals(known, closure.same)
            if not replaced:
                break
            for t in replaced:
                closure.add(t)
            closure.run(())
        extended = {t for t in known if _is_schema(t)} - {t for t in schema_source if _is_schema(t)}
        if not extended - schema.triples:
            break
        schema_source = known
    inferred = frozenset(t for t in known - asserted if not is_axiomatic(t))
    return Inference(
        inferred, tuple(_inconsistencies(known, schema, closure.literal_clashes)), passes
    )


# --- the reference: owlrl ------------------------------------------------------------------


def to_rdflib(term: Term):
    """The rdflib term for a pyoxigraph term (blank nodes keep their ids)."""
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def from_rdflib(term) -> Term:
    """The pyoxigraph term for an rdflib term."""
    import rdflib

    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    datatype = term.datatype or rdflib.XSD.string
    return ox.Literal(str(term), datatype=ox.NamedNode(str(datatype)))


def reference_closure(triples: Iterable[Triple]) -> frozenset[Triple]:
    """owlrl's OWL 2 RL closure, minus the triples given and axiomatic ones (slow)."""
    import owlrl
    import rdflib

    asserted = set(triples)
    graph = rdflib.Graph()
    for s, p, o in asserted:
        graph.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics,
        rdfs_closure=False,
        axiomatic_triples=False,
        datatype_axioms=False,
    ).expand(graph)
    out = set()
    for s, p, o in graph:
        triple = (from_rdflib(s), from_rdflib(p), from_rdflib(o))
        if triple not in asserted and not is_axiomatic(triple):
            out.add(triple)
    return frozenset(out)
