"""Exercises named in running text with their date and the states that took part.

"A Japan-Australia bilateral cruising exercise was held in the northern waters of Australia in
September 2018", "the GSDF and the British Army held the first bilateral exercise ..., Vigilant
Isles, in September 2018", "In November 2018, the MSDF conducted a bilateral exercise with the
Indian Navy": one akg:Exercise per date and set of states, the states as its participants (from
the compound before the word, the forces named before it in its clause, and what follows "with"),
its name when one follows ("exercise Malabar", a quoted name). Two states or more: an exercise of
one named side is a national one or one whose partners the text leaves out; nor a multilateral
exercise the clause does not name by its states ("participated in a multilateral exercise hosted
by the U.S. Navy (RIMPAC 2016)": the states named around it are not its participants).
The identity is the one captions and headings give an exercise (date, states, type), so the same
exercise read from both is one node.
"""

from __future__ import annotations

import re

from ..corpus import Sentence
from .context import LONG_SENTENCE, Extraction, Reader
from .dates import DateMention
from .events import Candidate, emit
from .mentions import fold
from .weapons import ASIDE, LEAD_DATE, NOT_YET

# "exercise", and the activities the navies of several states hold together under other
# names: "the first Maritime Cooperative Activity in the South China Sea", "a joint sail".
EXERCISE = re.compile(
    r"\b(?:[Ee]xercises?|[Cc]ooperative\s+[Aa]ctivit(?:y|ies)|[Jj]oint\s+[Ss]ail(?:ing)?s?)\b"
)
# What makes "exercise" the noun of an event, right before it: "bilateral exercise", "the
# Japan-U.S. joint exercise", "Exercise Bersama Shield".
KIND_BEFORE = re.compile(
    r"(?:\b(?:joint|bilateral|trilateral|multilateral|combined|naval|maritime|air|ground|field"
    r"|cruising|command\s+post|staff|amphibious|rescue|relief|interdiction|counter-piracy"
    r"|warfare|defense|training|tabletop|table-top|multi-domain|cross-domain)|[A-Z][\w.-]*"
    r"|\d+(?:st|nd|rd|th))\s+$"
)
# Exercises agreed or decided on, not held: "agreed to ... implement ... joint exercises".
FUTURE = re.compile(r"\b(?:agree[ds]?|decide[ds]?|aim(?:s|ed)?|intend(?:s|ed)?)\s+to\b|opportunit")
GLUED_NAMES = re.compile(r"(?<=[a-z])(?=[A-Z])")
WITH_END = re.compile(r"[\[(;]|\s(?:on|in)\s+(?:[A-Z][a-z]+\s+)?(?:\d|[A-Z][a-z]+\s+\d)")
JOINED = re.compile(r",\s+and\s+[a-z]")
MULTILATERAL = re.compile(r"\bmulti(?:lateral|national)\b", re.IGNORECASE)
# The verb of a clause that holds the exercise, before it: "held", "conducted", "participated in".
HOLD = re.compile(
    r"\b(?:held|conducted|carried\s+out|participated\s+in|took\s+part\s+in|hosted|joined)\b"
)
# The date after the exercise: "... was held in the northern waters of Australia in September
# 2018", "..., Khaan Quest 18, in Mongolia in June 2018".
AFTER = re.compile(r"(?:(?!,\s+(?:and|but|while|which)\b)[^.;:]){0,90}?\b(?:in|on)\s+$")
NOT_AN_EXERCISE_AFTER = re.compile(
    r"\s+(?:of\s+(?:the\s+)?(?:right|power|authority|jurisdiction|control|sovereignty)|its\b"
    r"|their\b|the\s+right|restraint|self-restraint|control\b|jurisdiction)"
)
# "Japan-U.S.-India", "Japan-Canada-New Zealand": two-word names inside a compound.
STATE_COMPOUND = re.compile(
    r"\b[A-Z][\w.]*(?:\s[A-Z][a-z]+)?(?:\s?[-\u2013]\s?[A-Z][\w.]*(?:\s[A-Z][a-z]+)?)+"
)
NAME_AFTER = re.compile(
    r"\s*,?\s*(?:\"(?P<quoted>[^\"]{3,40})\"|(?P<name>[A-Z][A-Za-z]+(?:\s[A-Z][A-Za-z]+){0,2}"
    r"(?:\s\d{2,4})?)\b)"
)
EXERCISE_KIND = ("Exercise", "Exercise", "exercise")  # class, type label, IRI part
NOT_A_NAME = re.compile(r"^(?:In|On|At|With|Between|Since|From|During|The|This|That|Japan|U\.S)\b")
ACTOR_KINDS = frozenset({"state", "organization"})


def extract_exercises(reader: Reader, out: Extraction) -> None:
    """Every exercise running text dates, with the states that took part."""
    for sentence in reader.sentences():
        text = fold(sentence.clean)
        if len(text) > LONG_SENTENCE or not EXERCISE.search(text):
            continue
        dates = [d for d in reader.dates(sentence) if d.datatype != "gYear"]
        for word in EXERCISE.finditer(text):
            if not KIND_BEFORE.search(text, 0, word.start()) or NOT_AN_EXERCISE_AFTER.match(
                text, word.end()
            ):
                continue
            # A clause ends at ";" or ", and the ..."; not inside a list of states ("Japan,
            # Australia, Canada, and New Zealand held").
            clause = re.split(r";|,\s+(?:and|but|while)\s+(?=[a-z])", text[: word.start()])[-1]
            if NOT_YET.search(clause) or FUTURE.search(clause):
                continue  # "will conduct a bilateral exercise", "plans to hold"
            date = _date_of(text, word, dates)
            if date is None:
                continue
            states = _states(reader, sentence, text, word, word.start() - len(clause))
            if len(states) < 2:
                continue  # one side only: a national exercise, or partners the text leaves out
            near = text[max(0, word.start() - 40) : word.start()]
            if MULTILATERAL.search(near) and not STATE_COMPOUND.search(near):
                continue  # its many participants are not the states this clause happens to name
            _emit(reader, sentence, text, word, date, states, out)


def _date_of(text: str, word: re.Match, dates: list[DateMention]) -> DateMention | None:
    for date in dates:
        if date.start >= word.end():
            gap = ASIDE.sub("", text[word.end() : date.start])
            return date if AFTER.fullmatch(gap) else None
    lead = next((d for d in dates if d.end <= word.start()), None)
    if lead is not None and LEAD_DATE.match(text[: lead.start]):
        between = text[lead.end : word.start()]
        # "In March 2019, a carrier strike group ... left France, and conducted ...": the lead
        # date is another clause's.
        if HOLD.search(between) and len(between) <= 120 and not JOINED.search(between):
            return lead
        # "In July 2024, the first Japan-U.S.-ROK trilateral multi-domain exercise "Freedom
        # Edge" was conducted": held in the passive after it
        if (
            len(between) <= 120
            and not JOINED.search(between)
            and HELD_AFTER.match(text, word.end())
        ):
            return lead
    return None


HELD_AFTER = re.compile(
    r"""(?:\s*"[^"]{3,40}"|\s+[A-Z][\w-]*(?:\s[A-Z][\w-]*){0,2}(?:\s\d{2,4})?)?,?\s+"""
    r"(?:was|were)\s+(?:held|conducted|carried\s+out)\b"
)


def _states(
    reader: Reader, sentence: Sentence, text: str, word: re.Match, clause_start: int
) -> tuple[str, ...]:
    """The states that took part: named in the compound before the word ("Japan-U.S.-India
    trilateral exercise"), by the forces named before it in its clause ("the GSDF and the
    British Army held ..."), or after "with" ("with the Indian Navy"), in that order."""
    states: list[str] = []
    start = max(clause_start, word.start() - 60)
    for compound in STATE_COMPOUND.finditer(text, start, word.start()):
        # "Japan-FranceU.K.-U.S.", as PDF extraction glues two names
        names = GLUED_NAMES.sub("-", compound.group())
        named = [m.entry.slug for m in reader.resolver.gazetteer.find(names, kinds={"state"})]
        named += _adjective_states(reader, names)  # "the U.S.-Philippine exercise"
        if len(set(named)) >= 2:
            states += named
    mentions = [m for m in reader.mentions(sentence) if m.entry.kind in ACTOR_KINDS]
    if not states:
        # The forces that hold it, as the subject of its verb: "the GSDF and the British Army
        # held the first bilateral exercise"; not states named earlier in the clause for
        # another reason.
        hold = None
        for h in HOLD.finditer(text, clause_start, word.start()):
            hold = h
        if hold is not None:
            states += [
                m.entry.side for m in mentions if clause_start <= m.start and m.end <= hold.start()
            ]
            states += _adjective_states(reader, text, clause_start, hold.start(), forces=True)
    after = text[word.end() : word.end() + 90]
    with_at = re.search(r"\b(?:with|between)\s+", after)
    if with_at:
        begin = word.end() + with_at.end()
        # up to the date or an aside: "between ASEAN and China on October 27, 2018 [courtesy
        # of the Ministry of Defense, Singapore]"
        stop = WITH_END.search(text, begin, begin + 60)
        end = stop.start() if stop else begin + 60
        states += [m.entry.side for m in mentions if begin <= m.start < end]
        states += _adjective_states(reader, text, begin, end, forces=True)
    return tuple(s for s in dict.fromkeys(states) if s)


# A state's forces by its adjective: "the British Army", "the Indian Navy", "Indian navies".
FORCE_AFTER = re.compile(
    r"\s+(?:Army|Navy|Air\s+Force|Armed\s+Forces|Forces|Marines?|Coast\s+Guard"
    r"|armies|navies|air\s+forces|forces|ships)\b"  # "the U.S. and Indian navies"
)


def _adjective_states(
    reader: Reader, text: str, start: int = 0, end: int | None = None, forces: bool = False
) -> list[str]:
    """The states whose adjectives ``text`` prints between ``start`` and ``end`` ("U.S.-
    Philippine"); with ``forces``, only before the name of a force ("the British Army")."""
    pattern = reader.resolver.adjective_re
    if pattern is None:
        return []
    return [
        reader.resolver.adjectives[m.group()]
        for m in pattern.finditer(text, start, len(text) if end is None else end)
        if not forces or FORCE_AFTER.match(text, m.end())
    ]


def _emit(
    reader: Reader,
    sentence: Sentence,
    text: str,
    word: re.Match,
    date: DateMention,
    states: tuple[str, ...],
    out: Extraction,
) -> None:
    """The exercise as the events module mints and states every event, so that it is the same
    node as a caption's reading of it."""
    names = []
    m = NAME_AFTER.match(text, word.end())
    if m:
        name = (m["quoted"] or m["name"] or "").strip()
        if name and not NOT_A_NAME.match(name) and not _is_place_or_state(reader, name):
            names.append(name)
    ev = reader.evidence(sentence, "event.exercise")
    emit(
        reader, [Candidate(*EXERCISE_KIND, date=date, states=states, names=names, evidence=ev)], out
    )


def _is_place_or_state(reader: Reader, name: str) -> bool:
    found = reader.resolver.gazetteer.find(name)
    return any(m.start == 0 and m.end >= len(name) - 1 for m in found)
