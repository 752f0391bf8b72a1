"""SPARQL 1.1 Protocol details that do not need a store: reading a query's form, refusing
what a public read-only endpoint must not run, and choosing result formats.

pyoxigraph sends a ``SERVICE`` sub-query over HTTP to any IRI, with no way to turn that off
from Python, so a federated query must be refused before it reaches the store. The check is
lexical and errs on the side of refusing: it follows every way the query text could be split
into tokens (``<`` starts an IRI or is the less-than operator; an unterminated long string
falls back to short ones) and refuses when any of them puts the word SERVICE in code. It
reads the text both as sent and with ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes applied, since
SPARQL applies them to the whole query but pyoxigraph only inside IRIs and strings. Words in
variable names, in the local part of prefixed names, in strings, IRIs and comments are not
code, so ``?service`` or ``"SERVICE"`` pass.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# Strings, IRIs and comments, for finding keywords (form, FROM, updates). Order matters:
# long strings before short ones. A ``<`` is always read as an IRI here, which is good enough
# for those keywords; the SERVICE check follows every reading instead.
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
FROM = re.compile(r"(?<![?$:\w])FROM(?![\w:])", re.IGNORECASE)
UPDATE = re.compile(
    r"(?<![?$:\w])(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)(?![\w:])",
    re.IGNORECASE,
)

# Character classes of the SPARQL 1.1 grammar (section 19.8), for the SERVICE check.
_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
    "\u200c\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
    "\U00010000-\U000effff"
)
_CHARS_U = _BASE + "_"
_CHARS = _CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f\u2040"
_LOCAL_ESCAPE = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_HEX = r"%[0-9A-Fa-f]{2}"
VARIABLE = re.compile(f"[?$][{_CHARS_U}0-9][{_CHARS_U}0-9\u00b7\u0300-\u036f\u203f\u2040]*")
# A name-like run of code: keywords, numbers, the prefix of a prefixed name, language tags.
WORD = re.compile(f"[{_CHARS}.]*")
LOCAL = re.compile(
    f"(?:[{_CHARS_U}:0-9]|{_HEX}|{_LOCAL_ESCAPE})(?:[{_CHARS}.:]|{_HEX}|{_LOCAL_ESCAPE})*"
)
IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
SHORT_STRING = {q: re.compile(f"{q}(?:[^{q}\\\\\n\r]|\\\\.)*{q}", re.DOTALL) for q in "'\""}
LONG_STRING = {
    q: re.compile(f"{q * 3}(?:(?:{q}|{q * 2})?(?:[^{q}\\\\]|\\\\.))*{q * 3}", re.DOTALL)
    for q in "'\""
}
COMMENT = re.compile(r"#[^\n\r]*")
SERVICE_WORD = re.compile("service", re.IGNORECASE)
# Punctuation after which an operand, never an operator, follows.
OPERATORS = frozenset(",=!&|+-*/{};.<>^[@")
MAX_DEPTH = 32


class ProtocolError(Exception):
    """A request the endpoint refuses; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def unescape(text: str) -> str:
    r"""Apply SPARQL's codepoint escapes to the whole text, as the SPARQL grammar says a
    parser does before anything else (pyoxigraph applies them only in IRIs and strings).

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


def service_in_code(text: str) -> bool:
    """Whether some tokenisation of ``text`` has the word SERVICE in code (see module doc).

    The lexer's state is its position, the depth of parentheses and whether the last token
    ended an operand: ``<`` can only be the less-than operator inside parentheses right
    after an operand, everywhere else it opens an IRI. Strings, IRIs and comments are
    stepped over whole and each state is visited once, so the work is linear in the usual
    case; a query that never spells "service" costs one regex search.
    """
    if not SERVICE_WORD.search(text):
        return False
    n = len(text)
    seen: set[tuple[int, int, bool]] = set()
    todo = [(0, 0, False)]
    while todo:
        state = todo.pop()
        i, depth, operand = state
        if i >= n or state in seen:
            continue
        seen.add(state)
        c = text[i]
        if c == "#":
            todo.append((COMMENT.match(text, i).end(), depth, operand))
        elif c in "'\"":
            if text.startswith(c * 3, i):
                long = LONG_STRING[c].match(text, i)
                if long:
                    todo.append((long.end(), depth, True))
                todo.append((i + 2, depth, True))  # an empty string, then a quote opening another
            else:
                short = SHORT_STRING[c].match(text, i)
                if short:
                    todo.append((short.end(), depth, True))
        elif c == "<":
            iri = IRI.match(text, i)
            if iri:
                todo.append((iri.end(), depth, True))
            if not iri or (depth and operand):
                todo.append((i + 1, depth, False))
        elif c in "?$" and (var := VARIABLE.match(text, i)):
            todo.append((var.end(), depth, True))
        elif c == ":" or (word := WORD.match(text, i)).end() > i:
            run = "" if c == ":" else word.group()
            if SERVICE_WORD.search(run):
                return True
            j = i + len(run)
            if j < n and text[j] == ":":
                local = LOCAL.match(text, j + 1)
                end = local.end() if local else j + 1
                while end > j + 1 and text[end - 1] == ".":
                    end -= 1  # a local name never ends with a dot
                j = end
            todo.append((j, depth, True))
        elif c == "(":
            todo.append((i + 1, min(depth + 1, MAX_DEPTH), False))
        elif c == ")":
            # Past MAX_DEPTH the depth is no longer counted down: staying "inside
            # parentheses" only allows more readings, never fewer.
            todo.append((i + 1, depth - 1 if 0 < depth < MAX_DEPTH else depth, True))
        elif c.isspace():
            todo.append((i + 1, depth, operand))
        else:
            todo.append((i + 1, depth, c not in OPERATORS))
    return False


@dataclass(frozen=True)
class QueryShape:
    """What the endpoint needs to know about a query before running it."""

    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    dataset_clause: bool  # FROM or FROM NAMED: the query names its own dataset


# Queries up to this length have their check remembered: clients repeat the same queries,
# and the check costs a tenth of a millisecond, as much as a simple query itself.
REMEMBERED_QUERY_CHARS = 8192


def check_query(text: str) -> QueryShape:
    """Refuse federated queries and updates sent as queries; return the query's shape.

    Raises ProtocolError (400 for SERVICE, 403 for an update) with a message a user can act
    on. The form is the first query-form keyword outside strings, IRIs and comments
    (SELECT when there is none: the parser then reports the error).
    """
    shape = _remembered_check(text) if len(text) <= REMEMBERED_QUERY_CHARS else _check(text)
    if isinstance(shape, ProtocolError):
        raise ProtocolError(shape.status, shape.message)  # a fresh error, a fresh traceback
    return shape


@functools.lru_cache(maxsize=1024)
def _remembered_check(text: str) -> QueryShape | ProtocolError:
    return _check(text)


def _check(text: str) -> QueryShape | ProtocolError:
    try:
        return _shape(text)
    except ProtocolError as err:
        err.__traceback__ = None  # kept in the cache: keep no frames alive with it
        return err


def _shape(text: str) -> QueryShape:
    if any(service_in_code(view) for view in {text, unescape(text)}):
        raise ProtocolError(
            400,
            "federated queries (SERVICE) are not allowed: this endpoint makes no outbound "
            "requests (a prefix name or bare word containing 'service' reads as the keyword)",
        )
    code = blank_lexemes(unescape(text))
    form = FORM.search(code)
    if form is None and UPDATE.search(code):
        raise ProtocolError(403, "this endpoint is read-only: SPARQL Update is not accepted")
    return QueryShape(form.group(1).upper() if form else "SELECT", FROM.search(code) is not None)


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
# Other media types clients send for the same formats: for query results...
ALIASES = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
}
# ...and for graphs.
GRAPH_ALIASES = {
    "application/json": "application/ld+json",
    "application/xml": "application/rdf+xml",
    "text/xml": "application/rdf+xml",
    "text/plain": "application/n-triples",
    "application/x-turtle": "text/turtle",
    "text/n3": "text/turtle",
    "application/x-trig": "application/trig",
    "text/x-nquads": "application/n-quads",
}


@functools.lru_cache(maxsize=256)
def negotiate_header(
    graph: bool, accept: str | None, format_param: str | None
) -> Format | ProtocolError:
    """``negotiate`` for a raw Accept header, remembered (clients send the same few headers;
    parsing and matching one costs more than a simple query): the format, or the error."""
    try:
        return negotiate(
            GRAPH_FORMATS if graph else RESULT_FORMATS,
            parse_accept_header(accept, MIMEAccept),
            format_param,
            graph=graph,
        )
    except ProtocolError as err:
        err.__traceback__ = None  # kept in the cache: keep no frames alive with it
        return err


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
