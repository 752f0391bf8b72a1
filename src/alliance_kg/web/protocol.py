"""SPARQL 1.1 Protocol details that do not need a store: reading a query's form, refusing
what a public read-only endpoint must not run, and choosing result formats.

The safety check works on the query text as the parser will see it: SPARQL applies
``\\uXXXX`` and ``\\UXXXXXXXX`` escapes to the whole query before parsing, so they are
undone first; then IRIs, strings and comments are blanked out, and what remains is searched
for keywords.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept

ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# Order matters: long strings before short ones, IRIs only where an IRIREF can stand.
LEXEME = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*",
    re.DOTALL,
)
FORM = re.compile(r"(?<![?$:\w])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:])", re.IGNORECASE)
SERVICE = re.compile(r"(?<![?$:\w])SERVICE(?![\w:])", re.IGNORECASE)
UPDATE = re.compile(
    r"(?<![?$:\w])(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)(?![\w:])",
    re.IGNORECASE,
)


class ProtocolError(Exception):
    """A request the endpoint refuses; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def unescape(text: str) -> str:
    r"""Apply SPARQL's codepoint escapes, as the parser does before anything else.

    >>> unescape(r"SERV\u0049CE")
    'SERVICE'
    """

    def replace(m: re.Match) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except ValueError:  # beyond U+10FFFF: leave it for the parser to reject
            return m.group(0)

    return ESCAPE.sub(replace, text)


def blank_lexemes(text: str) -> str:
    """The query with IRIs, strings and comments replaced by spaces (keywords remain)."""
    return LEXEME.sub(lambda m: " " * len(m.group()), text)


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first query-form keyword outside strings/IRIs."""
    m = FORM.search(blank_lexemes(unescape(text)))
    return m.group(1).upper() if m else "SELECT"


def check_query(text: str) -> str:
    """Refuse federated queries and updates sent as queries; return the query form.

    Raises ProtocolError(400) with a message a user can act on.
    """
    code = blank_lexemes(unescape(text))
    if SERVICE.search(code):
        raise ProtocolError(
            400,
            "federated queries (SERVICE) are not allowed: this endpoint makes no outbound requests",
        )
    form = FORM.search(code)
    if form is None and UPDATE.search(code):
        raise ProtocolError(403, "this endpoint is read-only: SPARQL Update is not accepted")
    return form.group(1).upper() if form else "SELECT"


@dataclass(frozen=True)
class Format:
    """A serialisation the endpoint offers: its media type, names for ``format=`` and how."""

    media_type: str
    names: tuple[str, ...]
    results: ox.QueryResultsFormat | None = None
    rdf: ox.RdfFormat | None = None
    extension: str = ""


RESULT_FORMATS = (
    Format(
        "application/sparql-results+json",
        ("json", "srj"),
        results=ox.QueryResultsFormat.JSON,
        extension="srj",
    ),
    Format(
        "application/sparql-results+xml",
        ("xml", "srx"),
        results=ox.QueryResultsFormat.XML,
        extension="srx",
    ),
    Format("text/csv", ("csv",), results=ox.QueryResultsFormat.CSV, extension="csv"),
    Format(
        "text/tab-separated-values", ("tsv",), results=ox.QueryResultsFormat.TSV, extension="tsv"
    ),
)
GRAPH_FORMATS = (
    Format("text/turtle", ("turtle", "ttl"), rdf=ox.RdfFormat.TURTLE, extension="ttl"),
    Format("application/n-triples", ("ntriples", "nt"), rdf=ox.RdfFormat.N_TRIPLES, extension="nt"),
    Format("application/n-quads", ("nquads", "nq"), rdf=ox.RdfFormat.N_QUADS, extension="nq"),
    Format("application/trig", ("trig",), rdf=ox.RdfFormat.TRIG, extension="trig"),
    Format(
        "application/rdf+xml", ("rdfxml", "rdf", "xml"), rdf=ox.RdfFormat.RDF_XML, extension="rdf"
    ),
    Format("application/ld+json", ("jsonld", "json"), rdf=ox.RdfFormat.JSON_LD, extension="jsonld"),
)
# Other media types clients send for the same formats.
ALIASES = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "text/plain": "application/n-triples",
    "application/x-turtle": "text/turtle",
    "text/n3": "text/turtle",
}
GRAPH_ALIASES = {
    "application/json": "application/ld+json",
    "application/xml": "application/rdf+xml",
    "text/xml": "application/rdf+xml",
}


def negotiate(
    formats: tuple[Format, ...], accept: MIMEAccept, format_param: str | None, graph: bool = False
) -> Format:
    """Pick a format from ``format=`` or the Accept header (q-values honoured).

    No Accept header, or ``*/*``, gives the first format. ProtocolError(406) when the client
    accepts none of them; ProtocolError(400) for an unknown ``format=`` name.
    """
    if format_param:
        name = format_param.strip().lower()
        for f in formats:
            if name in f.names or name == f.media_type:
                return f
        offered = ", ".join(f.names[0] for f in formats)
        raise ProtocolError(400, f"unknown format {format_param!r}; this query offers {offered}")
    if not accept:
        return formats[0]
    aliases = GRAPH_ALIASES if graph else ALIASES
    best, best_q = None, 0.0
    for f in formats:
        q = max(
            [accept.quality(f.media_type)]
            + [accept.quality(alias) for alias, target in aliases.items() if target == f.media_type]
        )
        if q > best_q:
            best, best_q = f, q
    if best is None:
        offered = ", ".join(f.media_type for f in formats)
        raise ProtocolError(
            406, f"none of the accepted media types can be produced; offered: {offered}"
        )
    return best
