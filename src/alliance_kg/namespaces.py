"""The base IRI and every prefix the project uses, in one place.

Entity IRIs follow ``{base}id/{kind}/{slug}``; ontology terms ``{base}ontology#{Name}``;
named graphs ``{base}graph/{name}`` (documents: ``{base}graph/document/{doc-id}``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from .config import DEFAULT_BASE_IRI

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
TIME = "http://www.w3.org/2006/time#"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
FOAF = "http://xmlns.com/foaf/0.1/"
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
VOID = "http://rdfs.org/ns/void#"
WD = "http://www.wikidata.org/entity/"

STANDARD_PREFIXES: dict[str, str] = {
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dct": DCT,
    "prov": PROV,
    "oa": OA,
    "time": TIME,
    "org": ORG,
    "schema": SCHEMA,
    "foaf": FOAF,
    "sem": SEM,
    "void": VOID,
    "wd": WD,
}

#: Kinds of entity, each the second-to-last path segment of an entity IRI.
KINDS = frozenset(
    {
        "person",
        "state",
        "organization",
        "agreement",
        "article",
        "mechanism",
        "domain",
        "issue",
        "operation",
        "situation",
        "post",
        "title",
        "purpose",
        "place",
        "event",
        "participation",
        "holding",
        "responsibility",
        "responsibility-type",
        "provision",
        "area",
        "affirmation",
        "time",
        "document",
        "sentence",
        "assertion",
        "rule",
        "build",
        "software",
        "lexicon",
        "scheme",
    }
)

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")


def slugify(text: str) -> str:
    """Turn a name into an IRI-safe, readable slug.

    >>> slugify("Japan-U.S. Security Consultative Committee (“2+2”)")
    'japan-us-security-consultative-committee-2plus2'
    >>> slugify("Shinzō Abe")
    'shinzo-abe'
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("+", "plus").replace("&", " and ")
    text = re.sub(r"(?<=\b[A-Za-z])\.(?=[A-Za-z]\.)", "", text)  # U.S. -> US
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return text or "x"


def bounded_slug(text: str, limit: int) -> str:
    """A slug of at most ``limit`` characters that stays unique when it has to be cut.

    A cut slug ends in a digest of the whole one, so two long keys that share their first
    ``limit`` characters still name two nodes.

    >>> bounded_slug("a b", 10)
    'a-b'
    >>> len(bounded_slug("x" * 200, 40))
    40
    """
    slug = slugify(text)
    if len(slug) <= limit:
        return slug
    digest = hashlib.sha1(slug.encode()).hexdigest()[:8]
    return f"{slug[: limit - 9].strip('-')}-{digest}"


def is_slug(text: str) -> bool:
    """True when text is already a valid slug (lower-case words joined by '-' or '.')."""
    return bool(_SLUG_RE.match(text))


@dataclass(frozen=True)
class Namespaces:
    """IRIs minted under one base IRI."""

    base: str = DEFAULT_BASE_IRI

    @property
    def ontology(self) -> str:
        """Namespace of ontology terms (``akg:``)."""
        return self.base + "ontology#"

    @property
    def ontology_iri(self) -> str:
        """The IRI of the ontology itself."""
        return self.base + "ontology"

    @property
    def id(self) -> str:
        return self.base + "id/"

    @property
    def graph(self) -> str:
        return self.base + "graph/"

    def term(self, local: str) -> str:
        """The IRI of an ontology term, or of a CURIE with a standard prefix."""
        if ":" in local:
            prefix, _, name = local.partition(":")
            try:
                return self.prefixes()[prefix] + name
            except KeyError:
                raise ValueError(f"unknown prefix in {local!r}") from None
        return self.ontology + local

    def entity(self, kind: str, slug: str) -> str:
        if kind not in KINDS:
            raise ValueError(f"unknown entity kind {kind!r}")
        return f"{self.id}{kind}/{slug}"

    def graph_iri(self, name: str) -> str:
        return self.graph + name

    def document_graph(self, doc_id: str) -> str:
        return self.graph + "document/" + doc_id

    def prefixes(self) -> dict[str, str]:
        """Prefix map for Turtle output and SPARQL queries."""
        return {
            "akg": self.ontology,
            "id": self.id,
            **STANDARD_PREFIXES,
        }
