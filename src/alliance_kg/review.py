"""Precision review: draw random extracted facts with the sentences they were read from.

``alliance-kg sample`` prints them for a reviewer to judge one by one; the seed makes a sample
reproducible, so a review can be repeated on a later build.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pyoxigraph as ox

from .queries import Query
from .store import query


@dataclass(frozen=True)
class SampledFact:
    """One extracted statement, readable, with its source."""

    assertion: str
    subject: str
    predicate: str
    object: str
    rule: str
    document: str
    start: int
    text: str


def _show(term, label) -> str:
    if label is not None:
        return label.value
    if isinstance(term, ox.NamedNode):
        return term.value.rsplit("/", 2)[-2] + "/" + term.value.rsplit("/", 1)[-1]
    return term.value


def sample_facts(
    store: ox.Store, facts_query: Query, n: int, seed: int = 1, rule: str | None = None
) -> list[SampledFact]:
    """``n`` distinct random facts (all of them when there are fewer), optionally of one rule."""
    rows: dict[str, SampledFact] = {}
    for r in query(store, facts_query.text):
        rule_id = r["rule"].value.rsplit("/", 1)[-1]
        if rule and rule_id != rule:
            continue
        key = r["assertion"].value
        if key in rows:
            continue
        rows[key] = SampledFact(
            assertion=key,
            subject=_show(r["subject"], r["slabel"]),
            predicate=r["predicate"].value.rsplit("#", 1)[-1].rsplit("/", 1)[-1],
            object=_show(r["object"], r["olabel"]),
            rule=rule_id,
            document=r["document"].value.rsplit("/", 1)[-1],
            start=int(r["start"].value),
            text=r["text"].value,
        )
    ordered = [rows[k] for k in sorted(rows)]
    return random.Random(seed).sample(ordered, min(n, len(ordered)))
