"""Agreements: their lifecycle (signed, entered into force, approved, formulated, revised),
their relations (replaces, based on, approved by, recommended by) and treaty articles.

Agreement mentions are lexicon entries, contextual names ("the Guidelines", "the new
Guidelines", "the treaty"), and titles the rules recognise ("the Agreement between ...
Concerning ...", a quoted title after "announced"). Relations hold between mentions in one
clause; a date belongs to the verb it follows ("which entered into force in May 2009") or,
failing that, to the sentence ("In February 2009, the two countries signed ...").
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from ..corpus import YEAR_IN_NAME, Sentence
from ..lexicon import Entry
from ..namespaces import slugify
from .context import (
    DATE_OPENING,
    INSTRUMENT_HEADS,
    QUALIFIER_BEFORE,
    SAME_DAY,
    Extraction,
    Reader,
    date_lit,
    fact,
    is_chronology,
    last_cell,
    rows_run_together,
    sides_named,
    state_label,
)
from .dates import MONTH_NAME, DateMention
from .mentions import Mention, PersonMention, fold
from .model import Entity, Evidence, Ref

AGREEMENT_CLASSES = frozenset(
    {"Agreement", "Treaty", "Guidelines", "JointStatement", "Plan", "Legislation", "PolicyPaper"}
)
# The rest of the Guidelines' title after "Guidelines".
FOR_DEFENSE_COOPERATION = r"\s+for\s+Japan-U\.?S\.?\s+Defense\s+Cooperation\b"
CONTEXT_GUIDELINES = re.compile(
    rf"\b(?:the\s+)?(?:new\s+)?Guidelines(?:{FOR_DEFENSE_COOPERATION})?\b"
)
GUIDELINES_TAIL = re.compile(FOR_DEFENSE_COOPERATION)
THE_TREATY = re.compile(r"\b[Tt]he\s+treaty\b")
# "The Agreement entered into force in October 2023", after a sentence that named it: the
# instrument by its head noun alone, capitalised, not the start of another title ("the
# Agreement on ...", "the Agreement between ...").
HEAD_NOUN = re.compile(rf"\b{INSTRUMENT_HEADS}\b")
THE_INSTRUMENT = re.compile(
    rf"\b[Tt]he\s+(?P<head>{INSTRUMENT_HEADS})\b"
    r"(?!\s+(?:on|between|concerning|regarding|of|for|to|under|in|with)\b|\s*\()"
)
# The date a chronology row opens with, run on after the previous row's title: "... Defense
# Cooperation Oct. 2014 ...", "... Environmental Stewardship Nov.16 ...".
NEXT_ROW_DATE = r"\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?(?=\s*\d|\s*$)"
# "the Regional Cooperation Agreement on Combating Piracy ...": the words before "Agreement"
# belong to the title.
TITLED_AGREEMENT = re.compile(
    r"\b(?:the\s+)?(?P<title>(?:(?!The\b|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\w*"
    r"\b)[A-Z][A-Za-z.-]*\s+){0,4}"
    r"Agreement\s+(?:between|on|concerning|regarding|for)\s+(?:the\s+)?[A-Z][^,;()]*?"
    r"(?:\s+(?:Concerning|Regarding|on|for)\s+[^;()]*?)?)"
    r"(?=\s*\(|,|;|(?<!\bU\.S)(?<!\bU\.K)\.(?:\s|\d|$)"
    r"|\s+(?:which|was|were|is|has|had|entered|came|will|signed|concluded)\b"
    r"|\s+to\s+(?!the\b)[a-z]+\b"
    rf"|\s+(?:in|on|since)\s+(?:(?:{MONTH_NAME})\b|\d{{4}}\b)|" + NEXT_ROW_DATE + r"|$)"
)
# An instrument named by its sides' compound and capitalised words ending in its head noun:
# "the Japan-U.S. Security of Supply Arrangement (SOSA)", "the Japan-Australia Information
# Security Agreement".
SIDED_INSTRUMENT = re.compile(
    r"\b(?:the\s+)?(?P<title>(?P<sides>(?:[A-Z][\w.]*-)+[A-Z][\w.]*)\s+"
    r"(?:[A-Z][\w-]*\s+(?:(?:of|on|and|for)\s+)?){1,6}(?:Agreement|Arrangement|Accord))\b"
    r"(?:\s*\((?P<acr>[A-Z][A-Za-z]{1,7})\))?"
)
# The words a title prints in lower case (a French name's particles among them); any other
# shows text glued from another column ("Agreement concerning the Transfer of to Illegal
# Landing on a Remote Island or its").
TITLE_SMALL_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "the",
        "of",
        "on",
        "in",
        "for",
        "to",
        "over",
        "between",
        "concerning",
        "regarding",
        "relating",
        "against",
        "by",
        "with",
        "at",
        "into",
        "under",
        "upon",
        "from",
        "within",
        "among",
        "through",
        "de",
        "des",
        "du",
        "la",
        "le",
        "et",
    }
)
# "the Memorandum on Japan-Spain Defense Cooperation and Exchanges", "the Memorandum of
# Understanding between the Ministry of Defense of Japan and ...": taken only when its title
# names two sides, since one that does not ("the Memorandum on Defense Cooperation") is signed
# with many states.
TITLED_MEMORANDUM = re.compile(
    r"\b(?:the\s+)?(?P<title>Memorandum(?:\s+of\s+(?:Understanding|Cooperation))?\s+"
    r"(?:on|concerning|regarding|between)\s+(?:the\s+)?[A-Z][^,;()]*?)"
    r"(?=\s*\(|,|;|(?<!\bU\.S)(?<!\bU\.K)\.(?:\s|\d|$)"
    r"|\s+(?:which|was|were|is|has|had|entered|came|will|that|signed|drawn|established)\b"
    r"|\s+to\s+(?!the\b)[a-z]+\b"
    rf"|\s+(?:in|on|since)\s+(?:(?:{MONTH_NAME})\b|\d{{4}}\b)"
    r"|" + NEXT_ROW_DATE + r"|$)"
)
# Kinds of mention a title may contain without naming another instrument. Not the areas of
# cooperation ("defense equipment and technology"): titles that name one are too often generic
# ("the Agreement Concerning the Transfer of Defense Equipment and Technology", which one?) or
# run on into the next row of a chronology.
TITLE_WORD_KINDS = frozenset({"state", "organization", "domain"})
QUOTED_TITLE = re.compile(
    r"(?:announced|released|issued|adopted|formulated|published)\s+"
    # "issued a joint statement titled "The Spirit of Camp David""
    r"(?:(?:a|an|the|their)\s+(?:[\w'\u2019-]+\s+){0,3}?(?:statement|declaration|document|vision)"
    r"\s*,?\s*(?:(?:titled|entitled|called)\s+)?)?"
    r'"(?P<title>[^"]{8,200}?)[.,;]?"'
)
SENTENCE_DATE = re.compile(DATE_OPENING)
ARTICLE = re.compile(r"\bArticle\s+(?P<num>\d{1,3}|[IVXL]{1,6})\b(?:\s+of\s+(?:the\s+)?)?")
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}


@dataclass(frozen=True)
class AgreementMention:
    start: int
    end: int
    ref: Ref
    entry: Entry | None


def roman_to_int(text: str) -> int:
    """An article number printed in Roman or Arabic numerals, as an integer.

    >>> roman_to_int("XXV"), roman_to_int("IV"), roman_to_int("5")
    (25, 4, 5)
    """
    if text.isdigit():
        return int(text)
    total = 0
    for i, c in enumerate(text):
        value = ROMAN[c]
        total += -value if i + 1 < len(text) and ROMAN[text[i + 1]] > value else value
    return total


def agreement_mentions(
    reader: Reader,
    sentence: Sentence,
    out: Extraction,
    last_treaty: Ref | None = None,
    last_named: dict[str, Ref] | None = None,
) -> list[AgreementMention]:
    """Agreement mentions in a sentence, in text order. ``last_named`` is the instrument the
    paragraph last named by each head noun ("Agreement", "Memorandum", ...), which "the
    Agreement" alone refers to."""
    text = fold(sentence.clean)
    found: list[AgreementMention] = []
    taken: list[tuple[int, int]] = []
    # The parties an agreement's title names ("Agreement between Japan and the United Kingdom
    # concerning ...") and the domain it is about ("... for Cooperation in Space Exploration")
    # are mentions of their own inside it.
    parties: list[tuple[int, int]] = []
    places: list[tuple[int, int]] = []

    def free(a: int, b: int, inside: list[tuple[int, int]] = taken) -> bool:
        return all(b <= s or a >= e for s, e in inside)

    for m in reader.mentions(sentence):
        if m.entry.kind == "agreement":
            found.append(AgreementMention(m.start, m.end, reader.ref(m.entry), m.entry))
        (parties if m.entry.kind in TITLE_WORD_KINDS else taken).append((m.start, m.end))
        if m.entry.kind == "place":
            places.append((m.start, m.end))
    guidelines = reader.current_guidelines
    if guidelines is not None:
        for m in CONTEXT_GUIDELINES.finditer(text):
            before = text[max(0, m.start() - 12) : m.start()]
            if (
                free(m.start(), m.end())
                and not re.search(r"(\d{4}|Program|Defense)\s*$", before)
                and not QUALIFIER_BEFORE.search(text[: m.start()])
            ):
                found.append(
                    AgreementMention(m.start(), m.end(), reader.ref(guidelines), guidelines)
                )
                taken.append((m.start(), m.end()))
    if last_treaty is not None:
        for m in THE_TREATY.finditer(text):
            if free(m.start(), m.end()):
                found.append(AgreementMention(m.start(), m.end(), last_treaty, None))
    for m in THE_INSTRUMENT.finditer(text):
        ref = (last_named or {}).get(m["head"])
        if ref is not None and free(m.start(), m.end()):
            found.append(AgreementMention(m.start(), m.end(), ref, None))
    titles = ((TITLED_AGREEMENT, "Treaty"), (TITLED_MEMORANDUM, "Agreement"))
    for pattern, cls in (*titles, (QUOTED_TITLE, "PolicyPaper")):
        for m in pattern.finditer(text):
            a, b = m.span("title")
            # The words before "Agreement" may name the parties ("Japan-Russia Agreement on
            # ..."), which are mentions of their own.
            start = text.find("Agreement", a, b) if cls == "Treaty" else a
            if cls == "Treaty" and not _agreement_title(text, a, b):
                continue
            if cls == "Treaty" and any(
                w.islower() and w not in TITLE_SMALL_WORDS for w in text[a:b].split()
            ):
                continue
            # A treaty's parties: those it is "between" ("Agreement between Japan and Germany
            # concerning ..."), else the sides' compound before it ("the Japan-Italy Agreement
            # concerning ...").
            before, between, clause = [], [], None
            if cls == "Treaty":
                before = sides_named(reader, text[a:start])
                clause = BETWEEN_PARTIES.search(text[a:b])
                between = sides_named(reader, clause["parties"]) if clause else []
            if (
                cls == "Treaty"
                and THE_SUBJECT.match(text, start)
                and not before
                # "the Agreement between the Government of Japan and the Government of the
                # Republic of Italy concerning the Transfer of ...": the two it is between
                # (not an ACSA's title, whose versions the lexicon tells apart by their year)
                and (len(between) < 2 or ACSA_TITLE.search(text[a:b]))
            ):
                continue  # "the Agreement concerning the Transfer of ...": each state has one
            sides = party_order(sides_named(reader, text[a:b]))
            if cls == "Agreement" and (
                len(sides) < 2 or len(_memorandum_subject(text[a:b]).split()) < 2
            ):
                continue  # no sides, or a title cut short ("Memorandum on Japan-X Defense")
            # A memorandum names its sides, so what its title is on may be a mention of its
            # own ("... Japan-Vietnam Maritime Security Cooperation"); not another instrument.
            if cls == "Agreement":
                clear = all(b <= f.start or a >= f.end for f in found)
            elif cls == "PolicyPaper":
                # A quoted title may name a place: "The Spirit of Camp David".
                clear = free(start, b, [t for t in taken if t not in places])
            else:
                clear = free(start, b)
            if clear and (cls != "PolicyPaper" or free(a, b, parties)):
                title = sentence.clean[a:b].strip()
                ev = reader.evidence(sentence, "agreement.title")
                ref = Ref("agreement", slugify(title)[:90].strip("-"))
                if cls == "Agreement":
                    ref = Ref("agreement", _memorandum_slug(title, sides))
                if cls == "Treaty":
                    sides = party_order(between if clause else before)
                if cls == "Treaty" and len(sides) > 1:
                    ref = Ref("agreement", _instrument_slug(title, sides))
                if cls == "Agreement" or (cls == "Treaty" and len(sides) > 1):
                    for side in sides:
                        out.add(fact(ref, "party", Ref("state", side), ev))
                out.add(Entity(ref, cls, title, evidence=ev))
                found.append(AgreementMention(a, b, ref, None))
                taken.append((a, b))
    for m in SIDED_INSTRUMENT.finditer(text):
        a, b = m.span("title")
        sides = party_order(sides_named(reader, m["sides"]))
        if len(sides) < 2 or not free(a, b) or not free(a, b, [(f.start, f.end) for f in found]):
            continue
        if _names_versioned(reader, text[a:b]):
            continue  # "the Japan-Australia Acquisition and Cross-Servicing Agreement": which one
        title = sentence.clean[a:b].strip()
        ev = reader.evidence(sentence, "agreement.title")
        ref = Ref("agreement", _instrument_slug(title, sides))
        for side in sides:
            out.add(fact(ref, "party", Ref("state", side), ev))
        out.add(Entity(ref, "Treaty", title, (m["acr"],) if m["acr"] else (), evidence=ev))
        found.append(AgreementMention(a, m.end(), ref, None))
        taken.append((a, m.end()))
    found.sort(key=lambda x: x.start)
    # "the new Guidelines for Japan-U.S. Defense Cooperation, which replace ...": the short
    # form's title runs on after it.
    for i, m in enumerate(found):
        tail = GUIDELINES_TAIL.match(text, m.end)
        if tail and text[m.start : m.end].endswith("Guidelines"):
            found[i] = AgreementMention(m.start, tail.end(), m.ref, m.entry)
    return _coalesce(text, found)


# The parties a title names: "between the Government of Japan and the Government of the
# Republic of the Philippines concerning ...".
BETWEEN_PARTIES = re.compile(
    r"\bbetween\s+(?P<parties>.{3,120}?)(?:\s+(?:concerning|on|regarding|relating|for|to)\b"
    # "the Agreement concerning the Transfer of ... between Japan and Italy"
    r"|$)"
)


ACSA_TITLE = re.compile(r"\bSupplies\s+and\s+Services\b", re.IGNORECASE)


def party_order(sides) -> list[str]:
    """An instrument's parties in the order its IRI and label name them: Japan, then the
    others alphabetically."""
    return sorted(sides, key=lambda side: (side != "japan", side))


def _memorandum_slug(title: str, sides: list[str]) -> str:
    """A memorandum's IRI slug from its sides and its subject, however the title prints them:
    "Memorandum on Japan-Spain Defense Cooperation and Exchanges", "Memorandum regarding
    Japan-Spain defense cooperation and exchanges" and "Memorandum on Defense Cooperation and
    Exchanges between the Ministry of Defense of Japan and the Ministry of Defence of Spain" are
    one (the last runs past what a truncated IRI can tell apart)."""
    kind = MEMORANDUM_HEAD.match(title)
    subject = _memorandum_subject(title)
    return _sided_slug([*sides, "memorandum", (kind["kind"] or "") if kind else "", "on", subject])


def _names_versioned(reader: Reader, title: str) -> bool:
    """Whether a title without a year is the name of instruments the lexicon tells apart by
    theirs ("Japan-Australia Acquisition and Cross-Servicing Agreement (2010)" and "(2017)"),
    however a PDF prints its hyphens ("Crossservicing")."""

    def letters(name: str) -> str:
        return re.sub(r"[^a-z]", "", re.sub(r"\s*\(\d{4}\)$", "", name).lower())

    wanted = letters(fold(title))
    return any(
        letters(fold(name)) == wanted
        for entry in reader.lexicon
        if entry.kind == "agreement"
        for name in (entry.label, *entry.aliases)
    )


def _instrument_slug(title: str, sides: list[str]) -> str:
    """An agreement's IRI slug from its parties and what its title says after them, however
    the title prints them: "the Japan-Italy Agreement concerning the Transfer of Defence
    Equipment and Technology", "the Agreement between Japan and Italy concerning the Transfer
    of Defense Equipment and Technology" and "the Agreement concerning the Transfer of ..."
    that Japan and Italy signed are one."""
    rest = re.sub(r"^(?:the\s+)?(?:[A-Z][\w.]*-)+[A-Z][\w.]*\s+", "", fold(title))
    rest, leading = re.subn(
        r"\s+between\s+.{3,120}?\s+(?=concerning|on|regarding|relating|for|to)\b", " ", rest
    )
    if not leading:  # the parties printed last: "... Technology between Japan and Italy"
        rest = re.sub(r"\s+between\s+.{3,120}$", "", rest)
    # "Agreement on the Transfer of ..." and "Agreement concerning the Transfer of ..." are one
    rest = re.sub(r"\b(Agreement|Arrangement)\s+(?:on|regarding)\s+", r"\1 concerning ", rest)
    return _sided_slug([*sides, rest])


def _sided_slug(words: list[str]) -> str:
    """The IRI slug of an instrument named by its sides and what it is on, one in either
    spelling ("Defence", "Defense")."""
    return slugify(" ".join(words).replace("Defence", "Defense"))[:90].strip("-")


MEMORANDUM_HEAD = re.compile(
    r"^Memorandum(?:\s+of\s+(?P<kind>Understanding|Cooperation))?\s+"
    r"(?:on|concerning|regarding|between)\s+(?:(?:[A-Z][\w.]*-)+[A-Z][\w.]*\s+)?"
)


def _memorandum_subject(title: str) -> str:
    """What a memorandum is on, without its sides: "Defense Cooperation and Exchanges" of the
    "Memorandum on Japan-Spain Defense Cooperation and Exchanges" (a row of a chronology table
    can cut it short: "Memorandum on Japan-Philippines Defense")."""
    after = re.search(r"\s+between\s+.*?\s+(?:on|concerning|regarding)\s+(.+)$", title)
    if after:  # "... between the Ministry of Defense of Japan and ... on Co-Production of ..."
        return after[1]
    head = re.split(r"\s+between\s+", title)[0]
    subject = MEMORANDUM_HEAD.sub("", head, count=1)
    return "" if subject.startswith("Memorandum") else subject


# "Agreement concerning the Transfer of ...": a subject after "the", which only a title that
# names its parties before it ("the Japan-Italy Agreement concerning the ...") makes one
# instrument's.
THE_SUBJECT = re.compile(r"Agreement\s+\w+\s+the\s")


def _agreement_title(text: str, a: int, b: int) -> bool:
    """Whether a phrase "... Agreement between/on ..." is an agreement's name: not the parties
    alone ("an Agreement between Japan and U.S. to amend ..."), nor part of another document's
    name ("Khartoum Declaration of Agreement on South Sudan")."""
    title = text[a:b]
    between = re.search(r"\bAgreement\s+between\b", title)
    if between and not re.search(
        r"\s(?:concerning|regarding|on|for)\s", title[between.end() :], re.I
    ):
        return False
    return not re.search(r"\bof\s+$", text[max(0, a - 4) : a])


def _coalesce(text: str, found: list[AgreementMention]) -> list[AgreementMention]:
    """One mention for a name followed by its short form in parentheses:
    "the Agreement between ... Concerning ... (the Guam International Agreement)"."""
    out: list[AgreementMention] = []
    for m in found:
        if (
            out
            and out[-1].ref == m.ref
            and re.fullmatch(r"\s*\(\s*(?:the\s+)?", text[out[-1].end : m.start])
        ):
            close = text.find(")", m.end)
            end = close + 1 if close != -1 and close - m.end <= 2 else m.end
            out[-1] = AgreementMention(out[-1].start, end, m.ref, m.entry or out[-1].entry)
        else:
            out.append(m)
    return out


def _date_near(
    text: str, pos: int, dates: list[DateMention], limit: int = 70
) -> DateMention | None:
    """The first date after pos within limit characters, not past a clause break; a bare
    year printed after a name ("... and the new Japan-U.S. Security Treaty 1968 (Ogasawara
    Islands ...") opens the next row of a chronology, it does not date this one."""
    for d in dates:
        if d.start >= pos and d.datatype == "gYear" and not YEAR_LEAD.search(text[: d.start]):
            continue
        if d.datatype == "gYear" and re.match(r"\s+[A-Z]", text[d.end :]):
            continue  # a year that qualifies a name: "the revision of the 1997 Guidelines"
        if d.start >= pos:
            gap = text[pos : d.start]
            # ", and December 2015, saw ...": a date right after ", and" opens another clause.
            if d.start - pos <= limit and not re.search(
                r"[;]|,\s+(?:and\s+)?(?:the|it|they|which|that|who)\b|,\s+and\s*$", gap
            ):
                return d
            return None
    return None


YEAR_LEAD = re.compile(
    r"(?:\b(?:in|on|of|since|by|from|until|at|to|and|through|or|the end of|early|late|mid)"
    r"\s+(?:the\s+)?(?:year\s+|fiscal\s+year\s+|FY\s?)?|[,(\u2013-]\s*|^\s*)$",
    re.IGNORECASE,
)


def lead_date(text: str, dates: list[DateMention]) -> DateMention | None:
    """The date a sentence opens with ("In November 2015, ...", "On ..., "), if any."""
    if dates and dates[0].start < 30:
        before = text[: dates[0].start]
        # "Today, the SCC approved ...": the dateline's date (Reader.dates)
        today = not before.strip() and text[dates[0].start : dates[0].end].lower() == "today"
        if today or SENTENCE_DATE.match(before):
            return dates[0]
    return None


# Verbs before an agreement (active voice or a nominalisation): (pattern, property, how far
# after the agreement its date may stand). A nominalisation carries its date further
# ("finalization of the Roadmap, a program for ..., in May 2006").
# "the SCC approved and released the new Guidelines": one object for both verbs.
ALSO_RELEASED = r"(?:and\s+(?:released|issued|published|announced)\s+)?"
DETERMINED = r"\b(?:the|its|their)\s+(?:[\w,]+\s+){0,3}?"
LIFECYCLE = (
    # Not "signed the new Japan-Australia Joint Declaration ...": a new version the lexicon
    # may not list, whose date would go to the old one.
    (re.compile(r"\bsigned\s+(?:the\s+)?$"), "signedOn", 70),
    (re.compile(r"\bconclusion\s+of\s+(?:the\s+)?$"), "signedOn", 130),
    # "the signing of", "its entry into force", "the April 15, 1996 signature of": a noun with
    # its determiner (PDF columns run together print "from signing of ...").
    (re.compile(rf"{DETERMINED}(?:signature|signing)\s+of\s+(?:the\s+)?$"), "signedOn", 130),
    (
        re.compile(rf"{DETERMINED}entry\s+into\s+force\s+of\s+(?:the\s+)?$"),
        "enteredIntoForceOn",
        130,
    ),
    (
        re.compile(
            r"\b(?:formulation|finalization|adoption|issuance|release|announcement)\s+of\s+"
            r"(?:(?:the|its|their)\s+)?(?:(?:new|revised|updated|first)\s+)?$"
        ),
        "formulatedOn",
        130,
    ),
    (
        re.compile(
            r'\b(?:announced|formulated|adopted|released|issued)\s+"?'
            r'(?:(?:[Tt]he|its|their|a)\s+)?(?:(?:new|revised|updated|first)\s+)?"?$'
        ),
        "formulatedOn",
        70,
    ),
    (
        re.compile(
            rf"\bapproved\s+{ALSO_RELEASED}(?:(?:the|its|their|a)\s+)?"
            r"(?:aforementioned\s+|new\s+|revised\s+)?$"
        ),
        "approvedOn",
        70,
    ),
)
# A document named after the date it bears: "the October 29, 2005 SCC document "...""
DATED_DOCUMENT = re.compile(
    r"(?:[A-Z][\w.+\"-]*\s+)?(?:document|report|joint\s+statement|statement)\s*,?\s*[\"\u201c]?$"
)
# "the 60th anniversary of the signing of the Security Treaty (January 2020)": the date is the
# anniversary's.
ANNIVERSARY = re.compile(r"\banniversary\s+of\s+(?:the\s+)?$", re.IGNORECASE)
# The verbs of a lifecycle step printed as a participle after the name, in parentheses or
# between commas.
STEP_PARTICIPLE = r"(?:approved|adopted|signed|concluded|formulated)"
# A clause after a name, up to its closing comma (a date's own comma inside it): ", approved
# by the Cabinet on December 16, 2022,".
CLAUSE_REST = r"(?:[^,;]|,\s*(?=(?:19|20)\d\d))*,\s*"
STEP_CLAUSE = STEP_PARTICIPLE + r"\s+(?:by|at|in|on)\b" + CLAUSE_REST
ASIDE_LIFECYCLE = re.compile(
    r"[\"\u201d']?\s*\((?P<inner>(?P<verb>" + STEP_PARTICIPLE + r")\b[^()]{0,200})\)",
    re.IGNORECASE,
)
# An agreement named inside another's title: "Protocol Amending the Agreement ...",
# "..., Supplementary to the Agreement under Article VI ...": the date after is the other's.
INSIDE_TITLE = re.compile(
    r"(?:Supplementary\s+to|Amending|to\s+Amend|Implementing)\s+(?:the\s+)?$", re.I
)
PASSIVE = (
    (
        re.compile(
            r"^[\s,]*(?:which\s+|that\s+)?(?:was\s+|were\s+|is\s+|are\s+)?(?:signed\s+and\s+)?(?:entered|enters|entering)\s+into\s+force"
        ),
        "enteredIntoForceOn",
    ),
    (
        re.compile(r"^[\s,]*(?:which\s+|that\s+)?(?:was\s+|were\s+|is\s+|are\s+)signed\b"),
        "signedOn",
    ),
    (
        re.compile(
            r"^[\s,]*(?:which\s+|that\s+)?(?:was\s+|were\s+)?(?:formulated|finalized|adopted|issued|announced|released)\b"
        ),
        "formulatedOn",
    ),
    (re.compile(r"^[\s,]*(?:which\s+|that\s+)?(?:was\s+|were\s+)approved\b"), "approvedOn"),
    # "The National Defense Strategy, approved by the Cabinet in December 2022, replaced ..."
    (re.compile(r"^\s*,\s*approved\s+(?:by|at|in|on)\b"), "approvedOn"),
    # "The Japan-U.K. Reciprocal Access Agreement, signed in January 2023, entered into ..."
    (re.compile(r"^\s*,\s*signed\s+(?:in|on)\b"), "signedOn"),
    (re.compile(r"^[\s,]*(?:which\s+|that\s+)?(?:was\s+|were\s+)revised\b"), "revisedOn"),
)


# A second lifecycle step joined to the first one's date ("was signed on January 7, 2022, and
# entered into force ...", "the signing of the new SMA on January 7, 2022, which entered ...").
CHAINED = re.compile(
    r"[\s,]*(?:and|but|which)\s+(?:it\s+)?(?:then\s+|later\s+|subsequently\s+)?(?:was\s+|were\s+)?"
    r"(?P<verb>signed|entered\s+into\s+force|approved|revised|took\s+effect)\b"
)
# The property each lifecycle verb (its first word) states.
VERB_PROPS = {
    "signed": "signedOn",
    "concluded": "signedOn",
    "entered": "enteredIntoForceOn",
    "took": "enteredIntoForceOn",
    "approved": "approvedOn",
    "adopted": "approvedOn",
    "formulated": "formulatedOn",
    "issued": "formulatedOn",
    "revised": "revisedOn",
}
# "the Special Measures Agreement concerning Host Nation Support was signed": what the
# agreement concerns, between its name and its predicate.
CONCERNING = r"(?:\s*(?:concerning|regarding)\s+(?:the\s+)?(?:[A-Z][\w.-]*\s+){0,5}[A-Z][\w.-]*)?"
RELATIVE_OPEN = re.compile(r"^\s*(?:\([^()]*\)\s*)*,\s*(?:which|that)\b[^,;]*$")
RELATIVE_CLAUSE = re.compile(r"^,\s*(?:(?:which|that)\b" + CLAUSE_REST + "|" + STEP_CLAUSE + ")")
LIST_JOIN = re.compile(r"(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?(?:new\s+)?")
# A participle clause between a name and its verb: ", approved by the Cabinet in December 2022,"
PARTICIPLE = r"(?:,?\s*" + STEP_CLAUSE + ")?"
# The parties printed after a name ("the Reciprocal Access Agreement between Australia and
# Japan entered into force ..."): the name's predicate comes after them.
NAME = r"(?:the\s+)?[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3}"
PARTIES = rf"(?:\s*\bbetween\s+{NAME}\s+and\s+{NAME}\b)?"
PARENTHESES = re.compile(r"^[\s)\]\"']*(?:\([^()]*\)\s*)*" + PARTIES + CONCERNING)


def _inside_relative(text: str, mentions: list[AgreementMention], i: int) -> bool:
    """True for the object of another mention's relative clause: in "The new Guidelines,
    which replace the 1997 Guidelines, were approved", the 1997 Guidelines were not."""
    if i == 0:
        return False
    gap = text[mentions[i - 1].end : mentions[i].start]
    return bool(RELATIVE_OPEN.match(gap)) and text[mentions[i].end :].lstrip().startswith(",")


def predicate_texts(text: str, m: AgreementMention) -> list[tuple[int, str]]:
    """Where a mention's predicate may start: right after it (past parentheses), and past a
    relative clause that describes it. (position, text from there)"""
    skip = PARENTHESES.match(text[m.end :])
    pos = m.end + skip.end() if skip else m.end
    out = [(pos, text[pos:])]
    clause = RELATIVE_CLAUSE.match(text[pos:])
    if clause:
        out.append((pos + clause.end(), text[pos + clause.end() :]))
    return out


def lifecycle_facts(
    reader: Reader,
    sentence: Sentence,
    mentions: list[AgreementMention],
    out: Extraction,
    context: DateMention | None = None,
) -> None:
    """Dated lifecycle facts: signedOn, enteredIntoForceOn, approvedOn, formulatedOn, revisedOn."""
    if rows_run_together(sentence.clean):
        return  # which year goes with which row of the chronology is lost
    text = fold(sentence.clean)
    dates = reader.dates(sentence, context, text)
    sentence_date = lead_date(text, dates)
    ev = reader.evidence(sentence, "agreement.lifecycle")
    listed: tuple[str, DateMention, int] | None = None  # the step a list shares, its end
    for i, m in enumerate(mentions):
        before = text[max(0, m.start - 60) : m.start]
        if _new_version(reader, text, m, before, dates, sentence_date, ev, out):
            listed = None
            continue
        # "the October 29, 2005 SCC document "U.S.-Japan Alliance: ..."": the date it bears
        noun = DATED_DOCUMENT.search(before)
        if noun is not None:
            start = m.start - len(before) + noun.start()
            printed = next((d for d in dates if start - 2 <= d.end <= start), None)
            if printed is not None:
                out.add(fact(m.ref, "formulatedOn", date_lit(printed), ev))
        stepped = False
        for pattern, prop, reach in LIFECYCLE:
            hit = pattern.search(before)
            if hit and not ANNIVERSARY.search(before[: hit.start()]):
                # "the April 15, 1996 signature of the Agreement ...", "(1997) approved the
                # ...": the date printed with the noun or right before the verb
                start = m.start - len(before) + hit.start()
                date = (
                    next((d for d in dates if start - 2 <= d.end <= m.start), None)
                    or _date_near(text, m.end, dates, reach)
                    or sentence_date
                )
                if date is not None:
                    out.add(fact(m.ref, prop, date_lit(date), ev))
                    listed, stepped = (prop, date, m.end), True
                    if date.start > m.end:  # "the signing of X on ..., which entered into ..."
                        _chained_steps(text, m.ref, date.end, date, dates, ev, out)
        # "approved the new National Security Strategy, the National Defense Strategy and the
        # Defense Buildup Program": each name of the list the verb governs.
        if not stepped and listed is not None and LIST_JOIN.fullmatch(text, listed[2], m.start):
            out.add(fact(m.ref, listed[0], date_lit(listed[1]), ev))
            listed = (listed[0], listed[1], m.end)
        elif not stepped:
            listed = None
        aside = ASIDE_LIFECYCLE.match(text, m.end)
        if aside is not None and not INSIDE_TITLE.search(before):
            # '"On National Security Strategy" (approved by the National Security Council and
            # the Cabinet on December 17, 2013, ...)': the step in parentheses after the name.
            inner = [d for d in dates if aside.start("inner") <= d.start < aside.end("inner")]
            if inner:
                prop = VERB_PROPS[aside["verb"].lower()]
                out.add(fact(m.ref, prop, date_lit(inner[0]), ev))
        if _inside_relative(text, mentions, i):
            continue
        for start, rest in predicate_texts(text, m):
            for pattern, prop in PASSIVE:
                hit = pattern.match(rest)
                if not hit:
                    continue
                near = _date_near(text, start + hit.end(), dates)
                date = near or sentence_date
                if date is not None:
                    out.add(fact(m.ref, prop, date_lit(date), ev))
                if prop == "enteredIntoForceOn" and "signed" in hit.group() and date is not None:
                    out.add(fact(m.ref, "signedOn", date_lit(date), ev))
                # "was signed in January 2022 and entered into force in April 2022"; "In
                # October 2022, ... was signed, and it entered into force in August 2023"
                cursor = near.end if near is not None else start + hit.end()
                _chained_steps(text, m.ref, cursor, date, dates, ev, out)


def _chained_steps(
    text: str,
    ref: Ref,
    cursor: int,
    date: DateMention | None,
    dates: list[DateMention],
    ev: Evidence,
    out: Extraction,
) -> None:
    """The later lifecycle steps joined after one step's date at ``cursor``, each with its
    own date ("..., and entered into force on April 1, 2022"), or the date before ("... and
    entered into force on the same day")."""
    while cursor is not None:
        more = CHAINED.match(text, cursor)
        same = more and SAME_DAY.match(text, more.end())
        near = more and (date if same else _date_near(text, more.end(), dates))
        cursor, date = (near.end, near) if near is not None else (None, date)
        if near is not None:
            verb = more["verb"].split()[0]
            out.add(fact(ref, VERB_PROPS[verb], date_lit(near), ev))
            if same:
                break


# "the two leaders signed the new Japan-Australia Joint Declaration on Security Cooperation": a
# later instrument of the name the lexicon lists without a year.
NEW_VERSION = re.compile(r"\b(?P<verb>signed|concluded|adopted|issued)\s+(?:the\s+|a\s+)?new\s+$")


def _new_version(
    reader: Reader,
    text: str,
    m: AgreementMention,
    before: str,
    dates: list[DateMention],
    sentence_date: DateMention | None,
    ev: Evidence,
    out: Extraction,
) -> bool:
    """A new instrument of a listed name, signed or adopted on the sentence's date: its own
    agreement (the name with the year, the sides its name names as parties) that replaces the
    listed one, whose own dates it leaves alone. True when the mention was read so."""
    new = NEW_VERSION.search(before)
    if new is None or m.entry is None or YEAR_IN_NAME.search(m.entry.label):
        return False
    date = _date_near(text, m.end, dates, 130) or sentence_date
    if date is None:
        return True  # a new version, undated: nothing to say of the listed one
    year = date.value[:4]
    ref = Ref("agreement", f"{m.ref.slug}-{year}")
    out.add(Entity(ref, m.entry.cls, f"{m.entry.label} ({year})", evidence=ev))
    out.add(fact(ref, VERB_PROPS[new["verb"]], date_lit(date), ev))
    out.add(fact(ref, "replaces", m.ref, ev))
    named = reader.resolver.gazetteer.find(m.entry.label, kinds={"state"})
    for side in party_order({x.entry.slug for x in named}):
        out.add(fact(ref, "party", Ref("state", side), ev))
    return True


# "... in line with "On National Security Strategy" (approved by ...), hereby sets forth the
# "National Defense Program Guidelines for FY 2019 and beyond"": the later is based on the
# earlier.
IN_LINE_WITH = re.compile(r"\b[Ii]n\s+(?:line|accordance)\s+with\s+(?:the\s+)?[\"“]?$")
SETS_FORTH = re.compile(
    r"\b(?:hereby\s+)?(?:sets?\s+forth|formulated|formulates|adopted|adopts)\s+(?:the\s+)?"
    r"(?:new\s+)?[\"“]?$"
)


def relation_facts(
    reader: Reader, sentence: Sentence, mentions: list[AgreementMention], out: Extraction
) -> None:
    """replaces, basedOn, approvedBy, recommendedBy between mentions of one sentence."""
    text = fold(sentence.clean)
    ev = reader.evidence(sentence, "agreement.relation")
    actors = [
        m
        for m in reader.mentions(sentence)
        if m.entry.kind in ("mechanism", "organization", "state")
    ]
    for a, b in itertools.pairwise(mentions):
        gap = text[a.end : b.start]
        if a.ref == b.ref:
            continue
        if re.fullmatch(
            r"[\s,]*(?:\([^()]*\)\s*)*"
            + PARTICIPLE
            + r"(?:which|that)?\s*replace[sd]?\s+(?:the\s+)?",
            gap,
        ):
            out.add(fact(a.ref, "replaces", b.ref, ev))
        elif re.fullmatch(
            r"\s*(?:\([^()]*\)\s*)*,?\s*(?:was\s+|were\s+)?replaced\s+by\s+(?:the\s+)?", gap
        ):
            out.add(fact(b.ref, "replaces", a.ref, ev))
        elif re.fullmatch(
            r"\s*(?:\([^()]*\)\s*)*,?\s*(?:which\s+(?:is|was|are|were)\s+)?based\s+on\s+(?:the\s+)?",
            gap,
        ):
            out.add(fact(a.ref, "basedOn", b.ref, ev))
        elif re.fullmatch(r"\s*(?:\([^()]*\)\s*)*,?\s*(?:which\s+)?revise[sd]?\s+(?:the\s+)?", gap):
            out.add(fact(a.ref, "revises", b.ref, ev))

    for b in mentions:
        if not SETS_FORTH.search(text, max(0, b.start - 40), b.start):
            continue
        basis = [
            a
            for a in mentions
            if a.end <= b.start
            and a.ref != b.ref
            and IN_LINE_WITH.search(text, max(0, a.start - 25), a.start)
            and b.start - a.end <= 250
            and ";" not in text[a.end : b.start]
        ]
        if basis:
            out.add(fact(b.ref, "basedOn", basis[-1].ref, ev))
    for m in mentions:
        after = text[m.end : m.end + 80]
        rec = re.match(
            r"^\s*(?:\([^()]*\)\s*)*,?\s*(?:(?:which\s+)?(?:was|were|had\s+been|has\s+been)\s+)?"
            r"recommended\s+by\s+(?:the\s+)?",
            after,
        )
        if rec:
            target = next((x for x in actors if x.start >= m.end + rec.end() - 1), None)
            if target is not None and target.start - (m.end + rec.end()) <= 2:
                out.add(fact(m.ref, "recommendedBy", reader.ref(target.entry), ev))
        before = text[max(0, m.start - 40) : m.start]
        if re.search(rf"\bapproved\s+{ALSO_RELEASED}(?:the\s+)?(?:aforementioned\s+)?$", before):
            approver = _approver(reader, text, actors, m.start)
            if approver is not None:
                out.add(fact(m.ref, "approvedBy", approver, ev))
        if _inside_relative(text, mentions, mentions.index(m)):
            continue
        for start, rest in predicate_texts(text, m):
            passive = re.match(
                r"^\s*(?:(?:was|were)\s+|,\s*)approved\s+(?:by|at)\s+(?:the\s+)?", rest
            )
            if passive:
                approver = _approver(
                    reader, text, actors, len(text), after_pos=start + passive.end()
                )
                if approver is not None:
                    out.add(fact(m.ref, "approvedBy", approver, ev))


def _approver(
    reader: Reader, text: str, actors, verb_pos: int, after_pos: int | None = None
) -> Ref | None:
    """The mechanism that approved: the actor named before the verb, or the '2+2' meeting after."""
    scc = reader.lexicon.get("mechanism/security-consultative-committee")
    if after_pos is not None:
        following = [a for a in actors if a.start >= after_pos - 1]
        if following and following[0].start - after_pos <= 3:
            return reader.ref(following[0].entry)
        if scc is not None and "2+2" in text[after_pos : after_pos + 20]:
            return reader.ref(scc)
        return None
    preceding = [a for a in actors if a.end <= verb_pos and a.entry.kind == "mechanism"]
    if preceding:
        return reader.ref(preceding[-1].entry)
    if scc is not None and "2+2" in text[:verb_pos]:
        return reader.ref(scc)
    return None


OF_TREATY = re.compile(r"\s+of\s+the\s+(?:[A-Z][\w.]*-[A-Z][\w.]*\s+)?")


def article_spans(
    reader: Reader,
    sentence: Sentence,
    mentions: list[AgreementMention],
    ev: Evidence,
    out: Extraction,
) -> list[tuple[int, int, Ref]]:
    """Treaty articles named in a sentence: (start, end, article) with the treaty's name."""
    text = fold(sentence.clean)
    found = []
    for m in ARTICLE.finditer(text):
        lexicon_article = next(
            (
                x
                for x in reader.mentions(sentence)
                if x.entry.kind == "article" and x.start <= m.start() < x.end
            ),
            None,
        )
        if lexicon_article is not None:
            # "Article V of the U.S.-Japan Treaty of Mutual Cooperation and Security extends
            # to ...": the span runs over its own treaty's name
            end = lexicon_article.end
            of = OF_TREATY.match(text, end)
            treaty = next((a for a in mentions if of and a.start == of.end()), None)
            if treaty is not None and lexicon_article.entry.parent == str(treaty.ref):
                end = treaty.end
            found.append((m.start(), end, reader.ref(lexicon_article.entry)))
            continue
        treaty = next((a for a in mentions if 0 <= a.start - m.end() <= 1), None)
        if treaty is not None:
            article = _article_ref(reader, treaty, roman_to_int(m["num"]), ev, out)
            found.append((m.start(), treaty.end, article))
    return found


def article_refs_in(
    reader: Reader,
    sentence: Sentence,
    mentions: list[AgreementMention],
    ev: Evidence,
    out: Extraction,
) -> list[Ref]:
    return [ref for _, _, ref in article_spans(reader, sentence, mentions, ev, out)]


# What could bring an article into play: "a cyber attack could, in certain circumstances,
# constitute an armed attack for the purposes of Article V", "attacks to, from, or within space
# present a clear challenge ... and could, in certain circumstances, lead to the invocation of
# Article V".
_INVOKE = (
    r"(?:could|may|might),?(?:\s+in\s+certain\s+circumstances,)?\s+(?:constitute\s+an\s+armed"
    r"\s+attack\s+for\s+the\s+purposes\s+of|lead\s+to\s+the\s+invocation\s+of)\s*$"
)
MAY_INVOKE = re.compile(
    r"(?:^|[,;]\s*|that\s+)(?:an?\s+)?(?!(?:and|but|which|it|this)\b)(?P<x>[a-z][a-z\s-]{2,40}?)\s+"
    + _INVOKE
)
ATTACKS_MAY_INVOKE = re.compile(
    r"(?:^|[,;]\s*|that\s+)(?P<x>attacks?\s+(?:to|from|within|against|on|in)\b[a-z\s,-]{0,40}?)"
    r"\s+(?:(?:present|pose|are|is)\b[^;.]{0,80}?\s+and\s+)?" + _INVOKE
)


def article_facts(
    reader: Reader, sentence: Sentence, mentions: list[AgreementMention], out: Extraction
) -> None:
    """What the text says treaty articles apply to, or may apply to."""
    text = fold(sentence.clean)
    ev = reader.evidence(sentence, "article.application")
    for start, end, article in article_spans(reader, sentence, mentions, ev, out):
        tail = text[end : end + 200]
        applies = re.match(
            r"^\s*(?:\([^()]*\)\s*)?(?:would\s+|will\s+|also\s+)?"
            r"(?:appl(?:y|ies)\s+to|extends?\s+to|covers?)\s+(?:the\s+)?",
            tail,
        )
        if applies:
            target = _target_after(reader, sentence, end + applies.end(), ev, out)
            if target is not None:
                out.add(fact(article, "appliesTo", target, ev))
        could = ATTACKS_MAY_INVOKE.search(text[:start]) or MAY_INVOKE.search(text[:start])
        if could:
            phrase = could["x"].strip()
            ref = Ref("issue", slugify(phrase))
            out.add(Entity(ref, "Issue", phrase[0].upper() + phrase[1:], evidence=ev))
            out.add(fact(article, "mayApplyTo", ref, ev))


def _article_ref(
    reader: Reader, treaty: AgreementMention, number: int, ev: Evidence, out: Extraction
) -> Ref:
    for e in reader.lexicon.of_kind("article"):
        if e.parent == str(treaty.ref) and e.number == number:
            return reader.ref(e)
    ref = Ref("article", f"{treaty.ref.slug}-article-{number}")
    label = treaty.entry.label if treaty.entry else treaty.ref.slug.replace("-", " ")
    out.add(Entity(ref, "TreatyArticle", f"Article {number} of the {label}", evidence=ev))
    out.add(fact(ref, "articleOf", treaty.ref, ev))
    return ref


def _target_after(
    reader: Reader, sentence: Sentence, pos: int, ev: Evidence, out: Extraction
) -> Ref | None:
    for x in reader.mentions(sentence):
        if pos <= x.start <= pos + 2:
            return reader.ref(x.entry)
    m = re.match(
        r"([A-Za-z][\w\s-]{2,60}?)(?=[,.;]|\s+and\s+that|\s+and\s+both|$)", sentence.clean[pos:]
    )
    if not m:
        return None
    phrase = m.group(1).strip()
    ref = Ref("issue", slugify(phrase))
    out.add(Entity(ref, "Issue", phrase[0].upper() + phrase[1:], evidence=ev))
    return ref


TIMELINE_AGREEMENT = (
    (
        re.compile(
            r"^(?:The\s+)?(?P<a>.+?)\s+(?:is|are|was|were)\s+signed\s+and\s+enters?\s+into\s+force$"
        ),
        ("signedOn", "enteredIntoForceOn"),
    ),
    (re.compile(r"^(?:The\s+)?(?P<a>.+?)\s+(?:is|are|was|were)\s+signed$"), ("signedOn",)),
    (re.compile(r"^(?:The\s+)?(?P<a>.+?)\s+enters?\s+into\s+force$"), ("enteredIntoForceOn",)),
    (re.compile(r"^Formulation\s+of\s+(?:the\s+)?(?P<a>.+?)$"), ("formulatedOn",)),
)
JOINT_DOCUMENT = re.compile(r"^(?P<title>.+?)\s*\((?P<talks>[A-Z][a-z]+-[A-Z][a-z]+)(?: Talks)?\)$")


def timeline_facts(reader: Reader, out: Extraction) -> None:
    """Agreements in chronology table rows: signed, entered into force, formulated, issued."""
    for table in reader.document.tables:
        rows = [reader.document.blocks[i] for i in table.rows]
        if not is_chronology(rows):
            continue
        year = None
        last_treaty: Ref | None = None
        for row in rows:
            first = row.cells[0].clean.strip() if row.cells else ""
            if re.fullmatch(r"(1[89]|20)\d\d", first):
                year = first
            cell = last_cell(row)
            if year is None or cell is None:
                continue
            for i in row.sentences:
                sentence = reader.document.sentences[i]
                if sentence.cell != cell:
                    continue
                last_treaty = _timeline_sentence(reader, sentence, year, last_treaty, out)


def _timeline_sentence(
    reader: Reader, sentence: Sentence, year: str, last_treaty: Ref | None, out: Extraction
) -> Ref | None:
    text = sentence.clean.strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]  # a parenthesised row: context, not an alliance milestone
    ev = reader.evidence(sentence, "agreement.timeline")
    date = DateMention(0, 0, year, "gYear")
    for pattern, props in TIMELINE_AGREEMENT:
        m = pattern.match(text)
        if not m:
            continue
        target = _named_agreement(reader, m["a"], last_treaty)
        if target is None:
            return last_treaty
        for prop in props:
            out.add(fact(target, prop, date_lit(date), ev))
        entry = reader.lexicon.get(str(target))
        return target if entry is None or entry.cls == "Treaty" else last_treaty
    doc = JOINT_DOCUMENT.match(text)
    if doc and "Talks" not in doc["title"]:
        title = doc["title"].strip()
        target = _named_agreement(reader, title, None)
        if target is None:
            target = Ref("agreement", slugify(f"{year}-{title}-{doc['talks']}")[:90].strip("-"))
            out.add(Entity(target, "JointStatement", f"{title} ({doc['talks']})", (title,), ev))
        out.add(fact(target, "formulatedOn", date_lit(date), ev))
        for surname in doc["talks"].split("-"):
            people = reader.resolver.by_surname(surname, int(year))
            if len(people) == 1:
                out.add(fact(target, "party", reader.ref(people[0]), ev))
    return last_treaty


def _named_agreement(reader: Reader, phrase: str, last_treaty: Ref | None) -> Ref | None:
    phrase = phrase.strip()
    if re.fullmatch(r"(?:the\s+)?treaty", phrase, re.IGNORECASE):
        return last_treaty
    found = [m for m in reader.resolver.gazetteer.find(phrase) if m.entry.kind == "agreement"]
    if found and found[0].start <= 4:
        return reader.ref(found[0].entry)
    return None


def dateline_facts(reader: Reader, out: Extraction) -> None:
    """The date a policy document or agreement prints under or in its own title ("National
    Defense Program Guidelines for FY 2019 and Beyond" / "December 18, 2018") is the date it
    was formulated (rule ``agreement.dateline``). A joint statement's date is its meeting's."""
    subject = reader.subject_agreement
    if subject is None or subject.cls == "JointStatement" or reader.dateline is None:
        return
    sentence, date = reader.dateline
    ev = reader.evidence(sentence, "agreement.dateline")
    out.add(fact(reader.ref(subject), "formulatedOn", date_lit(date), ev))


def extract_agreements(reader: Reader, out: Extraction) -> None:
    dateline_facts(reader, out)
    timeline_facts(reader, out)
    last_treaty: Ref | None = None
    # The instrument last named by each head noun, and the block it was named in: "the
    # Agreement" refers to it in that paragraph and the next one only.
    last_named: dict[str, Ref] = {}
    named_in = -1
    for sentence in reader.sentences():
        if reader.document.blocks[sentence.block].kind == "table_row" and sentence.cell == 2:
            continue
        if sentence.block - named_in > 1:
            last_named = {}
        memorandum_facts(reader, sentence, out)
        signatory_facts(reader, sentence, out)
        mentions = agreement_mentions(reader, sentence, out, last_treaty, last_named)
        if not mentions and "Article" not in sentence.clean:
            continue
        lifecycle_facts(reader, sentence, mentions, out, reader.context_date(sentence))
        relation_facts(reader, sentence, mentions, out)
        article_facts(reader, sentence, mentions, out)
        text = fold(sentence.clean)
        for m in mentions:
            if m.entry is not None and m.entry.cls == "Treaty":
                last_treaty = m.ref
            # The head noun as printed, or the lexicon's name's for an acronym ("the RAA")
            head = HEAD_NOUN.search(text, m.start, m.end) or (
                HEAD_NOUN.search(m.entry.label) if m.entry is not None else None
            )
            if head is not None:
                last_named[head.group()] = m.ref
                named_in = sentence.block


# "Japan signed a memorandum on defense exchanges with Bahrain in April 2012, with Qatar in
# February 2015, and with Saudi Arabia in September 2016", "a memorandum regarding defense
# cooperation and exchange was signed with the Philippines in January 2015".
SIGNED_MEMORANDUM = re.compile(
    r"\b(?:(?P<active>signed|concluded)\s+)?(?:[Aa]n?)\s+memorandum\s+"
    r"(?:of\s+(?:understanding|cooperation)\s+)?(?:on|regarding|concerning)\s+"
    r"(?P<subject>[a-z][a-z ,]*?[a-z])\s+"
    r"(?:(?:was|were)\s+(?P<passive>signed|concluded)\s+)?with\s+"
)
WITH_STATE = re.compile(r"(?:,?\s+(?:and\s+)?with\s+|\s+and\s+)?")


def memorandum_facts(reader: Reader, sentence: Sentence, out: Extraction) -> None:
    """Memoranda a sentence says were signed with a state, the subject in lower case and the
    parties after it (rule ``agreement.memorandum``): an ``akg:Agreement`` per state, with the
    state that signed it (the sentence's subject, Japan in a passive) and the state it was
    signed with as parties, dated by the date after each state when one follows."""
    text = fold(sentence.clean)
    signed = [m for m in SIGNED_MEMORANDUM.finditer(text) if m["active"] or m["passive"]]
    if not signed:
        return
    states = [x for x in reader.mentions(sentence) if x.entry.kind == "state"]
    dates = reader.dates(sentence, reader.context_date(sentence))
    ev = reader.evidence(sentence, "agreement.memorandum")
    for m in signed:
        before = [x for x in states if x.end <= m.start()]
        if m["active"] and before and before[-1].entry.slug != "japan":
            signer = before[-1].entry.slug
            if not re.fullmatch(r"\s+(?:has\s+|had\s+)?", text[before[-1].end : m.start()]):
                continue  # not the subject of "signed"
        else:
            signer = "japan"
        pos = m.end()
        while True:
            article = re.match(r"the\s+", text[pos:])
            starts = {pos, pos + article.end()} if article else {pos}
            state = next((x for x in states if x.start in starts), None)
            if state is None or state.entry.slug == signer:
                break
            sides = party_order({signer, state.entry.slug})
            subject = m["subject"]
            ref = Ref("agreement", _memorandum_slug(f"Memorandum on {subject}", sides))
            label = f"Memorandum on {subject} ({'-'.join(state_label(reader, x) for x in sides)})"
            out.add(Entity(ref, "Agreement", label, evidence=ev))
            for side in sides:
                out.add(fact(ref, "party", Ref("state", side), ev))
            pos = state.end
            date = next(
                (d for d in dates if re.fullmatch(r"\s+(?:in|on)\s+", text[pos : d.start])), None
            )
            if date is not None:
                out.add(fact(ref, "signedOn", date_lit(date), ev))
                pos = date.end
            gap = WITH_STATE.match(text, pos)
            if gap is None or gap.end() == pos:
                break
            pos = gap.end()


# An instrument whose name does not say between whom, signed by the states or people before
# the verb or with a state after it: "Japan and Malaysia signed the Memorandum on Defense
# Cooperation and Exchanges", "Japan signed the Agreement concerning the Transfer of Defense
# Equipment and Technology with Indonesia in March 2021".
SIGNED_INSTRUMENT = re.compile(
    r"\b(?:signed|concluded)\s+(?:the|a|an)\s+(?P<title>(?P<head>[Mm]emorandum|Agreement|"
    r"[Aa]rrangement)(?:\s+of\s+(?:[Uu]nderstanding|[Cc]ooperation))?\s+"
    r"(?:on|concerning|regarding|Concerning|Regarding)\s+(?P<subject>[\w\s,-]+?))"
    rf"(?=\s+(?:with|between|at|during)\b|\s+(?:in|on)\s+(?:(?:{MONTH_NAME})\b|\d)|\s*[,;.(]|$)"
)
WITH_WHICH = re.compile(r"\bwith\s+which\s+")
WITH_PARTNER = re.compile(r"\s+with\s+(?:the\s+)?")
SIGNER_GLUE = re.compile(r"(?:\s|,|\b(?:and|also|both|then|the|of|jointly)\b)*")
# The subject before "signed": past the date a sentence opens with.
SIGNERS = re.compile(r"(?:^|,\s*)(?P<who>[^,;]+?)\s+(?:has\s+|have\s+|had\s+)?$")


def _signers(
    text: str, verb: int, mentions: list[Mention], people: list[PersonMention]
) -> set[str] | None:
    """The states of the subject of "signed" at ``verb``: states, or people of states, joined
    by "and" ("Japan and Colombia", "Minister of Defense Kono and Minister of Defence Ng Eng
    Hen of Singapore"), or a state and the signer after "with which" ("Singapore became the
    first country in Southeast Asia with which Japan signed ..."). None for a subject that did
    more than sign ("India agreed in April 2017 to provide ... and also concluded")."""
    signers = SIGNERS.search(text, 0, verb)
    if signers is None:
        return None
    lo, hi = signers.span("who")
    sides = set()
    relative = WITH_WHICH.search(text, lo, hi)
    if relative is not None:
        opener = next((m for m in mentions if m.start == lo and m.entry.kind == "state"), None)
        if opener is None:
            return None
        sides.add(opener.entry.slug)
        lo = relative.end()
    states = [m for m in mentions if m.entry.kind == "state" and lo <= m.start < hi]
    persons = [p for p in people if lo <= p.start < hi]
    rest = list(text[lo:hi])
    for x in (*states, *persons):
        rest[x.start - lo : x.end - lo] = " " * (x.end - x.start)
    if not SIGNER_GLUE.fullmatch("".join(rest)):
        return None
    return sides | {m.entry.slug for m in states} | {p.state for p in persons if p.state}


def signatory_facts(reader: Reader, sentence: Sentence, out: Extraction) -> None:
    """Instruments a sentence says two sides signed, when their name does not say which (rule
    ``agreement.signatories``): the signers are the states, or the people of states, that are
    the subject of "signed" and the state after "with"; one agreement per pair, with both as
    parties and the date after the name. An instrument the lexicon lists, or whose title names
    its sides, is the other rules'."""
    text = fold(sentence.clean)
    hits = list(SIGNED_INSTRUMENT.finditer(text))
    if not hits:
        return
    mentions = reader.mentions(sentence)
    people = reader.people(sentence)
    dates = reader.dates(sentence, reader.context_date(sentence))
    for hit in hits:
        a, b = hit.span("title")
        if any(m.start < b and a < m.end for m in mentions if m.entry.kind == "agreement"):
            continue
        if sides_named(reader, text[a:b]) or len(hit["subject"].split()) < 2:
            continue
        sides = _signers(text, hit.start(), mentions, people)
        if sides is None:
            continue
        after = WITH_PARTNER.match(text, b)
        if after is not None:
            partner = next(
                (m for m in mentions if m.start == after.end() and m.entry.kind == "state"), None
            ) or next((p for p in people if p.start == after.end() and p.state), None)
            if partner is None:
                continue
            sides.add(partner.entry.slug if isinstance(partner, Mention) else partner.state)
        if len(sides) != 2:
            continue
        ordered = party_order(sides)
        title = re.sub(r"\s+", " ", sentence.clean[a:b]).strip()
        title = title[0].upper() + title[1:]
        if hit["head"].lower() == "memorandum":
            slug = _memorandum_slug(f"Memorandum on {hit['subject']}", ordered)
        else:
            slug = _instrument_slug(title, ordered)
        ref = Ref("agreement", slug)
        ev = reader.evidence(sentence, "agreement.signatories")
        label = f"{title} ({'-'.join(state_label(reader, x) for x in ordered)})"
        out.add(
            Entity(
                ref,
                "Agreement" if hit["head"].lower() == "memorandum" else "Treaty",
                label,
                evidence=ev,
            )
        )
        for side in ordered:
            out.add(fact(ref, "party", Ref("state", side), ev))
        date = _date_near(text, b, dates) or lead_date(text, dates)
        if date is not None:
            out.add(fact(ref, "signedOn", date_lit(date), ev))


REVISION = re.compile(
    r"\b(?:the\s+)?(?P<verb>revision|review|revising|reviewing|revise|review)\s+(?:of\s+)?"
    r"(?:the\s+)?$",
    re.IGNORECASE,
)
NOUN_AFTER = re.compile(
    r"\s+(?!(?:and|or|to|in|on|of|which|that|was|were|is|are|by|for|with|at|as|from|"
    r"through|under|will|would|has|had|have|since|after|before|toward|towards)\b)[a-z]{3,}"
)
LEAD_BASIS = re.compile(r"^\s*Based\s+on\s+(?P<clause>[^,;]+(?:,\s*(?:and|as well as)\s+[^,;]+)*),")


def revision_refs(reader: Reader, sentence: Sentence, out: Extraction) -> list[Ref]:
    """Revisions named in a sentence ("the revision of the 1997 Guidelines", "to revise the
    1997 Guidelines") as Revision events concerning the agreement; with a sentence-initial
    "Based on A and in line with B," the revision is based on A and B."""
    text = fold(sentence.clean)
    mentions = agreement_mentions(reader, sentence, out)
    refs: list[Ref] = []
    for m in mentions:
        hit = REVISION.search(text[max(0, m.start - 40) : m.start])
        if not hit or NOUN_AFTER.match(text[m.end :]):
            continue  # "review SOFA implementation practices" reviews practices, not SOFA
        ev = reader.evidence(sentence, "agreement.revision")
        start = m.start - (min(40, m.start) - hit.start("verb"))
        surface = sentence.clean[start : m.end]
        target = m.entry.label if m.entry else sentence.clean[m.start : m.end]
        ref = Ref("event", f"revision-of-{m.ref.slug}")
        out.add(Entity(ref, "Revision", f"Revision of the {target}", (surface,), ev))
        out.add(fact(ref, "concerns", m.ref, ev))
        lead = LEAD_BASIS.match(text)
        if lead and m.start > lead.end():
            for basis in mentions:
                if basis.end <= lead.end() and basis.ref != m.ref:
                    out.add(fact(ref, "basedOn", basis.ref, ev))
        refs.append(ref)
    return refs
