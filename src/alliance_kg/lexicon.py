"""Read the curated lexicon: canonical entities with their names, aliases, side and links.

The lexicon is data (data/lexicon.toml, described in data/README.md) plus the SKOS concept
scheme of domains in ontology/domains.ttl. This module is an I/O edge: it reads and checks
both and returns a ``Lexicon``; the extractor receives that object and never reads files.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .namespaces import SKOS, is_slug

# Which ontology classes an entry of each kind may carry: the IRI's kind segment and the class
# must tell the same story. (Domains come from ontology/domains.ttl, not from the lexicon file.)
CLASSES_BY_KIND: dict[str, frozenset[str]] = {
    "person": frozenset({"Person"}),
    "state": frozenset({"State"}),
    "organization": frozenset(
        {"Organization", "GovernmentBody", "MilitaryForce", "InternationalOrganization"}
    ),
    "mechanism": frozenset({"Mechanism", "ConsultativeBody", "CoordinationBody", "Alliance"}),
    "post": frozenset({"Post"}),
    "agreement": frozenset(
        {
            "Agreement",
            "Treaty",
            "Guidelines",
            "JointStatement",
            "Plan",
            "Legislation",
            "PolicyPaper",
        }
    ),
    "article": frozenset({"TreatyArticle"}),
    "issue": frozenset({"Issue"}),
    "operation": frozenset({"Operation"}),
    "event": frozenset({"Disaster"}),
    "area": frozenset({"CooperationArea"}),
    "responsibility-type": frozenset({"ResponsibilityType"}),
    "situation": frozenset({"Situation"}),
    "place": frozenset({"Place"}),
}
LIST_FIELDS = (
    "aliases",
    "acronyms",
    "hidden",
    "titles",
    "adjectives",
    "posts",
    "context_forms",
    "parties",
    "member_posts",
)
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
REF_FIELDS = ("state", "parent")


class LexiconError(Exception):
    """The lexicon cannot be read; the message names the file and the problem."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = Path(path)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Term:
    """A person's time in a post: from ``start`` (the day they took office) until ``end``
    (the day a successor did; None while in office), as ISO dates."""

    post: str  # "post/slug"
    start: str
    end: str | None = None

    def covers(self, first: str, last: str) -> bool:
        """Whether the whole of the days from ``first`` to ``last`` lies in the term."""
        return self.start <= first and (self.end is None or last < self.end)

    def overlaps(self, first: str, last: str) -> bool:
        """Whether any day from ``first`` to ``last`` lies in the term."""
        return self.start <= last and (self.end is None or first < self.end)


@dataclass(frozen=True, slots=True)
class Entry:
    """One canonical entity of the lexicon.

    ``aliases`` and ``acronyms`` become ``skos:altLabel``; ``hidden`` forms are matched in text
    but not published; ``titles`` are forms of address that precede a person's name (posts);
    ``adjectives`` name a state's side ("Japanese") without naming the state itself;
    ``since`` is the year a person first held one of their ``posts``: a text written before
    it does not mean them ("Minister Koizumi" in 2019 is not the Minister of Defense of 2025).
    ``terms`` date a person's time in some of their posts, so that a text naming only the
    office ("the Prime Minister and the President", dated April 17, 1996) names its holder.
    ``context_forms`` ("the Guidelines", "NDPG") may name several entries, and the extractor
    picks one from the context (a following parenthesis, the date of the text).
    """

    kind: str
    slug: str
    cls: str
    label: str
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()
    posts: tuple[str, ...] = ()
    context_forms: tuple[str, ...] = ()  # names that need context to pick among entries
    surname: str | None = None
    given: str | None = None
    state: str | None = None  # slug of a state entry
    parent: str | None = None  # "kind/slug" of another entry
    wikidata: str | None = None
    number: int | None = None
    since: int | None = None  # persons: the year they first held one of their posts
    terms: tuple[Term, ...] = ()
    date: str | None = None  # events: the day (or month, year) it happened, ISO
    parties: tuple[str, ...] = ()  # agreements and mechanisms: "state/japan", ...
    member_posts: tuple[str, ...] = ()  # mechanisms: the posts that sit on it
    # Joint statements: the ISO day it was issued, which tells apart the statements that
    # share a title ("United States-Japan Joint Leaders' Statement", 2023, 2024 and 2025).
    issued: str | None = None

    @property
    def key(self) -> str:
        """``kind/slug``, the entry's identity."""
        return f"{self.kind}/{self.slug}"

    @property
    def side(self) -> str | None:
        """The state an entry stands for: itself when it is one, else the state it is of (a
        body's, a post's, a city's)."""
        return self.slug if self.kind == "state" else self.state

    @property
    def alt_labels(self) -> tuple[str, ...]:
        """Published alternative names, without duplicates of the label."""
        seen = {self.label}
        out = []
        for name in (*self.aliases, *self.acronyms):
            if name not in seen:
                seen.add(name)
                out.append(name)
        return tuple(out)


@dataclass(frozen=True)
class Lexicon:
    """All entries, indexed by ``kind/slug``; ``sha256`` identifies the lexicon version."""

    entries: tuple[Entry, ...]
    sha256: str = ""
    by_key: dict[str, Entry] = field(default_factory=dict, compare=False, repr=False)
    # post key -> the persons with a dated term in it: ``holder`` is asked per meeting
    terms_by_post: dict[str, list[Entry]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.by_key:
            object.__setattr__(self, "by_key", {e.key: e for e in self.entries})
        if not self.terms_by_post:
            index: dict[str, list[Entry]] = {}
            for entry in self.entries:
                for post in dict.fromkeys(t.post for t in entry.terms):
                    index.setdefault(post, []).append(entry)
            object.__setattr__(self, "terms_by_post", index)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, key: str) -> Entry | None:
        return self.by_key.get(key)

    def of_kind(self, *kinds: str) -> Iterator[Entry]:
        return (e for e in self.entries if e.kind in kinds)

    def holder(self, post: str, first: str, last: str | None = None) -> Entry | None:
        """The person whose term in ``post`` covers the days ``first`` to ``last`` (ISO
        dates), when the lexicon dates exactly one such term."""
        found = [
            e
            for e in self.terms_by_post.get(post, ())
            if any(t.post == post and t.covers(first, last or first) for t in e.terms)
        ]
        return found[0] if len(found) == 1 else None

    def closure(self, keys: Iterable[str]) -> set[str]:
        """The given keys plus every entry they reach through state, parent, posts, parties
        and member posts."""
        todo = [k for k in keys if k in self.by_key]
        seen: set[str] = set()
        while todo:
            key = todo.pop()
            if key in seen:
                continue
            seen.add(key)
            entry = self.by_key[key]
            linked = [*entry.posts, *entry.parties, *entry.member_posts]
            if entry.state:
                linked.append(f"state/{entry.state}")
            if entry.parent:
                linked.append(entry.parent)
            todo.extend(k for k in linked if k in self.by_key and k not in seen)
        return seen


def _entry_from_table(table: dict, where: str, path: Path) -> Entry:
    def fail(problem: str) -> LexiconError:
        return LexiconError(path, f"{where}: {problem}")

    for required in ("kind", "slug", "class", "label"):
        if not isinstance(table.get(required), str) or not table[required].strip():
            raise fail(f"missing or empty '{required}'")
    kind, slug = table["kind"], table["slug"]
    if kind not in CLASSES_BY_KIND:
        raise fail(f"unknown kind {kind!r} (one of {', '.join(sorted(CLASSES_BY_KIND))})")
    if table["class"] not in CLASSES_BY_KIND[kind]:
        raise fail(f"class {table['class']!r} does not fit kind {kind!r}")
    if not is_slug(slug):
        raise fail(f"slug {slug!r} is not lower-case words joined by '-'")
    values: dict = {"kind": kind, "slug": slug, "cls": table["class"], "label": table["label"]}
    for name in LIST_FIELDS:
        value = table.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(f"'{name}' must be a list of strings")
        values[name] = tuple(value)
    for name in ("surname", "given", "state", "parent", "wikidata"):
        value = table.get(name)
        if value is not None and not isinstance(value, str):
            raise fail(f"'{name}' must be a string")
        values[name] = value
    if values["state"] and values["state"].startswith("state/"):
        values["state"] = values["state"].removeprefix("state/")  # "state/japan" or "japan"
    for name, expected in (("number", "an integer"), ("since", "a year (an integer)")):
        value = table.get(name)
        if value is not None and not isinstance(value, int):
            raise fail(f"'{name}' must be {expected}")
        values[name] = value
    values["terms"] = _terms(table.get("terms", []), values["posts"], fail)
    date = table.get("date")
    dated = values["kind"] == "event" and isinstance(date, str) and ISO_DATE.match(date)
    if date is not None and not dated:
        raise fail(f"'date' {date!r} must be an ISO day, month or year, and only on an event")
    values["date"] = date
    issued = table.get("issued")
    if issued is not None and not (
        values["kind"] == "agreement" and isinstance(issued, str) and ISO_DAY.match(issued)
    ):
        raise fail(f"'issued' {issued!r} must be an ISO day, and only on an agreement")
    values["issued"] = issued
    return Entry(**values)


def _terms(value: object, posts: tuple[str, ...], fail) -> tuple[Term, ...]:
    """``["post/slug 1996-01-11/1998-07-30", "post/slug 2025-01-20/"]`` as Terms."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail("'terms' must be a list of strings")
    terms = []
    for text in value:
        post, _, span = text.partition(" ")
        start, sep, end = span.strip().partition("/")
        if not sep or not ISO_DAY.match(start) or (end and not ISO_DAY.match(end)):
            raise fail(f"term {text!r} is not 'post/slug START/END' (ISO dates; END may be empty)")
        if post not in posts:
            raise fail(f"term {text!r} names a post that is not in 'posts'")
        if end and end <= start:
            raise fail(f"term {text!r} ends before it starts")
        terms.append(Term(post, start, end or None))
    return tuple(terms)


def _check_links(entries: list[Entry], path: Path) -> None:
    keys = {e.key for e in entries}
    for e in entries:
        targets = [(f"state/{e.state}", "state")] if e.state else []
        if e.parent:
            targets.append((e.parent, "parent"))
        targets += [(p, "posts") for p in e.posts]
        targets += [(p, "parties") for p in e.parties]
        targets += [(p, "member_posts") for p in e.member_posts]
        for target, name in targets:
            if target not in keys:
                raise LexiconError(path, f"{e.key}: '{name}' refers to unknown entry {target!r}")


def read_domains(path: Path) -> list[Entry]:
    """Read the SKOS domain concepts (labels and matching forms) from a Turtle file."""
    try:
        quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except (OSError, SyntaxError) as err:
        raise LexiconError(path, f"cannot read the domain scheme: {err}") from None
    pref, alt, hidden = SKOS + "prefLabel", SKOS + "altLabel", SKOS + "hiddenLabel"
    names: dict[str, dict[str, list[str]]] = {}
    for q in quads:
        p = q.predicate.value
        if p in (pref, alt, hidden) and isinstance(q.object, ox.Literal):
            slot = names.setdefault(q.subject.value, {pref: [], alt: [], hidden: []})
            if q.object.language in (None, "en"):
                slot[p].append(q.object.value)
    entries = []
    for iri, slot in sorted(names.items()):
        kind, _, slug = iri.rpartition("/")
        if not kind.endswith("/id/domain") or not slot[pref]:
            continue
        entries.append(
            Entry(
                kind="domain",
                slug=slug,
                cls="Domain",
                label=sorted(slot[pref])[0],
                aliases=tuple(sorted(slot[alt])),
                hidden=tuple(sorted(slot[hidden])),
            )
        )
    return entries


def read_lexicon(path: Path, domains_path: Path | None = None) -> Lexicon:
    """Read and check data/lexicon.toml (and the domain scheme when given)."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise LexiconError(path, f"cannot read: {err.strerror or err}") from None
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise LexiconError(path, f"not UTF-8 at byte {err.start}") from None
    except tomllib.TOMLDecodeError as err:
        raise LexiconError(path, f"malformed TOML: {err}") from None
    tables = doc.get("entity", [])
    if not isinstance(tables, list):
        raise LexiconError(path, "'entity' must be an array of tables ([[entity]])")
    entries = [_entry_from_table(t, f"entity #{i + 1}", path) for i, t in enumerate(tables)]
    digest = hashlib.sha256(data)
    if domains_path is not None:
        entries += read_domains(domains_path)
        digest.update(domains_path.read_bytes())
    seen: dict[str, int] = {}
    for i, e in enumerate(entries):
        if e.key in seen:
            raise LexiconError(path, f"entity #{i + 1}: duplicate {e.key}")
        seen[e.key] = i
    _check_links(entries, path)
    return Lexicon(tuple(entries), sha256=digest.hexdigest())
