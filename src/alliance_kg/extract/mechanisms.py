"""Mechanisms: consultative and coordination bodies, when and how they were set up, who sits
on them for each side, and what they were used for.

- ``mechanism.table``: a table of consultative forums (a header naming participants by side,
  purpose and legal basis), one row per forum.
- ``mechanism.establishment``: "In November 2015, the Japanese and U.S. Governments
  established the Alliance Coordination Mechanism (ACM)"; "Based on the Guidelines, ...".
- ``mechanism.utilization``: "utilizing the mechanism ... in response to A, B, and C".
- ``mechanism.purpose``: what a mechanism is for, as the text states it: "the two governments
  will develop and update bilateral plans through the Bilateral Planning Mechanism", "...
  established the BPM ... for the purpose of implementing the development of bilateral plans".
  An ``akg:Purpose`` labelled with the phrase, with ``akg:topic`` for the areas, domains,
  operations and issues it names.
"""

from __future__ import annotations

import re

from ..corpus import Block, Sentence, Table
from ..lexicon import Entry
from ..namespaces import bounded_slug, slugify
from .agreements import agreement_mentions, article_refs_in, article_spans, lead_date
from .context import (
    DEFAULT_STATES,
    LABEL_LIMIT,
    SIDE_WORD,
    Extraction,
    Reader,
    bounded_phrase,
    date_lit,
    fact,
    order_states,
    phrase_slug,
    state_label,
)
from .dates import PRINTED_DATE, DateMention, find_dates
from .mentions import fold, normal_title
from .model import Entity, Evidence, Ref

SIDE_HEADER = re.compile(
    r"(?P<who>Japanese|Japan|U\.S\.|United States|American|[A-Z][a-z]+n)\s+Side", re.IGNORECASE
)
# A body the lexicon does not list is named by capitalised words (with "of", "for", "on",
# "and" between them) before one of these head nouns: "Bilateral Information Analysis Cell".
BODY_NOUNS = r"Mechanism|Committee|Subcommittee|Council|Working\s+Group|Forum|Commission"
BODY_WORD = r"(?:[A-Z][\w.'-]*\s+(?:(?:of|for|on|and)\s+)?)"
NEW_MECHANISM = re.compile(
    r"\b(?:the\s+)?(?P<name>(?:[A-Z][\w.'-]*\s+){1,6}(?:Dialogue|" + BODY_NOUNS + r"))"
    r"(?:\s*\((?P<acr>[A-Z]{2,6})\))?"
)
ESTABLISHMENT_OF_NEW = re.compile(
    r"\bestablishment\s+of\s+(?P<article>the|an?)\s+"
    r"(?:(?:new|bilateral|trilateral|quadrilateral)\s+)?(?P<name>"
    + BODY_WORD
    + r"{1,6}(?:Dialogue|Cell|"
    + BODY_NOUNS
    + r"))(?:\s*\((?P<acr>[A-Z][\w-]{1,8})\))?"
)
UTILIZE = re.compile(r"\butiliz(?:e|ed|es|ing)\s+(?:the|this)\s+(?:mechanism|[A-Z]{2,5})\b")
RESPONSE_LIST = re.compile(r"\bin\s+response\s+to\s+(?P<list>.+?)(?:\.|$)")


def _header_roles(table: Table) -> dict[str, int]:
    """Column index of the forum name, purpose and legal basis, from header cells."""
    roles: dict[str, int] = {}
    for i, cell in enumerate(table.header):
        low = cell.lower()
        if "legal basis" in low or low == "basis":
            roles["basis"] = i
        elif "purpose" in low:
            roles["purpose"] = i
        elif i == 0:
            roles["name"] = i
    return roles


def _side_columns(reader: Reader, table: Table) -> dict[int, str]:
    """Columns headed "Japanese Side", "U.S. Side": column -> state slug."""
    sides: dict[int, str] = {}
    for i, cell in enumerate(table.header):
        m = SIDE_HEADER.search(fold(cell))
        if not m:
            continue
        who = m["who"].lower()
        if who.startswith("japan"):
            sides[i] = "japan"
        elif who in ("u.s.", "united states", "american"):
            sides[i] = "united-states"
        else:
            for e in reader.lexicon.of_kind("state"):
                if m["who"] in e.adjectives or m["who"] == e.label:
                    sides[i] = e.slug
    return sides


def _is_forum_table(table: Table) -> bool:
    header = " ".join(table.header).lower()
    return ("legal basis" in header or "purpose" in header) and "side" in header


def _row_sentence(reader: Reader, row: Block, column: int) -> Sentence | None:
    for i in row.sentences:
        s = reader.document.sentences[i]
        if s.cell == column:
            return s
    return None


def mechanism_ref(reader: Reader, text: str, ev: Evidence, out: Extraction) -> Ref | None:
    """The mechanism a forum name refers to: a lexicon entry, else a new mechanism."""
    found = [m for m in reader.resolver.gazetteer.find(text) if m.entry.kind == "mechanism"]
    if found:
        return reader.ref(found[0].entry)
    name = re.sub(r"\s*\([^()]*\)", "", text).strip()
    if not name:
        return None
    ref = Ref("mechanism", slugify(name)[:80].strip("-"))
    out.add(Entity(ref, "ConsultativeBody", name, evidence=ev))
    return ref


def _shared_ministry(part: str) -> list[str]:
    """Posts of one ministry listed before it: "Director General of A, Director General of
    B, Ministry of Defense" is two posts, each of the Ministry of Defense.

    >>> _shared_ministry("Director General of A, Director General of B, Ministry of Defense")
    ['Director General of A, Ministry of Defense', 'Director General of B, Ministry of Defense']
    """
    pieces = [p.strip() for p in part.split(",")]
    if len(pieces) < 3 or not re.match(r"Ministry\b", pieces[-1]):
        return [part]
    return [f"{p}, {pieces[-1]}" for p in pieces[:-1]]


def split_posts(cell: str) -> list[str]:
    """Posts listed in a cell: ';'-separated when any ';', else ','-separated; "and others" dropped.

    >>> split_posts("Minister for Foreign Affairs, Minister of Defense")
    ['Minister for Foreign Affairs', 'Minister of Defense']
    >>> split_posts("Director-General of X Bureau, Ministry of Foreign Affairs; and others")
    ['Director-General of X Bureau, Ministry of Foreign Affairs']
    >>> split_posts("Director of X, Ministry of Foreign Affairs; Director General of Y, "
    ...     "Director General of Z, Ministry of Defense")[1:]
    ['Director General of Y, Ministry of Defense', 'Director General of Z, Ministry of Defense']
    >>> split_posts("Assistant Secretary of State, Representative from: USFJ, Joint Staff")
    ['Assistant Secretary of State', 'Representative from USFJ', 'Representative from Joint Staff']
    """
    parts = cell.split(";") if ";" in cell else cell.split(",")
    parts = [p for part in parts for p in _shared_ministry(part)]
    out = []
    prefix = ""  # "Representative from: U.S. Embassy in Japan, USFJ, Joint Staff": each one
    for part in parts:
        part = re.sub(r"^\s*(?:and\s+)", "", part.strip()).strip(" .")
        if not part or re.fullmatch(
            r"(?:and)?others?|etc|participantsarenotspecified(?:\[?\d\]?)?",
            re.sub(r"\s+", "", part),
            re.I,
        ):
            continue
        lead = re.match(r"representatives? from:\s*", part, re.I)
        if lead:
            prefix = "Representative from "
            part = part[lead.end() :]
            if not part:
                continue
        out.append(prefix + re.sub(r"(?<=[a-z])\d{1,2}$", "", part))  # a footnote: "Joint Staff4"
    return out


def post_ref(reader: Reader, text: str, state: str | None, ev: Evidence, out: Extraction) -> Ref:
    """A lexicon post when the text names one exactly, else a new post of that side."""
    key = normal_title(text)
    candidates = reader.resolver.posts_by_title.get(key, [])
    if state:
        candidates = [c for c in candidates if c.state == state] or candidates
    if len(candidates) >= 1 and len({c.key for c in candidates}) == 1:
        return reader.ref(candidates[0])
    slug = slugify(f"{text} {state}" if state and state not in slugify(text) else text)
    ref = Ref("post", slug[:90].strip("-"))
    out.add(Entity(ref, "Post", text, evidence=ev))
    if state:
        out.add(fact(ref, "ofState", Ref("state", state), ev))
    return ref


def forum_table_facts(reader: Reader, out: Extraction) -> None:
    for table in reader.document.tables:
        if not _is_forum_table(table):
            continue
        roles = _header_roles(table)
        sides = _side_columns(reader, table)
        for index in table.rows:
            row = reader.document.blocks[index]
            if not row.cells or not row.cells[0].clean.strip():
                continue
            name_sentence = _row_sentence(reader, row, 0)
            if name_sentence is None:
                continue
            ev = reader.evidence(name_sentence, "mechanism.table")
            mech = mechanism_ref(reader, row.cells[0].clean, ev, out)
            if mech is None:
                continue
            for column, state in sides.items():
                if column < len(row.cells):
                    for post in split_posts(row.cells[column].clean):
                        out.add(
                            fact(mech, "memberPost", post_ref(reader, post, state, ev, out), ev)
                        )
            purpose = roles.get("purpose")
            if (
                purpose is not None
                and purpose < len(row.cells)
                and row.cells[purpose].clean.strip()
            ):
                text = row.cells[purpose].clean.strip()
                concept = Ref("purpose", mech.slug)
                out.add(Entity(concept, "Purpose", text, evidence=ev))
                out.add(fact(mech, "purpose", concept, ev))
            basis = roles.get("basis")
            if basis is not None and basis < len(row.cells):
                _basis_facts(reader, mech, row.cells[basis].clean, row, basis, out)


# A series of meetings a text says who holds them between: "the Ministry of Defense (MOD)
# organizes Japan-U.S. defense ministerial meetings between the Japanese Minister of Defense
# and the U.S. Secretary of Defense as necessary". The plural names the series, not one meeting.
SERIES = re.compile(
    r"\b(?:organiz|organis|hold|held|convene|conduct)\w*\s+(?:regular\s+|periodic\s+)?"
    r"(?P<name>[A-Z][\w.]*-[A-Z][\w.]*\s+(?:[a-z-]+\s+){0,4}"
    r"(?P<noun>meetings|talks|consultations|dialogues))\s+between\s+"
    r"(?P<a>(?:the\s+)?[A-Z][^,;]*?)\s+and\s+(?P<b>(?:the\s+)?[A-Z][^,;]*?)"
    r"(?=\s+(?:as|when|where|regularly|periodically|annually|every|to|in|on|at)\b|[,;]"
    r"|(?<![A-Z])\.(?:\s|$)|$)"
)
SERIES_NOUN = {
    "meetings": "Meeting",
    "talks": "Talks",
    "consultations": "Consultation",
    "dialogues": "Dialogue",
}
SMALL_WORDS = frozenset({"and", "of", "for", "on"})


def series_facts(reader: Reader, out: Extraction) -> None:
    """A recurring meeting between two posts, as a body with those two posts as members."""
    for sentence in reader.sentences():
        text = fold(sentence.clean)
        for hit in SERIES.finditer(text):
            label = _series_label(hit["name"], hit["noun"])
            ev = reader.evidence(sentence, "mechanism.series")
            mech = mechanism_ref(reader, label, ev, out)
            if mech is None:
                continue
            for part in (hit["a"], hit["b"]):
                _member_post(reader, mech, re.sub(r"^the\s+", "", part), ev, out)


def _member_post(reader: Reader, mech: Ref, text: str, ev: Evidence, out: Extraction) -> None:
    """A post named as a member of a body, with the side its first word names ("the Japanese
    Minister of Defense")."""
    side = SIDE_WORD.match(text)
    post = text[side.end() if side else 0 :].strip()
    state = ("japan" if side["japan"] else "united-states") if side else None
    out.add(fact(mech, "memberPost", post_ref(reader, post, state, ev, out), ev))


def _series_label(name: str, noun: str) -> str:
    """The series' name in the singular and title case.

    >>> _series_label("Japan-U.S. defense ministerial meetings", "meetings")
    'Japan-U.S. Defense Ministerial Meeting'
    >>> _series_label("Japan-Australia foreign and defense consultations", "consultations")
    'Japan-Australia Foreign and Defense Consultation'
    """
    words = [w if w[0].isupper() or w in SMALL_WORDS else w.capitalize() for w in name.split()]
    return " ".join([*words[:-1], SERIES_NOUN[noun]])


def _basis_facts(
    reader: Reader, mech: Ref, text: str, row: Block, column: int, out: Extraction
) -> None:
    sentence = _row_sentence(reader, row, column)
    if sentence is None:
        return
    ev = reader.evidence(sentence, "mechanism.table")
    dates = find_dates(text)
    if dates and re.search(r"\bEstablished\b", text, re.IGNORECASE):
        out.add(fact(mech, "establishedOn", date_lit(dates[0]), ev))
    sub = re.search(
        r"sub-?entry\s+under\s+(?:the\s+)?(?P<parent>[^,;]+?)(?:\s+in\s+its|,|;|$)", text
    )
    if sub:
        parent = [
            m for m in reader.resolver.gazetteer.find(sub["parent"]) if m.entry.kind == "mechanism"
        ]
        if parent and reader.ref(parent[0].entry) != mech:
            out.add(fact(mech, "parentBody", reader.ref(parent[0].entry), ev))
    mentions = agreement_mentions(reader, sentence, out)
    articles = article_refs_in(reader, sentence, mentions, ev, out)
    for article in articles:
        out.add(fact(mech, "legalBasis", article, ev))
    if not articles:
        for m in mentions:
            out.add(fact(mech, "legalBasis", m.ref, ev))


ESTABLISH_WORDS = re.compile(r"stablish|set\s+up|launched|created|inaugurated")
ESTABLISH = re.compile(r"\b(?:established|set\s+up|launched|created|inaugurated)\b")
# "In July 2024, the Ministers announced the establishment of DICAS": dated by the sentence.
ANNOUNCED = re.compile(r"\bannounce[sd]?\s+(?:the\s+)?$")
WE_ANNOUNCE = re.compile(r"\b[Ww]e\s+(?:hereby\s+|today\s+)?announce\s+(?:today\s+)?(?:the\s+)?$")
UNDER = re.compile(r"\b(?:under|within)\b")
SUBORDINATE = re.compile(r"\b(?:when|after|before|as|since|while|because|until|once)\b")
ESTABLISHMENT_OF = re.compile(r"\bestablishment\s+of\s+(?:the\s+)?$")
# "agreed on the establishment of ... in 2025": the date of a plan, not of the body.
PLANNED = re.compile(
    r"\b(?:agreed|agreeing|decided|plans?|planned|aims?|aimed|toward|towards|will|would|"
    r"consider(?:s|ed|ing)?|discuss(?:es|ed|ing)?|propos(?:e|es|ed|ing|als?)|call\w*\s+for)\b"
    r"(?:\s+[\w-]+){0,3}\s*$"
)
BASIS_CLAUSE = re.compile(r"^\s*(?:[A-Z][a-z]+,\s*)?[Bb]ased\s+on\s+[^,;]*,\s*")
BASED_ON_LEAD = re.compile(r"^\s*Based\s+on\s+(?:the\s+)?")
BASED_ON_AFTER = re.compile(
    r"\b(?:based\s+on|in\s+accordance\s+with|pursuant\s+to)\s+(?:the\s+)?", re.IGNORECASE
)
TWO_STATES = re.compile(r"\b(?:two|both)\s+(?:governments|countries|nations|sides)\b")
CLAUSE_BREAK = re.compile(r";\s|,\s+(?:and|but|while|whereas)\s+(?:the|a|an|it|this|they)\b")
# A body's name before a noun of its own is that noun's modifier: "established the Extended
# Deterrence Dialogue working group" set up a group, not the Dialogue.
HEAD_NOUN_AFTER = re.compile(
    r"\s*(?:working\s+groups?|groups?|sub-?committees?|secretariats?|offices?|task\s+forces?|"
    r"teams?|panels?|cells?|units?|centers?|centres?|framework|meetings?|sessions?)\b"
)


# "The Alliance Coordination Mechanism (ACM) was established in November 2015", "the BPM,
# which was set up in 2015", "the Extended Deterrence Dialogue, established in 2010,": a body
# named before its establishment in the passive.
PASSIVE_ESTABLISHED = re.compile(
    # past who chairs it: "the Extended Deterrence Dialogue, co-chaired by A and B, was ..."
    r"\)?(?:\s*\([^()]*\))*(?:\s*,\s*(?:co-?chaired|chaired|headed|led)\s+by\s+[^;()]{3,250}?(?=,))?(?:\s*,?\s*(?:which\s+|that\s+)?(?:was|were|has\s+been|had\s+been)\s+"
    r"(?:[a-z]+ly\s+)?|\s*,\s*)(?P<verb>established|set\s+up|launched|created|inaugurated)\b"
)
# A body the lexicon does not list, named in full with "the" before its establishment: "the
# Bilateral Information Analysis Cell (BIAC) was established at Yokota Air Base in November
# 2022".
NEW_BODY_PASSIVE = re.compile(
    r"\b(?:[Tt]he|An?)\s+(?P<name>" + BODY_WORD + r"{0,6}(?:Cell|" + BODY_NOUNS + r")"
    # "A Council of Deputies consisting of Deputy-Director General and ... was established"
    r"(?:\s+of\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?)?)"
    r"(?:\s*\((?P<acr>[A-Z][\w-]{1,8})\))?(?:\s+consisting\s+of\s+[^,;]{3,100}?)?"
    # "... (BIAC), established in November 2022 at Yokota Air Base, is co-staffed ..."
    r"(?=\s*,?\s*(?:was|were|has\s+been|had\s+been)\s|\s*,\s*established\s+(?:in|on)\s)"
)


def establishment_facts(reader: Reader, out: Extraction) -> None:
    for sentence in reader.sentences():
        text = fold(sentence.clean)
        if not ESTABLISH_WORDS.search(text):
            continue
        if reader.document.blocks[sentence.block].kind == "table_row":
            continue
        dates = find_dates(text)
        _passive_establishment(reader, sentence, text, dates, out)
        verb = ESTABLISH.search(text)
        if verb and PLANNED.search(text, 0, verb.start()):
            verb = None  # "agreed to set up the ...": a plan, not an establishment
        mechs = [m for m in reader.mentions(sentence) if m.entry.kind == "mechanism"]
        if verb:
            after = [m for m in mechs if _object_of(text, verb.end(), m.start)]
            if any(UNDER.search(text, verb.end(), m.start) for m in after[:1]):
                continue  # "a subcommittee was established under the Council": its parent
            if any(HEAD_NOUN_AFTER.match(text, m.end) for m in after[:1]):
                continue
            if not after:
                new = NEW_MECHANISM.match(text, verb.end() + 1)
                if new and not HEAD_NOUN_AFTER.match(text, new.end()):
                    ev = reader.evidence(sentence, "mechanism.establishment")
                    ref = _new_mechanism(new["name"], new["acr"], ev, out)
                    _establishment(
                        reader, sentence, text, dates, ref, verb.start(), out, new["name"]
                    )
                    _seat(reader, sentence, text, ref, new.end(), ev, out)
                continue
            first = after[0]
            name = text[first.start : first.end]
            _establishment(
                reader, sentence, text, dates, reader.ref(first.entry), verb.start(), out, name
            )
            ev = reader.evidence(sentence, "mechanism.establishment")
            _seat(reader, sentence, text, reader.ref(first.entry), first.end, ev, out)
        for m in mechs:
            of = ESTABLISHMENT_OF.search(text, max(0, m.start - 30), m.start)
            if (
                of
                and not HEAD_NOUN_AFTER.match(text, m.end)
                and not PLANNED.search(text, 0, of.start())
            ):
                date = _establishment_date(text, dates, m.end, m.end, of.start())
                if date is None and WE_ANNOUNCE.search(text, max(0, of.start() - 30), of.start()):
                    # "We announce the establishment of ...": on the statement's own date
                    date = reader.context_date(sentence)
                if date is not None:
                    ev = reader.evidence(sentence, "mechanism.establishment")
                    out.add(fact(reader.ref(m.entry), "establishedOn", date_lit(date), ev))
        _new_body_establishment(reader, sentence, text, dates, out)


def _date_just_after(dates: list[DateMention], name_end: int, end: int) -> DateMention | None:
    """The first date after a body's name that starts within a few words of ``end`` (the name,
    or its acronym in parentheses): "the establishment of the ACM in November 2015"."""
    return next((d for d in dates if d.start > name_end and d.start - end < 40), None)


def _establishment_date(
    text: str, dates: list[DateMention], name_end: int, end: int, noun: int
) -> DateMention | None:
    """The date of "the establishment of <body>" (at ``noun``): the one right after the body,
    else, for an announced establishment, the date the sentence opens with."""
    date = _date_just_after(dates, name_end, end)
    if date is None and ANNOUNCED.search(text, max(0, noun - 20), noun):
        date = lead_date(text, dates)
    return date


# The states a new body is between: "a trilateral Maritime Dialogue between Japan, the
# Philippines, and the United States".
STATE_NAME = r"(?:the\s+)?[A-Z][\w.]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w.]*){0,3}"
BETWEEN_STATES = re.compile(
    r"\s+between\s+(?P<states>"
    + STATE_NAME
    + r"(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+)"
    + STATE_NAME
    + r")+)"
)


def _new_body_establishment(
    reader: Reader, sentence: Sentence, text: str, dates: list[DateMention], out: Extraction
) -> None:
    """A body the lexicon does not list, in "the establishment of the Bilateral Information
    Analysis Cell (BIAC) at Yokota Air Base in November 2022": taken with its date, or with
    the states it is between ("the establishment of a trilateral Maritime Dialogue between
    Japan, the Philippines, and the United States"), which name it and established it."""
    mentions = reader.mentions(sentence)
    for hit in ESTABLISHMENT_OF_NEW.finditer(text):
        start, end = hit.span("name")
        if any(m.start < hit.end() and start < m.end for m in mentions if m.entry.kind != "state"):
            continue  # a body the lexicon knows; the states its name names do not count
        if HEAD_NOUN_AFTER.match(text, hit.end()) or PLANNED.search(text, 0, hit.start()):
            continue
        between = BETWEEN_STATES.match(text, hit.end())
        states = _states_between(reader, between["states"]) if between else []
        date = _establishment_date(text, dates, end, hit.end(), hit.start())
        if date is None and len(states) < 2:
            continue
        name = hit["name"]
        if states and not any(m.entry.kind == "state" and start <= m.start < end for m in mentions):
            name = "-".join(state_label(reader, s) for s in states) + " " + name
        ev = reader.evidence(sentence, "mechanism.establishment")
        ref = _new_mechanism(name, hit["acr"], ev, out)
        if date is not None:
            out.add(fact(ref, "establishedOn", date_lit(date), ev))
        _seat(reader, sentence, text, ref, hit.end(), ev, out)
        for state in states:
            out.add(fact(ref, "establishedBy", Ref("state", state), ev))


def _states_between(reader: Reader, listed: str) -> list[str]:
    """The states of a "between" list, Japan first, when every item of it is a state."""
    items = [i for i in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", listed) if i]
    states = []
    for item in items:
        found = reader.resolver.gazetteer.find(fold(item), {"state"})
        name = item.removeprefix("the ").rstrip(".")  # "U.S." is whole without its full stop
        if len(found) != 1 or found[0].end - found[0].start < len(name):
            return []
        states.append(found[0].entry.slug)
    return list(order_states(states))


def _establishment(
    reader: Reader,
    sentence: Sentence,
    text: str,
    dates: list[DateMention],
    mech: Ref,
    verb_pos: int,
    out: Extraction,
    name: str,
) -> None:
    """Facts of "X established M [in DATE]" with an optional leading "Based on A,"."""
    if re.search(r"\bwill\s+(?:\w+\s+)?$", text[max(0, verb_pos - 20) : verb_pos]):
        return  # a plan ("will establish"), not an establishment
    ev = reader.evidence(sentence, "mechanism.establishment")
    # Only a date of the establishing clause: in "... established the Okinawa Action Council
    # ..., and the SACO Final Report was compiled in 1996", 1996 dates the report.
    boundary = CLAUSE_BREAK.search(text, verb_pos)
    end = boundary.start() if boundary else len(text)
    # Not the date of what the body was set up on ("Moreover, based on the instructions given by
    # the Japan-U.S. Defense Ministerial Meeting on April 8, 2015, the two countries established
    # the SCWG"): that clause dates the instructions.
    basis = BASIS_CLAUSE.match(text)
    since = basis.end() if basis and basis.end() <= verb_pos else 0
    in_clause = [d for d in dates if since <= d.start < end]
    if in_clause:
        out.add(fact(mech, "establishedOn", date_lit(in_clause[0]), ev))
    subject = text[:verb_pos]
    for state in _states_in_subject(reader, subject, name):
        out.add(fact(mech, "establishedBy", Ref("state", state), ev))
    lead = BASED_ON_LEAD.match(text)
    # "... established the Alliance Coordination Mechanism (ACM) based on the 2015 Guidelines":
    # the basis named after the body, in the establishing clause.
    basis = BASED_ON_AFTER.search(text, verb_pos, end)
    if lead or basis:
        for m in agreement_mentions(reader, sentence, out):
            if (lead and m.start <= lead.end() + 2) or (basis and 0 <= m.start - basis.end() <= 2):
                out.add(fact(mech, "basedOn", m.ref, ev))


# Between the verb (or the body's name) and where it was set up: "was established at Yokota Air
# Base", "(BIAC) at Yokota Air Base", "was inaugurated in Manila in March 2025", past a date.
SEAT_GAP = re.compile(
    rf"(?:\s*\([A-Za-z][\w-]{{1,8}}\))?(?:\s+{PRINTED_DATE},?)?"
    r"\s+(?:at|in)\s+(?:the\s+)?"
)


def _seat(
    reader: Reader,
    sentence: Sentence,
    text: str,
    body: Ref,
    since: int,
    ev: Evidence,
    out: Extraction,
) -> None:
    """The place a body was established at or in, named right after ``since`` (``akg:seat``)."""
    for m in reader.mentions(sentence):
        if m.start < since or m.entry.kind not in ("place", "state"):
            continue
        if SEAT_GAP.fullmatch(text, since, m.start):
            out.add(fact(body, "seat", reader.ref(m.entry), ev))
        return


def _new_mechanism(name: str, acronym: str | None, ev: Evidence, out: Extraction) -> Ref:
    """A mechanism the lexicon does not list, named where its establishment is stated."""
    name = re.sub(r"\s+", " ", name).strip()
    ref = Ref("mechanism", slugify(name)[:80].strip("-"))
    out.add(Entity(ref, "Mechanism", name, (acronym,) if acronym else (), ev))
    return ref


ESTABLISHED_ORGANIZATIONS = frozenset({"GovernmentBody", "MilitaryForce"})
# Before a sentence's subject: an opening phrase ("In October 2015,", "For this reason,").
SUBJECT_START = re.compile(r"\s*(?:[^,;]{0,40},\s*)?(?:[Tt]he\s+)?")
# A name spelled out before the acronym the mention is: "The Japan Self-Defense Forces Joint
# Operations Command (".
SPELLED_OUT = re.compile(r"(?:[Tt]he\s+)?(?:[A-Z][\w.'-]*\s+){1,8}\($")


def _is_subject(text: str, start: int) -> bool:
    """Whether a name at ``start`` (or the name its acronym there stands for) opens the
    sentence's subject."""
    spelled = SPELLED_OUT.search(text, max(0, start - 120), start)
    if spelled is not None:
        start = spelled.start()
    return SUBJECT_START.fullmatch(text, 0, start) is not None


def _passive_establishment(
    reader: Reader, sentence: Sentence, text: str, dates: list[DateMention], out: Extraction
) -> None:
    """Dates of bodies a sentence says were established, named before the verb: the date in
    the establishing clause, else the date the sentence opens with; "by" names who did it.
    A body the lexicon does not list is taken only with its date."""
    mentions = reader.mentions(sentence)
    named: list[tuple[int, int, Ref | re.Match]] = [
        (m.start, m.end, reader.ref(m.entry))
        for m in mentions
        if m.entry.kind == "mechanism"
        # A government body or force only as the sentence's subject: "The JSDF Joint Operations
        # Command (JJOC) was established in March 2025", not "a special unit of the MSDF was
        # newly established" or "the European Border and Coast Guard was established".
        or (m.entry.cls in ESTABLISHED_ORGANIZATIONS and _is_subject(text, m.start))
    ]
    for new in NEW_BODY_PASSIVE.finditer(text):
        if len(new["name"].split()) < 2:
            continue  # "The Committee was established": which one, the text has said before
        if any(
            m.start < new.end("name") and new.start("name") < m.end
            for m in mentions
            if m.entry.kind != "state"
        ):
            continue  # a body the lexicon knows, as a mechanism or as something else; the
            # states its name names ("the Japan-Philippines Defense Cooperation Council") do not
            # count
        named.append((new.start("name"), new.end(), new))
    opening = lead_date(text, dates)
    for start, end, body in named:
        passive = PASSIVE_ESTABLISHED.match(text, end)
        if passive is None:
            continue
        boundary = CLAUSE_BREAK.search(text, passive.end())
        clause_end = boundary.start() if boundary else len(text)
        date = next((d for d in dates if passive.end() <= d.start < clause_end), None)
        if date is None and opening is not None and opening.end <= start:
            date = opening
        ev = reader.evidence(sentence, "mechanism.establishment")
        if isinstance(body, Ref):
            ref = body
        elif date is None:
            continue
        else:
            ref = _new_mechanism(body["name"], body["acr"], ev, out)
        if date is not None:
            out.add(fact(ref, "establishedOn", date_lit(date), ev))
        _seat(reader, sentence, text, ref, passive.end(), ev, out)
        by = re.match(r"\s+by\s+(?P<who>[^,;]+)", text[passive.end() : clause_end])
        if by:
            for state in _states_in_subject(reader, by["who"], text[start:end]):
                out.add(fact(ref, "establishedBy", Ref("state", state), ev))
        _passive_basis(reader, sentence, text, ref, (passive.end(), clause_end), ev, out)


# "..., which was established under Article XXV of the Status of Forces Agreement", "was
# established in November 2015 based on the 2015 Guidelines": the basis in the clause.
PASSIVE_BASIS = re.compile(
    r"[^,;]*?\b(?:under|based\s+on|pursuant\s+to|in\s+accordance\s+with)\s+(?:the\s+)?"
)


def _passive_basis(
    reader: Reader,
    sentence: Sentence,
    text: str,
    mech: Ref,
    clause: tuple[int, int],
    ev: Evidence,
    out: Extraction,
) -> None:
    """The agreement or article a body was established under, named in the establishing
    clause: an article is its ``akg:legalBasis``, an agreement what it is ``akg:basedOn``."""
    basis = PASSIVE_BASIS.match(text, *clause)
    if basis is None:
        return
    mentions = agreement_mentions(reader, sentence, out)
    for start, _, article in article_spans(reader, sentence, mentions, ev, out):
        if start == basis.end():
            out.add(fact(mech, "legalBasis", article, ev))
            return
    for m in mentions:
        if m.start == basis.end():
            out.add(fact(mech, "basedOn", m.ref, ev))


def _states_in_subject(reader: Reader, subject: str, name: str) -> list[str]:
    """The states that established a body: Japan and the United States as the subject names
    them ("the Japanese and U.S. Governments"); for "the two countries", the two the body's name
    names ("the Japan-Australia Defence Policy Dialogue"), else Japan and the United States, the
    pair this genre is about. Other states before the verb are too often not its subject ("...
    operations particularly in Afghanistan, ... under the newly established National Security
    Council")."""
    if TWO_STATES.search(subject):
        named = _japan_us(name)
        named += [
            m.entry.slug
            for m in reader.resolver.gazetteer.find(name, kinds={"state"})
            if m.entry.slug not in named
        ]
        return named if len(named) == 2 else list(DEFAULT_STATES)
    return _japan_us(subject)


def _japan_us(text: str) -> list[str]:
    found = []
    if re.search(r"\bJapan(?:ese)?\b", text):
        found.append("japan")
    if re.search(r"\bU\.S\.|\bUnited States\b|\bAmerican\b", text):
        found.append("united-states")
    return found


def utilization_facts(reader: Reader, out: Extraction) -> None:
    last: Entry | None = None
    last_called_mechanism: Entry | None = None  # what "the mechanism" refers back to
    for sentence in reader.sentences():
        text = fold(sentence.clean)
        mechs = [
            m
            for m in reader.mentions(sentence)
            if m.entry.kind == "mechanism" and m.entry.cls != "Alliance"
        ]
        if mechs:
            last = mechs[-1].entry
        for m in mechs:
            if m.entry.label.endswith("Mechanism"):
                last_called_mechanism = m.entry
        use = UTILIZE.search(text)
        if not use or last is None:
            continue
        back = last_called_mechanism if use.group().endswith("mechanism") else None
        target = next((m.entry for m in mechs if m.start >= use.start()), back or last)
        response = RESPONSE_LIST.search(text, use.end())
        if not response:
            continue
        ev = reader.evidence(sentence, "mechanism.utilization")
        for item in re.split(r",\s*(?:and\s+)?|\s+and\s+(?=the\s)", response["list"]):
            item = re.sub(r"^(?:the|a|an)\s+", "", item.strip())
            if len(item) < 4:
                continue
            out.add(fact(reader.ref(target), "utilizedFor", _occurrence(reader, item, ev, out), ev))


def _occurrence(reader: Reader, phrase: str, ev: Evidence, out: Extraction) -> Ref:
    """An event named by a phrase ("the 2016 Kumamoto Earthquake")."""
    low = phrase.lower()
    if re.search(r"earthquake|typhoon|flood|tsunami|disaster|eruption|heavy rain", low):
        cls = "Disaster"
    elif "missile" in low and re.search(r"launch", low):
        cls = "MissileLaunch"
    else:
        cls = "Event"
    ref = Ref("event", slugify(phrase)[:90].strip("-"))
    out.add(Entity(ref, cls, phrase[0].upper() + phrase[1:], evidence=ev))
    years = [d for d in find_dates(phrase) if d.datatype == "gYear"]
    if years:
        out.add(fact(ref, "date", date_lit(years[0]), ev))
    return ref


# "will [respectively] DO ... through [the|an upgraded] M" (or the last clause before it, when
# the sentence says what will be done): what M is for.
THROUGH = re.compile(
    r"(?:\bwill\s+(?:\w+ly\s+)?|,\s+)(?P<action>(?:(?!\bwill\b)[^,;]){3,150}?)\s+"
    r"(?:through|via)\s+(?:the\s+|an?\s+(?:[\w-]+\s+)?)?$"
)
FOR_PURPOSE = re.compile(
    r"[^;]{0,80}?\b(?:for\s+the\s+purposes?\s+of|in\s+order\s+to)\s+(?:implementing\s+)?(?:the\s+)?"
    r"(?P<action>[^,;]+?)"
    r"(?=\s+in\s+(?:line\s+with|order\s+to|accordance\s+with)\b|[,;]|\.?$)"
)
PURPOSE_KINDS = frozenset({"area", "domain", "operation", "issue", "situation"})


def purpose_facts(reader: Reader, out: Extraction) -> None:
    for sentence in reader.sentences():
        text = fold(sentence.clean)
        if not re.search(r"\b(?:through|via|purposes?|in\s+order\s+to)\b", text):
            continue
        if reader.document.blocks[sentence.block].kind == "table_row":
            continue  # a forum table's purpose column is read as such
        mentions = reader.mentions(sentence)
        for m in mentions:
            if m.entry.kind != "mechanism":
                continue
            found = None
            if re.search(r"\bwill\b", text[: m.start]):
                found = THROUGH.search(text[: m.start])
            if found is None and _established(text, m.start):
                found = FOR_PURPOSE.match(text, m.end)
            if found is None:
                continue
            start, end = found.span("action")
            lead = re.match(r"(?:to|and)\s+", text[start:end])
            start += lead.end() if lead else 0
            names = [x for x in mentions if start <= x.start and x.end <= end]
            spans = [(x.start - start, x.end - start) for x in names]
            phrase = bounded_phrase(text[start:end], spans, LABEL_LIMIT)
            if len(phrase.split()) < 2:
                continue
            ev = reader.evidence(sentence, "mechanism.purpose")
            mech = reader.ref(m.entry)
            ref = Ref("purpose", bounded_slug(f"{mech.slug}-{phrase_slug(phrase)}", 120))
            out.add(Entity(ref, "Purpose", phrase, evidence=ev))
            out.add(fact(mech, "purpose", ref, ev))
            for x in names:
                if x.entry.kind in PURPOSE_KINDS:
                    out.add(fact(ref, "topic", reader.ref(x.entry), ev))


def _established(text: str, start: int) -> bool:
    """Whether the mechanism named at ``start`` is what the sentence says was established, not
    the body it was established under ("a subcommittee was established under the Council")."""
    verbs = list(ESTABLISH.finditer(text, 0, start))
    return (
        bool(verbs)
        and _object_of(text, verbs[-1].end(), start)
        and not UNDER.search(text, verbs[-1].end(), start)
    )


def _object_of(text: str, verb_end: int, start: int) -> bool:
    """Whether a name at ``start`` is what the establishing verb ending at ``verb_end`` names:
    close after it, and not in another clause ("a council was established when the SDC was
    reorganized")."""
    return 0 <= start - verb_end <= 20 and not SUBORDINATE.search(text, verb_end, start)


# Who sits on a body, said right after its name: "The Japan-U.S. Extended Deterrence Dialogue,
# co-chaired by the Director General of the Defense Policy Bureau of the Ministry of Defense
# and the Deputy Assistant Secretary of Defense for East Asia, ..."; "The ACM is composed of
# the ACG, the JCG and the CCCs" (bodies under it).
MEMBERS_AFTER = re.compile(
    r"(?:\s*\([^()]*\))*(?:\s*,\s*(?:which\s+(?:is|was|are|were)\s+)?|"
    r"\s+(?:is|are|was|were|has\s+been)\s+|\s+(?=consists?\s))(?P<verb>co-?chaired|chaired|"
    r"headed|composed|made\s+up|comprised|consists?)\s+(?:by|of)\s+(?P<list>.+?)"
    r"(?=,\s*(?:was|were|which|is|are|has|and\s+(?:is|was|has|meets))\b|\s+(?:was|were|is|"
    r"has|meets|to|in\s+(?:order|accordance))\b|;|\((?![A-Z][\w-]{1,8}\))|\.(?:\s|$)|$)"
)
LIST_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
POST_HEAD = re.compile(
    r"(?:(?:Japanese|U\.S\.|American)\s+)?(?:Vice\s+|Deputy\s+|Assistant\s+|Under\s+|"
    r"Principal\s+|Senior\s+)*(?:Minister|Secretary|Director|Director-General|Chief|"
    r"Commander|Ambassador|Chairman|Chair|Administrative|Parliamentary|Representative|Head)\b"
)


def members_facts(reader: Reader, out: Extraction) -> None:
    """Members of a body named right after it (rule ``mechanism.members``): the posts that
    chair it ("co-chaired by A and B") as ``akg:memberPost``, with the side a post's words
    name; the bodies it is "composed of" or "consists of" as bodies under it
    (``akg:parentBody``). Every item of the list must be a post (or, for "composed of", a body
    the lexicon lists; a body and its acronym in parentheses are one item)."""
    for sentence in reader.sentences():
        text = fold(sentence.clean)
        if not re.search(r"chaired|composed|made up|comprised|consists? of", text):
            continue
        mentions = reader.mentions(sentence)
        for m in mentions:
            if m.entry.kind != "mechanism":
                continue
            hit = MEMBERS_AFTER.match(text, m.end)
            if hit is None:
                continue
            items = [x.strip() for x in LIST_SPLIT.split(hit["list"]) if x.strip()]
            items = [re.sub(r"^(?:the|its)\s+|\s*\([^()]*\)$", "", x) for x in items]
            mech = reader.ref(m.entry)
            ev = reader.evidence(sentence, "mechanism.members")
            if hit["verb"].startswith(("composed", "made", "comprised", "consist")):
                lo, hi = hit.span("list")
                # a body and its acronym in parentheses are one item of the list
                bodies = list(
                    {
                        x.entry.slug: x
                        for x in mentions
                        if x.entry.kind == "mechanism" and lo <= x.start < hi
                    }.values()
                )
                if bodies and len(bodies) == len(items):
                    for body in bodies:
                        out.add(fact(reader.ref(body.entry), "parentBody", mech, ev))
                    continue
            if not items or not all(POST_HEAD.match(x) for x in items):
                continue
            for item in items:
                _member_post(reader, mech, item, ev, out)


def extract_mechanisms(reader: Reader, out: Extraction) -> None:
    forum_table_facts(reader, out)
    establishment_facts(reader, out)
    series_facts(reader, out)
    members_facts(reader, out)
    utilization_facts(reader, out)
    purpose_facts(reader, out)
