"""Entity resolution across documents: one IRI for one event, whichever text names it.

Within a document the event readings are merged already (extract.events). Across documents the
same event can come out at different precision: "the “2+2” Meeting in April 2015" in one white
paper, "the “2+2” Meeting held on April 27, 2015" in another. An event whose date another
event refines (same type, same states, compatible participants) is the same event when that
more precise event is the only candidate; its statements move to the precise IRI.

Pure functions over statements: ``plan`` decides, ``apply`` rewrites.
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
