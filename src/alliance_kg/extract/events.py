"""Events: meetings, talks, visits and milestones, with dates, participants, places, topics.

Four readings find event candidates:

- ``event.heading``: a section heading ending in a date, "(5) “2+2” Meeting (April 19, 2019)";
  its lead paragraph names the participants and the venue, its body the topics.
- ``event.caption``: a dated photo caption, "Japan-U.S. Defense Ministerial Meeting (August 2019)".
- ``event.sentence``: an event named in running text with a date, "at the “2+2” Meeting in
  October 2013", "the Japan-U.S. Defense Ministerial Meeting held on July 11, 2014".
- ``event.timeline``: a row of a chronology table, "1969 | | Sato-Nixon Talks (agreement on ...)".

Candidates describing the same event in one document (same type and states, compatible dates
and participants) are merged before statements are made, so the IRI is the most precise one.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import takewhile

from ..corpus import Block, Section, Sentence
from ..lexicon import Entry
from ..namespaces import slugify
from .agreements import AgreementMention, agreement_mentions, lead_date, revision_refs
from .context import (
    CONNECTIVE,
    DATELINE_LENGTH,
    DEFAULT_STATES,
    DURING_IT,
    LONG_SENTENCE,
    Extraction,
    Reader,
    date_lit,
    fact,
    is_chronology,
    last_cell,
    opening_date,
    order_states,
    sides_named,
    state_label,
)
from .dates import (
    DAY_RANGES,
    MONTHS,
    PRINTED_DATE,
    DateMention,
    day_span,
    find_dates,
    human,
    month_number,
    refines,
)
from .mentions import FIRST_OFFICE, TOPIC_KINDS, Mention, PersonMention, fold
from .model import Entity, EventKey, Evidence, Lit, Ref
from .weapons import occurrences_in

# A call and a video conference, by the words that name them.
TELEPHONE = r"\b(?:tele)?phone (?:talks?|meeting|call|conversation)|\bphone call"
VIDEO = r"\bvideo ?(?:tele)?conferenc|\bteleconferenc|\bvideo call"
# (pattern on folded text, class, label, slug part); the first match decides the type.
EVENT_TYPES: tuple[tuple[re.Pattern, str, str, str], ...] = tuple(
    (re.compile(p, re.IGNORECASE), cls, label, slug)
    for p, cls, label, slug in (
        (
            r'"2\+2"|\b2\+2\b|Security Consultative Committee|Foreign and Defen[cs]e Minister'
            r"(?:ial|s'?)",
            "TwoPlusTwoMeeting",
            '"2+2" Meeting',
            "two-plus-two",
        ),
        (TELEPHONE, "TelephoneTalk", "Telephone Talk", "telephone-talk"),
        (VIDEO, "VideoConference", "Video Conference", "video-conference"),
        (r"\bsummit|\bleaders['’]?\s+meeting", "SummitMeeting", "Summit Meeting", "summit-meeting"),
        (
            r"\bdefen[cs]e ministers?'?(ial)? meeting|\bdefen[cs]e ministerial"
            r"|\bdefen[cs]e ministers'",
            "DefenseMinisterialMeeting",
            "Defense Ministerial Meeting",
            "defense-ministerial-meeting",
        ),
        (
            r"\bforeign ministers?'?(ial)? meeting|\bforeign ministerial",
            "ForeignMinisterialMeeting",
            "Foreign Ministerial Meeting",
            "foreign-ministerial-meeting",
        ),
        (
            r"(?<!vice )(?<!vice-)\bminist(?:erial|ers'?) meeting",
            "MinisterialMeeting",
            "Ministerial Meeting",
            "ministerial-meeting",
        ),
        (r"\btalks\b", "Talks", "Talks", "talks"),
        (r"\bvisit", "Visit", "Visit", "visit"),
        (
            r"\bworking[- ]level\b",
            "WorkingLevelMeeting",
            "Working-Level Meeting",
            "working-level-meeting",
        ),
        (
            r"\b(joint|bilateral|multilateral) (training|exercise)s?\b|\bexercise\b",
            "Exercise",
            "Exercise",
            "exercise",
        ),
        (
            r"\bmeeting|\bcourtesy call|\bdialogue|\bconsultation"
            r"|\bexchang(ing|ed) (opinions|views)|\bmet with\b|\bshaking hands\b",
            "Meeting",
            "Meeting",
            "meeting",
        ),
    )
)
GENERIC = {"Meeting", "Visit", "Talks", "Exercise", "TelephoneTalk", "VideoConference"}

# A trailing date in parentheses, possibly followed by other parentheticals.
TRAILING_DATE = re.compile(
    r"^(?P<name>.*?)\s*\((?P<date>[^()]*?\d{4})\)(?P<rest>(?:\s*[(\[][^()\[\]]*[)\]])*)\s*$"
)
# "(Since 2013)", "(from 2015 to 2017)": a period, not the date of one event.
SPAN_DATE = re.compile(r"\s*(?:since|from|after|until|through|to|before|as of)\b", re.IGNORECASE)
PLURAL_EVENTS = re.compile(
    r"\b(?:Consultations|Meetings|Talks and Meetings|Exchanges|Visits|Summits)\b(?!\s*\w)"
)
# Words that make a heading or caption an event at all.
EVENT_WORD = re.compile(
    r"meeting|summit|talks?\b|visit|conferenc|dialogue|consultation|call\b|2\+2|exchang|"
    r"shaking hands|exercise|met with|ceremony",
    re.IGNORECASE,
)
# Event names in running text; the date must follow within a few words.
# The article and adjectives before a meeting's name printed in lower case.
LOWER_LEAD = re.compile(
    r"(?:(?:the|a|an|their|its|his|her)\s+)?(?:(?:first|first-ever|second|third|fourth|fifth|"
    r"inaugural|bilateral|trilateral|\d+(?:st|nd|rd|th))\s+){0,2}"
)
ANCHOR = re.compile(
    r'"2\+2"(?:\s+(?:[Mm]inisterial\s+)?[Mm]eeting)?|\(2\+2\)|\b2\+2 (?:Ministerial )?Meeting|'
    r"\bSummit(?:\s+(?:Meeting|Telephone\s+Talks?|Video\s+(?:Tele)?[Cc]onference))?|"
    r"\bMinisterial Meeting|\bMinisters'? Meeting|\bLeaders'? Meeting|\bTelephone Talks?|"
    # "the Ninth Japan-Australia 2+2 Foreign and Defence Ministerial Consultations"
    r"\bForeign\s+and\s+Defen[cs]e\s+Ministerial\s+Consultations|"
    r"(?<![\w-])(?:Video\s+)?Teleconference|\bVideo\s+Conference|"
    r"\b[A-Z][a-z]+-[A-Z][a-z]+ Talks\b|"
    # Printed in lower case after the sides' compound: "the U.S.-Russia summit meeting", "the
    # Japan-Vietnam defense ministers' meeting", "a Japan-Spain defense ministerial meeting".
    # A pair the PDF glued reads the same: "a JapanNetherlands defense ministerial meeting".
    r"(?:\b[A-Z][\w.]*(?:-[A-Z][\w.]*(?:\s[A-Z][a-z]+)?)+|\b[A-Z][a-z]+(?:[A-Z][a-z]+|U\.S\.))\s+"
    r"(?:summit(?:\s+meeting)?|(?:defen[cs]e|foreign)\s+minist(?:ers?'?|erial)\s+meeting"
    r"|chiefs?\s+of\s+(?:defen[cs]e|staff)\s+meeting)\b|"
    # "the 11th Japan-Australia 2+2 held in Tokyo on ...": the "2+2" by itself.
    r"\b[A-Z][\w.]*(?:-[A-Z][\w.]*)+\s+2\+2(?![\w+])(?!\s+(?:[Mm]inisterial|[Mm]eeting|Foreign))|"
    r"\bSecurity Consultative Committee(?:\s*\(SCC\))?(?:\s*\(\"2\+2\"(?:\s+Meeting)?\))?|"
    # Printed in lower case right after "held": "Japan and Israel held the first defense
    # ministerial meeting in October 2018", "Prime Minister Abe held his first summit meeting
    # with President Trump". The article and adjectives are no part of the name (LOWER_LEAD).
    r"(?<=\bheld\s)" + LOWER_LEAD.pattern + r"(?:2\+2(?:\s+meeting)?(?![\w+])"
    r"|(?:(?:foreign\s+and\s+)?defen[cs]e|foreign)\s+minist(?:ers?'?|erial)\s+meeting\b"
    r"|summit(?:\s+meeting)?\b)"
)
GAP_TO_DATE = re.compile(
    r"""^[\s"')\]]*(?:\([^()]{0,40}\)\s*)*,?\s*(?:which\s+was\s+|that\s+was\s+)?(?:held\s+)?"""
    r"(?:in|on|of|at)?\s*(?:the\s+following\s+year\s*)?\(?$"
)
# A verb or a venue between an event's name and its date ("The Japan-Australia Summit Meeting
# was held in Tokyo in March 2015", "... met at the Security Consultative Committee in
# Washington, D.C. on ..."): taken only for a name that says whose meeting it was, since a bare "the
# Foreign and Defense Ministerial Meeting was held on ..." or "the APEC Summit was held in ..."
# leaves the sides to a context that PDF layout often gets wrong.
# A venue printed before a date: "in Washington, D.C. on", "at the Pentagon in".
VENUE_BEFORE_DATE = r"(?:(?:in|at)\s+(?:the\s+)?[A-Z][\w.]*(?:,?\s+[A-Z][\w.]*){0,3},?\s+)?"
HELD_GAP = re.compile(
    r"""^[\s"')\]]*(?:\([^()]{0,40}\)\s*)*,?\s*(?:(?:which|that)\s+)?(?:was|were)?\s*"""
    r"(?:(?:held|met|convened|took\s+place)\s+)?"
    + VENUE_BEFORE_DATE
    # "held on the sidelines of the Shangri-La Dialogue in June 2018", "on the occasion of
    # the Fourth ADMM-Plus meeting in October 2017"
    + r"(?:(?:on\s+the\s+(?:sidelines?|margins?|occasion)\s+of|at\s+the\s+timing\s+of|during)"
    r"\s+(?:the\s+)?[^,;()]{3,50}?,?\s+)?"
    # "which was held for the first time in history in October 2016"
    r"(?:for\s+the\s+first\s+time(?:\s+in\s+(?:history|\w+\s+years?))?\s+)?"
    r"(?:in|on)\s*$"
)
HOLD_VERB = re.compile(
    r"\b(held|hold|holding|met|meet|meeting|visit(ed|ing|s)?|attend(ed|ing)?|at anchor|"
    r"took place|was held|were held|convened?|convening|hosted|welcomed)\b",
    re.IGNORECASE,
)
PLACE_PREP = re.compile(r"\b(in|at|to)\s+(the\s+)?$", re.IGNORECASE)
# "President Trump welcomed Prime Minister Ishiba to the White House": a host welcomes a guest
# to the venue; what else was welcomed (progress, a decision) was not held anywhere.
WELCOMED_TO = re.compile(r"\bto\s+(the\s+)?$")
VISITED = re.compile(r"\bvisit(?:ed|ing|s)?\s+(?:the\s+)?$")
LOCATION_KINDS = frozenset({"place", "state", "organization"})
SHORT_STATE = {"united-states": "U.S."}


@dataclass
class Candidate:
    """An event as one reading found it, before merging and minting its IRI."""

    cls: str
    type_label: str
    type_slug: str
    date: DateMention
    states: tuple[str, ...]
    names: list[str]  # the event's names as printed (become altLabels)
    evidence: Evidence  # where the event itself is stated
    people: list[tuple[PersonMention, Evidence]] = field(default_factory=list)
    links: list[tuple[str, Ref | Lit, Evidence]] = field(default_factory=list)  # (pred, obj, ev)
    participants: list[tuple[Ref, Evidence]] = field(default_factory=list)
    mentions: list[Evidence] = field(default_factory=list)  # other places naming the event
    rank: int = 0  # heading 0, reference 1, caption 2, timeline 2, sentence 3
    # What was said at the event: (sentence, its topics); each becomes an akg:Affirmation.
    points: list[tuple[Evidence, list[Ref]]] = field(default_factory=list)
    mentioned: list[tuple[Candidate, Evidence]] = field(default_factory=list)
    span: tuple[int, int] | None = None  # raw extent of the event's section
    merged_into: Candidate | None = None
    ref: Ref | None = None
    label: str = ""
    # People the event's participants met there ("paid a courtesy call on ..."): participants
    # too, but the event is not named by them (the text prints them less steadily).
    hosts: list[tuple[PersonMention, Evidence]] = field(default_factory=list)
    # A session of a body: the body (``akg:meetingOf``) when the lexicon lists it, and its
    # name without the sides ("Extended Deterrence Dialogue"), which tells two sessions of a
    # month apart.
    body: Entry | None = None
    series: str | None = None
    title: str | None = None  # a label that says more than the series ("Announcement of ...")

    def resolved(self) -> Candidate:
        """The candidate this one was merged into (itself when kept)."""
        cand = self
        while cand.merged_into is not None:
            cand = cand.merged_into
        return cand

    @property
    def surnames(self) -> list[str]:
        if self.cls == "Talks" and self.names:
            m = TALKS_NAME.search(self.names[0])
            if m:
                return [m["a"], m["b"]]
        seen: list[str] = []
        for p, _ in self.people:
            if p.surname not in seen and not p.possessive:
                seen.append(p.surname)
        return seen


def classify(text: str) -> tuple[str, str, str] | None:
    """The event class, label and slug part a name implies, or None."""
    folded = fold(text)
    for pattern, cls, label, slug in EVENT_TYPES:
        if pattern.search(folded):
            return cls, label, slug
    return None


# A state's name in a sides' compound: "Japan", "New Zealand", "Republic of Korea".
STATE_WORDS = r"[A-Z][\w.]*(?:\s(?:of\s(?:the\s)?)?[A-Z][\w.]*)?"


def states_in(reader: Reader, text: str) -> tuple[str, ...]:
    """States named in the leading compound of an event name ("Japan-U.S.-Australia ...")."""
    # "JapanU.S. Defense Ministerial Meeting", "JapanU.S.-U.K. Trilateral Maritime Talks": PDF
    # extraction drops the hyphen after "Japan" at a line break.
    folded = GLUED_JAPAN.sub("Japan-", fold(text).lstrip('"( '), count=1)
    m = re.match(r"^((?:" + STATE_WORDS + r"-)+" + STATE_WORDS + ")", folded)
    if not m:
        return _glued_states(reader, folded)
    return _found_states(reader, m.group(1))


GLUED_JAPAN = re.compile(r"^Japan(?=U\.S\.|[A-Z][a-z])")


def _glued_states(reader: Reader, folded: str) -> tuple[str, ...]:
    """The states of a pair PDF extraction glued ("JapanIndia Summit Meeting",
    "PhilippinesChina"): two state names, each whole, in the first word."""
    word = re.match(r"^([A-Z][a-z]+)([A-Z][a-z]+)\b", folded)
    if word is None:
        return ()
    found = _found_states(reader, f"{word[1]}-{word[2]}")
    return found if len(found) == 2 else ()


def _found_states(reader: Reader, compound: str) -> tuple[str, ...]:
    found = [x.entry.slug for x in reader.resolver.gazetteer.find(compound, kinds={"state"})]
    found = list(dict.fromkeys(found))
    return tuple(found) if len(found) >= 2 else ()


# 'Japan-U.K. "2+2"': the pair before a name makes it another pair's meeting, not the SCC.
OTHER_PAIR = re.compile(r"\b[A-Z][\w.]*-(?!U\.S\.)[A-Z][\w.]*\s*\"?$")
PEOPLE_WINDOW = 200
# "the "2+2" Meeting was held in Washington, D.C.", "held on June 9, 2024 in Tokyo": where,
# not what about.
# "welcomed the holding of the second Japan-India 2+2 Foreign and Defence Ministerial Meeting in
# Tokyo": a place right after a meeting's name is where that meeting was.
NAME_THEN_PLACE = re.compile(
    r"(?:Meeting|Summit|Talks?|Dialogue|Consultations|2\+2[\"\u201d]?)\s+(?:in|at)\s+(?:the\s+)?$"
)
HELD_AT = re.compile(
    r"\b(?:held|took place|convened|met)\s+"
    rf"(?:{PRINTED_DATE},?\s+)?"
    r"(?:in|at)\s+(?:the\s+)?$"
)
# A city in the name of a gathering ("the 56th Munich Security Conference", "the Halifax
# International Security Forum") is neither what was discussed nor, alone, where.
GATHERING_AFTER = re.compile(r"(?:\s+[A-Z][\w-]*){0,3}\s+(?:Conference|Dialogue|Forum)\b")
# "held a meeting in Lima, Peru", "in Honolulu, Hawaii": the state after a city says where,
# not what about; not one of a list of places.
LIST_GOES_ON = re.compile(r"\s*(?:,|and\b)")
CITY_OF = re.compile(r"\b(?:in|at)\s+[A-Z][\w.-]*(?:\s[A-Z][\w.-]*)?,\s*$")
# Blocks that point elsewhere or label a diagram: "See Reference 27 (Joint Statement of the
# SCC (April 27, 2015))" inside an event's section names documents, not what was discussed.
NOT_EVENT_TEXT = frozenset({"reference", "figure_title", "figure_text"})


def foreign_qualifier(reader: Reader, name: str) -> bool:
    """True when an event name is qualified by a body or third state and names no pair of
    states: "NATO Summit", "G20 Osaka Summit", "Six-Party Talks" are not bilateral meetings of
    the section's states."""
    if re.search(r"\bG\s?\d+\b|\b[A-Z][a-z]+-Party\b|\b(?:Multilateral|Plus)\b", name):
        return True
    folded = fold(name)
    known = []
    for m in reader.resolver.gazetteer.find(folded):
        entry = m.entry
        if entry.kind == "organization" or (
            entry.kind == "mechanism" and not fold(entry.label).startswith("Japan-U.S.")
        ):
            return True  # "NATO Summit"; the "IISS Asia Security Summit" (Shangri-La Dialogue)
        if entry.kind == "state" and entry.slug not in DEFAULT_STATES:
            return True
        if entry.kind not in ("state", "mechanism"):
            return True  # "PKO Summit", "Nuclear Security Summit": named for what it is about
        known.append((m.start, m.end))
    # Any other capitalised qualifier ("IISS Asia Security Summit", "Nuclear Security Summit",
    # "East Asia Summit") names a gathering of its own.
    for w in re.finditer(r"[A-Z][\w.'-]*", folded):
        if any(a <= w.start() < b for a, b in known):
            continue
        if w.group().rstrip(".'s").lower() not in BILATERAL_NAME_WORDS:
            return True
    return False


#: Words a bilateral meeting's name is made of, besides the states themselves.
BILATERAL_NAME_WORDS = frozenset(
    {
        "japan", "japanese", "u.s", "u.s.-japan", "us", "united", "states", "american", "defense",
        "defence", "foreign", "ministerial", "minister", "ministers", "minister's", "leaders",
        "summit", "meeting", "meetings", "talks", "talk", "telephone", "video", "teleconference",
        "conference", "vice-ministerial", "vice", "bilateral", "security", "consultative",
        "committee", "joint", "working-level", "senior", "officials", "policy", "dialogue",
        "strategic", "economic", "level", "the", "of", "and", "heads", "first", "second", "third",
        "state", "official", "visit", "2+2", "scc",
    }
)  # fmt: skip


def _names_us(reader: Reader, text: str, people: list[PersonMention]) -> bool:
    """Whether a text shows the United States taking part: a U.S. person, post or body."""
    if any(p.state == "united-states" for p in people):
        return True
    return any(m.entry.side == "united-states" for m in reader.resolver.gazetteer.find(fold(text)))


def _counterpart_state(reader: Reader, text: str) -> tuple[str, ...]:
    """Japan and the one other state a text names, when it does not name the United States
    ("... with Lieutenant General Briguez, Commanding General of the Philippine Air Force")."""
    named = sides_named(reader, text)
    pattern = reader.resolver.adjective_re
    if pattern is not None:
        named |= {reader.resolver.adjectives[m.group()] for m in pattern.finditer(text)}
    if "united-states" in named:
        return ()
    others = named - {"japan"}
    return ("japan", others.pop()) if len(others) == 1 else ()


def section_states(reader: Reader, section: Section | None) -> tuple[str, ...]:
    """States named in the titles of a section and its ancestors (Japan and the U.S. when
    none does)."""
    return titled_states(reader, section) or DEFAULT_STATES


def titled_states(reader: Reader, section: Section | None) -> tuple[str, ...]:
    """States named in the titles of a section and its ancestors, innermost first: a title
    naming two states decides ("Japan-U.S. Alliance", "Policy Consultations between Japan and
    the United States"); one naming a third state alone makes it Japan and that state ("(4)
    France"); one naming only the United States ("(2) Relations with the United States") makes
    it the U.S. and the third state an outer title names ("1 India"), else Japan and the U.S.
    Empty when no title names a state."""
    us_only = False
    for s in reversed(reader.document.section_path(section.index if section else None)):
        found = states_in(reader, s.title)
        if len(found) >= 2:
            return found
        named = sides_named(reader, s.title)
        if "united-states" in named:
            if "japan" in named:
                return DEFAULT_STATES
            us_only = True
            continue
        if "japan" in named and us_only:
            return DEFAULT_STATES
        others = named - set(DEFAULT_STATES)
        if len(others) == 1:
            (other,) = others
            return ("united-states", other) if us_only else ("japan", other)
    return DEFAULT_STATES if us_only else ()


def paragraph_states(reader: Reader, sentence: Sentence, before: int) -> tuple[str, ...]:
    """Japan and the one other state the paragraph is about, up to an unqualified event name:
    "With New Zealand, a memorandum ... was signed in August 2013. During the Summit Meeting
    in July 2014, the two countries agreed ...". Empty when the U.S. or several states are
    named."""
    texts = [sentence.clean]
    for i in range(sentence.index - 1, max(-1, sentence.index - 3), -1):
        previous = reader.document.sentences[i]
        if previous.block != sentence.block:
            break
        texts.append(previous.clean)
    text = fold(" ".join(texts))
    if _names_us(reader, text, []):
        return ()
    # The one other state whose forces or government act in the sentence itself: "MSDF vessels
    # and Sri Lanka Navy vessels carried out goodwill training based on the comprehensive
    # partnership agreed at the Summit Meeting in October 2015".
    acting = {
        m.entry.slug
        for m in reader.resolver.gazetteer.find(fold(sentence.clean), {"state"})
        if m.entry.slug not in DEFAULT_STATES and STATE_ACTOR_AFTER.match(sentence.clean, m.end)
    }
    if len(acting) == 1:
        return ("japan", acting.pop())
    # Only a state the paragraph pairs with Japan: a state it merely mentions ("North Korea
    # launched missiles. At the Summit Meeting ...") says nothing of who met.
    paired = {
        m.entry.slug
        for m in reader.resolver.gazetteer.find(text, {"state"})
        if m.entry.slug not in DEFAULT_STATES
        and (
            PAIRED_BEFORE.search(text[max(0, m.start - 12) : m.start])
            or PAIRED_AFTER.match(text, m.end)
        )
    }
    return ("japan", paired.pop()) if len(paired) == 1 else ()


STATE_ACTOR_AFTER = re.compile(
    r"\s(?:Navy|Army|Air Force|Armed Forces|Coast Guard|Marine Corps|Government|Defen[cs]e "
    r"Forces?|Ministry of Defen[cs]e)\b"
)
PAIRED_BEFORE = re.compile(r"(?:\bJapan\s?[-–]\s?|\bJapan and |\b[Ww]ith )$")
PAIRED_AFTER = re.compile(r"\s?[-–]\s?Japan\b| and Japan\b")


def context_states(
    reader: Reader, sentence: Sentence, before: int, default: tuple[str, ...] = DEFAULT_STATES
) -> tuple[str, ...]:
    """The states an event a sentence names without its sides is between: the paragraph's own
    pairing ("With Italy, ... between Japan and Italy") before the section titles, which PDF
    heading nesting can get wrong; ``default`` when neither names any."""
    block_section = reader.document.blocks[sentence.block].section
    section = reader.document.sections[block_section] if block_section is not None else None
    return paragraph_states(reader, sentence, before) or titled_states(reader, section) or default


def _date_of(text: str) -> DateMention | None:
    dates = find_dates(text)
    return dates[0] if len(dates) == 1 else None


# -- readings -------------------------------------------------------------------------------


def heading_candidates(reader: Reader, out: Extraction) -> list[Candidate]:
    found = []
    for section in reader.document.sections:
        m = TRAILING_DATE.match(section.title)
        if not m or not EVENT_WORD.search(m["name"]) or SPAN_DATE.match(m["date"]):
            continue
        if PLURAL_EVENTS.search(m["name"]):
            continue  # "Japan-U.S. (Minister-Level) Consultations (Since 2013)": a table of many
        date = _date_of(m["date"])
        kind = classify(m["name"])
        sentence = reader.heading_sentence(section)
        if date is None or kind is None or sentence is None:
            continue
        ev = reader.evidence(sentence, "event.heading")
        name = f"{m['name']} ({m['date']})".strip()
        cand = Candidate(*kind, date=date, states=(), names=[name], evidence=ev, rank=0)
        cand.span = (section.start, section.end)
        cand.people += [(p, ev) for p in reader.people(sentence) if not p.possessive]
        lead = _lead_sentences(reader, section)
        for s in lead:
            lev = reader.evidence(s, "event.participant")
            cand.people += [(p, lev) for p in reader.people(s) if not p.possessive]
        body = [
            s
            for s in _own_sentences(reader, section)
            # A table beside a meeting's account is a figure of its own (the consultative
            # forums and their purposes), not what the meeting discussed.
            if reader.document.blocks[s.block].kind not in NOT_EVENT_TEXT | {"table_row"}
        ]
        if date.datatype == "gYear":
            body = []  # "Japan-U.S. "2+2" Meeting (2005)": a figure's or a timeline's label
        # Not what a head of state or government says under a ministerial meeting's heading
        # ("..., Prime Minister Abe explained ..."): a summit's text the layout put there.
        body = [s for s in body if not _leader_speaks(reader, cand.cls, s)]
        for s in body:
            if s in lead or s.index == sentence.index or _dated_otherwise(s.clean, date):
                continue  # a photo caption of another day inside the section is not this event
            first = reader.opening_person(s)
            if first is not None and not (cand.cls in MINISTERIAL and _leader(first)):
                # (a head of government in a caption inside a ministerial meeting's section,
                # "Prime Minister Shinzo Abe making an address at ...", was not at it)
                cand.people.append((first, reader.evidence(s, "event.participant")))
        cand.states = (
            states_in(reader, m["name"])
            or _people_states(cand)
            or section_states(
                reader,
                reader.document.sections[section.parent] if section.parent is not None else None,
            )
        )
        venue = _add_location(reader, cand, lead)
        said = [s for s in body if not _other_meeting(cand.cls, s.clean)]
        _add_topics(reader, cand, said, out, skip={venue} if venue else set())
        found.append(cand)
    return found


# The subject a sentence opens with, after a run-in heading ("(a) Security and Defense
# Cooperation The two leaders voiced ...").
MINISTERS_SUBJECT = re.compile(
    r"^(?:[a-z]\.\s+|\(\w\)\s+)?(?:(?:[A-Z][\w-]*|and)\s+){0,6}?"
    + CONNECTIVE
    + r"(?:The|Both)\s+(?:two\s+)?(?P<who>[Ll]eaders|[Mm]inisters|[Ss]ecretaries)\b",
)
MINISTERIAL = frozenset(
    {"TwoPlusTwoMeeting", "DefenseMinisterialMeeting", "ForeignMinisterialMeeting"}
)


DEPUTY = re.compile(r"\b(?:Deputy|Vice)\b", re.IGNORECASE)
VICE_LEVEL = re.compile(r"\b(?:Vice|Deputy)[- ]?Minist", re.IGNORECASE)
SPEAKS_AFTER = re.compile(
    r"\s+(?:also\s+)?(?:explained|stated|said|expressed|emphasized|noted|requested|responded)\b"
)


def _leader_speaks(reader: Reader, cls: str, sentence: Sentence) -> bool:
    """Whether, in a ministerial meeting's section, a sentence is what a head of state or
    government said ("Concerning the relocation of MCAS Futenma, Prime Minister Abe explained
    ..."): a summit's account the layout moved."""
    if cls not in MINISTERIAL:
        return False
    return any(
        _leader(p) and SPEAKS_AFTER.match(sentence.clean, p.end) for p in reader.people(sentence)
    )


def _leader(person: PersonMention) -> bool:
    """Whether a person is titled as a head of state or government (not "Deputy Prime
    Minister and Minister for Defence")."""
    return bool(LEADER_TITLE.search(person.title)) and not DEPUTY.search(person.title)


def _other_meeting(cls: str, text: str) -> bool:
    """Whether a sentence's subject shows another meeting than the section's: "The Ministers
    also confirmed ..." under a summit heading, or "The two leaders ..." under a ministerial
    one, is text past the end of the event's section the layout did not mark."""
    m = MINISTERS_SUBJECT.match(text)
    if m is None:
        return False
    leaders = m["who"].lower() == "leaders"
    return (cls == "SummitMeeting" and not leaders) or (cls in MINISTERIAL and leaders)


# The title of a meeting's own statement ("Joint Statement of the Security Consultative
# Committee", "U.S.-Japan Joint Leaders' Statement").
STATEMENT_TITLE = re.compile(
    r"\bJoint\s+(?:Leaders['’]?\s+|Vision\s+)?(?:Statement|Declaration|Communiqu[eé])\b"
    r"|\bLeaders['’]?\s+(?:Joint\s+)?Statement\b"
    r"|\bJoint\s+Press\s+Statement\b|\bStatement\s+of\s+the\s+Security\s+Consultative\b",
    re.IGNORECASE,
)
LEADERS = re.compile(r"\bLeaders?\b|\bSummit\b|\bPresident\b|\bPrime\s+Minister\b", re.IGNORECASE)
CONVENE_VERB = re.compile(r"\b(?:convened|met|held|hosted|welcomed|gathered|visited)\b")
SUMMIT = ("SummitMeeting", "Summit Meeting", "summit-meeting")
# A statement's byline lists who issued it: "By Minister for Foreign Affairs Taro Kono, ...".
BYLINE_LIST = re.compile(r"By\s+[A-Z]")
CONVENED_TODAY = re.compile(r"\b(?:met|convened|gathered)\s+(?:today\s+)?(?:in|at)\b")
TITLE_LINE = 200  # a document's first line up to this length may be its title


def document_candidates(reader: Reader, out: Extraction) -> list[Candidate]:
    """The meeting a document is the joint statement of (rule ``event.document``): the whole
    text is its record, as an event heading's section is."""
    document = reader.document
    titles = [document.info.title or ""]
    if document.sections:
        titles.append(document.sections[0].title)
    if document.sentences and len(document.sentences[0].clean) <= TITLE_LINE:
        # A title with a subtitle after a colon reads as a paragraph, not a heading.
        titles.append(document.sentences[0].clean)
    two_lines = _two_line_title(document.sentences[:2])
    if two_lines:
        titles.insert(0, two_lines)
    name = next((t for t in titles if STATEMENT_TITLE.search(t)), None)
    # A joint document of the lexicon titled by its own name, with the people who issued it
    # listed under the title ("United States-Japan Roadmap for Realignment Implementation",
    # "May 1, 2006", "Secretary of State Rice ... Minister of State for Defense Nukaga").
    instrument = None if name else next((t for t in titles if _statement_named(reader, t)), None)
    if name is None and instrument is None:
        return _readout_candidates(reader, out)
    opening = list(document.sentences[:8])
    if instrument is not None:
        if not any(_issuers(reader, s) for s in opening):
            return _readout_candidates(reader, out)
        name = instrument
    # Statements print their date on a line of its own, at the top or at the end.
    dated = _statement_date(name, opening + list(document.sentences[-4:]))
    if dated is None:
        return []
    date, where = dated
    kind = SUMMIT if LEADERS.search(name) else classify(name) or ("Meeting", "Meeting", "meeting")
    lead = [s for s in opening if CONVENE_VERB.search(s.clean) and reader.people(s)][:1]
    if not lead:  # "By Minister for Foreign Affairs Taro Kono, ..., and Secretary of Defense ..."
        lead = [s for s in opening if BYLINE_LIST.match(s.clean) and reader.people(s)][:1]
    said: list[Sentence] = []  # a lead that says something, not that they convened
    if not lead:  # "Today, Prime Minister Kishida and President Biden hail a new era ..."
        lead = said = [s for s in opening if _issuers(reader, s)][:1]
    ev = reader.evidence(where or (lead[0] if lead else opening[0]), "event.document")
    cand = Candidate(*kind, date=date, states=(), names=[], evidence=ev, rank=0)
    cand.span = (0, len(document.raw))
    for s in lead:
        pev = reader.evidence(s, "event.participant")
        cand.people += [(p, pev) for p in reader.people(s) if not p.possessive]
    cand.states = _compound_states(reader, name) or _people_states(cand) or DEFAULT_STATES
    if not cand.people:
        cand.people = office_holders(reader, cand, date, document.sentences)
    if not LEADERS.search(name) and any(LEADER_TITLE.search(p.title) for p, _ in cand.people):
        cand.cls, cand.type_label, cand.type_slug = SUMMIT
    elif cand.cls == "Meeting" and _foreign_and_defense(cand.people):
        cand.cls, cand.type_label, cand.type_slug = classify('"2+2"')
    statement = _statement_named(reader, name, date) or _statement_issued(reader, date, cand.states)
    if statement is None and instrument is None:
        # A joint statement the lexicon does not list is an instrument of its own: titles
        # repeat ("United States-Japan Joint Leaders' Statement" heads the statements of 2023,
        # 2024 and 2025), so its IRI carries its date.
        statement = Ref("agreement", slugify(f"{date.value}-{name}")[:90].strip("-"))
        out.add(Entity(statement, "JointStatement", name, evidence=ev))
        for side in cand.states:
            out.add(fact(statement, "party", Ref("state", side), ev))
    if statement is not None:
        cand.links.append(("issued", statement, ev))
        out.add(fact(statement, "formulatedOn", date_lit(date), ev))
    venue = _add_location(reader, cand, lead)
    if venue is None:
        # "The Security Consultative Committee (SCC) met today in Washington": the meeting
        # itself convenes where no participant is named.
        convened = [s for s in opening if s not in lead and CONVENED_TODAY.search(s.clean)][:1]
        venue = _add_location(reader, cand, convened)
    if venue is None and where is not None and not any(VIRTUAL.search(s.clean) for s in lead):
        # a meeting held online was held nowhere the dateline could say ("met ... virtually
        # on 9 June 2021": "Tokyo, 9 June 2021" is where the statement was issued)
        venue = _dateline_place(reader, cand, where, date)
    if venue is None:
        venue = _signed_at(reader, cand, document.sentences[-4:], date)
    body = [
        s
        for s in document.sentences
        if s not in lead
        and s is not where
        and s.clean != name  # the title read as a paragraph names the statement, says nothing
        and document.blocks[s.block].kind not in NOT_EVENT_TEXT | {"heading"}
        and not _opens_otherwise(s, date)
    ]
    _add_topics(reader, cand, body, out, skip={venue} if venue else set())
    for s in said:  # "... and President Joseph R. Biden, Jr. reaffirmed their commitment to ..."
        after = max(p.end for p in reader.people(s))
        _add_topics(reader, cand, [s], out, skip=set(), window=(after, len(s.clean)))
    return [cand]


VIRTUAL = re.compile(r"\b(?:virtually|online|by\s+video|via\s+video)\b", re.IGNORECASE)
# "Joint Statement" on a line of its own, above or below the meeting's name.
BARE_STATEMENT = re.compile(r"\s*(?:" + STATEMENT_TITLE.pattern + r")\s*[.:]?\s*", re.IGNORECASE)


def _two_line_title(lines: list[Sentence]) -> str | None:
    """A statement's title printed over two lines, "Joint Statement" and the meeting's name in
    either order ("Ninth Japan-Australia 2+2 Foreign and Defence Ministerial Consultations",
    "Joint Statement"), as one: "Joint Statement: Ninth Japan-Australia ...". None otherwise."""
    if len(lines) < 2 or any(len(s.clean) > TITLE_LINE for s in lines):
        return None
    first, second = (s.clean.strip() for s in lines)
    bare = [BARE_STATEMENT.fullmatch(t) is not None for t in (first, second)]
    if bare == [True, False] and not find_dates(second):
        return f"{first.rstrip('.: ')}: {second}"
    if bare == [False, True] and not find_dates(first):
        return f"{second.rstrip('.: ')}: {first}"
    return None


# A readout opens by recording its meeting within its first few sentences, under a title
# line of its own.
READOUT_LEAD = 4
READOUT_TITLE = 160  # "Readout of Secretary of Defense ...'s Meeting With Japanese Minister of ..."
# A title naming events in the plural ("Defense Exchanges with Europe", "Consultations on the
# Realignment of U.S. Forces") heads an account of many.
ANY_PLURAL_EVENT = re.compile(
    r"\b(?:Consultations|Meetings|Exchanges|Visits|Summits|Exercises|Dialogues|Conferences)\b",
    re.IGNORECASE,
)
# A meeting's name as a title prints it capitalised: "... Summit Meeting", "... Telephone
# Talk", "... "2+2"".
READOUT_NAME = re.compile(
    r"\b(?:Meeting|Summit|Talks?|Call|Dialogue|Consultation|Conference|Visit)\b|2\+2"
)


def _readout_candidates(reader: Reader, out: Extraction) -> list[Candidate]:
    """The meeting a document is the readout of (rule ``event.readout``): titled by one
    meeting ("Japan-U.S. Defense Ministerial Meeting", "Japan-Australia Summit Telephone
    Talk") and opening on the sentence that records it with its one date and its
    participants ("On July 28, 2024, Minister of Defense Kihara held a meeting with ...").
    Everything after that sentence is an account of the meeting: its topics, as a meeting
    heading's section gives them. A dated heading is the heading rule's."""
    document = reader.document
    titles = [document.info.title or ""]
    if document.sections and document.sections[0].heading == 0:
        titles.append(document.sections[0].title)
    first = document.sentences[0] if document.sentences else None
    if (
        first is not None
        and len(document.blocks[first.block].sentences) == 1
        and len(first.clean) <= READOUT_TITLE
        and not first.clean.endswith(".")
    ):
        titles.append(first.clean)  # a title line the layout did not mark as a heading
    name = next(
        (
            t
            for t in titles
            if READOUT_NAME.search(t)
            and not ANY_PLURAL_EVENT.search(t)
            and not TRAILING_DATE.match(t)
            and classify(t) is not None
        ),
        None,
    )
    if name is None:
        return []
    in_title = _date_of(name)
    for lead in document.sentences[:READOUT_LEAD]:
        if lead.clean == name or not CONVENE_VERB.search(lead.clean):
            continue
        people = [p for p in reader.people(lead) if not p.possessive]
        date = _one_date(reader, lead)
        if (
            date is not None
            and in_title is not None
            and not (date.value == in_title.value or refines(date.value, in_title.value))
        ):
            continue
        date = date or in_title
        if not people or date is None:
            continue
        kind = classify(name)
        ev = reader.evidence(lead, "event.readout")
        cand = Candidate(*kind, date=date, states=(), names=[name], evidence=ev, rank=0)
        cand.span = (0, len(document.raw))
        cand.people = [(p, ev) for p in people]
        cand.states = (
            states_in(reader, name)
            or _people_states(cand)
            or _title_and_people_states(reader, name, cand)
            or DEFAULT_STATES
        )
        venue = _add_location(reader, cand, [lead])
        body = [
            s
            for s in document.sentences[lead.index + 1 :]
            if document.blocks[s.block].kind not in NOT_EVENT_TEXT | {"heading"}
            and not _other_meeting(cand.cls, s.clean)
            and not _opens_otherwise(s, date)
        ]
        _add_topics(reader, cand, body, out, skip={venue} if venue else set())
        return [cand]
    return []


def office_holders(
    reader: Reader, cand: Candidate, date: DateMention, sentences: Iterable[Sentence]
) -> list[tuple[PersonMention, Evidence]]:
    """The persons a statement names only by office ("the Prime Minister and the President"),
    read from the first sentence that does so: each office of one of the statement's sides
    that the lexicon dates a holder of on the statement's date (rule
    ``event.office-holder``)."""
    posts = [
        post for post in reader.lexicon.of_kind("post") if post.state in cand.states and post.titles
    ]
    for sentence in sentences:
        kind = reader.document.blocks[sentence.block].kind
        if kind in NOT_EVENT_TEXT or kind == "heading":
            continue
        found: dict[str, tuple[PersonMention, Evidence]] = {}
        for post in posts:
            m = _bare_office(post, sentence.clean)
            holder = m and reader.lexicon.holder(post.key, date.value)
            if holder is None or holder.key in found:
                continue
            mention = _holder_mention(holder, post, m["title"], m.span("title"))
            found[holder.key] = (mention, reader.evidence(sentence, "event.office-holder"))
        if found:
            return sorted(found.values(), key=lambda pair: pair[0].start)
    return []


# The offices a meeting's type implies, per side: who holds a summit, a defense or foreign
# ministerial meeting, a "2+2".
IMPLIED_OFFICES = {
    "SummitMeeting": ("post/prime-minister-of-japan", "post/president-of-the-united-states"),
    "DefenseMinisterialMeeting": (
        "post/minister-of-defense-of-japan",
        "post/us-secretary-of-defense",
    ),
    "ForeignMinisterialMeeting": (
        "post/minister-for-foreign-affairs-of-japan",
        "post/us-secretary-of-state",
    ),
    "TwoPlusTwoMeeting": (
        "post/minister-for-foreign-affairs-of-japan",
        "post/minister-of-defense-of-japan",
        "post/us-secretary-of-state",
        "post/us-secretary-of-defense",
    ),
}


def implied_holders(reader: Reader, cand: Candidate) -> list[tuple[PersonMention, Evidence]]:
    """Participants a meeting's type implies where its text names none of that side (rule
    ``event.office-implied``): at "the Japan-Singapore Defense Ministerial Meeting" of June
    2017, Japan's Minister of Defense, when the lexicon dates one holder of the office over the
    whole of the meeting's day or month. Only for meetings of two sides or more."""
    offices = IMPLIED_OFFICES.get(cand.cls)
    if cand.cls in REMOTE:
        # "a Japan-U.S. Summit Telephone Talk": the level the name gives a call
        level = classify(REMOTE_WORDS.sub("", cand.names[0])) if cand.names else None
        offices = IMPLIED_OFFICES.get(level[0]) if level else None
    if offices is None or len(cand.states) < 2 or len(cand.date.value) < 7:
        return []
    if any(VICE_LEVEL.search(name) for name in cand.names):
        return []  # "the first Japan-Canada Vice-Ministerial "2+2"": not the ministers
    first, last = (day.isoformat() for day in day_span(cand.date.value))
    named = {p.state for p, _ in cand.people if p.state}
    found = []
    for key in offices:
        post = reader.lexicon.get(key)
        if post is None or post.state not in cand.states or post.state in named:
            continue
        holder = reader.lexicon.holder(key, first, last)
        if holder is None:
            continue
        mention = _holder_mention(holder, post, post.label, (0, 0))  # named by no words
        found.append((mention, replace(cand.evidence, rule="event.office-implied")))
    return found


def _holder_mention(holder: Entry, post: Entry, title: str, span: tuple[int, int]) -> PersonMention:
    """A person the lexicon dates in a post, as a mention by ``title`` at ``span``."""
    return PersonMention(
        start=span[0],
        end=span[1],
        title=title,
        name=holder.label,
        surname=holder.surname or holder.label.split()[-1],
        acting=False,
        former=False,
        possessive=False,
        person=holder,
        post=post,
        state=post.state,
    )


def _statement_named(reader: Reader, title: str, date: DateMention | None = None) -> Ref | None:
    """The joint statement or plan of the lexicon a statement's title opens with ("Japan-U.S.
    Joint Declaration on Security: ...", "United States-Japan Roadmap for Realignment
    Implementation") or its subtitle names ("U.S.-Japan Joint Leaders' Statement: Global
    Partnership for a New Era"): the document is that statement's text. Not one the lexicon
    dates to another day than the document's."""
    subtitle = title.find(": ") + 2
    for m in reader.resolver.gazetteer.find(title, kinds={"agreement"}):
        if (
            (m.start <= 4 or m.start == subtitle)
            and m.entry.cls in ("JointStatement", "Plan")
            and not (date and m.entry.issued and m.entry.issued != date.value)
        ):
            return reader.ref(m.entry)
    return None


def _statement_issued(reader: Reader, date: DateMention, sides: Iterable[str]) -> Ref | None:
    """The joint statement of the lexicon the sides issued on the day, whatever its title."""
    parties = {f"state/{side}" for side in sides}
    for entry in reader.lexicon.of_kind("agreement"):
        if entry.issued == date.value and set(entry.parties) == parties:
            return reader.ref(entry)
    return None


def _issuers(reader: Reader, sentence: Sentence) -> bool:
    """Whether a sentence names titled people of two sides or more: who issued a joint
    document, when it opens the document."""
    return len({p.state for p in reader.people(sentence) if p.state}) > 1


# The offices of a "2+2": each side's foreign and defense ministers.
FOREIGN_POST = re.compile(r"foreign|secretary-of-state|external-affairs")
DEFENSE_POST = re.compile(r"defen[cs]e|armed-forces")


def _foreign_and_defense(people: list[tuple[PersonMention, Evidence]]) -> bool:
    """Whether the people are two sides' foreign and defense ministers, both of each."""
    posts: dict[str, set[str]] = {}
    for p, _ in people:
        if p.post is not None and p.state:
            posts.setdefault(p.state, set()).add(p.post.slug)
    both = [
        state
        for state, slugs in posts.items()
        if any(FOREIGN_POST.search(x) for x in slugs) and any(DEFENSE_POST.search(x) for x in slugs)
    ]
    return len(both) >= 2


def _bare_office(post: Entry, text: str) -> re.Match | None:
    """Where a text names a post by its title alone ("the President", not "the President of
    Russia" nor "President Clinton")."""
    return _bare_office_pattern(post.titles).search(text)


@functools.cache
def _bare_office_pattern(titles: tuple[str, ...]) -> re.Pattern:
    alternatives = "|".join(
        re.escape(t).replace(r"\ ", r"\s+") for t in sorted(titles, key=len, reverse=True)
    )
    return re.compile(rf"\b[Tt]he\s+(?P<title>{alternatives})\b(?!\s+(?:of|for|to)\b)(?!\s+[A-Z])")


def _dateline_place(
    reader: Reader, cand: Candidate, line: Sentence, date: DateMention
) -> tuple[int, int] | None:
    """The place a dateline gives before its date ("WASHINGTON, D.C., April 10, 2024")."""
    places = [
        m
        for m in reader.mentions(line)
        if m.entry.kind in ("place", "state") and m.end <= date.start
    ]
    return _venue_of(reader, cand, line, places)


def _venue_of(
    reader: Reader, cand: Candidate, line: Sentence, places: list[Mention]
) -> tuple[int, int] | None:
    """The one place of ``places`` as the event's venue: (sentence index, its start)."""
    if len(places) != 1:
        return None
    (place,) = places
    ev = reader.evidence(line, "event.location")
    cand.links.append(("location", reader.ref(place.entry), ev))
    return line.index, place.start


def _signed_at(
    reader: Reader, cand: Candidate, closing: list[Sentence], date: DateMention
) -> tuple[int, int] | None:
    """The place printed beside the statement's date where it closes ("April 17, 1996
    Tokyo", "Tokyo, April 17, 1996"), as a signed text gives where it was signed."""
    for sentence in closing:
        for d in find_dates(sentence.clean):
            if d.value != date.value:
                continue
            places = [
                m
                for m in reader.mentions(sentence)
                if m.entry.kind == "place"
                and (0 <= m.start - d.end <= 2 or 0 <= d.start - m.end <= 2)
            ]
            venue = _venue_of(reader, cand, sentence, places)
            if venue is not None:
                return venue
    return None


def _statement_date(name: str, lines: list[Sentence]) -> tuple[DateMention, Sentence | None] | None:
    """The full date of a statement: in its title, else on a short dateline."""
    in_title = [d for d in find_dates(name) if d.datatype == "date"]
    if in_title:
        return in_title[-1], None
    for s in lines:
        if len(s.clean) <= DATELINE_LENGTH:
            full = [d for d in find_dates(s.clean) if d.datatype == "date"]
            if full:
                return full[0], s
    return None


def _own_sentences(reader: Reader, section: Section) -> list[Sentence]:
    """The sentences an event heading's section holds. An unnumbered heading in PDF text is
    often a figure's or a column's title: its text ends at the next heading of any kind."""
    sentences = reader.section_sentences(section)
    if section.number is not None:
        return sentences
    own = []
    for s in sentences:
        block = reader.document.blocks[s.block]
        if block.kind == "heading" and block.index != section.heading:
            break
        own.append(s)
    return own


def _opens_otherwise(sentence: Sentence, date: DateMention) -> bool:
    """Whether a sentence opens on a date that is not the event's: in a statement or readout,
    "On October 29, 2005, the SCC members approved ..." or "In July 2023, the ... Meeting was
    held" is an account of another time, not what was said at the event."""
    text = fold(sentence.clean)
    opening = lead_date(text, find_dates(text))
    return opening is not None and not (
        opening.value == date.value
        or refines(opening.value, date.value)
        or refines(date.value, opening.value)
    )


def _dated_otherwise(text: str, date: DateMention) -> bool:
    """True for text closing on a date in parentheses that is not the event's date."""
    m = TRAILING_DATE.match(text)
    if not m:
        return False
    own = _date_of(m["date"])
    return own is not None and not (
        own.value == date.value or refines(own.value, date.value) or refines(date.value, own.value)
    )


def _lead_sentences(reader: Reader, section: Section) -> list[Sentence]:
    """The sentences of the first prose paragraph after a heading."""
    blocks = reader.document.blocks
    for block in blocks[section.heading + 1 :]:
        if block.start >= section.end or block.kind == "heading":
            break
        if block.kind in ("paragraph", "list_item") and block.sentences:
            return [reader.document.sentences[i] for i in block.sentences]
    return []


def _title_and_people_states(reader: Reader, name: str, cand: Candidate) -> tuple[str, ...]:
    """The one state a title names and the side of the people who went there: "Visit to the
    Philippines by Minister of Defense" is Japan's and the Philippines'."""
    named = {m.entry.slug for m in reader.resolver.gazetteer.find(name, kinds={"state"})}
    own = {p.state for p, _ in cand.people if p.state} - named
    return order_states(named | own) if len(named) == 1 and len(own) == 1 else ()


def _people_states(cand: Candidate) -> tuple[str, ...]:
    states = [p.state for p, _ in cand.people if p.state]
    return order_states(states) if len(set(states)) >= 2 else ()


def _can_host(mention: Mention) -> bool:
    """Whether a mention can be where an event took place: a place, a state, or a government
    body or force (a ministry, a base's unit), not any organisation."""
    entry = mention.entry
    if entry.kind == "organization":
        return entry.cls in ("GovernmentBody", "MilitaryForce")
    return entry.kind in LOCATION_KINDS


def _add_location(
    reader: Reader, cand: Candidate, sentences: Iterable[Sentence], limit: int | None = None
) -> tuple[int, int] | None:
    """The venue: a place, state or government body after in/at/to (or right after "visited")
    in a sentence that says the event was held, or that someone visited (before ``limit``
    when given). The most specific one wins: a place or a body over a state ("visited JS Kaga,
    at anchor in the MSDF Yokosuka District"), and one after in/at/to over one visited."""
    found: list[tuple[int, Mention, Sentence]] = []
    for s in sentences:
        hold = HOLD_VERB.search(s.clean)
        if not hold:
            continue
        welcomed_only = all(v[0] == "welcomed" for v in HOLD_VERB.finditer(s.clean))
        for mention in reader.mentions(s):
            if mention.start < hold.start() or not _can_host(mention):
                continue
            if limit is not None and mention.start >= limit:
                continue
            before = s.clean[max(0, mention.start - 20) : mention.start]
            if welcomed_only and not WELCOMED_TO.search(before):
                continue
            if PLACE_PREP.search(before):
                rank = 0
            elif VISITED.search(before):
                rank = 2  # "visited New York to attend ..., and held ...": after "in", "at"
            else:
                continue
            found.append((rank + (mention.entry.kind == "state"), mention, s))
    if not found:
        return None
    _, mention, s = min(found, key=lambda f: f[0])
    return _locate(reader, cand, s, mention)


def _locate(
    reader: Reader, cand: Candidate, sentence: Sentence, mention: Mention
) -> tuple[int, int]:
    """Record the place a sentence names as where the event was held (rule
    ``event.location``); (sentence, start) of the mention, to keep it from the topics."""
    ev = reader.evidence(sentence, "event.location")
    cand.links.append(("location", reader.ref(mention.entry), ev))
    return sentence.index, mention.start


def _add_topics(
    reader: Reader,
    cand: Candidate,
    sentences: Iterable[Sentence],
    out: Extraction,
    skip: set[tuple[int, int]],
    window: tuple[int, int] | None = None,
) -> None:
    """Topics of each sentence, except mentions in ``skip`` ((sentence, start): the venue) and,
    with a ``window``, mentions outside it."""
    lo, window_hi = window or (0, LONG_SENTENCE + 1)
    for s in sentences:
        if len(s.clean) > LONG_SENTENCE:
            continue
        # A full stop before a word in lower case is where PDF extraction glued the text of
        # another column on ("... were held in May 2019. of a destroyer of the ROK Navy ..."):
        # what follows was not said at the event.
        glued = GLUED_COLUMN.search(s.clean, lo)
        hi = min(window_hi, glued.start()) if glued else window_hi
        # The occasion, under its name and its acronym: "the ASEAN Defense Ministers'
        # Meeting-Plus (ADMM Plus)".
        occasions = {m.entry for m in reader.mentions(s) if OCCASION.search(s.clean[: m.start])}
        # What was issued is the event's document, not what it was about ("... titled "The
        # Spirit of Camp David."" is no topic of Camp David).
        issued = _issued_documents(reader, s, out, lo, hi)
        for doc in issued:
            ev = reader.evidence(s, "event.issued")
            cand.links.append(("issued", doc.ref, ev))
            out.add(fact(doc.ref, "formulatedOn", date_lit(cand.date), ev))
            if doc.entry is None:  # a title the lexicon does not list: the sides issued it
                for side in cand.states:
                    out.add(fact(doc.ref, "party", Ref("state", side), ev))
        topics = [
            reader.ref(m.entry)
            for m in reader.mentions(s)
            if lo <= m.start < hi
            and not any(doc.start <= m.start < doc.end for doc in issued)
            and m.entry not in occasions
            and is_topic(m, cand.states)
            and (s.index, m.start) not in skip
            and not OTHER_PAIR.search(fold(s.clean[: m.start]))
            and not (m.entry.kind == "state" and CITY_OF.search(s.clean[: m.start]))
            and not (
                m.entry.kind == "place"
                and CITY_OF.search(s.clean[: m.start])
                and not LIST_GOES_ON.match(s.clean, m.end)  # "in Japan, Guam, and Hawaii"
            )
            and not (
                m.entry.kind == "place"
                and (
                    HELD_AT.search(s.clean[: m.start]) or NAME_THEN_PLACE.search(s.clean[: m.start])
                )
            )
            and not (m.entry.kind == "place" and GATHERING_AFTER.match(s.clean, m.end))
            and not _another_pairs(reader, m, s.clean)
            and not (_us_body(m) and "united-states" not in cand.states)
        ]
        topics += revision_refs(reader, s, out)
        # A missile launch or nuclear test the sentence dates ("condemned North Korea's
        # launches on July 4 and July 28, 2017") is what was said at the event too.
        topics += [ref for at, ref, *_ in occurrences_in(reader, s) if lo <= at < hi]
        if topics:
            cand.points.append((reader.evidence(s, "event.topic"), list(dict.fromkeys(topics))))


# What those at a meeting issued: "the three leaders issued a joint statement titled "The
# Spirit of Camp David."", "released the Japan-U.S. Joint Vision Statement".
ISSUED_DOCUMENT = re.compile(
    r"\b(?:issued|released|adopted|announced)\s+(?:a|the|their)\s+"
    r"(?:(?:joint|leaders['’]?|vision)\s+)*(?:statement|declaration|communiqu[eé])\s*,?\s*"
    r"(?:(?P<titled>titled|entitled|called)\s+)?[“\"]?"
    r"|\b(?:issued|released|adopted)\s+(?:the\s+)?[“\"]?(?=[A-Z])"
)


def _issued_documents(
    reader: Reader, sentence: Sentence, out: Extraction, lo: int, hi: int
) -> list[AgreementMention]:
    """The joint documents a sentence says were issued, named right after the verb."""
    text = sentence.clean
    verbs = [m for m in ISSUED_DOCUMENT.finditer(text, lo, hi)]
    if not verbs:
        return []
    found = []
    for m in agreement_mentions(reader, sentence, out):
        entry = m.entry
        if entry is not None and entry.cls not in ("JointStatement", "Plan"):
            continue
        if any(v.end() <= m.start <= v.end() + 2 for v in verbs):
            found.append(m)
    for v in verbs:
        # "issued a joint statement entitled Common Vision and Objectives agreeing to ...": a
        # title printed without quotes runs over its capitalised words.
        title = UNQUOTED_TITLE.match(text, v.end()) if v["titled"] else None
        if title is None or any(m.start == v.end() for m in found):
            continue
        name = title.group()
        ref = Ref("agreement", slugify(name)[:90].strip("-"))
        out.add(
            Entity(ref, "JointStatement", name, evidence=reader.evidence(sentence, "event.issued"))
        )
        found.append(AgreementMention(title.start(), title.end(), ref, None))
    return found


UNQUOTED_TITLE = re.compile(
    r"[A-Z][\w'’-]*(?:\s+(?:(?:of|and|for|the|in|on|to|a|an)\s+)*[A-Z][\w'’-]*)+"
)


GLUED_COLUMN = re.compile(
    r"(?<![A-Z])(?<!\be\.g)(?<!\bi\.e)(?<!\betc)(?<!\bNo)(?<!\bJr)(?<!\bSr)\.\s+(?=[a-z])"
)
PAIR_NAME = re.compile(r"\b[A-Z][\w.]*(?:\s[A-Z][\w.]*)?-[A-Z][\w.]*(?:\s[A-Z][\w.]*)?")


def _compound_states(reader: Reader, text: str) -> tuple[str, ...]:
    """The states of the first sides' compound named anywhere in a caption or title ("...
    while conducting a Japan-U.S.-Australia trilateral exercise", "Joint Statement: Tenth
    Japan-Australia 2+2 Foreign and Defence Ministerial Consultations")."""
    for m in SIDES_COMPOUND.finditer(fold(text)):
        found = _found_states(reader, m.group())
        if found:
            return found
    return ()


SIDES_COMPOUND = re.compile(r"(?<![\w-])(?:" + STATE_WORDS + r"-)+" + STATE_WORDS)


def _another_pairs(reader: Reader, mention: Mention, text: str) -> bool:
    """Whether a Japan-U.S. body is named as another pair's: 'the "Japan-Indonesia Foreign and
    Defense Ministerial Consultation" ("2+2" Meeting)'."""
    if mention.entry.kind != "mechanism" or "U.S." in text[mention.start : mention.end]:
        return False
    if not fold(mention.entry.label).startswith("Japan-U.S."):
        return False
    before = text[max(0, mention.start - 90) : mention.start]
    # PDF text may drop the hyphen: "a JapanIndonesia "2+2" Foreign and Defense ..."
    before = re.sub(r"\bJapan(?=[A-Z][a-z])", "Japan-", before)
    return any(
        len(states := states_in(reader, m.group())) >= 2 and "united-states" not in states
        for m in PAIR_NAME.finditer(before)
    )


def _us_body(mention: Mention) -> bool:
    """A Japan-U.S. body named without its states ("2+2"): in the account of a meeting the
    United States did not attend, it is that meeting's own name for itself."""
    return (
        mention.entry.kind == "mechanism"
        and fold(mention.entry.label).startswith("Japan-U.S.")
        and "U.S." not in mention.surface
    )


# The gathering a meeting was held at, not what it discussed: "took the opportunity of the
# ADMM-Plus to hold ...", "on the sidelines of the G20 Summit".
OCCASION = re.compile(
    r"\b(?:(?:took|taking|take|takes)\s+the\s+opportunity\s+of|on\s+the\s+(?:occasion|sidelines"
    r"|margins?|fringes?)\s+of|at\s+the\s+timing\s+of|during|while\s+attending"
    r"|in\s+conjunction\s+with)\s+(?:the\s+)?(?:\d+(?:st|nd|rd|th)\s+)?$",
    re.IGNORECASE,
)


def is_topic(mention: Mention, states: Iterable[str]) -> bool:
    """Whether a mention can be what an event is about (not a party to it)."""
    entry = mention.entry
    if entry.kind not in TOPIC_KINDS or entry.slug == "japan-us-alliance":
        return False  # "the Alliance" is the frame of every Japan-U.S. account, not a topic
    return not (entry.kind == "state" and (entry.slug in states or entry.slug in DEFAULT_STATES))


MULTILATERAL = re.compile(r"\bmultilateral\b", re.IGNORECASE)
# The date that closes one caption, followed by the next caption's words.
GLUED_CAPTION = re.compile(r"\((?:[A-Z][a-z]+\.?\s+)?(?:\d{1,2},?\s+)?(?:19|20)\d\d\)\s+(?=[A-Z])")


def caption_candidates(reader: Reader) -> list[Candidate]:
    out = []
    for block in reader.document.blocks:
        if block.kind != "caption" or not block.sentences:
            continue
        sentence = reader.document.sentences[block.sentences[0]]
        text = sentence.clean
        m = TRAILING_DATE.match(text)
        if not m:
            continue
        # Two captions run together ("... held in Thailand (February 2017) Vessels ... at
        # RIMPAC 2016 (July 2016)"): the last date belongs to the last caption only.
        cut = max((g.end() for g in GLUED_CAPTION.finditer(m["name"])), default=0)
        if cut:
            text = text[cut:]
            m = TRAILING_DATE.match(text)
            if not m:
                continue
        if SPAN_DATE.match(m["date"]) or PLURAL_EVENTS.search(m["name"]):
            continue  # "Japan-U.S. (Minister-Level) Consultations (Since 2015)": a table's title
        if MULTILATERAL.search(m["name"]) and not _compound_states(reader, m["name"]):
            continue  # "Raisina Dialogue, a multilateral forum held in India": no pair's meeting
        date = _date_of(m["date"])
        people = [p for p in reader.people(sentence) if not p.possessive and p.start >= cut]
        sides = {p.state for p in people if p.state}
        if sides and not sides & set(DEFAULT_STATES):
            continue  # "President Erdogan and President Putin shaking hands": not our parties
        kind = classify(m["name"]) if EVENT_WORD.search(m["name"]) else None
        if kind is None and len({p.state for p in people if p.state}) >= 2:
            kind = ("Meeting", "Meeting", "meeting")
        if date is None or kind is None:
            continue
        event_name = _event_name_in(m["name"])
        if (
            event_name
            and not states_in(reader, event_name)
            and foreign_qualifier(reader, event_name)
        ):
            continue  # "the ASEAN-Japan Defence Ministers' Informal Meeting in Laos"
        ev = reader.evidence(sentence, "event.caption")
        cand = Candidate(
            *kind,
            date=date,
            states=(),
            names=[f"{event_name} ({m['date']})"] if event_name else [],
            evidence=ev,
            rank=2,
        )
        cand.people = [(p, ev) for p in people]
        cand.states = (
            states_in(reader, event_name or "")
            or states_in(reader, m["name"])  # "Japan-France-U.K.-U.S. joint exercise"
            or _compound_states(reader, m["name"])
            or _people_states(cand)
            or _counterpart_state(reader, text)
            or section_states(
                reader,
                reader.document.sections[block.section] if block.section is not None else None,
            )
        )
        if cand.states is DEFAULT_STATES and not _names_us(reader, text, people):
            continue  # "... during his visit to UAE": no sign that the U.S. took part
        if not cut:  # after a cut, the place words may be the caption's before
            if HOLD_VERB.search(text):
                _add_location(reader, cand, [sentence])
            else:
                _caption_place(reader, cand, sentence)
        out.append(cand)
    return out


def _caption_place(reader: Reader, cand: Candidate, sentence: Sentence) -> None:
    for mention in reader.mentions(sentence):
        if mention.entry.kind == "place" and PLACE_PREP.search(
            sentence.clean[max(0, mention.start - 8) : mention.start]
        ):
            cand.links.append(
                ("location", reader.ref(mention.entry), reader.evidence(sentence, "event.location"))
            )
            return


def _event_name_in(text: str) -> str | None:
    """The capitalised event name inside a caption ("... at the Japan-U.S. Summit Meeting")."""
    m = re.search(
        r"((?:[A-Z][\w.]*[-–])?(?:Japan|U\.S\.|United States)[\w.\-–]*"
        r"(?:\s+[A-Z\"“(][\w.\"”()+\-–’']*)*\s+"
        r"(?:Meeting|Summit|Talks?|Dialogue|Conference)(?:\s+\([^()]*\))?)",
        text,
    )
    return m.group(1).strip() if m else None


# "In June 2018, the historic first-ever U.S.-North Korea summit meeting was held": between a
# sentence's opening date and the meeting it opens with, only its article and adjectives.
ORDINALS = (
    r"(?:(?:historic|first|first-ever|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
    r"tenth|inaugural|annual|in-person|virtual|extraordinary|\d+(?:st|nd|rd|th))\s+){0,3}"
)
OCCASION_CLAUSE = re.compile(
    r"\b(?:on\s+the\s+(?:occasion|sidelines?|margins?|fringes?)\s+of|at\s+the\s+timing\s+of"
    r"|while\s+attending|during)\s+[^,;]{3,80},\s*"
)
LEAD_TO_NAME = re.compile(
    # past the gathering it was held at: "On June 1, 2024, on the occasion of the Shangri-La
    # Dialogue in Singapore, the Japan-Australia-U.S. Defense Ministers' Meeting was held"
    r"\s*(?:"
    + OCCASION_CLAUSE.pattern
    + r")?(?:the\s+|a\s+|an\s+)?"
    + ORDINALS
    + r"(?:[A-Z][\w.-]*\s+)?"
)
LEAD_TO_BARE_NAME = re.compile(r"\s*(?:the\s+)?(?:[A-Z][\w.-]*\s+)?")
# "... met with President Marcos at the White House on April 11, 2024 for the first
# Japan-Philippines-U.S. Leaders' Summit": the date printed right before what it was for.
DATE_FOR = re.compile(
    # "... visited Vietnam in January 2017 and confirmed at the Japan-Vietnam Summit Meeting"
    r"\s*(?:,?\s*(?:and\s+[a-z]+ed\s+)?(?:for|at|during|to\s+(?:attend|participate\s+in))\s+"
    r"(?:the\s+|a\s+|an\s+)?"
    # "..., and in August 2013, the first Japan-Laos Defense Ministerial Meeting was held"
    r"|,\s*(?:the|a|an)\s+"
    # "... visited Japan in September 2023 and held a Japan-Vietnam Defense Ministerial Meeting"
    r"|,?\s+and\s+held\s+(?:the|a|an)\s+)" + ORDINALS
)


def _date_for(
    text: str, name_start: int, dates: list[DateMention], used: set[int]
) -> DateMention | None:
    """The date that ends right before "for the <name>" or "at the <name>", if any."""
    return next(
        (
            d
            for d in dates
            if d.start not in used
            and 0 <= name_start - d.end < 30
            and DATE_FOR.fullmatch(text, d.end, name_start)
        ),
        None,
    )


# Between two events a sentence lists under one date: "... Meeting and the fourth ...".
EVENTS_JOINED = re.compile(
    r"\s*(?:,\s*|\s+)(?:and|as\s+well\s+as)\s+(?:the\s+|a\s+|an\s+)?" + ORDINALS
)
# "On March 16, 2021, <who> visited Japan for the ... Meeting": the lead date is the meeting's
# when the sentence goes on to attend, hold or convene it, and to nothing else first.
ATTENDED = re.compile(
    # "... Haglund visited Japan and the Japan-Finland Defense Ministerial Meeting was held"
    r"\b(?:visited\s+(?:the\s+)?[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?,?\s+(?:for|to\s+attend|and(?:\s+at)?)"
    r"|attended|"
    r"participated\s+in|held|convened|hosted"
    # "hosted Secretary of Defense Austin in Tokyo for the Japan-U.S. ... Meeting"
    r"|(?:hosted|welcomed|received)\s+[^;]{1,120}?\s+for)\s+(?:the\s+|an?\s+)?"
    + ORDINALS
    + r"(?:(?:bilateral|trilateral)\s+)?(?:[A-Z][\w.-]*\s+){0,3}$"
)


def sentence_candidates(reader: Reader, skip_blocks: set[int], out: Extraction) -> list[Candidate]:
    found = []
    for sentence in reader.sentences():
        if (
            sentence.block in skip_blocks
            or reader.document.blocks[sentence.block].kind in NOT_EVENT_TEXT
        ):
            continue
        text = fold(sentence.clean)
        if len(text) > LONG_SENTENCE or ("2+2" not in text and not ANCHOR.search(text)):
            continue  # past LONG_SENTENCE a "sentence" is table rows run together
        dates = reader.dates(sentence, reader.context_date(sentence))
        used: set[int] = set()
        lead, lead_date = _lead_date(text, dates)
        anchors, aliases = _without_aliases(text, list(ANCHOR.finditer(text)))
        # Topics are assigned once every mention of an event in the sentence is known: each
        # event is about the stretch up to the next one. Meetings in the plural name no one
        # event ("the Joint Statements of the previous "2+2" Meetings, including ...") and
        # do not end the stretch.
        bounds = [a.start() for a in anchors if not text.startswith("s", a.end())]
        # (event, where its name starts and ends, its venue)
        about: list[tuple[Candidate, int, int, tuple[int, int] | None]] = []
        lead_through = None  # the end of the first name the lead date dates
        for position, anchor in enumerate(anchors):
            name, name_start = _name_at(text, anchor)
            named_states = states_in(reader, name)
            # "the Quad Leaders' Summit": a meeting of a body Japan is a party of, between its
            # parties (not a third party's gathering, as the "NATO Summit" is).
            foreign = not named_states and foreign_qualifier(reader, name)
            body = _party_body(reader, name) if foreign else None
            if body is not None:
                named_states = order_states({party.split("/")[1] for party in body.parties})
            if anchor.group()[:1].islower():
                # "Japan and Israel held the first defense ministerial meeting in October 2018":
                # whose meeting it was only by the paragraph's pairing with Japan (not "the
                # leaders of Germany, France, Russia, and Ukraine held a summit meeting"); a
                # meeting people held is the held-with reading's.
                if any(p.start < anchor.start() for p in reader.people(sentence)):
                    continue
                named_states = paragraph_states(reader, sentence, anchor.start())
                subjects = {
                    m.entry.slug
                    for m in reader.mentions(sentence)
                    if m.entry.kind == "state" and m.end <= anchor.start()
                }
                if not named_states or not subjects <= set(named_states):
                    continue  # "In March 2020, Turkey held a summit with Russia"
            sided = bool(named_states) or anchor.group().startswith("Security")
            date = _date_after(text, anchor.end(), dates, used, sided)
            venue_from = anchor.end()
            # "held a Japan-U.S. Defense Ministerial Meeting with Secretary of Defense Austin in
            # Tokyo in March 2021": the venue, and the date, after those it was held with.
            guests = _attendees_after(text, anchor.end(), reader.people(sentence))
            with_guests = bool(guests) and WITH_GAP.fullmatch(text, anchor.end(), guests[0].start)
            if not sided and name_start >= 0:
                # "Defense Minister Onodera held a Trilateral Defense Ministerial Meeting with
                # U.S. Defense Secretary Mattis and ROK Minister ... Song": whose meeting it was,
                # from the states of its host and guests (or the state the host visited for it).
                named_states = _host_and_guest_states(
                    reader, sentence, text, name_start, guests if with_guests else []
                )
                sided = bool(named_states)
            if with_guests:
                venue_from = guests[-1].end
                if date is None and sided:
                    date = _date_after(text, guests[-1].end, dates, used, sided)
            if date is None and lead and position == 0:
                # "On December 19, 2014, the Security Consultative Committee (SCC) ... decided"
                opening = lead_date
                between = text[lead.end() : name_start if name_start >= 0 else anchor.start()]
                # Past an adjective ("the second Foreign and Defense Ministerial Meeting") only
                # a name that says whose meeting it was: the context of an unqualified one is
                # too often another pair's.
                lead_name = LEAD_TO_NAME if sided else LEAD_TO_BARE_NAME
                if LEAD_TO_NAME.fullmatch(between) or ATTENDED.search(between):
                    lead_through = anchor.end()  # whether or not it dates this one
                if opening.start not in used and (
                    lead_name.fullmatch(between) or ATTENDED.search(between)
                ):
                    date = opening
            if (
                date is None
                and sided
                and lead_through is not None
                and name_start >= 0
                and EVENTS_JOINED.fullmatch(text, lead_through, name_start)
            ):
                # "In November 2019, a Defense Ministerial Meeting and the first Japan-India 2+2
                # Foreign and Defence Ministerial Meeting were held": one date for the list
                date = lead_date
            if date is None and sided:
                date = _date_for(text, name_start, dates, used)
            if date is None:
                continue
            used.add(date.start)
            # '... Ministerial Meeting (2+2)': the short form says which kind of meeting
            kind = classify(
                f"{name} {aliases[anchor.start()]}" if anchor.start() in aliases else name
            )
            if kind is None:
                continue
            ev = reader.evidence(sentence, "event.sentence")
            printed = f"{name} ({sentence.clean[date.start : date.end]})"
            if not named_states and foreign:
                continue
            cand = Candidate(
                *kind, date=date, states=(), names=[printed], evidence=ev, rank=3, body=body
            )
            # In glued table text a "sentence" runs on for rows: only people near the name
            # can be taken for its participants.
            since = max(anchor.end(), date.end)
            near = [
                p
                for p in reader.people(sentence)
                if not p.possessive
                and abs(p.start - anchor.start()) <= PEOPLE_WINDOW
                and not BYLINE.match(text, p.end)
            ]
            # Not whom someone called on first ("paid a courtesy call on President Marcos
            # and held the Japan-Philippines "2+2" with ...").
            cand.people = [
                (p, ev)
                for p in near
                if p.start <= since and not CALLED_ON.search(text, max(0, p.start - 30), p.start)
            ]
            cand.people += [(p, ev) for p in _attendees_after(text, since, near)]
            cand.states = named_states or context_states(reader, sentence, anchor.start())
            if not REFERENCE_POINT.search(text[max(0, anchor.start() - 40) : anchor.start()]):
                # "... held the "2+2" Meeting in New York": the venue, when the sentence
                # records one event only, and not a topic.
                venue = (
                    _venue_after(reader, cand, sentence, venue_from)
                    or _venue_visited(reader, cand, sentence, name_start)
                    or _venue_hosted(reader, cand, sentence, name_start)
                    if len(anchors) == 1
                    else None
                )
                about.append((cand, name_start, anchor.end(), venue))
            found.append(cand)
        for i, (cand, start, name_end, venue) in enumerate(about):
            end = next((b for b in bounds if b >= name_end), len(text))
            end = min(end, _later_meeting(text, name_end))
            # Not what the event's own name names ("the Japan-Australia "2+2" ... Meeting").
            skip = _mentions_within(reader, sentence, start, name_end)
            # nor the gathering it was held at ("... with ... Song on the occasion of the
            # Fourth ADMM-Plus meeting in October 2017")
            skip |= _occasions(reader, sentence, name_end)
            if venue:
                skip.add(venue)
            # The first event's stretch opens at the sentence's start, or after the last
            # clause joined before its name ("..., the final report was compiled at SACO, and
            # ... at the "2+2" Meeting held in the following year (1997) ...").
            opening = start
            if i == 0:
                breaks = JOINED_CLAUSE.finditer(text, 0, start)
                # nor in the gathering it was held at ("on the occasion of the Shangri-La
                # Dialogue in Singapore, the ...")
                breaks = [*breaks, *OCCASION_CLAUSE.finditer(text, 0, start)]
                # nor in the clause that dates it ("During the ADMM-Plus in October 2018, ...")
                opening = max([m.end() for m in breaks] + [lead.end() if lead else 0])
            # Nor before another column's text glued on ahead of the name ("... to adapt to the
            # current situations. at the Japan-U.S. Summit held in February 2013, ...").
            glued = [m.end() for m in GLUED_COLUMN.finditer(text, 0, start)]
            opening = max([opening, *glued])
            _add_topics(reader, cand, [sentence], out, skip=skip, window=(opening, end))
        if len(about) == 1:
            only = about[0][0]
            follow = _followers(reader, sentence, only.cls, (p for p, _ in only.people))
            pair = _pair_after(reader, sentence, only)
            if pair is not None:
                after, people = pair
                pev = reader.evidence(after, "event.participant")
                only.people += [(p, pev) for p in people]
                follow.append(after)
            _add_topics(reader, only, follow, out, skip=set())
    return found


def _without_aliases(text: str, anchors: list[re.Match]) -> tuple[list[re.Match], dict[int, str]]:
    """Event names less those printed in parentheses right after another as its short form
    ("the Japan-Philippines Foreign and Defense Ministerial Meeting ("2+2")"): one event. Also
    each kept name's short form, by where the name starts."""
    kept: list[re.Match] = []
    aliases: dict[int, str] = {}
    for anchor in anchors:
        gap = (kept[-1].end(), anchor.start()) if kept else None
        if gap and (
            ALIAS_GAP.fullmatch(text, *gap)
            or (anchor.group().startswith("(") and not text[gap[0] : gap[1]].strip())
        ):
            aliases[kept[-1].start()] = anchor.group()
            continue
        kept.append(anchor)
    return kept, aliases


def _pair_after(
    reader: Reader, sentence: Sentence, cand: Candidate
) -> tuple[Sentence, list[PersonMention]] | None:
    """The people of the event's sides, one each, who open the next sentence of its paragraph
    ("The Japan-U.S. Defense Ministerial Meeting was held in Washington, D.C. on January 12,
    2023. Minister of Defense Hamada and Secretary of Defense Austin confirmed ...", "...
    Summit Meeting at Camp David. Prime Minister Kishida, President Biden and President Yoon
    Suk Yeol issued ..."): its participants."""
    sentences = reader.document.sentences
    if sentence.index + 1 >= len(sentences) or len(set(cand.states)) < 2:
        return None
    after = sentences[sentence.index + 1]
    first = reader.opening_person(after)
    if after.block != sentence.block or first is None:
        return None
    listed = _guest_list(after.clean, reader.people(after), first)
    sides = [p.state for p in listed]
    if len(sides) != len(cand.states) or set(sides) != set(cand.states):
        return None
    return after, listed


# "Based on the joint statement at the Japan-U.K. "2+2" Meeting in December 2017, the two
# ministers agreed ...": what follows was said at a later meeting, by its participants.
BASED_LEAD = re.compile(
    r"^\s*(?:Based\s+on|In\s+line\s+with|Pursuant\s+to|In\s+accordance\s+with)\b"
)


def _later_meeting(text: str, name_end: int) -> int:
    """Where the text about an event named in a sentence's opening "Based on ..." clause ends:
    at that clause's comma when the main clause's subject is people ("the two ministers",
    "the leaders"), who speak at a later meeting; the whole text otherwise ("Based on the
    agreement reached at the meeting, the two governments announced ...": what it agreed)."""
    comma = text.find(",", name_end)
    if comma < 0 or not BASED_LEAD.match(text):
        return len(text)
    subject = PLURAL_SUBJECT.match(text[comma + 1 :].lstrip())
    if subject is None or subject["states"] or re.match(r"(?i)they\b", subject.group().strip()):
        return len(text)
    return comma


ALIAS_GAP = re.compile(r"\s*\(\s*")
# Past the name's short form in parentheses: '... Ministerial Meeting ("2+2") with ...'.
# Up to the first guest's title; past the other office the guest holds ("with Deputy Prime
# Minister and Minister for Defence Richard Marles").
WITH_GAP = re.compile(
    r"(?:\s*\([^()]{0,20}\))?\s+(?:with|between)\s+(?:the\s+)?(?:then\s+)?"
    r"(?:(?:Deputy\s+)?Prime\s+Minister\s+and\s+)?"
)


# "<titled person> held a meeting with <titled person>": a meeting named by who held it.
# What was held: "a meeting", "talks", "a telephone call", "a video teleconference".
HELD_WHAT = (
    r"(?:a\s+|an\s+|(?:the|his|her|their)\s+(?=first|second|third|\d))?"
    r"(?:(?:first|first-ever|second|third|\d+(?:st|nd|rd|th)|bilateral|separate)\s+){0,2}"
    r"(?P<what>(?:(?:(?:defen[cs]e|foreign)\s+)?ministerial\s+)?meeting|talks"
    r"|summit(?:\s+meeting)?|(?:tele)?phone\s+(?:talks?|conversation|call|meeting)"
    r"|(?:video[\s-]?(?:tele)?(?:conference|call)|teleconference)(?:\s+meeting)?"
    r"|(?:online|virtual)\s+meeting)"
)
HELD_WITH = re.compile(
    r"\b(?:(?:held|had)\s+" + HELD_WHAT + r"|(?P<met>met|talked|spoke))\s+with\s+"
    # "received a courtesy call from <guest>", "paid a courtesy call on <host>": a meeting of
    # the two, whichever called on whom.
    r"|\b(?P<call>received\s+(?:a\s+)?courtesy\s+calls?\s+(?:from|by)"
    r"|paid\s+(?:a\s+)?courtesy\s+calls?\s+(?:on|to))\s+(?:the\s+)?"
    r"|\b(?P<hosted>welcomed|hosted|received)\s+",
    re.IGNORECASE,
)
PRONOUN_GUEST = re.compile(r"\s*(him|her)\b")
# "Minister of Defense Kishi and Secretary of Defense Austin held talks in Tokyo": the two
# who held it, joined by "and", right before the verb.
HELD_JOINTLY = re.compile(
    r"\b(?:(?:held|had)\s+" + HELD_WHAT + r"|(?P<met>met))\b(?!\s+with\b)", re.IGNORECASE
)
# "President Trump welcomed Prime Minister Abe to the White House": a host receives a guest
# only when a place follows the guest (not "welcomed Prime Minister Abe's decision").
HOSTED_AT = re.compile(r"\s+(?:to|at|in)\s+")
# "after April 2017", "From April to May 2018", "in May and August 2013": a period, or one of
# several months, not the meeting's date.
PERIOD_BEFORE = re.compile(
    r"\b(?:since|after|before|until|from|through|by)\s+(?:early\s+|late\s+)?$"
    r"|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s*(?:to|through|and|-|–)\s*$"
)
CLAUSE_BREAK = re.compile(r",\s+(?:where|and|which|during|in\s+which|at\s+which)\b|;")
REMOTE = frozenset({"TelephoneTalk", "VideoConference"})
REMOTE_WORDS = re.compile(rf"(?:{TELEPHONE}|{VIDEO})\w*", re.IGNORECASE)
# "With Denmark, Defense Minister Kono held a telephone conversation with ...": the side the
# paragraph is about, printed before the sentence's subject.
WITH_STATE_LEAD = re.compile(
    r"^\s*(?:With|In)\s+(?:the\s+)?(?P<name>[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?),"
)
HELD_WITH_MAX = 400


def _unnamed_event_sentences(
    reader: Reader, skip_blocks: set[int], *cues: re.Pattern
) -> Iterator[Sentence]:
    """Prose sentences with one of ``cues`` that may record an event without naming it: short
    enough to be one statement, and naming no event (the rules for named events read those)."""
    for sentence in reader.sentences():
        text = sentence.clean
        if (
            any(cue.search(text) for cue in cues)
            and len(text) <= HELD_WITH_MAX
            and sentence.block not in skip_blocks
            and reader.document.blocks[sentence.block].kind not in NOT_EVENT_TEXT
            and not _names_an_event(fold(text))
        ):
            yield sentence


# The gathering another meeting was held at: "held a summit meeting with President Biden on
# the margins of the G7 Hiroshima Summit" records the meeting, not the summit.
OCCASION_OF = re.compile(
    r"(?i:\b(?:(?:took|taking|take|takes)\s+the\s+opportunity\s+of|on\s+the\s+"
    r"(?:occasion|sidelines?|margins?|fringes?)\s+of|at\s+the\s+timing\s+of|"
    r"while\s+attending|in\s+conjunction\s+with|during)"
    r"\s+(?:(?:his|her|their)\s+(?:attendance|participation|visit)\s+(?:at|in|to)\s+)?"
    r"(?:the\s+)?(?:\d+(?:st|nd|rd|th)\s+)?)(?:[A-Z0-9][\w.'-]*\s+){0,5}$"
)


def _mentions_within(
    reader: Reader, sentence: Sentence, start: int, end: int
) -> set[tuple[int, int]]:
    """The mentions an event's own name holds ("the Japan-Australia "2+2" ... Meeting"), as
    (sentence, start): no topics of it."""
    return {(sentence.index, m.start) for m in reader.mentions(sentence) if start <= m.start < end}


def _occasions(reader: Reader, sentence: Sentence, since: int) -> set[tuple[int, int]]:
    """The mentions after ``since`` that name the gathering an event was held at ("on the
    sideline of the 15th Shangri-La Dialogue"), as (sentence, start): no topics of it."""
    text = fold(sentence.clean)
    return {
        (sentence.index, m.start)
        for m in reader.mentions(sentence)
        if m.start > since and OCCASION_OF.search(text, since, m.start)
    }


def _names_an_event(text: str) -> bool:
    """Whether a sentence names an event other than the gathering it says another was held at
    (a meeting printed in lower case after "held" names none: who held it says whose it was)."""
    return any(
        not OCCASION_OF.search(text, 0, m.start()) and not m.group()[:1].islower()
        for m in ANCHOR.finditer(text)
    )


def held_with_candidates(reader: Reader, skip_blocks: set[int], out: Extraction) -> list[Candidate]:
    """Meetings a sentence records by who held them with whom ("In November 2014, then
    Defense Minister Eto held a meeting with then Defense Minister Wai Lwin of Myanmar"): the
    titled person before "held a meeting with", the one right after it, both of known and
    different sides, and the one date the sentence gives (a month at least). A sentence that
    names the meeting itself is read by ``sentence_candidates``."""
    found = []
    for sentence in _unnamed_event_sentences(reader, skip_blocks, HELD_WITH, HELD_JOINTLY):
        text = sentence.clean
        people = [p for p in reader.people(sentence) if not p.possessive]
        held, pair = next(_held_pairs(text, people), (None, []))
        if held is None:
            held, pair = _office_host_pair(reader, sentence, people) or (None, [])
        if held is None:
            continue
        date = _one_date(reader, sentence) or _date_right_after(reader, sentence, pair[-1].end)
        if date is None:
            continue
        states = [p.state or _state_after(reader, sentence, p.end) for p in pair]
        if len(pair) == 2 and states[1] is None and states[0] is not None:
            states[1] = _lead_side(reader, sentence, states[0]) or _visited_side(
                reader, sentence, states[0], held.start()
            )
            if states[1] is None and WITH_GUEST.fullmatch(text, held.end(), pair[1].start):
                # Only a guest named right after the verb: in "... with Commander of the U.S.
                # Pacific Fleet Admiral Swift" the words before the name say whose he is.
                states[1] = _other_side(reader, sentence, states[0])
        if None in states or len(set(states)) != len(states):
            continue
        what = held["what"] or ("courtesy call" if held.groupdict().get("call") else "meeting")
        if BY_TELEPHONE.search(text, held.end()):
            what = "telephone talk"  # "talked with Secretary of Defense Austin over the telephone"
        if held.groupdict().get("hosted") and all(LEADER_TITLE.search(p.title) for p in pair):
            what = "summit meeting"  # a head of state or government receiving another
        kind = classify(what) or classify("Meeting")
        ev = reader.evidence(sentence, "event.held")
        cand = Candidate(
            *kind,
            date=date,
            states=order_states(states),
            names=[],
            evidence=ev,
            rank=3,
        )
        cand.people = [(replace(p, state=st), ev) for p, st in zip(pair, states, strict=True)]
        # The venue is in the clause that records the meeting, not in what it was about
        # ("..., where they exchanged views on the situation in the East China Sea"); a call
        # has none.
        clause = CLAUSE_BREAK.search(text, pair[-1].end)
        if held.groupdict().get("hosted"):
            venue = _venue_after(reader, cand, sentence, pair[-1].end)
        elif cand.cls not in REMOTE:
            venue = _add_location(reader, cand, [sentence], clause.start() if clause else None)
        else:
            venue = None
        # What they discussed: the rest of the sentence ("..., where they exchanged views on
        # ...") and the sentences after it in the paragraph whose subject is the two of them
        # ("The two leaders discussed ...").
        # Not the venue, nor the gathering they met at ("on the occasion of his attendance at
        # the 56th Munich Security Conference").
        skip = _occasions(reader, sentence, pair[-1].end) | ({venue} if venue else set())
        _add_topics(reader, cand, [sentence], out, skip=skip, window=(pair[-1].end, len(text)))
        people = (p for p, _ in cand.people)
        _add_topics(reader, cand, _followers(reader, sentence, cand.cls, people), out, skip=set())
        found.append(cand)
    return found


# A body's name, then that a session of it was held: "The Japan-U.S. Extended Deterrence
# Dialogue (EDD) was held in Tokyo in June 2024", "..., which met in Washington on ...",
# "welcomed the Extended Deterrence Dialogue held in December 2022" (a participle before where
# or when; not "held talks").
SESSION_HELD = re.compile(
    r"""[\s"')\]]*(?:\([^()]{0,40}\)\s*)*,?\s*(?:(?:which|that)\s+)?"""
    r"(?:(?:was|were)\s+(?:held|convened|hosted)|met|convened|took\s+place"
    r"|held(?=\s+(?:in|on|at)\b)"
    # "The SCWG held its first meeting in October 2015"
    r"|held\s+its\s+" + ORDINALS + r"(?:meeting|session|round)(?=\s+(?:in|on|at)\b))\b"
)
# "... held its first meeting in October 2015 and its second meeting in February 2016": a
# further session, dated by the date that follows.
FURTHER_SESSION = re.compile(
    r",?\s+and\s+(?:its|the)\s+" + ORDINALS + r"(?:meeting|session|round)\s+(?:in|on)\s+"
)


# "In March 2017, the second meeting of the Japan-France Comprehensive Dialogue on Space was
# held": the session of a body, after the sentence's date.
SESSION_OF = re.compile(
    r"\s*(?:the\s+|a\s+)?" + ORDINALS + r"(?:meeting|session|round)\s+of\s+(?:the\s+)?"
)
# Between a session's verb and its date: "held on June 9, 2024", "met in May 2024".
DATE_GAP = re.compile(r"\s+(?:on|in)\s+")


def session_candidates(reader: Reader, skip_blocks: set[int], out: Extraction) -> list[Candidate]:
    """Sessions of a consultative body, recorded by the body's name and that it was held or
    met: "The Japan-U.S. Extended Deterrence Dialogue (EDD) was held in Tokyo in June 2024",
    "In March 2023, the Japan-Australia Defence Policy Dialogue was held in Canberra". A body
    the lexicon lists is the one the session is a meeting of (``akg:meetingOf``); another is
    taken by a name that opens with the sides' compound and ends in a word for a recurring
    meeting ("Dialogue", "Consultations"). The date is the one after the verb (past a venue)
    or the one the sentence opens with; the venue and the people it was attended by follow.
    "2+2" meetings and summits are the running-text reading's."""
    found = []
    for sentence in reader.sentences():
        if (
            sentence.block in skip_blocks
            or reader.document.blocks[sentence.block].kind in NOT_EVENT_TEXT
            or len(sentence.clean) > LONG_SENTENCE
        ):
            continue
        text = fold(sentence.clean)
        bodies = _session_bodies(reader, sentence, text)
        if not bodies:
            continue
        dates = reader.dates(sentence, reader.context_date(sentence))
        lead, lead_date = _lead_date(text, dates)
        for start, end, entry in bodies:
            held = SESSION_HELD.match(text, end)
            if held is None:
                continue
            date = _date_after(text, held.end(), dates, set(), sided=True)
            if (
                date is None
                and lead
                and (
                    LEAD_TO_NAME.fullmatch(text, lead.end(), start)
                    or SESSION_OF.fullmatch(text, lead.end(), start)
                )
            ):
                date = lead_date
            if date is None:
                continue
            name = sentence.clean[start:end]
            label = entry.label if entry else name
            kind = classify(name) or classify(label) or classify("Meeting")
            scc = SCC_NAME.search(name)
            if kind[0] == "TwoPlusTwoMeeting" and not scc:
                continue  # "the Foreign and Defense Ministerial Meeting (2+2)": whose is unsaid
            states = _body_states(reader, name, entry)
            if entry is None and len(states) < 2:
                continue
            ev = reader.evidence(sentence, "event.session")
            sessions = [
                Candidate(
                    *kind,
                    date=d,
                    states=states,
                    names=[f"{name} ({sentence.clean[d.start : d.end]})"],
                    evidence=ev,
                    rank=3,
                    body=entry,
                    # The SCC's sessions are the "2+2" meetings the other readings find.
                    series=None if scc else _series_name(reader, label),
                )
                for d in [date, *_further_sessions(text, date, dates)]
            ]
            # Each further session is a dated meeting; what the sentence says after them is of
            # no one of them, so attendees, venue and topics go to the first.
            found.extend(sessions[1:])
            cand = sessions[0]
            people = [p for p in reader.people(sentence) if not p.possessive]
            since = max(held.end(), date.end)
            cand.people = [(p, ev) for p in _attendees_after(text, since, people)]
            venue = _venue_after(reader, cand, sentence, held.end())
            if venue is None and DATE_GAP.fullmatch(text, held.end(), date.start):
                # "... (DICAS) held on June 9, 2024 in Tokyo": the venue after the date
                venue = _venue_after(reader, cand, sentence, date.end)
            # Not what its own name names, nor the gathering it was held at ("on the sideline
            # of the 15th Shangri-La Dialogue").
            skip = _mentions_within(reader, sentence, start, end)
            skip |= _occasions(reader, sentence, held.end()) | ({venue} if venue else set())
            found.append(cand)
            if OCCASION_OF.search(text, 0, start):
                continue  # what was said there was said at the meeting held on its occasion
            # Up to another meeting the sentence names: "At the timing of the 14th Shangri-La
            # Dialogue held in Singapore in May 2015, the Japan-Germany Defense Ministerial
            # Meeting was held ..., and opinions were exchanged on ..." is about the latter.
            later = ANCHOR.search(text, held.end())
            if later is not None:
                _, name_start = _name_at(text, later)
                window = (held.end(), name_start if name_start >= 0 else later.start())
                _add_topics(reader, cand, [sentence], out, skip=skip, window=window)
                continue
            _add_topics(reader, cand, [sentence], out, skip=skip, window=(held.end(), len(text)))
            people = (p for p, _ in cand.people)
            follow = _followers(reader, sentence, cand.cls, people)
            _add_topics(reader, cand, follow, out, skip=set())
    return found


def _further_sessions(text: str, first: DateMention, dates: list[DateMention]) -> list[DateMention]:
    """The dates of the sessions a sentence lists after the first one's date ("... held its
    first meeting in October 2015 and its second meeting in February 2016")."""
    found = []
    last = first
    for date in dates:
        if date.start > last.end:
            gap = FURTHER_SESSION.fullmatch(text, last.end, date.start)
            if gap is None:
                break
            found.append(date)
            last = date
    return found


# One stage of a process a sentence lists with its date: "...; announcement of the results of
# the examination of the roles, missions, and capabilities ... (second stage) in October 2005;
# and finalization of the ... Roadmap ..., (third stage) in May 2006."
STAGE = re.compile(
    r"\((?P<ord>first|second|third|fourth|fifth|final|last|\d(?:st|nd|rd|th))\s+"
    r"(?:stage|phase|step)\)\s*,?\s*(?:in|on)\s+$",
    re.IGNORECASE,
)
STAGE_START = re.compile(r"(?:[:;]\s*(?:and\s+)?|\bare\s+|^)(?:the\s+)?", re.IGNORECASE)
# The kind of step a stage's head noun names.
STAGE_KINDS = {
    "announcement": ("Announcement", "Announcement", "announcement"),
    "formulation": ("Formulation", "Formulation", "formulation"),
    "finalization": ("Formulation", "Formulation", "formulation"),
    "signing": ("Signing", "Signing", "signing"),
    "establishment": ("Establishment", "Establishment", "establishment"),
    "approval": ("Approval", "Approval", "approval"),
    "revision": ("Revision", "Revision", "revision"),
}


def stage_candidates(reader: Reader, skip_blocks: set[int]) -> list[Candidate]:
    """The dated stages of a process a sentence lists: "These stages are: confirmation of common
    strategic objectives ... (first stage) in February 2005; announcement of the results of the
    examination of the roles, missions, and capabilities ... (second stage) in October 2005;
    and ...". Each stage is an event named by its phrase, typed by its head noun
    ("announcement", "finalization") or a plain event, and dated by the date after its mark."""
    found = []
    for sentence in reader.sentences():
        if sentence.block in skip_blocks or "stage" not in sentence.clean:
            continue
        text = fold(sentence.clean)
        for date in reader.dates(sentence, reader.context_date(sentence)):
            mark = STAGE.search(text, 0, date.start)
            if mark is None or mark.end() != date.start:
                continue
            starts = [m.end() for m in STAGE_START.finditer(text, 0, mark.start())]
            start = max(starts, default=0)
            phrase = text[start : mark.start()].strip(" ,")
            words = phrase.split()
            if not 2 <= len(words) <= 40 or not phrase[:1].islower():
                continue
            head = words[0].lower()
            kind = STAGE_KINDS.get(head, ("Event", "Event", "event"))
            printed = re.sub(r"[\s,]*(?:in|on)\s*$", "", sentence.clean[start : mark.end()])
            cand = Candidate(
                *kind,
                date=date,
                states=context_states(reader, sentence, start),
                names=[printed],
                evidence=reader.evidence(sentence, "event.stage"),
                rank=3,
                # The IRI by the step and the stage: editions word one stage differently
                # ("formulation"/"finalization of the United States-Japan Roadmap ...").
                series=f"{kind[2]} {mark['ord'].lower()} stage",
                title=f"{phrase[:1].upper()}{phrase[1:]} ({mark['ord'].lower()} stage)",
            )
            found.append(cand)
    return found


# A recurring meeting the lexicon does not list, named with its sides: "the Japan-Australia
# Defence Policy Dialogue", "the Japan-Ukraine Security Meeting", "the Japan-India Maritime
# Affairs Dialogue". A summit or a ministers' meeting is the running-text reading's.
# "Meeting" or "Talks" ends one only after a word of its own: "the Japan-U.S.-ROK Trilateral
# Chiefs of Defense Meeting", "the Japan-U.S.-ROK Defense Trilateral Talks".
SERIES_WORD = r"(?:(?:[A-Z][\w'-]*|of|for|on|and)\s+)"
NAMED_SERIES = re.compile(
    r"\b[A-Z][\w.]*(?:-[A-Z][\w.]*)+\s+(?:"
    + SERIES_WORD
    + r"{0,5}(?:Dialogue|Consultations?|Security\s+Meeting|Working\s+Group|Conference"
    + r"|Committee|Council|Forum|Commission)"
    # "the Japan-Australia Steering Committee for Defence Equipment and Technology Cooperation",
    # "the Japan-France Comprehensive Dialogue on Space"
    + r"(?:\s+(?:for|on)\s+(?!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s)"
    + r"(?:[A-Z][\w-]*\s+(?:and\s+)?){0,6}[A-Z][\w-]*)?"
    + r"|(?:[A-Z][\w'-]*\s+)"
    + SERIES_WORD
    + r"{0,5}(?:Meeting|Talks))\b"
)


def _session_bodies(
    reader: Reader, sentence: Sentence, text: str
) -> list[tuple[int, int, Entry | None]]:
    """The bodies a sentence names, as (start, end, lexicon entry or None): the lexicon's, and
    the recurring meetings named with their sides that no lexicon name overlaps."""
    listed = [(m.start, m.end, m.entry) for m in reader.mentions(sentence)]
    found: list[tuple[int, int, Entry | None]] = [b for b in listed if b[2].kind == "mechanism"]
    for m in NAMED_SERIES.finditer(text):
        if ANCHOR.search(m.group()):
            continue  # a summit or ministers' meeting: the running-text reading's
        if not any(
            s < m.end() and m.start() < e and entry.kind in ("mechanism", "event")
            for s, e, entry in listed
        ):
            found.append((m.start(), m.end(), None))
    return sorted(found, key=lambda b: b[0])


SCC_NAME = re.compile(r"Security Consultative Committee|\bSCC\b")
STATES_COMPOUND = re.compile(r"^(?:[A-Z][\w.]*-)+[A-Z][\w.]*\s+")


def _series_name(reader: Reader, label: str) -> str:
    """A body's name without the sides' compound it opens with: "Cyber Dialogue" of the
    "Japan-U.S. Cyber Dialogue", but "Shangri-La Dialogue" whole."""
    compound = STATES_COMPOUND.match(label)
    if compound and len(states_in(reader, compound.group())) >= 2:
        return label[compound.end() :]
    return label


def _party_body(reader: Reader, name: str) -> Entry | None:
    """The body an event's name names whose parties the lexicon lists, Japan among them ("the
    Quad Leaders' Summit": the Quad, of Australia, India, Japan and the United States)."""
    for m in reader.resolver.gazetteer.find(fold(name), {"mechanism"}):
        if "state/japan" in m.entry.parties and len(m.entry.parties) >= 2:
            return m.entry
    return None


def _body_states(reader: Reader, name: str, entry: Entry | None) -> tuple[str, ...]:
    """The sides of a body's session: the states its name names as printed or in the lexicon
    ("Japan-U.S. Extended Deterrence Dialogue" for "the EDD"); none for a body of many states
    ("the Shangri-La Dialogue")."""
    for form in (name, *((entry.label, *entry.aliases) if entry else ())):
        states = states_in(reader, form)
        if len(states) >= 2:
            return order_states(states)
    return ()


# "visited", "made an official visit to", "paid a working visit to".
VISIT_VERB = (
    r"(?:visited|(?:made|paid)\s+(?:an?\s+)?"
    r"(?:(?:official|working|state|first|historic|brief|two-day|three-day)\s+){0,2}visit\s+to)"
)
VISIT_CUE = re.compile(r"\b" + VISIT_VERB + r"\b")
# "<titled person> visited <state>": the verb right after the visitor's name.
VISITED_STATE = re.compile(r",?\s+(?:also\s+)?" + VISIT_VERB + r"\s+(?:the\s+)?")


def visit_candidates(reader: Reader, skip_blocks: set[int], out: Extraction) -> list[Candidate]:
    """Visits a sentence records by who visited which country ("In February 2019, Finnish
    Minister of Defense Jussi Niinisto visited Japan"): the titled person right before
    "visited", of a known side, the state right after it, of another side, and the one date
    the sentence gives (a month at least). The visited state is the venue; what the visitor
    did there ("... and agreed to further promote joint exercises") gives the topics. A
    sentence that names its meeting, or says who met whom, is read by those rules: the visit
    is how that meeting came about, not another event."""
    found = []
    for sentence in _unnamed_event_sentences(reader, skip_blocks, VISIT_CUE):
        text = sentence.clean
        people = [p for p in reader.people(sentence) if not p.possessive]
        # A courtesy call paid during the visit is a meeting of its own, not what the visit was.
        if any(not held.groupdict().get("call") for held, _ in _held_pairs(text, people)):
            continue
        visit = next(filter(None, (_visitor(reader, sentence, p) for p in people)), None)
        if visit is None:
            continue
        visitor, verb = visit
        # The state visited, or a city of it: "visited Manila, the Philippines"
        visited = _state_at(reader, sentence, {verb.end()}) or next(
            (
                m
                for m in reader.mentions(sentence)
                if m.start == verb.end() and m.entry.kind == "place" and m.entry.state
            ),
            None,
        )
        if visited is None:
            continue
        visited_state = visited.entry.side
        if visitor.state in (None, visited_state):
            continue
        date = _one_date(reader, sentence)
        if date is None:
            continue
        ev = reader.evidence(sentence, "event.visit")
        cand = Candidate(
            *classify("Visit"),
            date=date,
            states=order_states([visitor.state, visited_state]),
            names=[],
            evidence=ev,
            rank=3,
        )
        cand.people = [(visitor, ev)]
        # Each state visited is a venue ("visited Bahrain, Kuwait and Qatar"), not a topic.
        places = [visited, *_listed_states(reader, sentence, visited.end)]
        place_ev = reader.evidence(sentence, "event.location")
        cand.links += [("location", reader.ref(place.entry), place_ev) for place in places]
        # What the visitor did there: after the states visited and before another visit
        # ("..., and Premier Li Keqiang visited Brunei").
        start = places[-1].end
        later = ANOTHER_VISIT.search(text, start)
        window = (start, later.start() if later else len(text))
        cand.hosts += [
            (host, ev) for host in _hosts(reader, sentence, people, visitor, visited_state, window)
        ]
        _add_topics(
            reader, cand, [sentence], out, skip={(sentence.index, visited.start)}, window=window
        )
        found.append(cand)
    return found


ANOTHER_VISIT = re.compile(r"\bvisit", re.IGNORECASE)
# Whom the visitor met: "for talks with", "to meet", "paid a courtesy call on", "agreed with".
MET_HOST = re.compile(
    r"\b(?:talks?|meetings?|met|meet|courtesy\s+call|agreed|discussions?|views|opinions)"
    r"\s+(?:with|on|to)?\s*(?:the\s+)?(?:then\s+)?(?:[A-Z][\w.-]*\s+)?$",
    re.IGNORECASE,
)


def _hosts(
    reader: Reader,
    sentence: Sentence,
    people: list[PersonMention],
    visitor: PersonMention,
    visited: str,
    window: tuple[int, int],
) -> list[PersonMention]:
    """The titled people the visitor met there ("visited Sweden and agreed with Swedish
    Defense Minister Hultqvist", "for talks with ... Silva e Luna", "paid a courtesy call on"),
    of another side than the visitor's."""
    text = sentence.clean
    hosts = []
    for p in people:
        if not window[0] <= p.start < window[1]:
            continue
        if not MET_HOST.search(text[max(0, p.start - 40) : p.start]):
            continue
        # Whom the visitor met there, of no other side the text names, is of the state visited.
        side = p.state or _state_after(reader, sentence, p.end) or visited
        if side == visitor.state:
            continue
        hosts.append(replace(p, state=side))
    return hosts


LIST_GAP = re.compile(r"(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?")


def _listed_states(reader: Reader, sentence: Sentence, end: int) -> list[Mention]:
    """The states of a list that continues at ``end`` (", Kuwait and Qatar")."""
    states = sorted(
        (m for m in reader.mentions(sentence) if m.entry.kind == "state" and m.start >= end),
        key=lambda m: m.start,
    )
    listed = []
    for m in states:
        if not LIST_GAP.fullmatch(sentence.clean, end, m.start):
            break
        listed.append(m)
        end = m.end
    return listed


def _visitor(
    reader: Reader, sentence: Sentence, person: PersonMention
) -> tuple[PersonMention, re.Match] | None:
    """The person, with the side "of <state>" after the name gives ("Minister of Defense
    Bijleveld of the Netherlands visited"), and "visited" when it follows."""
    verb = VISITED_STATE.match(sentence.clean, person.end)
    if verb is not None:
        return person, verb
    state = _state_mention_after(reader, sentence, person.end)
    verb = VISITED_STATE.match(sentence.clean, state.end) if state else None
    return (replace(person, state=state.entry.slug), verb) if verb else None


# Between a meeting's guest and its own date: a venue at most ("... with President Biden in
# Washington, D.C. on April 10").
GUEST_TO_DATE = re.compile(r"\s+" + VENUE_BEFORE_DATE + r"(?:on|in)\s+")


def _date_right_after(reader: Reader, sentence: Sentence, pos: int) -> DateMention | None:
    """The date printed right after the people a meeting was held with, where a sentence gives
    several ("... made an official visit to the United States from April 8 to 14, 2024, and held
    a summit meeting with President Biden on April 10"): a day or a month."""
    for d in reader.dates(sentence, reader.context_date(sentence)):
        if d.start >= pos:
            gap = GUEST_TO_DATE.fullmatch(sentence.clean, pos, d.start)
            return d if gap and d.year and d.datatype != "gYear" else None
    return None


def _one_date(reader: Reader, sentence: Sentence) -> DateMention | None:
    """The one date a sentence gives, a month at least, that is no period or one of several
    months: the day of what it records."""
    dates = [d for d in reader.dates(sentence, reader.context_date(sentence)) if d.year]
    if len(dates) != 1 or dates[0].datatype == "gYear":
        return None
    # "visited the United States from April 8 to 14, 2024": days of one month are the
    # visit's own span, whatever precedes them.
    if PERIOD_BEFORE.search(sentence.clean, 0, dates[0].start) and not any(
        p.fullmatch(sentence.clean, dates[0].start, dates[0].end) for p in DAY_RANGES
    ):
        return None
    return dates[0]


TWO_PEOPLE = re.compile(r"\btwo\s+(?:ministers|secretaries|leaders)$", re.IGNORECASE)


BY_TELEPHONE = re.compile(r"\b(?:over|on|by)\s+(?:the\s+)?(?:tele)?phone\b")
MET_BEFORE = re.compile(r"\bwith\s+(?:the\s+)?$")


def _held_pairs(text: str, people: list[PersonMention]):
    """(verb, [host, guest]) for each "held a meeting with", "met with", "welcomed ... to"
    of a sentence that has a titled person before it and one right after it: a verb without
    them ("The Ministers welcomed the progress, and ... Abe met with President Trump") does
    not hide a later one."""
    for held in HELD_WITH.finditer(text):
        # Not one met before: "visited Sri Lanka for a meeting with State Minister W and paid a
        # courtesy call on President S" is the visitor's call.
        host = [
            p
            for p in people
            if p.end <= held.start()
            and ";" not in text[p.end : held.start()]
            and not MET_BEFORE.search(text, 0, p.start)
        ]
        guest = [p for p in people if 0 <= p.start - held.end() <= 40]
        if held["hosted"]:
            guest = [p for p in guest if p.start == held.end()]
        guests = _guest_list(text, people, guest[0]) if guest else []
        if held["hosted"] and not (guests and HOSTED_AT.match(text, guests[-1].end)):
            continue
        pronoun = None if guests or held["hosted"] else PRONOUN_GUEST.match(text, held.end())
        if pronoun and len(host) > 1:
            # "Secretary Austin visited Japan, and Minister Hamada held a meeting with him": the
            # one named before the host, standing where the pronoun does.
            guests = [replace(host[-2], start=pronoun.start(1), end=pronoun.end(1))]
        if host and guests:
            yield held, [host[-1], *guests]
    for held in HELD_JOINTLY.finditer(text):
        before = [p for p in people if p.end <= held.start()]
        if (
            len(before) >= 2
            and _joined_to(before, text, before[-2]) is before[-1]
            and not text[before[-1].end : held.start()].strip()
        ):
            yield held, before[-2:]


# "Minister of Defense Hamada and Australian Deputy Prime Minister and Minister for Defence
# Marles": the first office of a person who holds two is no person of its own.
JOINED = re.compile(r"\s+and\s+(?:(?:[A-Z][a-z]+\s+)?" + FIRST_OFFICE + r"\s+)?")
# Japan's offices a white paper names alone as the host of a meeting ("the Minister of Defense
# held talks with ..."): the person the lexicon dates in it then.
HOST_OFFICES = (
    "post/minister-of-defense-of-japan",
    "post/prime-minister-of-japan",
    "post/minister-for-foreign-affairs-of-japan",
    "post/chief-of-staff-joint-staff",
)
# Between such an office and the verb: nothing, or a visit ("the Minister of Defense visited
# Thailand and held talks with ...").
OFFICE_TO_VERB = re.compile(r"\s+(?:visited\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?,?\s+and\s+)?")


def _office_host_pair(
    reader: Reader, sentence: Sentence, people: list[PersonMention]
) -> tuple[re.Match, list[PersonMention]] | None:
    """(verb, [host, guests...]) for a meeting whose host the sentence names by a Japanese office
    alone, right before the verb, and whose guest by name right after it ("In September 2013,
    the Minister of Defense visited Thailand and held talks with then Prime Minister and Defense
    Minister Yingluck Shinawatra"): the host is the person the lexicon dates in the office over
    the whole of the sentence's one date, a month at least (rule ``event.held``)."""
    date = _one_date(reader, sentence)
    if date is None:
        return None
    first, last = (day.isoformat() for day in day_span(date.value))
    text = sentence.clean
    for held in HELD_WITH.finditer(text):
        guest = [p for p in people if 0 <= p.start - held.end() <= 40]
        if held["hosted"] or not guest or any(p.end <= held.start() for p in people):
            continue
        for key in HOST_OFFICES:
            post = reader.lexicon.get(key)
            office = _bare_office(post, text[: held.start()]) if post else None
            if office is None or not OFFICE_TO_VERB.fullmatch(text, office.end(), held.start()):
                continue
            holder = reader.lexicon.holder(key, first, last)
            if holder is not None:
                host = _holder_mention(holder, post, office["title"], office.span("title"))
                return held, [host, *_guest_list(text, people, guest[0])]
    return None


def _joined_to(
    people: list[PersonMention], text: str, first: PersonMention
) -> PersonMention | None:
    """The person joined to ``first`` by "and" right after it ("Prime Minister Suga and
    President Biden")."""
    return next(
        (p for p in people if p.start > first.end and JOINED.fullmatch(text, first.end, p.start)),
        None,
    )


def _guest_list(
    text: str, people: list[PersonMention], first: PersonMention
) -> list[PersonMention]:
    """The titled people a meeting was held with, from the first on: "Prime Minister Kishida and
    President Yoon Suk Yeol" (a trilateral meeting)."""
    guests = [first]
    for p in sorted(people, key=lambda p: p.start):
        gap = LIST_GAP.fullmatch(text, guests[-1].end, p.start) if p.start > first.end else None
        # ", and" joins a third name to a list, not a second: "held talks with Minister A, and
        # Prime Minister B stated ..." starts another clause.
        if gap and (len(guests) > 1 or not re.match(r",\s*and\b", gap.group())):
            guests.append(p)
    return guests


AT_THE_EVENT = re.compile(
    r"(?:At|During)\s+the\s+(?P<kind>summit|meeting|talks)(?:\s+meeting)?\s*,", re.IGNORECASE
)


def _followers(
    reader: Reader, sentence: Sentence, cls: str, people: Iterable[PersonMention] = ()
) -> list[Sentence]:
    """The sentences after one that records an event, in its paragraph, whose subject is its
    participants ("The two leaders discussed ...", "The four ministers confirmed ...") or one
    of ``people``, its participants ("Minister Nakatani explained ...", "Secretary Hegseth
    stated ..."); not "the two ministers" after a "2+2", which four ministers hold: another
    meeting's. Then the next paragraph's opening when it names the event again by its kind
    ("At the summit, the three leaders issued ...") and nothing in between records another."""
    names = {p.surname.lower() for p in people if p.surname}
    sentences = reader.document.sentences
    follow = []
    rest = list(takewhile(lambda s: s.block == sentence.block, sentences[sentence.index + 1 :]))
    for after in rest:
        subject = PLURAL_SUBJECT.match(after.clean)
        if subject is None:
            # one participant speaking, not one going on to another event ("Minister Nakatani
            # then visited Guam on March 31")
            first = reader.opening_person(after)
            if first is None or first.surname.lower() not in names or _records_event(after):
                break
        elif cls == "TwoPlusTwoMeeting" and TWO_PEOPLE.search(subject.group()):
            break
        follow.append(after)
    last = rest[-1].index if rest else sentence.index
    if last + 1 < len(sentences) and not any(_records_event(s) for s in rest[len(follow) :]):
        again = AT_THE_EVENT.match(sentences[last + 1].clean)
        if again and (again["kind"].lower() != "summit" or cls == "SummitMeeting"):
            follow.append(sentences[last + 1])
    return follow


def _records_event(sentence: Sentence) -> bool:
    """Whether a sentence may record an event of its own: a verb of holding or a date."""
    return bool(HOLD_VERB.search(sentence.clean) or find_dates(sentence.clean))


def _lead_side(reader: Reader, sentence: Sentence, host: str) -> str | None:
    """The other side a sentence opens with ("With Denmark, ...", "In Finland, ..."), for a
    counterpart whose title names no state ("Defense Minister Bramsen")."""
    lead = WITH_STATE_LEAD.match(sentence.clean)
    if lead is None:
        return None
    side = _state_at(reader, sentence, {lead.start("name")})
    return side.entry.slug if side and side.entry.slug != host else None


def _visited_side(reader: Reader, sentence: Sentence, host: str, before: int) -> str | None:
    """The state the host visited, printed before the meeting, for a counterpart whose title
    names no state: "Defense Minister Kono, who visited Jordan ..., met with Chairman of the
    Joint Chiefs of Staff Lieutenant General Yousef Huneiti"."""
    for verb in VISITED_STATE.finditer(sentence.clean, 0, before):
        side = _state_at(reader, sentence, {verb.end()})
        if side is not None and side.entry.slug != host:
            return side.entry.slug
    return None


# What may stand between "held talks with" and a guest's title: "the", or the other office the
# guest holds ("Prime Minister and Defense Minister Prayut"), or the state's adjective
# ("Jordanian Prime Minister and Defense Minister Mulki").
WITH_GUEST = re.compile(
    r"\s*(?:the\s+)?(?:[A-Z][a-z]+\s+)?(?:(?:Deputy\s+)?Prime\s+Minister\s+and\s+)?"
)


def _other_side(reader: Reader, sentence: Sentence, host: str) -> str | None:
    """The other state of the paragraph or section a Japanese official's meeting is recorded
    in, for a counterpart whose title names no state: "Defense Minister Kono held a meeting
    with Defense Minister Sein Win" under the heading "(7) Myanmar". Not the U.S.: its
    officials' titles name their posts, and a section on the alliance also records meetings
    with third states ("... met with Defense Minister Burhan of ..." in Djibouti). Not for a
    foreign host: "President Putin held talks with Prime Minister Singh" in a section on
    Russia is no meeting with Japan."""
    if host != "japan":
        return None
    states = context_states(reader, sentence, len(sentence.clean), default=())
    others = [s for s in states if s != host]
    if host in states and len(others) == 1 and others[0] != "united-states":
        return others[0]
    return None


def _state_after(reader: Reader, sentence: Sentence, end: int) -> str | None:
    """The state named right after a person's name: "Defense Minister Wai Lwin of Myanmar"."""
    state = _state_mention_after(reader, sentence, end)
    return state.entry.slug if state else None


def _state_mention_after(reader: Reader, sentence: Sentence, end: int) -> Mention | None:
    """The state in "of <state>" at ``end``, whose name may take "the" ("of the Netherlands")
    or not ("of the Philippines" is found either way)."""
    of = re.match(r"\s+of\s+(?P<the>the\s+)?", sentence.clean[end:])
    if of is None:
        return None
    starts = {end + of.end()}
    if of["the"]:
        starts.add(end + of.start("the"))
    return _state_at(reader, sentence, starts)


def _state_at(reader: Reader, sentence: Sentence, starts: set[int]) -> Mention | None:
    """The state the sentence names at one of ``starts``."""
    return next(
        (m for m in reader.mentions(sentence) if m.start in starts and m.entry.kind == "state"),
        None,
    )


JOINED_CLAUSE = re.compile(r",\s+and\s+(?=as\b|the\b|at\b|in\b|on\b)")


# Between an event's name and its venue: "... "2+2" Meeting in New York", "... Summit Meeting
# (Tokyo)", "... Ministerial Meeting held at the Ministry of Defense", "... Committee met in".
VENUE_GAP = re.compile(
    # past what the meeting was on: "the Japan-U.S. Ministerial Meeting on Extended Deterrence in"
    r"(?:\s+on\s+[A-Z][\w-]*(?:\s+(?:and\s+)?[A-Z][\w-]*){0,4})?"
    r",?\s*(?:\([^()]*\)\s*)?(?:(?:was|were)\s+)?(?:(?:held|met|convened|took\s+place)\s+)?"
    r"(?:today\s+)?"
    r"(?:(?:in|at|to)\s+|(?:when|while)\s+(?:he|she|they)\s+(?:visited|was\s+visiting)\s+)"
    r"(?:the\s+)?"
)


def _venue_after(
    reader: Reader, cand: Candidate, sentence: Sentence, end: int
) -> tuple[int, int] | None:
    """The venue named right after an event's name in a sentence, as (sentence, start); past
    the state the last guest is of ("... Secretary of Defense Austin of the United States in
    Honolulu, Hawaii")."""
    guest_of = _state_mention_after(reader, sentence, end)
    if guest_of is not None:
        end = guest_of.end
    for mention in reader.mentions(sentence):
        if mention.start < end or not _can_host(mention):
            continue
        if not VENUE_GAP.fullmatch(sentence.clean, end, mention.start):
            return None
        return _locate(reader, cand, sentence, mention)
    return None


# "Prime Minister Kishida visited Perth and held a Japan-Australia Summit Meeting with ...":
# the place visited is the venue of what was held there.
VISITED_TO_NAME = re.compile(
    # past the visit's date: "visited Japan in January 2018 for a Japan-Spain ... meeting"
    rf"(?:\s+{PRINTED_DATE})?"
    r"\s*,?\s+(?:and\s+(?:held|attended|participated\s+in|[a-z]+ed\s+at)"
    r"|to\s+(?:hold|attend|participate\s+in)|for)\s+"
    r"(?:the\s+|a\s+|an\s+)?" + ORDINALS + r"(?:(?:bilateral|trilateral)\s+)?"
)


HOSTED = re.compile(r"\b(?:hosted|welcomed)\b")


def _venue_hosted(
    reader: Reader, cand: Candidate, sentence: Sentence, name_start: int
) -> tuple[int, int] | None:
    """The place a host received the guests at, before the event the sentence names: "President
    Biden hosted Prime Minister Kishida and President Marcos at the White House for the first
    Japan-Philippines-U.S. Leaders' Summit"."""
    hosted = HOSTED.search(sentence.clean, 0, max(name_start, 0))
    if hosted is None:
        return None
    return _add_location(reader, cand, [sentence], limit=name_start)


def _venue_visited(
    reader: Reader, cand: Candidate, sentence: Sentence, name_start: int
) -> tuple[int, int] | None:
    """The place a sentence says someone visited to hold or attend the event named next."""
    text = sentence.clean
    for mention in reader.mentions(sentence):
        if (
            mention.end <= name_start
            and _can_host(mention)
            and VISITED.search(text, max(0, mention.start - 20), mention.start)
            and VISITED_TO_NAME.fullmatch(text, mention.end, name_start)
        ):
            return _locate(reader, cand, sentence, mention)
    return None


# Between a host and the meeting they held: "Defense Minister Onodera held a ...", "...
# Onodera visited Italy for a bilateral ...".
HOST_GAP = re.compile(
    r"\s+(?:(?:held|hosted|convened)|visited\s+(?P<visited>[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)"
    r"\s+(?:for|to\s+attend))\s+(?:a|an|the)\s+(?:(?:bilateral|trilateral|first)\s+)?"
)


def _host_and_guest_states(
    reader: Reader, sentence: Sentence, text: str, name_start: int, guests: list[PersonMention]
) -> tuple[str, ...]:
    """The states of a meeting's host, named right before "held a ..." or "visited <state> for
    a ...", of the state so visited and of its guests, when each of them is known to be of
    one, and they are two or more; else (). ``text`` is the sentence folded."""
    hosts = [
        (p, gap)
        for p in reader.people(sentence)
        if p.end <= name_start and (gap := HOST_GAP.fullmatch(text, p.end, name_start))
    ]
    if not hosts:
        return ()
    host, gap = hosts[-1]
    states = {p.state for p in [host, *guests]}
    if gap["visited"]:
        # the state the host visited for it ("Estonian Minister of Defence Luik visited Japan
        # for the bilateral Defense Ministerial Meeting")
        states |= {m.entry.slug for m in reader.resolver.gazetteer.find(gap["visited"], {"state"})}
    if None in states or len(states) < 2:
        return ()
    return order_states(states)


def _attendees_after(text: str, since: int, people: list[PersonMention]) -> list[PersonMention]:
    """The people named after an event and its date who attended it: the list that follows at
    once ("At the SCC held on December 2, 1996, Minister Ikeda, Minister Kyuma, ... reaffirmed")
    or after a word of attendance ("with the participation of Secretary of State Pompeo, ...").
    Not a name further on in another clause ("..., it was decided to delink ... Minister of
    Defense Inada being briefed ..."), nor after another time ("but in February the following
    year, Foreign Minister Wang Yi ...")."""
    found = []
    cursor = since
    for p in sorted((p for p in people if p.start > since), key=lambda p: p.start):
        gap = text[cursor : p.start]
        if OTHER_TIME.search(gap):
            break
        if len(gap) > SUBJECT_GAP and not ATTENDANCE.search(gap):
            break
        found.append(p)
        cursor = p.end
    return found


SUBJECT_GAP = 40
ATTENDANCE = re.compile(r"\b(?:participation of|attended by|attendance of|with|between|by)\b")
# An event named as the time something else happened after, since or before ("considering
# progress since the "2+2" Meeting in June 2011"): the sentence is not about it.
REFERENCE_POINT = re.compile(
    r"\b(?:since|after|following|followed|preceded|before|until|prior to|ahead of"
    r"|in the run-up to)\s+"
    r"(?:the\s+)?(?:[\w.\-\"\u201c\u201d]+\s+){0,4}$",
    re.IGNORECASE,
)
# "Wing Commander Elliot: ..." signs a quotation or a photo; it reports no meeting.
BYLINE = re.compile(r"\s*:")
# After the event's own date, another time starts another occasion: "At the U.S.-China Summit
# in September 2015, President Xi stated ..., but in February the following year, Foreign
# Minister Wang Yi described ...", "..., followed by the visit of French Minister of Defense".
OTHER_TIME = re.compile(
    r"\b(?:in|on|by|since|until)\s+(?:early\s+|late\s+|mid-)?(?:January|February|March|April|May"
    r"|June|July|August|September|October|November|December)\b"
    r"|\bthe\s+(?:following|next|previous)\s+(?:year|month|day|week)\b"
    r"|\b(?:later|subsequently|thereafter|afterwards|followed\s+by)\b"
)


CALLED_ON = re.compile(r"\bcourtesy\s+call\s+(?:on|to)\s+(?:the\s+)?$")


def _lead_date(text: str, dates: list[DateMention]) -> tuple[re.Match | None, DateMention | None]:
    """The clause a sentence opens with to date it ("On December 19, 2014, ", "During the
    visit, ") and that date; (None, None) when there is none or it has no date."""
    lead = LEAD_DATE.match(text)
    if lead is None:
        return None, None
    at = lead.start("date") if lead["date"] is not None else lead.start("during")
    date = next((d for d in dates if d.start >= at), None)
    return (lead, date) if date is not None else (None, None)


LEAD_DATE = re.compile(
    r"^\s*"
    + CONNECTIVE
    # "During the ADMM-Plus in October 2018, ...": the gathering's date is the sentence's
    # "On the sidelines of the Shangri-La Dialogue in June 2018, ..." too
    + r"(?:(?:(?:During|At|On\s+the\s+(?:sidelines?|margins?|occasion)\s+of)\s+the\s+"
    + r"[A-Z][^,]{2,60}?\s+(?:held\s+)?"
    # "During his visit to Australia in September 2024, ..."
    + r"|During\s+(?:his|her|their|the)\s+visit\s+to\s+(?:the\s+)?[A-Z][^,]{1,40}?\s+)?"
    + r"(?:On|In|on|in)\s+(?P<date>(?:[A-Z][a-z]+\.?\s+\d{1,2},\s+|[A-Z][a-z]+\s+)?\d{4})"
    # "During the visit, ...": the date of the sentence before (Reader.dates)
    rf"|(?P<during>{DURING_IT.pattern})),\s*"
)


def _date_after(
    text: str, pos: int, dates: list[DateMention], used: set[int], sided: bool = False
) -> DateMention | None:
    """The date right after an event's name; after a verb and a venue too when the name says
    whose meeting it was (``sided``)."""
    for d in dates:
        if d.start < pos or d.start in used:
            continue
        if d.start - pos > (90 if sided else 60):
            return None  # past a verb, a venue and a gathering for a name that says whose
        gap = text[pos : d.start]
        if ")" in gap and not re.search(r"\b(?:in|on|of|at)\s*$", gap):
            return None  # "(Defense Ministerial Meeting) Feb. 2019 Visit ...": the next row's date
        if GAP_TO_DATE.match(gap) or (sided and HELD_GAP.match(gap)):
            return d
        return None
    return None


def _name_at(text: str, anchor: re.Match) -> tuple[str, int]:
    """An anchored event's name and where it starts (-1 when not found as printed)."""
    if anchor.group()[:1].islower():
        lead = LOWER_LEAD.match(anchor.group())
        return anchor.group()[lead.end() :], anchor.start() + lead.end()
    name = _name_before(text, anchor.start(), anchor.end())
    return name, text.rfind(name, 0, anchor.end())


# "of" before the event's own name, not inside a state's ("Japan-Republic of Korea ...").
OF_EVENT = re.compile(
    r"(?<!Republic )(?<!Kingdom )(?<!Sultanate )(?<!Commonwealth )(?<!Federation )\bof\s+"
    r"(?:the\s+)?"
)


THE_INSIDE = re.compile(r"(?<=\s)(?<!\bof\s)the\s+")


def _name_before(text: str, start: int, end: int) -> str:
    """Extend an anchor leftwards over the capitalised words of the event's name."""
    head = text[:start]
    m = re.search(r"((?:[A-Z][\w.'\-]*|\"?2\+2\"?|of|the|and|U\.S\.)[\s-]*)*$", head)
    prefix = m.group(0) if m else ""
    # "the Joint Statement of the "2+2" Meeting": the event is what follows the last "of".
    prefix = OF_EVENT.split(prefix)[-1]
    # "... visited Japan and the Japan-Finland Defense Ministerial Meeting": a name opening with
    # its sides' compound starts after "the" (but "... Consultations and the Defense
    # Ministerial Meeting" names one meeting)
    rest = THE_INSIDE.split(prefix)[-1]
    if rest != prefix and STATES_COMPOUND.match(rest):
        prefix = rest
    prefix = NAME_LEAD.sub("", prefix)
    return (prefix + text[start:end]).strip()


# Words that open a sentence before an event's name: "At the Japan-Russia ... Meeting".
NAME_LEAD = re.compile(
    r"^(?:(?:of|the|and|At|During|In|On|After|Before|Following|Since|Through|Under|Upon|For|"
    r"From|With|The|Also|Then|Later|Moreover|Furthermore|Subsequently)\s+)+"
)
TALKS_NAME = re.compile(r"\b(?P<a>[A-Z][a-z]+)-(?P<b>[A-Z][a-z]+) Talks\b")


def timeline_candidates(reader: Reader, out: Extraction) -> list[Candidate]:
    """Rows of chronology tables: year in the first column, what happened in the last."""
    cands = []
    for table in reader.document.tables:
        rows = [reader.document.blocks[i] for i in table.rows]
        if not is_chronology(rows):
            continue
        year = None
        for row in rows:
            first = row.cells[0].clean.strip() if row.cells else ""
            if re.fullmatch(r"(1[89]|20)\d\d", first):
                year = first
            if year is None:
                continue
            cell = last_cell(row)
            if cell is None:
                continue
            sentences = [
                reader.document.sentences[i]
                for i in row.sentences
                if reader.document.sentences[i].cell == cell
            ]
            if not sentences:
                continue
            date = _row_month(row, year) or DateMention(0, 0, year, "gYear")
            for s in sentences:
                cands.extend(_timeline_entry(reader, s, date, out))
    return cands


def _row_month(row: Block, year: str) -> DateMention | None:
    """The month a chronology row prints in a cell of its own between the year and what
    happened ("2019 | April | Japan-U.S. "2+2" Meeting (Washington, D.C.)")."""
    for cell in row.cells[1:-1]:
        name = cell.clean.strip()
        if name.lower().rstrip(".") in MONTHS:
            return DateMention(0, 0, f"{year}-{month_number(name):02d}", "gYearMonth")
    return None


def _timeline_entry(
    reader: Reader, sentence: Sentence, date: DateMention, out: Extraction
) -> list[Candidate]:
    text = sentence.clean.strip()
    ev = reader.evidence(sentence, "event.timeline")
    talks = TALKS_NAME.search(text)
    known = reader.resolver.persons_by_surname
    if not talks or not (talks["a"].lower() in known and talks["b"].lower() in known):
        # "Abe-Obama Talks" name two leaders; "Six-Party Talks" does not
        return _timeline_meeting(reader, sentence, date)
    cand = Candidate(
        "Talks",
        "Talks",
        "talks",
        date=date,
        states=DEFAULT_STATES,
        names=[talks.group()],
        evidence=ev,
        rank=2,
    )
    for surname in (talks["a"], talks["b"]):
        cand.participants.append((surname_ref(reader, surname, ev, out), ev))
    paren = re.search(r"\(agreement on (?P<what>[^()]+)\)", text[talks.end() :])
    if paren:
        for topic in _split_topics(paren["what"]):
            cand.points.append((ev, [_topic_ref(reader, topic, ev, out)]))
    return [cand]


OPEN_PAREN = re.compile(r"\s*\(")


def _timeline_meeting(reader: Reader, sentence: Sentence, date: DateMention) -> list[Candidate]:
    """A chronology row that opens with a meeting named with its sides ('Japan-U.S. "2+2"
    Meeting (Washington, D.C.)'): the meeting, dated by the row, at the venue in parentheses."""
    text = fold(sentence.clean)
    anchor = ANCHOR.search(text)
    if anchor is None:
        return []
    name, name_start = _name_at(text, anchor)
    states = states_in(reader, name)
    kind = classify(name)
    if name_start != 0 or len(states) < 2 or kind is None:
        return []  # the row records something else that names a meeting
    ev = reader.evidence(sentence, "event.timeline")
    cand = Candidate(*kind, date=date, states=states, names=[name], evidence=ev, rank=2)
    paren = OPEN_PAREN.match(text, anchor.end())
    if paren:
        # the venue opens the parenthesis: "(Washington, D.C.)", "(Tokyo)"
        venue = next(
            (m for m in reader.mentions(sentence) if m.start == paren.end() and _can_host(m)), None
        )
        if venue is not None:
            _locate(reader, cand, sentence, venue)
    return [cand]


# A table of consultations: "Date | Type of Consultation/Place | Participants | Outline", or
# its first three cells printed as one ("Sep. 15, 2016 Japan-U.S. Defense Ministerial Meeting /
# Washington, D.C. Participants: Minister of Defense Inada Secretary of Defense Carter"); the
# venue may close the name's cell in parentheses ('Japan-U.S. "2+2" (Tokyo)').
NAME_END = re.compile(r"\s*/\s*|\s+Participants?\s*:\s*|\s*\((?=[^()]*\)\s*$)|$")
PARTICIPANTS_HEADER = re.compile(r"particip|attend", re.IGNORECASE)
OUTLINE_HEADER = re.compile(r"outline|result|outcome|summary|content|topic|agenda", re.IGNORECASE)
VENUE_HEADER = re.compile(r"venue|place|location|\bcity\b", re.IGNORECASE)


def consultation_candidates(reader: Reader, out: Extraction) -> list[Candidate]:
    """Rows of tables of consultations: the date opening the row, the meeting named after it
    (with its venue after a slash), the titled people of the participants column, and the
    topics of the outline column."""
    cands = []
    for table in reader.document.tables:
        participants_col = next(
            (i for i, h in enumerate(table.header) if PARTICIPANTS_HEADER.search(h)), None
        )
        outline_col = next(
            (i for i, h in enumerate(table.header) if OUTLINE_HEADER.search(h)), None
        )
        # "Date | Meeting | Venue | Attendees | Main topics": a column of its own for the venue
        venue_col = next(
            (
                i
                for i, h in enumerate(table.header)
                if VENUE_HEADER.search(h) and not re.search(r"/|meeting|type", h, re.IGNORECASE)
            ),
            None,
        )
        for index in table.rows:
            cand = _consultation_row(reader, index, participants_col, outline_col, venue_col, out)
            if cand is not None:
                cands.append(cand)
    return cands


def _consultation_row(
    reader: Reader,
    index: int,
    participants_col: int | None,
    outline_col: int | None,
    venue_col: int | None,
    out: Extraction,
) -> Candidate | None:
    cells: dict[int, list[Sentence]] = {}
    for i in reader.document.blocks[index].sentences:
        s = reader.document.sentences[i]
        if s.cell is not None:
            cells.setdefault(s.cell, []).append(s)
    if not cells.get(0):
        return None
    first = cells[0][0]
    date = opening_date(first.clean)
    if date is None or date.datatype == "gYear":
        return None
    # The meeting's name follows the date in its cell, or fills the next cell.
    named_at = date.end if first.clean[date.end :].strip() else None
    where = first if named_at is not None else (cells.get(1) or [None])[0]
    if where is None:
        return None
    text = fold(where.clean)
    start = len(text) - len(text[named_at or 0 :].lstrip())
    end = NAME_END.search(text, start)
    name = text[start : end.start()].strip()
    kind = classify(name) if name else None
    states = states_in(reader, name) if kind else ()
    if kind is None or len(states) < 2 or not ANCHOR.search(name):
        return None
    ev = reader.evidence(where, "event.table")
    printed = f"{name} ({first.clean[date.start : date.end]})"
    cand = Candidate(*kind, date=date, states=states, names=[printed], evidence=ev, rank=2)
    venue_end = text.find("Participant", end.end())
    for m in reader.mentions(where):
        if end.end() <= m.start < (venue_end if venue_end >= 0 else len(text)) and _can_host(m):
            cand.links.append(("location", reader.ref(m.entry), ev))
            break
    else:
        for s in cells.get(venue_col, []) if venue_col is not None else []:
            venue = next((m for m in reader.mentions(s) if _can_host(m)), None)
            if venue is not None:
                _locate(reader, cand, s, venue)
                break
    if participants_col is None:
        people_in = [(where, end.end())]
        after = where.cell + 1
        if after in cells and any(c > after for c in cells):
            participants_col = after  # "Date | Meeting/Venue | Participants | Outline" unnamed
            people_in += [(s, 0) for s in cells[after]]
    else:
        people_in = [(s, 0) for s in cells.get(participants_col, [])]
    for s, after in people_in:
        ev_people = reader.evidence(s, "event.table")
        cand.people += [(p, ev_people) for p in reader.people(s) if p.start >= after]
    outline = [outline_col] if outline_col is not None else [c for c in cells if c > where.cell]
    for column in outline:
        if column not in (where.cell, participants_col, venue_col):
            _add_topics(reader, cand, cells.get(column, []), out, skip=set())
    return cand


# A reference list's entry: a month and year, then the event's name ("Jun. 2018 Japan-U.S.-ROK
# Defense Ministerial Meeting (Singapore (17th Shangri-La Dialogue))"); several may run together.
LIST_NAME = re.compile(
    r"^\s*(?P<name>(?:[A-Z][\w.]*[-\u2013])*(?:Japan|U\.S\.)[\w.\-\u2013]*(?:\s+[A-Z][\w.\-']*)*?\s+"
    r"(?:Meeting|Summit|Talks|Dialogue|Consultations?))\b(?P<after>[^()]{0,3}\((?P<where>[^()]*))?"
)


def dated_list_candidates(reader: Reader, skip_blocks: set[int]) -> list[Candidate]:
    """Events of the editions' reference lists of defense exchanges: each entry a month, a
    year and the event's name as its whole text, with the venue in parentheses."""
    found = []
    for block in reader.document.blocks:
        if block.index in skip_blocks or len(block.sentences) != 1:
            continue
        sentence = reader.document.sentences[block.sentences[0]]
        text = sentence.clean
        dates = [d for d in find_dates(text) if d.datatype == "gYearMonth"]
        if not dates or dates[0].start > 1:
            continue  # a list entry opens with its month
        for date, nxt in zip(dates, [*dates[1:], None], strict=True):
            segment = text[date.end : nxt.start if nxt else len(text)]
            m = LIST_NAME.match(segment)
            if not m or PLURAL_EVENTS.search(m["name"]):
                continue
            kind = classify(m["name"])
            states = states_in(reader, m["name"])
            if kind is None or len(states) < 2:
                continue
            ev = reader.evidence(sentence, "event.list")
            cand = Candidate(
                *kind, date=date, states=states, names=[m["name"]], evidence=ev, rank=2
            )
            if m["where"]:
                offset = date.end + m.start("where")
                end = offset + len(m["where"])
                for mention in reader.mentions(sentence):
                    if offset <= mention.start and mention.end <= end and _can_host(mention):
                        loc = reader.evidence(sentence, "event.location")
                        cand.links.append(("location", reader.ref(mention.entry), loc))
                        break
            found.append(cand)
    return found


def surname_ref(reader: Reader, surname: str, ev: Evidence, out: Extraction) -> Ref:
    """The lexicon person with this surname when there is exactly one (in office by the time
    of the text), else a person named by it."""
    people = reader.resolver.by_surname(surname, reader.year)
    if len(people) == 1:
        return reader.ref(people[0])
    ref = Ref("person", slugify(surname))
    out.add(Entity(ref, "Person", surname, evidence=ev))
    return ref


def _split_topics(text: str) -> list[str]:
    parts = re.split(r",\s*|\s+and\s+(?=the\s)", text)
    return [re.sub(r"^the\s+", "", p.strip()) for p in parts if p.strip()]


def _topic_ref(reader: Reader, phrase: str, ev: Evidence, out: Extraction) -> Ref:
    """A lexicon entity when the phrase names one exactly, else a new Issue named by it."""
    found = reader.resolver.gazetteer.find(phrase)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(phrase):
        return reader.ref(found[0].entry)
    ref = Ref("issue", slugify(phrase)[:80].strip("-"))
    out.add(Entity(ref, "Issue", phrase[0].upper() + phrase[1:], evidence=ev))
    return ref


# -- merging and minting ----------------------------------------------------------------------


# What "held a meeting (talks) with" calls any meeting: it may be a summit, a ministerial
# meeting, a "2+2" that another reading names.
ANY_MEETING = frozenset({"Meeting", "Talks"})


def _compatible(a: Candidate, b: Candidate) -> bool:
    if set(a.states) != set(b.states):
        return False
    if a.series and b.series and a.series != b.series:
        return False
    if a.cls != b.cls:
        # Only a meeting no text names ("X held a meeting with Y") may be one a heading or a
        # caption names otherwise: two named meetings of a day are two ("2+2" and the
        # defense ministers' meeting the same afternoon).
        unnamed = [c for c in (a, b) if c.cls in ANY_MEETING and not c.names]
        shared = set(a.surnames) & set(b.surnames)
        if not unnamed or not shared or {a.cls, b.cls} & {"Visit", "TelephoneTalk"}:
            return False
    if not (
        a.date.value == b.date.value
        or refines(a.date.value, b.date.value)
        or refines(b.date.value, a.date.value)
    ):
        return False
    sa, sb = set(a.surnames), set(b.surnames)
    return not sa or not sb or sa <= sb or sb <= sa


def merge(cands: list[Candidate]) -> list[Candidate]:
    """Fold candidates that describe the same event into the most precise one."""
    cands = sorted(cands, key=lambda c: (c.rank, -len(c.date.value)))
    kept: list[Candidate] = []
    for cand in cands:
        matches = [k for k in kept if _compatible(k, cand)]
        if len(matches) == 1:
            target = matches[0]
            if target.cls in ANY_MEETING and cand.cls not in ANY_MEETING:
                target.cls, target.type_label, target.type_slug = (
                    cand.cls,
                    cand.type_label,
                    cand.type_slug,
                )
            if len(cand.date.value) > len(target.date.value):
                target.date = cand.date
            target.names += [n for n in cand.names if n not in target.names]
            target.body = target.body or cand.body
            target.series = target.series or cand.series
            target.title = target.title or cand.title
            target.people += cand.people
            target.hosts += cand.hosts
            target.participants += cand.participants
            target.links += cand.links
            target.points += cand.points
            target.mentioned += cand.mentioned
            target.mentions += [cand.evidence, *cand.mentions]
            cand.merged_into = target
        else:
            kept.append(cand)
    return kept


def emit(reader: Reader, cands: list[Candidate], out: Extraction) -> None:
    """Mint IRIs and make the statements of merged candidates."""
    for cand in cands:
        cand.ref, cand.label = _identity(reader, cand)
        out.events.append(
            EventKey(
                cand.ref,
                cand.cls,
                cand.date.value,
                tuple(sorted(cand.states)),
                tuple(sorted(cand.surnames)),
                cand.label,
            )
        )
    for cand in cands:
        _emit_one(reader, cand, out)


def _identity(reader: Reader, cand: Candidate) -> tuple[Ref, str]:
    """The event's IRI (date, states, type, names when generic) and canonical label."""
    states = order_states(cand.states)
    parts = [cand.date.value, *states, cand.type_slug]
    if cand.series:
        series = slugify(cand.series)
        parts[-1] = series if len(series) <= 60 else series[:60].rsplit("-", 1)[0]
    elif cand.cls in GENERIC and cand.surnames:
        parts += [slugify(s) for s in cand.surnames[:3]]
    ref = Ref("event", slugify("-".join(parts)))
    prefix = "-".join(SHORT_STATE.get(s, state_label(reader, s)) for s in states)
    if cand.series:
        label = f"{prefix} {cand.title or cand.series} ({human(cand.date.value)})"
    elif cand.cls in GENERIC and cand.surnames and cand.cls != "Talks":
        label = f"{prefix} {cand.type_label} ({', '.join(cand.surnames)}, {human(cand.date.value)})"
    elif cand.cls == "Talks" and TALKS_NAME.search(" ".join(cand.names)):
        talks = TALKS_NAME.search(" ".join(cand.names)).group()
        label = f"{talks} ({human(cand.date.value)})"
    else:
        label = f"{prefix} {cand.type_label} ({human(cand.date.value)})"
    return ref, label.strip()


def _emit_one(reader: Reader, cand: Candidate, out: Extraction) -> None:
    ref, label = cand.ref, cand.label
    out.add(Entity(ref, cand.cls, label, tuple(cand.names), cand.evidence))
    for ev in cand.mentions:
        out.add(Entity(ref, cand.cls, label, (), ev))
    out.add(fact(ref, "date", date_lit(cand.date), cand.evidence))
    body: Ref | None = None
    scc = reader.lexicon.get("mechanism/security-consultative-committee")
    if cand.cls == "TwoPlusTwoMeeting" and scc is not None:
        body = reader.ref(scc)  # what '"2+2"' in the event's own name reads as
        if set(cand.states) == set(DEFAULT_STATES):
            out.add(fact(ref, "meetingOf", body, cand.evidence))
    if cand.body is not None:
        out.add(fact(ref, "meetingOf", reader.ref(cand.body), cand.evidence))
    seen: set[str] = set()
    people: list[tuple[Ref, str]] = []  # (person, title as printed): who "the Minister" can be
    for person, ev in cand.people + cand.hosts:
        pref = reader.person_ref(person, ev, out)
        if str(pref) in seen:
            continue
        seen.add(str(pref))
        people.append((pref, person.title))
        _participation(reader, ref, label, pref, person, ev, out)
    for pref, ev in cand.participants:
        if str(pref) not in seen:
            seen.add(str(pref))
            out.add(fact(ref, "participant", pref, ev))
    if cand.cls == "Exercise":
        # An exercise's sides are its participants, as a launch's state is: the forces that
        # trained together act for them ("the Japan-India bilateral exercise Dharma Guardian").
        for state in cand.states:
            out.add(fact(ref, "participant", Ref("state", state), cand.evidence))
    elif ref.kind == "event":
        # The sides a meeting, talk or visit is between ("the Japan-Vietnam defense ministers'
        # meeting"), whether or not the text names who attended for them (a statement a
        # timeline row names is an agreement, not an event).
        for state in cand.states:
            out.add(fact(ref, "hasSide", Ref("state", state), cand.evidence))
    for predicate, obj, ev in cand.links:
        out.add(fact(ref, predicate, obj, ev))
    points = list(cand.points)
    for other, ev in cand.mentioned:
        target = other.resolved()
        if target is not cand and target.ref is not None:
            points.append((ev, [target.ref]))
    for ev, topics in points:
        # A meeting of the SCC is not about the SCC: naming the body names the meeting.
        topics = [t for t in topics if t != body]
        if topics:
            _affirmation(reader, cand, ev, topics, people, out)


PLURAL_SUBJECT = re.compile(
    r"^(?:[a-z]\.\s+|\d{1,2}\.\s+|\(\w\)\s+)?"
    + CONNECTIVE
    + r"(?:The\s+(?:two|three|four)\s+(?P<people>leaders|ministers|secretaries|officials|sides"
    r"|delegations)|"
    r"The\s+(?:Ministers|leaders|Secretaries)|Both\s+(?:sides|leaders|ministers|secretaries)|"
    # A joint statement's own voice: "Ministers welcomed ...", "We reaffirm ...".
    r"They|We|Leaders|Ministers|(?P<states>(?:The\s+two|Both)\s+(?:governments|countries|nations)))\b",
    re.IGNORECASE,
)
# Verbs that report what a side said or decided; SPEECH_VERB adds those of narrative accounts.
SAYING = (
    r"(?:re)?(?:affirm|confirm|agree|stat|express|welcom|shar|reiterat|stress|emphasi[sz]|"
    r"underscor|underlin|condemn|commit|pledg|acknowledg|recogni[sz]|explain|propos|announc|"
    r"decid|intend|urg|call)"
)
SPEECH_VERB = re.compile(
    r"\b(?:"
    + SAYING
    + r"|(?:re)?(?:request|note|raise|discuss|exchang|highlight|convey|sa(?:id|y)|concur|"
    r"appreciat|asked|sought|seek|mention|reviewed|concern|determin|look|will|continu|"
    r"directed|instructed|tasked))\w*\b",
    re.IGNORECASE,
)
LEADER_TITLE = re.compile(
    r"\b(?:President|Prime Minister|Premier|Chancellor|King|Queen|Emperor|Sultan)\b"
)
PRONOUN_SUBJECT = re.compile(r"^" + CONNECTIVE + r"(?:He|She)\b")
# "The United States reiterated its commitment ...", "Japan and the United States affirmed ...":
# one side, or both, named as the subject of what was said.
_SIDE = r"(?:(?P<{0}us>United\s+States|U\.S\.)(?:\s+side)?|(?P<{0}japan>Japan|Japanese\s+side))"
STATE_SUBJECT = re.compile(
    r"^"
    + CONNECTIVE
    + r"(?:The\s+)?(?:Government\s+of\s+)?"
    + _SIDE.format("a")
    + r"(?:\s+and\s+(?:the\s+)?"
    + _SIDE.format("b")
    + r")?\s+(?:\w+ly\s+|also\s+|further\s+)?"
    + SAYING
    + r"\w*\b"
)
# "The Minister stated ...", "The Prime Minister ...": a title alone, naming no one.
_TITLE_ALONE = (
    r"(?P<title>(?:[A-Z][\w.-]*\s+)*?"
    r"(?:Minister|Secretary|President|Prime Minister|Chairman|Commander))\b(?!\s+(?:of|for)\b)"
    r"(?!\s+[A-Z])"
)
TITLE_SUBJECT = re.compile(r"^" + CONNECTIVE + r"The\s+" + _TITLE_ALONE)

# "... and the President": a second title alone in the subject.
SECOND_TITLE = re.compile(r"\s+and\s+the\s+" + _TITLE_ALONE)


def _affirmation(
    reader: Reader,
    cand: Candidate,
    ev: Evidence,
    topics: list[Ref],
    people: list[tuple[Ref, str]],
    out: Extraction,
) -> None:
    """A point recorded at an event (an akg:Affirmation): what it is about, and who said it."""
    ref = Ref("affirmation", f"{cand.ref.slug}.{_digest(ev.doc_id, ev.start)}")
    names = [reader.label(t, out) for t in topics]
    label = f"{cand.label}: {', '.join(names)}"
    out.add(
        Entity(ref, "Affirmation", label if len(label) <= 140 else label[:137] + "...", evidence=ev)
    )
    out.add(fact(ref, "affirmedAt", cand.ref, ev))
    for topic in topics:
        out.add(fact(ref, "topic", topic, ev))
    sentence = reader.sentence_at(ev.start)
    if sentence is None:
        return
    for speaker, rule in speakers(reader, cand, sentence, people, out):
        out.add(fact(ref, "affirmedBy", speaker, replace(ev, rule=rule)))


LIST_LEAD = re.compile(
    r"(?:\d{1,2}\.?\s+(?:[\w.'-]+\s+){1,6}?(?=\(\w{1,3}\)\s))?(?:\(\w{1,3}\)\s+|\d{1,2}[.)]\s+)?"
)


def speakers(
    reader: Reader,
    cand: Candidate,
    sentence: Sentence,
    participants: list[tuple[Ref, str]],
    out: Extraction,
) -> list[tuple[Ref, str]]:
    """Who says what a sentence of an event's section records, with the rule that tells.

    A titled person opening the sentence speaks; "the two leaders", "the Ministers", "both
    sides" are the event's participants, "the two governments" its states; "he" or "she" is
    the person who opened the sentence before; "the Minister" is the one participant whose
    title ends that way.
    """
    text = sentence.clean
    verb = SPEECH_VERB.search(text)
    if verb is None:
        return []  # narrative ("X took the opportunity of ... to hold"), not something said
    glued = GLUED_COLUMN.search(text, 0, verb.start())
    if glued is not None:
        return []  # another column's text glued on before the verb: the opening is not its subject
    # A run-in heading and a list number before the subject: "1 Regional situation (1) The two
    # Ministers shared ...", "(2) Minister Kishi explained ...".
    lead = LIST_LEAD.match(text).end()
    opening = text[lead:]
    first = reader.opening_person(sentence, lead)
    if first is not None:
        ev = reader.evidence(sentence, "event.topic")
        # "Minister of Defense Kishi and Secretary of Defense Austin ... agreed": both speak.
        second = _joined_to(reader.people(sentence), text, first)
        both = [first] if second is None else [first, second]
        return [(reader.person_ref(p, ev, out), "event.topic") for p in both]
    plural = PLURAL_SUBJECT.match(opening)
    if plural:
        if plural["states"]:
            states = order_states(cand.states)
            return [(Ref("state", slug), "event.coreference") for slug in states]
        group = participants
        if re.search(r"\bleaders\b", plural.group(), re.IGNORECASE):
            # "Leaders affirmed ...": the heads of state or government, not the ministers
            # who accompanied them on the visit.
            group = [(ref, title) for ref, title in participants if LEADER_TITLE.search(title)]
            group = group or participants
        return [(ref, "event.coreference") for ref, _ in group]
    sides = STATE_SUBJECT.match(opening)
    if sides:
        named = {
            slug
            for slug, groups in (("united-states", ("aus", "bus")), ("japan", ("ajapan", "bjapan")))
            if any(sides[g] for g in groups)
        }
        if named <= set(cand.states):
            return [(Ref("state", slug), "event.topic") for slug in order_states(named)]
        return []
    if PRONOUN_SUBJECT.match(opening):
        previous = _previous_subject(reader, sentence)
        if previous is not None:
            ev = reader.evidence(sentence, "event.coreference")
            return [(reader.person_ref(previous, ev, out), "event.coreference")]
        return []
    titled = TITLE_SUBJECT.match(opening)
    if titled:
        # "The Prime Minister and the President welcomed ...": each title is one participant.
        heads = [titled["title"]]
        second = SECOND_TITLE.match(opening, titled.end())
        if second:
            heads.append(second["title"])
        found = []
        for head in heads:
            matching = [ref for ref, title in participants if title.lower().endswith(head.lower())]
            if len(matching) != 1:
                return []
            found.append((matching[0], "event.coreference"))
        return found
    return []


def _previous_subject(reader: Reader, sentence: Sentence) -> PersonMention | None:
    """The titled person opening the sentence before, within the same section."""
    if sentence.index == 0:
        return None
    before = reader.document.sentences[sentence.index - 1]
    blocks = reader.document.blocks
    if blocks[before.block].section != blocks[sentence.block].section:
        return None
    return reader.opening_person(before)


def _digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:10]


def _participation(
    reader: Reader,
    event: Ref,
    event_label: str,
    person_ref: Ref,
    person: PersonMention,
    ev: Evidence,
    out: Extraction,
) -> None:
    part = Ref("participation", f"{event.slug}.{person_ref.slug}")
    out.add(fact(event, "participant", person_ref, ev))
    name = person.person.label if person.person else person.name
    out.add(Entity(part, "Participation", f"{name} in {event_label}", evidence=ev))
    out.add(fact(event, "hasParticipation", part, ev))
    out.add(fact(part, "agent", person_ref, ev))
    if person.title:
        # The title as printed: "Acting Secretary of Defense" is not the Secretary's title.
        printed = f"Acting {person.title}" if person.acting else person.title
        title = Ref("title", slugify(printed))
        out.add(Entity(title, "Title", printed, evidence=ev))
        out.add(fact(part, "titleUsed", title, ev))
    if person.post is not None:
        out.add(fact(part, "post", reader.ref(person.post), ev))
    if person.state and (person.post is None or person.post.state != person.state):
        out.add(fact(part, "side", Ref("state", person.state), ev))
    if person.acting:
        out.add(fact(part, "acting", Lit("true", "boolean"), ev))


def extract_events(reader: Reader, out: Extraction) -> set[tuple[int, int]]:
    """All event readings, merged and emitted; returns the person mentions used as
    participants, as (sentence start, mention start)."""
    headings = document_candidates(reader, out) + heading_candidates(reader, out)
    captions = caption_candidates(reader)
    heading_blocks = {
        reader.document.sections[i].heading for i in range(len(reader.document.sections))
    }
    caption_blocks = {b.index for b in reader.document.blocks if b.kind == "caption"}
    table_blocks = {b.index for b in reader.document.blocks if b.kind == "table_row"}
    not_prose = heading_blocks | caption_blocks | table_blocks
    sentences = sentence_candidates(reader, not_prose, out)
    sentences += held_with_candidates(reader, not_prose, out)
    sentences += visit_candidates(reader, not_prose, out)
    sentences += session_candidates(reader, not_prose, out)
    sentences += stage_candidates(reader, not_prose)
    timeline = timeline_candidates(reader, out) + consultation_candidates(reader, out)
    timeline += dated_list_candidates(reader, heading_blocks | table_blocks)
    for cand in sentences:
        # Not a meeting whose sentence opens on another time ("On November 17, 2023, Minister
        # Kihara held the Japan-ROK ...") in the account of one on June 3, 2023.
        said = reader.sentence_at(cand.evidence.start)
        around = [
            h
            for h in headings
            if h.span
            and h.span[0] <= cand.evidence.start < h.span[1]
            and not (said is not None and _opens_otherwise(said, h.date))
        ]
        if around:
            min(around, key=lambda h: h.span[1] - h.span[0]).mentioned.append((cand, cand.evidence))
    kept = merge(headings + captions + timeline + sentences)
    for cand in kept:
        cand.people += implied_holders(reader, cand)
    emit(reader, kept, out)
    return {(ev.start, person.start) for cand in kept for person, ev in cand.people + cand.hosts}


def mentions_of(reader: Reader, sentence: Sentence, kinds: set[str]) -> list[Entry]:
    return [m.entry for m in reader.mentions(sentence) if m.entry.kind in kinds]
