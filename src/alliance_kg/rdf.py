"""Turn statements into quads: stable IRIs, provenance, one named graph per document.

Pure functions; nothing here touches the disk except reading the ontology files it is given.

Provenance model (see README, "Provenance"): every extracted triple is asserted in its
document's graph, and described by an ``akg:Assertion`` node (an ``rdf:Statement`` with
``rdf:subject/predicate/object``) that links to the ``akg:ExtractionRule`` that produced it
(``akg:rule``) and to the ``akg:Sentence`` it was read from (``akg:evidence``). A sentence is
a Web Annotation ``oa:SpecificResource`` of its ``akg:Document`` with a
``oa:TextPositionSelector`` (code point offsets into the raw file, end exclusive) and a
``oa:TextQuoteSelector`` (the exact raw text with a little context).
"""

from __future__ import annotations

import bisect
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import vocab
from .config import DEFAULT_BASE_IRI
from .corpus import Document, DocumentInfo
from .extract.dates import datatype_of
from .extract.model import MAX_LABEL, Entity, Evidence, Fact, Lit, Ref, Statement
from .lexicon import Entry, Lexicon, Term
from .namespaces import DCT, FOAF, OA, ORG, PROV, RDF, RDFS, SKOS, TIME, WD, XSD, Namespaces

QUOTE_CONTEXT = 32  # characters of prefix and suffix in a TextQuoteSelector

TIME_PROPERTY = {
    "date": TIME + "inXSDDate",
    "gYearMonth": TIME + "inXSDgYearMonth",
    "gYear": TIME + "inXSDgYear",
}

# The lexicon's `parent` link, by kind of the child entry: bodies nest as organisations, a
# place, an operation, a phase of a situation or a supplementary agreement is part of its parent.
PARENT_PROPERTY = {
    "post": ORG + "postIn",
    "article": "articleOf",
    "mechanism": ORG + "subOrganizationOf",
    "organization": ORG + "subOrganizationOf",
}


class StatementError(ValueError):
    """A statement uses a term the ontology does not declare, or has the wrong shape."""


@dataclass(frozen=True)
class Minter:
    """Mints the terms of one knowledge graph under one base IRI."""

    ns: Namespaces

    def iri(self, ref: Ref) -> ox.NamedNode:
        return ox.NamedNode(self.ns.entity(ref.kind, ref.slug))

    def entity(self, kind: str, slug: str) -> ox.NamedNode:
        return ox.NamedNode(self.ns.entity(kind, slug))

    def term(self, name: str) -> ox.NamedNode:
        """An ontology term by local name, or any IRI / standard CURIE."""
        if name.startswith(("http://", "https://")):
            return ox.NamedNode(name)
        return ox.NamedNode(self.ns.term(name))

    def graph(self, name: str) -> ox.NamedNode:
        return ox.NamedNode(self.ns.graph_iri(name))

    def document(self, doc_id: str) -> ox.NamedNode:
        return self.entity("document", doc_id)

    def document_graph(self, doc_id: str) -> ox.NamedNode:
        return ox.NamedNode(self.ns.document_graph(doc_id))

    def sentence(self, doc_id: str, start: int, end: int) -> ox.NamedNode:
        return self.entity("sentence", f"{doc_id}/{start}-{end}")

    def literal(self, lit: Lit) -> ox.Literal:
        if lit.lang:
            return ox.Literal(lit.value, language=lit.lang)
        if lit.datatype:
            return ox.Literal(lit.value, datatype=ox.NamedNode(XSD + lit.datatype))
        return ox.Literal(lit.value)

    def object(self, value: Ref | Lit) -> ox.NamedNode | ox.Literal:
        return self.iri(value) if isinstance(value, Ref) else self.literal(value)


def _q(s, p, o, g) -> ox.Quad:
    return ox.Quad(s, p, o, g)


def _nn(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _check_class(name: str) -> None:
    if ":" not in name and name not in vocab.CLASSES:
        raise StatementError(f"class akg:{name} is not declared in vocab.CLASSES")


def _check_fact(fact: Fact) -> None:
    p = fact.predicate
    if ":" in p:
        return
    if p not in vocab.PROPERTIES:
        raise StatementError(f"property akg:{p} is not declared in vocab.PROPERTIES")
    if p in vocab.DATATYPE_PROPERTIES and not isinstance(fact.object, Lit):
        raise StatementError(f"akg:{p} takes a literal, got {fact.object}")
    if p in vocab.OBJECT_PROPERTIES and not isinstance(fact.object, Ref):
        raise StatementError(f"akg:{p} takes an entity, got {fact.object!r}")


def _digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:16]


def rebase(term, old: str, new: str):
    """Move an IRI from one base to another (used when the base IRI is configured)."""
    if isinstance(term, ox.NamedNode) and term.value.startswith(old):
        return ox.NamedNode(new + term.value[len(old) :])
    return term


def ontology_quads(minter: Minter, paths: Iterable[Path]) -> Iterator[ox.Quad]:
    """Parse the ontology's Turtle files into the ontology graph, rebased to the configured base.

    Blank nodes (OWL axioms and lists) get canonical RDFC-1.0 labels so that two builds write
    identical dumps.
    """
    graph = minter.graph("ontology")
    base = minter.ns.base
    dataset = ox.Dataset()
    for path in sorted(paths):
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            if base == DEFAULT_BASE_IRI:
                dataset.add(_q(t.subject, t.predicate, t.object, graph))
            else:
                dataset.add(
                    _q(
                        rebase(t.subject, DEFAULT_BASE_IRI, base),
                        rebase(t.predicate, DEFAULT_BASE_IRI, base),
                        rebase(t.object, DEFAULT_BASE_IRI, base),
                        graph,
                    )
                )
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    yield from dataset


def _labels(minter: Minter, node, label: str, alt: Iterable[str], graph) -> Iterator[ox.Quad]:
    yield _q(node, _nn(RDFS + "label"), ox.Literal(label, language="en"), graph)
    yield _q(node, _nn(SKOS + "prefLabel"), ox.Literal(label, language="en"), graph)
    for name in alt:
        if name != label and len(name) < MAX_LABEL:
            yield _q(node, _nn(SKOS + "altLabel"), ox.Literal(name, language="en"), graph)


def entry_quads(minter: Minter, entry: Entry, graph) -> Iterator[ox.Quad]:
    """The description of one lexicon entry."""
    node = minter.entity(entry.kind, entry.slug)
    _check_class(entry.cls)
    yield _q(node, _nn(RDF + "type"), minter.term(entry.cls), graph)
    yield from _labels(minter, node, entry.label, entry.alt_labels, graph)
    # A post's forms of address ("Minister for Foreign Affairs") are how texts and tables name
    # it; searchable, but not display names, since other states' posts share them.
    shown = {entry.label, *entry.alt_labels}
    for title in entry.titles:
        if title not in shown and len(title) < MAX_LABEL:
            yield _q(node, _nn(SKOS + "hiddenLabel"), ox.Literal(title, language="en"), graph)
    if entry.surname:
        yield _q(node, _nn(FOAF + "familyName"), ox.Literal(entry.surname), graph)
    if entry.given:
        yield _q(node, _nn(FOAF + "givenName"), ox.Literal(entry.given), graph)
    if entry.wikidata:
        yield _q(node, _nn(SKOS + "exactMatch"), _nn(WD + entry.wikidata), graph)
    # A person's side is per event (the participation's post or side), not a fixed property;
    # where a place lies is geography, not the state a body or post belongs to.
    if entry.state and entry.kind not in ("state", "person", "place"):
        yield _q(node, minter.term("ofState"), minter.entity("state", entry.state), graph)
    if entry.parent:
        kind, _, slug = entry.parent.partition("/")
        prop = PARENT_PROPERTY.get(entry.kind, DCT + "isPartOf")
        yield _q(node, minter.term(prop), minter.entity(kind, slug), graph)
    # Who an agreement binds and which sides a mechanism brings together are part of what
    # it is, as a person's posts are.
    side_property = "party" if entry.kind == "agreement" else "memberSide"
    for party in entry.parties:
        kind, _, slug = party.partition("/")
        yield _q(node, minter.term(side_property), minter.entity(kind, slug), graph)
    for post in entry.member_posts:
        yield _q(
            node, minter.term("memberPost"), minter.entity("post", post.partition("/")[2]), graph
        )
    if entry.date:
        # An event the lexicon names (a disaster) is dated as the events read from the text.
        date = Lit(entry.date, datatype_of(entry.date))
        yield _q(node, minter.term("date"), minter.literal(date), graph)
        yield from (_q(*triple, graph) for triple in _time_quads(minter, node, date))
    if entry.number is not None:
        yield _q(
            node,
            minter.term("articleNumber"),
            ox.Literal(str(entry.number), datatype=_nn(XSD + "integer")),
            graph,
        )


def term_quads(minter: Minter, person: Entry, post: Entry, term: Term, graph) -> Iterator[ox.Quad]:
    """A term of office the lexicon dates, as W3C ORG and OWL-Time model it: a post holding
    (an org:Membership) ``org:memberDuring`` an interval that ``time:hasBeginning`` the day the
    holder took office and ``time:hasEnd`` the day a successor did (none while in office).
    The days are the same instants events of those days have."""
    key = f"{person.slug}.{post.slug}.{term.start}"
    holding = minter.entity("holding", key)
    interval = minter.entity("time", f"{term.start}--{term.end or ''}")
    span = f"{term.start} to {term.end}" if term.end else f"from {term.start}"
    yield _q(holding, _nn(RDF + "type"), minter.term("PostHolding"), graph)
    yield from _labels(minter, holding, f"{person.label}, {post.label} ({span})", (), graph)
    yield _q(holding, minter.term("agent"), minter.entity(person.kind, person.slug), graph)
    yield _q(holding, minter.term("post"), minter.entity(post.kind, post.slug), graph)
    yield _q(holding, _nn(ORG + "memberDuring"), interval, graph)
    yield _q(interval, _nn(RDF + "type"), _nn(TIME + "Interval"), graph)
    bounds = [("hasBeginning", term.start)] + ([("hasEnd", term.end)] if term.end else [])
    for prop, day in bounds:
        instant, described = _instant(minter, Lit(day, "date"))
        yield _q(interval, _nn(TIME + prop), instant, graph)
        yield from (_q(*triple, graph) for triple in described)


def lexicon_quads(minter: Minter, lexicon: Lexicon, keys: Iterable[str]) -> Iterator[ox.Quad]:
    """Describe the lexicon entries the graph refers to (and what they link to) in graph/lexicon.

    Domain concepts are described by the ontology's concept scheme and are skipped here.
    """
    graph = minter.graph("lexicon")
    for key in sorted(lexicon.closure(keys)):
        entry = lexicon.by_key[key]
        if entry.kind != "domain":
            yield from entry_quads(minter, entry, graph)
        for term in entry.terms:
            yield from term_quads(minter, entry, lexicon.by_key[term.post], term, graph)


@dataclass(frozen=True)
class Span:
    """What the provenance of one evidence span needs from the raw text."""

    exact: str
    prefix: str
    suffix: str
    section: str | None


@dataclass(frozen=True)
class SourceText:
    """A document's metadata and the spans its statements cite: all that the quads of its
    graph need from the document, so the parsed document itself can be released early."""

    info: DocumentInfo
    sha256: str
    spans: dict[tuple[int, int], Span]

    @property
    def id(self) -> str:
        return self.info.id


def section_path(document: Document, offset: int, starts: list[int], ordered: list) -> str | None:
    """'1 Outline > (4) Meeting ...': the titles of the sections around a raw offset."""
    i = bisect.bisect_right(starts, offset) - 1
    while i >= 0:
        section = ordered[i]
        if section.start <= offset < section.end:
            chain = document.section_path(section.index)
            return " > ".join(
                f"{s.number} {s.title}".strip() if s.number else s.title for s in chain
            )
        i -= 1
    return None


def source_text(document: Document, statements: Iterable[Statement]) -> SourceText:
    """The spans cited by the statements' evidence, with their quotes and section paths."""
    ordered = sorted(document.sections, key=lambda s: (s.start, -s.end))
    starts = [s.start for s in ordered]
    raw = document.raw
    spans: dict[tuple[int, int], Span] = {}
    for st in statements:
        ev = st.evidence
        if ev is None or (ev.start, ev.end) in spans:
            continue
        spans[(ev.start, ev.end)] = Span(
            exact=raw[ev.start : ev.end],
            prefix=raw[max(0, ev.start - QUOTE_CONTEXT) : ev.start],
            suffix=raw[ev.end : ev.end + QUOTE_CONTEXT],
            section=section_path(document, ev.start, starts, ordered),
        )
    return SourceText(document.info, document.sha256, spans)


def document_description(minter: Minter, info: DocumentInfo, sha256: str) -> Iterator[ox.Quad]:
    """Dublin Core metadata of one document, in its own graph."""
    graph = minter.document_graph(info.id)
    node = minter.document(info.id)
    yield _q(node, _nn(RDF + "type"), minter.term("Document"), graph)
    yield _q(node, _nn(RDFS + "label"), ox.Literal(info.title, language="en"), graph)
    yield _q(node, _nn(DCT + "identifier"), ox.Literal(info.id), graph)
    yield _q(node, _nn(DCT + "title"), ox.Literal(info.title, language="en"), graph)
    yield _q(node, _nn(DCT + "language"), ox.Literal(info.language), graph)
    yield _q(node, minter.term("sha256"), ox.Literal(sha256), graph)
    if info.publisher:
        yield _q(node, _nn(DCT + "publisher"), ox.Literal(info.publisher), graph)
    if info.year:
        yield _q(
            node,
            _nn(DCT + "issued"),
            ox.Literal(str(info.year), datatype=_nn(XSD + "gYear")),
            graph,
        )
    if info.source:
        yield _q(node, _nn(DCT + "source"), _nn(info.source), graph)


def _sentence_quads(minter: Minter, source: SourceText, ev: Evidence):
    graph = minter.document_graph(source.id)
    node = minter.sentence(source.id, ev.start, ev.end)
    position = _nn(node.value + "#position")
    quote = _nn(node.value + "#quote")
    span = source.spans[(ev.start, ev.end)]
    yield _q(node, _nn(RDF + "type"), minter.term("Sentence"), graph)
    yield _q(node, _nn(OA + "hasSource"), minter.document(source.id), graph)
    yield _q(node, _nn(OA + "hasSelector"), position, graph)
    yield _q(node, _nn(OA + "hasSelector"), quote, graph)
    yield _q(node, _nn(RDF + "value"), ox.Literal(ev.quote), graph)
    if span.section:
        yield _q(node, minter.term("section"), ox.Literal(span.section), graph)
    integer = _nn(XSD + "nonNegativeInteger")
    yield _q(position, _nn(RDF + "type"), _nn(OA + "TextPositionSelector"), graph)
    yield _q(position, _nn(OA + "start"), ox.Literal(str(ev.start), datatype=integer), graph)
    yield _q(position, _nn(OA + "end"), ox.Literal(str(ev.end), datatype=integer), graph)
    yield _q(quote, _nn(RDF + "type"), _nn(OA + "TextQuoteSelector"), graph)
    yield _q(quote, _nn(OA + "exact"), ox.Literal(span.exact), graph)
    if span.prefix:
        yield _q(quote, _nn(OA + "prefix"), ox.Literal(span.prefix), graph)
    if span.suffix:
        yield _q(quote, _nn(OA + "suffix"), ox.Literal(span.suffix), graph)


def _time_quads(minter: Minter, subject, lit: Lit) -> list[tuple]:
    """OWL-Time form of a date: ``time:hasTime`` an instant at the literal's granularity."""
    instant, described = _instant(minter, lit)
    return [(subject, _nn(TIME + "hasTime"), instant), *described]


def _instant(minter: Minter, lit: Lit) -> tuple[ox.NamedNode, list[tuple]]:
    """The OWL-Time instant of a date, one per date however many things happen on it."""
    instant = minter.entity("time", lit.value)
    return instant, [
        (instant, _nn(RDF + "type"), _nn(TIME + "Instant")),
        (instant, _nn(TIME_PROPERTY[lit.datatype]), minter.literal(lit)),
    ]


def document_quads(
    minter: Minter,
    source: SourceText,
    statements: Iterable[Statement],
    known: frozenset[str] | set[str] = frozenset(),
) -> Iterator[ox.Quad]:
    """All quads of one document's named graph.

    ``known`` holds the ``kind/slug`` keys described by the lexicon; entity declarations for
    them are skipped (the lexicon's names are canonical).
    """
    graph = minter.document_graph(source.id)
    yield from document_description(minter, source.info, source.sha256)

    triples: dict[tuple, dict[str, set[Evidence]]] = defaultdict(lambda: defaultdict(set))
    labels: dict[Ref, list[str]] = defaultdict(list)
    plain: set[tuple] = set()  # derived triples that carry no provenance of their own
    rdf_type = _nn(RDF + "type")
    for st in statements:
        if isinstance(st, Entity):
            _check_class(st.cls)
            if str(st.ref) in known:
                continue
            node = minter.iri(st.ref)
            key = (node, rdf_type, minter.term(st.cls))
            if st.evidence is not None:
                triples[key][st.evidence.rule].add(st.evidence)
            else:
                plain.add(key)
            labels[st.ref].extend([st.label, *st.alt_labels])
        else:
            _check_fact(st)
            subject = minter.iri(st.subject)
            triples[(subject, minter.term(st.predicate), minter.object(st.object))][
                st.evidence.rule
            ].add(st.evidence)
            is_date = isinstance(st.object, Lit) and st.object.datatype in TIME_PROPERTY
            if st.predicate == "date" and is_date:
                plain.update(_time_quads(minter, subject, st.object))

    for ref, names in labels.items():
        node = minter.iri(ref)
        unique = list(dict.fromkeys(names))
        for q in _labels(minter, node, unique[0], unique[1:], graph):
            plain.add((q.subject, q.predicate, q.object))

    sentences: set[Evidence] = set()
    assertion_type = minter.term("Assertion")
    for (s, p, o), by_rule in triples.items():
        yield _q(s, p, o, graph)
        for rule, evidence in sorted(by_rule.items()):
            node = minter.entity("assertion", f"{source.id}/{_digest(s, p, o, rule)}")
            yield _q(node, rdf_type, assertion_type, graph)
            yield _q(node, _nn(RDF + "subject"), s, graph)
            yield _q(node, _nn(RDF + "predicate"), p, graph)
            yield _q(node, _nn(RDF + "object"), o, graph)
            yield _q(node, minter.term("rule"), minter.entity("rule", rule), graph)
            for ev in sorted(evidence):
                sentence = minter.sentence(source.id, ev.start, ev.end)
                yield _q(node, minter.term("evidence"), sentence, graph)
                sentences.add(ev)
    for s, p, o in plain:
        yield _q(s, p, o, graph)
    done: set[tuple[int, int]] = set()
    for ev in sorted(sentences):
        if (ev.start, ev.end) not in done:
            done.add((ev.start, ev.end))
            yield from _sentence_quads(minter, source, ev)


def build_quads(
    minter: Minter,
    *,
    build_id: str,
    version: str,
    documents: Iterable[DocumentInfo],
    lexicon: Lexicon,
    rules: Mapping[str, str],
) -> Iterator[ox.Quad]:
    """PROV-O description of the build, its inputs, its software and its extraction rules."""
    graph = minter.graph("build")
    rdf_type = _nn(RDF + "type")
    build = minter.entity("build", build_id)
    software = minter.entity("software", f"alliance-kg-{version}")
    lexicon_node = minter.entity("lexicon", lexicon.sha256[:16] or "none")
    yield _q(build, rdf_type, minter.term("Build"), graph)
    yield _q(build, _nn(RDFS + "label"), ox.Literal(f"alliance-kg build {build_id}"), graph)
    yield _q(build, _nn(PROV + "wasAssociatedWith"), software, graph)
    yield _q(build, _nn(PROV + "used"), lexicon_node, graph)
    yield _q(software, rdf_type, _nn(PROV + "SoftwareAgent"), graph)
    yield _q(software, _nn(RDFS + "label"), ox.Literal(f"alliance-kg {version}"), graph)
    yield _q(lexicon_node, rdf_type, minter.term("Lexicon"), graph)
    yield _q(lexicon_node, _nn(RDFS + "label"), ox.Literal("alliance-kg curated lexicon"), graph)
    yield _q(lexicon_node, minter.term("sha256"), ox.Literal(lexicon.sha256), graph)
    lexicon_graph = minter.graph("lexicon")
    yield _q(lexicon_graph, _nn(PROV + "wasGeneratedBy"), build, graph)
    yield _q(lexicon_graph, _nn(PROV + "wasDerivedFrom"), lexicon_node, graph)
    for info in documents:
        doc = minter.document(info.id)
        doc_graph = minter.document_graph(info.id)
        yield _q(build, _nn(PROV + "used"), doc, graph)
        yield _q(doc_graph, _nn(PROV + "wasGeneratedBy"), build, graph)
        yield _q(doc_graph, _nn(PROV + "wasDerivedFrom"), doc, graph)
    for rule, description in sorted(rules.items()):
        node = minter.entity("rule", rule)
        yield _q(node, rdf_type, minter.term("ExtractionRule"), graph)
        yield _q(node, _nn(RDFS + "label"), ox.Literal(rule), graph)
        yield _q(node, _nn(RDFS + "comment"), ox.Literal(description, language="en"), graph)
    yield _q(minter.graph("ontology"), _nn(PROV + "wasGeneratedBy"), build, graph)
    yield _q(
        minter.graph("ontology"), _nn(PROV + "wasDerivedFrom"), _nn(minter.ns.ontology_iri), graph
    )
