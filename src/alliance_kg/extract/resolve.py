"""Entity resolution across documents: one IRI for one event, whichever text names it.

Within a document the event readings are merged already (extract.events). Across documents the
same event can come out at different precision: "the “2+2” Meeting in April 2015" in one white
paper, "the “2+2” Meeting held on April 27, 2015" in another. An event whose date another
event refines (same type, same states, compatible participants) is the same event when that
more precise event is the only candidate; its statements move to the precise IRI.

People the lexicon does not list are resolved the same way: a person one text names only by
one word ("Minister Lich", "General Rodionov") is the one person another text names in full
with that word ("Ngo Xuan Lich", "Igor Rodionov"), unless a lexicon person has that name too.

Pure functions over statements: ``plan`` and ``plan_people`` decide, ``apply`` and
``apply_people`` rewrite.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .dates import refines
from .model import Entity, EventKey, Fact, Ref, Statement

# Statement nodes minted from an event's slug ("{event}.{person}"): they follow their event.
DERIVED_KINDS = ("participation", "affirmation")


def _compatible(coarse: EventKey, precise: EventKey) -> bool:
    if coarse.cls != precise.cls or set(coarse.states) != set(precise.states):
        return False
    if not refines(precise.date, coarse.date):
        return False
    a, b = set(coarse.surnames), set(precise.surnames)
    return not a or not b or a <= b or b <= a


@dataclass(frozen=True)
class Resolution:
    """Which events move where, and the labels they had."""

    moves: dict[Ref, EventKey]
    labels: dict[Ref, str]


def plan(events: Iterable[EventKey]) -> Resolution:
    """Map each coarse event to the unique, most precise event it must be merged into."""
    keys = {e.ref: e for e in events}
    by_type: dict[str, list[EventKey]] = defaultdict(list)
    for key in keys.values():
        by_type[key.cls].append(key)
    moves: dict[Ref, EventKey] = {}
    for key in keys.values():
        candidates = [k for k in by_type[key.cls] if _compatible(key, k)]
        if not candidates:
            continue
        best = max(len(c.date) for c in candidates)
        finest = [c for c in candidates if len(c.date) == best]
        if len(finest) == 1:
            moves[key.ref] = finest[0]
    return Resolution(moves, {ref: keys[ref].label for ref in moves})


def _move(ref: Ref, moves: Mapping[Ref, EventKey]) -> tuple[Ref, Ref | None]:
    """The ref after resolution, and the event it moved with (None when it stays)."""
    target = moves.get(ref)
    if target is not None:
        return target.ref, ref
    if ref.kind in DERIVED_KINDS:
        event_slug, dot, rest = ref.slug.partition(".")
        event = Ref("event", event_slug)
        moved = moves.get(event)
        if dot and moved is not None:
            return Ref(ref.kind, f"{moved.ref.slug}.{rest}"), event
    return ref, None


def apply(statements: Iterable[Statement], resolution: Resolution) -> list[Statement]:
    """The statements with merged events (and their participations, affirmations) moved.

    A moved event takes its target's canonical label, keeping its own names as alternative
    labels, and loses its coarser date; labels of moved statement nodes name the target.
    """
    moves = resolution.moves
    if not moves:
        return list(statements)
    out: list[Statement] = []
    for st in statements:
        if isinstance(st, Entity):
            ref, event = _move(st.ref, moves)
            if event is None:
                out.append(st)
                continue
            old_label, new_label = resolution.labels[event], moves[event].label
            if st.ref.kind == "event":
                alts = tuple(dict.fromkeys([*st.alt_labels, st.label]))
                out.append(Entity(ref, st.cls, new_label, alts, st.evidence))
            else:
                label = st.label.replace(old_label, new_label)
                out.append(Entity(ref, st.cls, label, st.alt_labels, st.evidence))
            continue
        if st.predicate == "date" and st.subject in moves:
            continue  # the target's date is more precise
        subject, moved_s = _move(st.subject, moves)
        obj, moved_o = _move(st.object, moves) if isinstance(st.object, Ref) else (st.object, None)
        if moved_s is None and moved_o is None:
            out.append(st)
        else:
            out.append(Fact(subject, st.predicate, obj, st.evidence))
    return out


def unify_labels(documents: Iterable[list[Statement]]) -> list[list[Statement]]:
    """One preferred label per entity across documents.

    Texts spell the same entity differently ("Erdogan" and "Erdoğan", "Basic Principles" and
    "Basic principles"); the IRI is one, so its preferred label must be one too. The label
    most statements give wins (ties: the longest, then the first in code point order); the
    others become alternative labels.
    """
    documents = [list(statements) for statements in documents]
    counts: dict[Ref, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for statements in documents:
        for st in statements:
            if isinstance(st, Entity) and st.label:
                counts[st.ref][st.label] += 1
    chosen = {
        ref: min(labels, key=lambda label: (-labels[label], -len(label), label))
        for ref, labels in counts.items()
        if len(labels) > 1
    }
    if not chosen:
        return documents
    out = []
    for statements in documents:
        rewritten: list[Statement] = []
        for st in statements:
            label = chosen.get(st.ref) if isinstance(st, Entity) else None
            if label is None or label == st.label:
                rewritten.append(st)
            else:
                alts = tuple(dict.fromkeys([*st.alt_labels, st.label]))
                rewritten.append(Entity(st.ref, st.cls, label, alts, st.evidence))
        out.append(rewritten)
    return out


# The words of a title that say what office it is; "Russian Defence Minister" and "Minister of
# Defence of Russia" are one, "Major General" and "Prime Minister" are not.
OFFICE_WORDS = frozenset(
    {
        "minister", "president", "secretary", "general", "prime", "king", "prince", "premier",
        "chancellor", "chairman", "commander", "chief", "admiral", "deputy", "vice", "foreign",
        "defense", "state",
    }
)  # fmt: skip


def _office(title: Ref) -> frozenset[str]:
    return frozenset(w.replace("defence", "defense") for w in title.slug.split("-")) & OFFICE_WORDS


def plan_people(documents: Iterable[Iterable[Statement]], taken: set[str]) -> dict[Ref, Ref]:
    """Map each person named by one word to the one person named in full with that word, first
    or last ("Prayut" to "Prayut Chan-o-cha", "Trong" to "Nguyen Phu Trong"), when each title
    the full name was named with is of an office the word was named with too ("Defense Minister
    Lich", "Minister of National Defense Ngo Xuan Lich"; not "Major General Dung" and "Prime
    Minister Nguyen Tan Dung") and no side either represented differs from all the other's;
    and a full name printed with and without a hyphen to its spelling with more hyphens.
    ``taken`` holds the name words of lexicon people, which are left alone ("Singh" may be
    either of two)."""
    people: set[Ref] = set()
    agents: dict[Ref, Ref] = {}
    titles: dict[Ref, set[frozenset[str]]] = defaultdict(set)
    used: list[tuple[Ref, Ref]] = []
    sided: list[tuple[Ref, Ref]] = []
    for statements in documents:
        for st in statements:
            if isinstance(st, Entity):
                if st.ref.kind == "person":
                    people.add(st.ref)
            elif st.predicate == "agent" and isinstance(st.object, Ref):
                agents[st.subject] = st.object
            elif st.predicate == "titleUsed" and isinstance(st.object, Ref):
                used.append((st.subject, st.object))
            elif st.predicate == "side" and isinstance(st.object, Ref):
                sided.append((st.subject, st.object))
    sides: dict[Ref, set[Ref]] = defaultdict(set)
    for node, state in sided:
        if node in agents:
            sides[agents[node]].add(state)
    for node, title in used:
        office = _office(title)
        if node in agents and office:
            titles[agents[node]].add(office)
    # One name printed with and without a hyphen ("Prayut Chan-o-cha", "Prayut Chan-ocha"):
    # the spelling with more hyphens.
    spelled: dict[str, list[Ref]] = defaultdict(list)
    for ref in people:
        if "-" in ref.slug and not set(ref.slug.split("-")) <= taken:
            spelled[ref.slug.replace("-", "")].append(ref)
    moves = {}
    for group in spelled.values():
        target = max(group, key=lambda ref: (ref.slug.count("-"), ref.slug))
        moves |= {ref: target for ref in group if ref != target}
    full: dict[str, set[Ref]] = defaultdict(set)
    for ref in people - moves.keys():
        words = ref.slug.split("-")
        if len(words) > 1:
            full[words[0]].add(ref)
            full[words[-1]].add(ref)
    for ref in people:
        if "-" in ref.slug or ref.slug in taken:
            continue
        targets = full.get(ref.slug, set())
        if len(targets) == 1:
            target = next(iter(targets))
            if sides[ref] and sides[target] and not sides[ref] & sides[target]:
                continue  # "Prince Mohammed" of Saudi Arabia is not the UAE's
            # Every office the full name was named with is one the word was named with too.
            if titles[target] and all(
                any(a <= b or b <= a for a in titles[ref]) for b in titles[target]
            ):
                moves[ref] = target
    return moves


def _move_person(ref: Ref, moves: Mapping[Ref, Ref]) -> Ref:
    """A person's ref after resolution, and the nodes minted from it: participations
    ("{event}.{person}") and post holdings ("{person}.{post}")."""
    if ref.kind == "person":
        return moves.get(ref, ref)
    if ref.kind == "participation":
        event, dot, person = ref.slug.rpartition(".")
        target = moves.get(Ref("person", person))
        if dot and target is not None:
            return Ref(ref.kind, f"{event}.{target.slug}")
    if ref.kind == "holding":
        person, dot, post = ref.slug.partition(".")
        target = moves.get(Ref("person", person))
        if dot and target is not None:
            return Ref(ref.kind, f"{target.slug}.{post}")
    return ref


def apply_people(statements: Iterable[Statement], moves: Mapping[Ref, Ref]) -> list[Statement]:
    """The statements with the people of ``moves`` (and their participations and holdings)
    moved; the labels are unified afterwards (``unify_labels``), so a moved person's name
    becomes an alternative label of the one it joined."""
    if not moves:
        return list(statements)
    out: list[Statement] = []
    for st in statements:
        if isinstance(st, Entity):
            ref = _move_person(st.ref, moves)
            out.append(
                st if ref == st.ref else Entity(ref, st.cls, st.label, st.alt_labels, st.evidence)
            )
            continue
        obj = _move_person(st.object, moves) if isinstance(st.object, Ref) else st.object
        out.append(Fact(_move_person(st.subject, moves), st.predicate, obj, st.evidence))
    return out
