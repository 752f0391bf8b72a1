"""A small in-memory network that every graph writer (GEXF, GraphML, CSV) serialises.

Nodes are keyed by IRI (stable across rebuilds), carry a label, a class, a colour group, typed
attributes and time spells; edges carry a kind (for parallel relations of different kinds), a
label, a weight, attributes and spells. Everything is sorted before it is written, so the
same data gives the same bytes.

Spells come from the dates of the graph, which are as precise as the texts: ``xsd:date``,
``xsd:gYearMonth`` or ``xsd:gYear``. A date of lower precision covers its whole period: the
year 2015 is the spell 2015-01-01..2015-12-31, April 2015 is 2015-04-01..2015-04-30.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..extract.dates import day_span

# Lexical forms of xsd:date, xsd:gYearMonth and xsd:gYear (an optional timezone is ignored:
# the texts give calendar days), and of xsd:dateTime, cut to its day.
TIME_RE = re.compile(
    r"^(?P<year>-?\d{4,})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})(?:T[0-9:.]+)?)?)?"
    r"(?:Z|[+-]\d{2}:\d{2})?$"
)

# GEXF attribute types used here, and the GraphML type each maps to.
ATTRIBUTE_TYPES = ("string", "integer", "double", "boolean", "anyURI")

# Colours of the classes' groups (the topmost class below Actor and Organization), chosen to
# stay apart from one another; groups not listed take the fallback colours in turn.
GROUP_COLOURS = {
    "Person": "#1f77b4",
    "State": "#d62728",
    "GovernmentBody": "#ff7f0e",
    "MilitaryForce": "#8c564b",
    "InternationalOrganization": "#e377c2",
    "Alliance": "#bcbd22",
    "Mechanism": "#9467bd",
    "Agreement": "#2ca02c",
    "TreatyArticle": "#98df8a",
    "Event": "#17becf",
    "Place": "#7f7f7f",
    "Post": "#aec7e8",
    "Domain": "#ffbb78",
    "Issue": "#f7b6d2",
    "Operation": "#c49c94",
    "Situation": "#c5b0d5",
    "CooperationArea": "#dbdb8d",
}
FALLBACK_COLOURS = ("#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d")


class NetworkError(ValueError):
    """Rows or triples cannot be turned into a network; the message says what is missing."""


@dataclass(frozen=True, order=True)
class Spell:
    """A closed interval of days; ``None`` on a side means open (since ever, or still)."""

    start: dt.date | None
    end: dt.date | None

    def iso(self) -> tuple[str | None, str | None]:
        return (
            self.start.isoformat() if self.start else None,
            self.end.isoformat() if self.end else None,
        )


def period(value: str) -> tuple[dt.date, dt.date]:
    """The first and last day a date of any precision covers.

    >>> period("2015")
    (datetime.date(2015, 1, 1), datetime.date(2015, 12, 31))
    >>> period("2016-02")
    (datetime.date(2016, 2, 1), datetime.date(2016, 2, 29))
    >>> period("2019-04-19")
    (datetime.date(2019, 4, 19), datetime.date(2019, 4, 19))
    """
    match = TIME_RE.match(value.strip())
    if not match:
        raise NetworkError(f"not a date, year-month or year: {value!r}")
    try:
        return day_span("-".join(x for x in match.group("year", "month", "day") if x))
    except ValueError as err:
        raise NetworkError(f"not a date, year-month or year: {value!r} ({err})") from None


def spells_of(
    dates: Iterable[str] = (), start: str | None = None, end: str | None = None
) -> tuple[Spell, ...]:
    """Spells for a set of dates (each covering its period) and an optional start..end range.

    Overlapping and touching spells are merged, since Gephi refuses overlapping intervals.

    >>> spells_of(["2015", "2015-04-27"])
    (Spell(start=datetime.date(2015, 1, 1), end=datetime.date(2015, 12, 31)),)
    >>> [s.iso() for s in spells_of(start="1997", end="2015-04")]
    [('1997-01-01', '2015-04-30')]
    """
    spells = [Spell(*period(d)) for d in dates if d.strip()]
    if start or end:
        spells.append(Spell(period(start)[0] if start else None, period(end)[1] if end else None))
    return merge(spells)


def merge(spells: Iterable[Spell]) -> tuple[Spell, ...]:
    """Sorted spells with overlapping or adjacent ones joined."""
    low = dt.date.min
    ordered = sorted(spells, key=lambda s: (s.start or low, s.end or dt.date.max))
    out: list[Spell] = []
    for spell in ordered:
        if out:
            last = out[-1]
            if last.end is None or (
                spell.start is not None and spell.start <= last.end + dt.timedelta(days=1)
            ):
                if last.end is not None and (spell.end is None or spell.end > last.end):
                    out[-1] = Spell(last.start, spell.end)
                continue
        out.append(spell)
    return tuple(out)


@dataclass(frozen=True)
class Attribute:
    """A declared, typed attribute of nodes or edges (``type`` one of ATTRIBUTE_TYPES)."""

    id: str
    title: str
    type: str = "string"


@dataclass
class Node:
    """A node; its ``class`` and ``group`` attributes (local names) choose its colour."""

    id: str
    label: str
    attributes: dict[str, object] = field(default_factory=dict)
    spells: tuple[Spell, ...] = ()

    @property
    def group(self) -> str:
        return str(self.attributes.get("group") or self.attributes.get("class") or "")


@dataclass
class Edge:
    """A relation; edges of different kinds between the same nodes stay apart."""

    source: str
    target: str
    kind: str = ""
    label: str = ""
    weight: float = 1.0
    attributes: dict[str, object] = field(default_factory=dict)
    spells: tuple[Spell, ...] = ()

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source, self.target, self.kind)


@dataclass
class Network:
    """Nodes and edges with their declared attributes; ``finish()`` sorts and checks it."""

    name: str
    title: str
    description: str = ""
    directed: bool = True
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    node_attributes: list[Attribute] = field(default_factory=list)
    edge_attributes: list[Attribute] = field(default_factory=list)

    @property
    def dated(self) -> bool:
        """True when any node or edge has a spell (a timeline makes sense)."""
        return any(n.spells for n in self.nodes) or any(e.spells for e in self.edges)

    def finish(self) -> Network:
        """Sort nodes and edges, merge duplicate edges, and add missing endpoint nodes.

        Edges with the same source, target and kind are one edge: their weights add up and
        their spells are merged. In an undirected network the endpoints are ordered first.
        """
        nodes = {n.id: n for n in self.nodes}
        merged: dict[tuple[str, str, str], Edge] = {}
        for edge in self.edges:
            if not self.directed and edge.target < edge.source:
                edge.source, edge.target = edge.target, edge.source
            known = merged.get(edge.key)
            if known is None:
                merged[edge.key] = edge
            else:
                known.weight += edge.weight
                known.spells = merge(known.spells + edge.spells)
            for end in (edge.source, edge.target):
                if end not in nodes:
                    nodes[end] = Node(end, short_label(end))
        self.nodes = [nodes[k] for k in sorted(nodes)]
        self.edges = [merged[k] for k in sorted(merged)]
        return self

    def colour(self, node: Node) -> str:
        """The node's colour: its group's, else a fallback colour by the group's rank."""
        group = node.group
        if group in GROUP_COLOURS:
            return GROUP_COLOURS[group]
        others = sorted({n.group for n in self.nodes} - set(GROUP_COLOURS))
        if group not in others:
            return FALLBACK_COLOURS[0]
        return FALLBACK_COLOURS[others.index(group) % len(FALLBACK_COLOURS)]


def local_name(iri: str) -> str:
    """The part of an IRI after its last '#' or '/' (the whole IRI when there is none)."""
    return re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri


def short_label(iri: str) -> str:
    """A readable fallback label for a node without one: its local name, dashes as spaces."""
    return local_name(iri).replace("-", " ").replace("_", " ")


def attribute_type(values: Iterable[object]) -> str:
    """The GEXF type that holds every value: integer, double, boolean, anyURI or string."""
    kinds = {type(v) for v in values if v is not None}
    if not kinds:
        return "string"
    if kinds == {bool}:
        return "boolean"
    if kinds <= {int}:
        return "integer"
    if kinds <= {int, float}:
        return "double"
    if kinds == {Uri}:
        return "anyURI"
    return "string"


class Uri(str):
    """A string attribute value that is an IRI (declared as anyURI)."""


def declare(items: Iterable[Node | Edge], order: Iterable[str] = ()) -> list[Attribute]:
    """Declarations of every attribute the items use, typed by their values.

    Keys in ``order`` come first, in that order (a query's columns); others follow sorted.
    """
    values: dict[str, list[object]] = {}
    for item in items:
        for key, value in item.attributes.items():
            values.setdefault(key, []).append(value)
    first = [k for k in dict.fromkeys(order) if k in values]
    keys = first + sorted(set(values) - set(first))
    return [Attribute(k, k, attribute_type(values[k])) for k in keys]
