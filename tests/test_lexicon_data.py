"""Consistency checks for the curated lexicon, data/lexicon.toml.

The extractor links mentions to canonical IRIs through this file, so a broken reference, a
duplicated name or a malformed Wikidata id would silently corrupt the graph. These tests read
only the file itself (no ../shared), and each check names the offending entries.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from alliance_kg.lexicon import CLASSES_BY_KIND

LEXICON = Path(__file__).resolve().parents[1] / "data" / "lexicon.toml"

KINDS = frozenset(CLASSES_BY_KIND)
CLASSES = frozenset().union(*CLASSES_BY_KIND.values())
FIELDS = frozenset(
    {
        "kind",
        "slug",
        "class",
        "label",
        "aliases",
        "acronyms",
        "hidden",
        "adjectives",
        "titles",
        "context_forms",
        "scope",
        "surname",
        "given",
        "bare_surname",
        "state",
        "parent",
        "parties",
        "member_posts",
        "posts",
        "number",
        "since",
        "terms",
        "date",
        "issued",
        "wikidata",
        "wikidata_source",
        "note",
    }
)
LIST_FIELDS = (
    "aliases",
    "acronyms",
    "hidden",
    "adjectives",
    "titles",
    "context_forms",
    "parties",
    "member_posts",
    "posts",
    "terms",
)
# Where an entry's names may link: everywhere (no scope) or only inside Guidelines text.
SCOPES = frozenset({"guidelines"})
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
QID_RE = re.compile(r"^Q[1-9][0-9]*$")
# Capitalised words that name a kind of thing rather than one thing: as a whole name they would
# link every generic mention ("the Treaty", "the Ministers") to one entry.
GENERIC_WORDS = frozenset(
    {
        "Agreement",
        "Alliance",
        "Article",
        "Cabinet",
        "Committee",
        "Constitution",
        "Declaration",
        "Government",
        "Guidelines",
        "Minister",
        "Ministers",
        "Ministry",
        "President",
        "Prime",
        "Report",
        "Roadmap",
        "Secretary",
        "Statement",
        "Treaty",
    }
)
POST_ONLY_FIELDS = ("titles",)
STATE_ONLY_FIELDS = ("adjectives",)
PERSON_ONLY_FIELDS = ("surname", "given", "bare_surname", "posts", "since")


@pytest.fixture(scope="module")
def lexicon() -> dict:
    with LEXICON.open("rb") as fh:
        return tomllib.load(fh)


@pytest.fixture(scope="module")
def entities(lexicon: dict) -> list[dict]:
    return lexicon["entity"]


@pytest.fixture(scope="module")
def refs(entities: list[dict]) -> dict[str, dict]:
    """Every entry under its ``kind/slug`` reference."""
    return {f"{e['kind']}/{e['slug']}": e for e in entities}


def _ref(entry: dict) -> str:
    return f"{entry['kind']}/{entry['slug']}"


def _names(entry: dict) -> list[str]:
    """The forms that link a mention to this entry on their own: label, aliases, acronyms."""
    return [entry["label"], *entry.get("aliases", []), *entry.get("acronyms", [])]


def _match_key(name: str) -> str:
    """How the gazetteer compares a name: one word exactly, several words in any case."""
    return name.casefold() if " " in name.strip() else name


def test_file_parses_and_has_entities(lexicon: dict) -> None:
    assert isinstance(lexicon.get("entity"), list)
    assert len(lexicon["entity"]) >= 300
    assert isinstance(lexicon.get("ambiguous"), list)


def test_required_fields_and_types(entities: list[dict]) -> None:
    bad = []
    for i, e in enumerate(entities):
        missing = [f for f in ("kind", "slug", "class", "label") if not e.get(f)]
        unknown = sorted(set(e) - FIELDS)
        if missing or unknown:
            bad.append((i, e.get("slug"), missing, unknown))
            continue
        for f in LIST_FIELDS:
            value = e.get(f, [])
            if not isinstance(value, list) or not all(isinstance(x, str) and x for x in value):
                bad.append((i, e["slug"], f, "must be a list of non-empty strings"))
        for f in ("label", "surname", "given", "state", "parent", "wikidata", "note"):
            if f in e and (not isinstance(e[f], str) or not e[f].strip()):
                bad.append((i, e["slug"], f, "must be a non-empty string"))
        if "number" in e and (not isinstance(e["number"], int) or e["number"] < 1):
            bad.append((i, e["slug"], "number", "must be a positive integer"))
        if "since" in e and (not isinstance(e["since"], int) or not 1850 <= e["since"] <= 2100):
            bad.append((i, e["slug"], "since", "must be a year"))
        if "bare_surname" in e and not isinstance(e["bare_surname"], bool):
            bad.append((i, e["slug"], "bare_surname", "must be a boolean"))
        if "scope" in e and e["scope"] not in SCOPES:
            bad.append((i, e["slug"], "scope", e["scope"]))
    assert not bad


def test_kinds_and_classes(entities: list[dict]) -> None:
    bad = [
        (e["kind"], e["slug"], e["class"])
        for e in entities
        if e["kind"] not in KINDS
        or e["class"] not in CLASSES
        or e["class"] not in CLASSES_BY_KIND[e["kind"]]
    ]
    assert not bad


def test_slugs_valid_and_unique_per_kind(entities: list[dict]) -> None:
    invalid = [e["slug"] for e in entities if not SLUG_RE.match(e["slug"])]
    counts = Counter(_ref(e) for e in entities)
    assert not invalid
    assert not [r for r, n in counts.items() if n > 1]


def test_kinds_grouped_and_slugs_sorted(entities: list[dict]) -> None:
    """One contiguous run per kind, slugs in order inside it: keeps diffs and reviews readable."""
    runs: list[str] = []
    for e in entities:
        if not runs or runs[-1] != e["kind"]:
            runs.append(e["kind"])
    assert len(runs) == len(set(runs)), runs
    by_kind = defaultdict(list)
    for e in entities:
        by_kind[e["kind"]].append(e["slug"])
    assert {k: s for k, s in by_kind.items() if s != sorted(s)} == {}


def test_kind_specific_fields(entities: list[dict]) -> None:
    bad = []
    for e in entities:
        if e["kind"] != "post":
            bad += [(e["slug"], f) for f in POST_ONLY_FIELDS if f in e]
        if e["kind"] != "state":
            bad += [(e["slug"], f) for f in STATE_ONLY_FIELDS if f in e]
        if e["kind"] != "person":
            bad += [(e["slug"], f) for f in PERSON_ONLY_FIELDS if f in e]
        if e["kind"] == "article" and "number" not in e:
            bad.append((e["slug"], "number missing"))
        if e["kind"] != "article" and "number" in e:
            bad.append((e["slug"], "number"))
    assert not bad


def test_references_exist(entities: list[dict], refs: dict[str, dict]) -> None:
    expected_kinds = {
        "state": {"state"},
        "parties": {"state", "organization"},
        "member_posts": {"post"},
        "posts": {"post"},
    }
    dangling = []
    for e in entities:
        targets = [("state", e["state"])] if "state" in e else []
        targets += [("parent", e["parent"])] if "parent" in e else []
        for f in ("parties", "member_posts", "posts"):
            targets += [(f, t) for t in e.get(f, [])]
        for field, target in targets:
            kind = target.partition("/")[0]
            wrong_kind = field in expected_kinds and kind not in expected_kinds[field]
            if target not in refs or wrong_kind or target == _ref(e):
                dangling.append((_ref(e), field, target))
    assert not dangling


def test_parent_kinds(entities: list[dict]) -> None:
    """A parent is a containing body (organisation or mechanism), a post's organisation, an
    article's agreement, or a broader concept or place of the same kind."""
    allowed = {
        "post": {"organization"},
        "article": {"agreement"},
        "organization": {"organization"},
        "mechanism": {"mechanism", "organization"},
        "agreement": {"agreement"},
        "operation": {"operation"},
        "area": {"area"},
        "situation": {"situation"},
        "place": {"place"},
    }
    bad = [
        (_ref(e), e["parent"])
        for e in entities
        if "parent" in e and e["parent"].partition("/")[0] not in allowed.get(e["kind"], set())
    ]
    assert not bad
    articles_without_parent = [
        e["slug"] for e in entities if e["kind"] == "article" and "parent" not in e
    ]
    assert not articles_without_parent


def test_parent_chains_are_acyclic(entities: list[dict], refs: dict[str, dict]) -> None:
    cyclic = []
    for e in entities:
        seen = {_ref(e)}
        node = e
        while "parent" in node and node["parent"] in refs:
            if node["parent"] in seen:
                cyclic.append(_ref(e))
                break
            seen.add(node["parent"])
            node = refs[node["parent"]]
    assert not cyclic


def test_wikidata_ids(entities: list[dict]) -> None:
    with_id = [e for e in entities if "wikidata" in e]
    malformed = [e["slug"] for e in with_id if not QID_RE.match(e["wikidata"])]
    unsourced = [e["slug"] for e in with_id if not e.get("wikidata_source", "").strip()]
    orphan_sources = [e["slug"] for e in entities if "wikidata_source" in e and "wikidata" not in e]
    duplicated = [q for q, n in Counter(e["wikidata"] for e in with_id).items() if n > 1]
    assert not malformed
    assert not unsourced
    assert not orphan_sources
    assert not duplicated
    assert {
        e["slug"]: e["wikidata"] for e in with_id if e["slug"] in {"japan", "united-states"}
    } == {
        "japan": "Q17",
        "united-states": "Q30",
    }


def test_names_are_unique_across_entities(lexicon: dict, entities: list[dict]) -> None:
    ambiguous = set(lexicon["ambiguous"])
    ambiguous = {_match_key(a) for a in ambiguous}
    owners = defaultdict(set)
    for e in entities:
        for name in _names(e):
            owners[_match_key(name)].add(_ref(e))
    shared = {n: sorted(o) for n, o in owners.items() if len(o) > 1 and n not in ambiguous}
    assert shared == {}


def test_no_duplicate_names_within_an_entry(entities: list[dict]) -> None:
    dupes = {}
    for e in entities:
        for field in ("aliases", "acronyms", "adjectives", "titles", "context_forms"):
            values = e.get(field, [])
            repeated = [v for v, n in Counter(values).items() if n > 1]
            if repeated:
                dupes[(_ref(e), field)] = repeated
        again = set(e.get("aliases", [])) & ({e["label"]} | set(e.get("acronyms", [])))
        if again:
            dupes[(_ref(e), "aliases")] = sorted(again)
    assert dupes == {}


def test_ambiguous_list_is_exact(lexicon: dict, entities: list[dict]) -> None:
    """Each listed string is shared (as a surname or a name); each shared surname is listed."""
    ambiguous = lexicon["ambiguous"]
    assert ambiguous == sorted(set(ambiguous))
    surnames = Counter(e["surname"] for e in entities if "surname" in e)
    names = Counter(n for e in entities for n in set(_names(e)))
    shared_surnames = {s for s, n in surnames.items() if n > 1}
    unjustified = [a for a in ambiguous if surnames[a] < 2 and names[a] < 2]
    assert not unjustified
    assert sorted(shared_surnames - set(ambiguous)) == []


def test_no_bare_common_words(entities: list[dict]) -> None:
    """A hard-linking name is never one lower-case word nor a generic capitalised word."""
    bad = []
    for e in entities:
        for name in _names(e):
            if " " in name:
                continue
            if re.fullmatch(r"[a-z][a-z\-]*", name) or name in GENERIC_WORDS:
                bad.append((_ref(e), name))
    assert not bad


def test_names_are_clean(entities: list[dict]) -> None:
    """No stray whitespace, curly quotes or typographic dashes: matching folds those variants."""
    bad = []
    for e in entities:
        forms = [
            *_names(e),
            *e.get("titles", []),
            *e.get("context_forms", []),
            *e.get("adjectives", []),
        ]
        for form in forms:
            if (
                form != form.strip()
                or "  " in form
                or re.search("[\u2018\u2019\u201c\u201d\u2013\u2014]", form)
            ):
                bad.append((_ref(e), form))
    assert not bad


def test_titles_belong_to_one_post(entities: list[dict]) -> None:
    owners = defaultdict(set)
    for e in entities:
        for title in e.get("titles", []):
            owners[title].add(_ref(e))
    shared = {t: sorted(o) for t, o in owners.items() if len(o) > 1}
    names_elsewhere = {
        (title, _ref(e))
        for e in entities
        for title in owners
        if title in _names(e) and _ref(e) not in owners[title]
    }
    assert shared == {}
    assert names_elsewhere == set()


def test_context_forms_never_link_on_their_own(entities: list[dict]) -> None:
    """A context-dependent form must not also be a hard name of some entry."""
    names = {_match_key(n) for e in entities for n in _names(e)}
    clash = sorted(
        {
            (f, _ref(e))
            for e in entities
            for f in e.get("context_forms", [])
            if _match_key(f) in names
        }
    )
    assert clash == []


def test_persons(entities: list[dict], refs: dict[str, dict]) -> None:
    bad = []
    for e in entities:
        if e["kind"] != "person":
            continue
        if "state" not in e:
            bad.append((e["slug"], "no state"))
        surname = e.get("surname")
        if surname and surname not in e["label"]:
            bad.append((e["slug"], "surname not in label"))
        post_states = {refs[p].get("state") for p in e.get("posts", []) if p in refs}
        if post_states - {e.get("state")}:
            bad.append((e["slug"], "holds a post of another state"))
    assert not bad


def test_terms_of_one_post_do_not_overlap(entities: list[dict]) -> None:
    """Two persons in one post on the same day would make a dated office name no one."""
    by_post: dict[str, list[tuple[str, str, str]]] = {}
    for e in entities:
        for term in e.get("terms", []):
            post, _, span = term.partition(" ")
            start, _, end = span.partition("/")
            assert post in e.get("posts", []), (e["slug"], term)
            by_post.setdefault(post, []).append((start, end or "9999-12-31", e["slug"]))
    assert by_post, "no dated terms"
    overlaps = []
    for post, terms in by_post.items():
        terms.sort()
        for (_, end, who), (start, _, next_who) in itertools.pairwise(terms):
            if start < end:
                overlaps.append((post, who, next_who))
    assert not overlaps


def test_japanese_names_carry_both_orders(entities: list[dict]) -> None:
    """Japanese persons: Given Surname label, Surname Given and SURNAME Given aliases."""
    missing = []
    for e in entities:
        if e["kind"] != "person" or e.get("state") != "state/japan" or "surname" not in e:
            continue
        given, surname = e["given"], e["surname"]
        expected = {f"{surname} {given}", f"{surname.upper()} {given}"}
        if e["label"] != f"{given} {surname}" or not expected <= set(e.get("aliases", [])):
            missing.append(e["slug"])
    assert not missing


def test_versioned_documents_are_distinct(refs: dict[str, dict]) -> None:
    """The 1978, 1997 and 2015 Guidelines and the 1951 and 1960 treaties are separate entries
    whose bare titles are only context forms."""
    for slug in ("guidelines-1978", "guidelines-1997", "guidelines-2015"):
        entry = refs[f"agreement/{slug}"]
        assert entry["class"] == "Guidelines"
        assert "the Guidelines" in entry["context_forms"]
        assert "the Guidelines" not in _names(entry)
    old, new = refs["agreement/security-treaty-1951"], refs["agreement/security-treaty-1960"]
    assert "former Japan-U.S. Security Treaty" in old["aliases"]
    assert "Japan-U.S. Security Treaty" in new["aliases"]


def test_articles_point_to_their_treaty(refs: dict[str, dict]) -> None:
    article = refs["article/security-treaty-article-5"]
    assert article["parent"] == "agreement/security-treaty-1960"
    assert article["number"] == 5
    assert "Article V of the Japan-U.S. Security Treaty" in _names(article)
