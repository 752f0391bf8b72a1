"""RDF dumps for triplestores and linked-data tools: N-Quads, TriG, Turtle and JSON-LD.

The quad formats (N-Quads, TriG) keep every named graph. The triple formats (Turtle, JSON-LD)
hold the union of all graphs, each triple once: the named graphs collapse, so what a document
says and where it says it is kept only by the provenance statements (``akg:Assertion``), not by
the graph a triple sits in. Every dump is sorted (graph, subject, predicate, object) and its
blank nodes (the ontology's OWL lists) are labelled by RDF Dataset Canonicalization
(RDFC-1.0), so the same data gives the same bytes, whichever store it was loaded into.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pyoxigraph as ox

FORMATS = {
    "nquads": (ox.RdfFormat.N_QUADS, "nq"),
    "trig": (ox.RdfFormat.TRIG, "trig"),
    "turtle": (ox.RdfFormat.TURTLE, "ttl"),
    "jsonld": (ox.RdfFormat.JSON_LD, "jsonld"),
}
QUAD_FORMATS = ("nquads", "trig")


def media_type(fmt: str) -> str:
    return FORMATS[fmt][0].media_type


def extension(fmt: str) -> str:
    return FORMATS[fmt][1]


def _quad_key(quad: ox.Quad) -> tuple[str, str]:
    # By graph, then by the quad's N-Quads form (subject, predicate, object).
    return str(quad.graph_name), str(quad)


def canonical(quads: Iterable[ox.Quad]) -> ox.Dataset:
    """The quads with their blank nodes relabelled canonically (RDFC-1.0)."""
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def serialize_quads(quads: Iterable[ox.Quad], fmt: str, prefixes: Mapping[str, str]) -> bytes:
    """Quads, sorted, in a quad format; in a triple format their union, each triple once."""
    rdf_format, _ = FORMATS[fmt]
    dataset = canonical(quads)
    if fmt in QUAD_FORMATS:
        items = sorted(dataset, key=_quad_key)
    else:
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in dataset}
        items = sorted(triples, key=str)
    return _serialize(items, rdf_format, prefixes)


def serialize_triples(triples: Iterable[ox.Triple], fmt: str, prefixes: Mapping[str, str]) -> bytes:
    """Triples (a CONSTRUCT result), sorted, in any of the four formats (default graph)."""
    default = ox.DefaultGraph()
    quads = (ox.Quad(t.subject, t.predicate, t.object, default) for t in triples)
    return serialize_quads(quads, fmt, prefixes)


def _serialize(items: list, rdf_format: ox.RdfFormat, prefixes: Mapping[str, str]) -> bytes:
    # N-Quads has no prefixes; the other three are easier to read with them.
    if rdf_format == ox.RdfFormat.N_QUADS:
        return ox.serialize(items, format=rdf_format)
    return ox.serialize(items, format=rdf_format, prefixes=dict(prefixes))


def dump_store(
    store: ox.Store,
    fmt: str,
    prefixes: Mapping[str, str],
    graphs: Sequence[ox.NamedNode] | None = None,
) -> bytes:
    """The store (or its ``graphs``) in a dump format (see the module doc for the triple
    formats)."""
    if graphs is None:
        quads = store.quads_for_pattern(None, None, None, None)
    else:
        quads = (q for g in graphs for q in store.quads_for_pattern(None, None, None, g))
    return serialize_quads(quads, fmt, prefixes)
