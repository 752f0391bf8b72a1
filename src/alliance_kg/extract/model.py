"""What extraction returns: entities and facts, each with the evidence it came from.

These are plain values, free of RDF: the ``rdf`` stage turns them into quads, minting IRIs
from ``Ref`` (``{base}id/{kind}/{slug}``) and provenance from ``Evidence``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..namespaces import KINDS, is_slug

#: Datatypes a literal may carry (XSD local names), or None for a plain string.
DATATYPES = frozenset(
    {"string", "date", "gYearMonth", "gYear", "integer", "boolean", "decimal", "anyURI"}
)


# Names this long are official titles kept in the lexicon for matching; as labels they would
# make an entity look like a text passage to tools that tell entities from text by length.
MAX_LABEL = 150


@dataclass(frozen=True, slots=True, order=True)
class Ref:
    """A reference to an entity; the IRI is ``{base}id/{kind}/{slug}``."""

    kind: str
    slug: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown entity kind {self.kind!r}")
        if not is_slug(self.slug):
            raise ValueError(f"not a slug: {self.slug!r}")

    def __str__(self) -> str:
        return f"{self.kind}/{self.slug}"

    @classmethod
    def parse(cls, text: str) -> Ref:
        """Parse ``kind/slug``.

        >>> Ref.parse("state/japan")
        Ref(kind='state', slug='japan')
        """
        kind, sep, slug = text.partition("/")
        if not sep:
            raise ValueError(f"expected kind/slug, got {text!r}")
        return cls(kind, slug)


@dataclass(frozen=True, slots=True, order=True)
class Lit:
    """A literal value; ``datatype`` is an XSD local name, ``lang`` a language tag."""

    value: str
    datatype: str | None = None
    lang: str | None = None

    def __post_init__(self) -> None:
        if self.datatype is not None and self.datatype not in DATATYPES:
            raise ValueError(f"unsupported datatype {self.datatype!r}")
        if self.datatype is not None and self.lang is not None:
            raise ValueError("a literal has a datatype or a language, not both")


@dataclass(frozen=True, slots=True, order=True)
class Evidence:
    """Where a statement comes from: a span of a document's raw text and the rule that read it.

    ``start``/``end`` are Unicode code point offsets into the raw file (end exclusive), usually
    those of the whole sentence; ``quote`` is the sentence's clean text.
    """

    doc_id: str
    start: int
    end: int
    quote: str
    rule: str

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad offsets {self.start}..{self.end}")


@dataclass(frozen=True, slots=True)
class Entity:
    """Declares that an entity exists, with its class and names.

    ``cls`` is an ontology class local name (``Person``) or a CURIE (``skos:Concept``).
    ``evidence`` is None for entities that come from the curated lexicon.
    """

    ref: Ref
    cls: str
    label: str
    alt_labels: tuple[str, ...] = ()
    evidence: Evidence | None = None


@dataclass(frozen=True, slots=True)
class Fact:
    """One triple about entities, with the evidence for it.

    ``predicate`` is an ontology property local name (``participant``) or a CURIE with a
    standard prefix (``skos:broader``).
    """

    subject: Ref
    predicate: str
    object: Ref | Lit
    evidence: Evidence


Statement = Entity | Fact


@dataclass(frozen=True, slots=True)
class EventKey:
    """What identifies an event across documents: type, states, date, who met."""

    ref: Ref
    cls: str
    date: str  # ISO value at the text's precision
    states: tuple[str, ...]
    surnames: tuple[str, ...]
    label: str


@dataclass(frozen=True)
class Extracted:
    """The statements read from one document, and the events among them."""

    statements: list[Statement]
    events: list[EventKey]
