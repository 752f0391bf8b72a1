"""Per-document reading context shared by the rules: mentions, people, dates, evidence.

A ``Reader`` wraps one parsed document with caches (each sentence is scanned once for
lexicon mentions and titled people) and the small amount of document knowledge the rules
share: which Guidelines "the Guidelines" means, the document's year, and how to make
statements with evidence.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from ..corpus import YEAR_IN_NAME, Block, Document, Section, Sentence
from ..lexicon import Entry, Lexicon
from ..namespaces import slugify
from .dates import DateMention, find_dates
from .mentions import (
    HONORIFICS,
    Mention,
    PersonMention,
    Resolver,
    TitleIndex,
    choose,
    family_name_first,
    find_people,
    fold,
    normal_title,
)
from .model import MAX_LABEL, Entity, EventKey, Evidence, Fact, Lit, Ref, Statement

# The Guidelines' title, as a heading may print it: "The Guidelines For Japan-U.S. Defense
# Cooperation".
GUIDELINES_TITLE = re.compile(r"Guidelines\s+for\s+Japan-U\.?S\.?\s+Defense\s+Cooperation", re.I)
# A line that dates a document: "December 18, 2018", "Washington, D.C., April 19, 2019".
DATELINE_LENGTH = 80
# A white paper's reference reprinting the Guidelines' text.
REPRINT = re.compile(
    r"Reference\s+\d+\s+(?:The\s+)?Guidelines\s+for\s+Japan-U\.S\.\s+Defense\s+Cooperation"
)
# A capitalised word right before a context form makes it part of another name.
# "the 2007 Joint Declaration": the year the instrument was issued, printed before its form.
YEAR_BEFORE = re.compile(r"\b((?:19|20)\d\d)\s+$")
QUALIFIER_BEFORE = re.compile(r"(?<![.!?:]\s)\b(?!The\b|These\b|This\b|Both\b)[A-Z][\w.'-]*\s+$")
# Whose document a name is: a possessive or adjective of one side, before the name or before a
# list of names it opens ("Japan's new NSS, NDS, and Defense Buildup Program").
SIDE_WORD = re.compile(
    r"\b(?:(?P<japan>Japan['\u2019]s|Japanese)|(?P<us>U\.S\.|(?:the\s+)?United\s+States['\u2019]s?"
    r"|America['\u2019]s|American))(?=\s)"
)
# "Japan's release of its new National Security Strategy": a step of its own document.
LIST_GAP = re.compile(
    r"(?:\s+|,|\b(?:and|new|latest|revised|own|the)\b|[A-Z][\w-]*|\([^()]*\)|"
    r"\b(?:release|formulation|adoption|approval|revision|publication|issuance)\s+of\s+its\b)*"
)
# "Today, the SCC approved ...": the date of the document's dateline (Reader.dates).
TODAY = re.compile(r"\b[Tt]oday\b(?!['\u2019]s)")
# A sentence that opens on the occasion the sentence before dated: "From July 7 to 9, 2024,
# Minister Kihara visited Manila. During the visit, Minister Kihara held ...".
DURING_IT = re.compile(
    r"(?:During|In\s+the\s+course\s+of)\s+(?:the|this|that|his|her|their)\s+"
    r"(?:visit|trip|stay|tour)\b|On\s+(?:this|that)\s+occasion\b"
)
# "on the same day": the date of the sentence before (Reader.dates), or of the step before
# ("... was signed on May 1 and entered into force on the same day").
SAME_DAY = re.compile(r"\s*\b(?:on\s+)?the\s+same\s+(?:day|date)\b", re.IGNORECASE)
LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z]+(?![\w-])")


@dataclass
class Extraction:
    """Statements collected by the rules, in the order made."""

    statements: list[Statement] = field(default_factory=list)
    events: list[EventKey] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # first label given to each entity

    def add(self, statement: Statement) -> None:
        self.statements.append(statement)
        if isinstance(statement, Entity) and statement.label:
            self.labels.setdefault(str(statement.ref), statement.label)

    def extend(self, statements) -> None:
        self.statements.extend(statements)


class Reader:
    """One document plus the lexicon, with cached per-sentence analyses."""

    def __init__(
        self, document: Document, lexicon: Lexicon, resolver: Resolver, titles: TitleIndex
    ) -> None:
        self.document = document
        self.lexicon = lexicon
        self.resolver = resolver
        self.titles = titles
        self._mentions: dict[int, list[Mention]] = {}
        self._people: dict[int, list[PersonMention]] = {}
        self._starts = [s.start for s in document.sentences]
        self._context_dates: dict[int | None, DateMention | None] = {}
        self._reprint_years: dict[int | None, int | None] = {}

    # -- document-level knowledge -------------------------------------------------------
    @property
    def doc_id(self) -> str:
        return self.document.id

    @cached_property
    def year(self) -> int | None:
        """The document's year: the manifest's, or a year in its title."""
        if self.document.info.year:
            return self.document.info.year
        m = YEAR_IN_NAME.search(self.document.info.title)
        return int(m.group()) if m else None

    @cached_property
    def guidelines_by_year(self) -> dict[int, Entry]:
        out = {}
        for e in self.lexicon.of_kind("agreement"):
            if e.cls == "Guidelines":
                m = YEAR_IN_NAME.search(f"{e.slug} {e.label}")
                if m:
                    out[int(m.group())] = e
        return out

    @cached_property
    def subject_agreement(self) -> Entry | None:
        """The agreement a document IS (the 2015 Guidelines text), from its manifest title."""
        title = self.document.info.title
        found = [m.entry for m in self.resolver.gazetteer.find(title, kinds={"agreement"})]
        if not found and GUIDELINES_TITLE.search(title):
            return self.current_guidelines
        return found[0] if len(found) == 1 else None

    @cached_property
    def guidelines(self) -> Entry | None:
        """The Guidelines this document states or describes: itself, or "the Guidelines"."""
        subject = self.subject_agreement
        if subject is not None and subject.cls == "Guidelines":
            return subject
        return self.current_guidelines

    @cached_property
    def current_guidelines(self) -> Entry | None:
        """What "the Guidelines" means here: the latest Guidelines not newer than the document."""
        year = self.current_guidelines_year
        return None if year is None else self.guidelines_by_year[year]

    @cached_property
    def current_guidelines_year(self) -> int | None:
        years = sorted(self.guidelines_by_year)
        if not years:
            return None
        year = self.year or years[-1]
        usable = [y for y in years if y <= year] or years[:1]
        return usable[-1]

    @cached_property
    def common_words(self) -> Counter[str]:
        """How often the document prints each word in lower case: common words, not names."""
        return Counter(LOWER_WORD.findall(self.document.raw))

    @cached_property
    def full_names(self) -> dict[str, dict[str, tuple[int, set[str]]]]:
        """Surname -> the full names the document gives persons the lexicon does not know, each
        with where it first occurs and the titles and posts it comes with, so a person named in
        full once and by surname later is one person."""
        names: dict[str, dict[str, tuple[int, set[str]]]] = {}
        for sentence in self.document.sentences:
            for person in self.people(sentence):
                if person.person is None and len(person.name.split()) > 1:
                    known = names.setdefault(person.surname.lower(), {})
                    _, roles = known.setdefault(person.name, (sentence.start, set()))
                    roles.update(_roles(person))
        return names

    @cached_property
    def names_by_first_word(self) -> dict[str, dict[str, tuple[int, set[str]]]]:
        """First word -> the full names of ``full_names`` that begin with it, for names a text
        shortens to their first word (Malay, Indonesian: "Mohamad Sabu" is "Minister Mohamad")."""
        out: dict[str, dict[str, tuple[int, set[str]]]] = {}
        for names in self.full_names.values():
            for full_name, seen in names.items():
                if not family_name_first(full_name):
                    out.setdefault(full_name.split()[0].lower(), {})[full_name] = seen
        return out

    # -- per-sentence analyses --------------------------------------------------------------
    def sentences(self) -> Iterator[Sentence]:
        return iter(self.document.sentences)

    def mentions(self, sentence: Sentence) -> list[Mention]:
        cached = self._mentions.get(sentence.index)
        if cached is None:
            cached = self.resolver.gazetteer.find(sentence.clean)
            context = self._context_mentions(sentence, cached)
            # "the Japan-U.S. ACSA" names the agreement, not the two states inside its name.
            cached = [m for m in cached if not any(_within(m, c) for c in context)]
            cached = sorted(cached + context, key=lambda m: m.start)
            cached = [
                m
                for m in cached
                if not _indefinite(sentence.clean, m)
                and not _names_a_document(sentence.clean, m)
                and not _bare_name_elsewhere(sentence.clean, m)
            ]
            self._mentions[sentence.index] = cached
        return cached

    def _context_mentions(self, sentence: Sentence, taken: list[Mention]) -> list[Mention]:
        """Context forms ("the Guidelines", "MTDP") outside the gazetteer's mentions, resolved
        by what follows them and by the date of the text."""
        found = []
        text = sentence.clean
        context = self.context_date(sentence)
        default = context.year if context else self.reprint_year(sentence) or self.year
        dates = None
        for start, end, candidates in self.resolver.context_forms.find(text):
            overlapping = [m for m in taken if start < m.end and m.start < end]
            if any(m.entry.kind != "state" or m.start < start or m.end > end for m in overlapping):
                continue
            before = QUALIFIER_BEFORE.search(text[:start])
            if before and not re.search(r"Japan|U\.S\.|States|America", before.group()):
                continue  # "The Four Military Guidelines", "Defense Policy Guidelines": others'
            head = text[start:end].split()[-1].lower()
            if BARE_HEAD.fullmatch(text, start, end) and any(
                m.entry.kind == "agreement"
                and m.end <= start
                and m.entry not in candidates
                and head in m.entry.label.lower().split()
                for m in (*taken, *found)
            ):
                # "... based on the 2008 Joint Declaration on Security Cooperation and the 2009
                # Action Plan ... based on the Declaration": the one the sentence just named
                continue
            printed = YEAR_BEFORE.search(text[:start])
            if printed:
                # "the 2007 Joint Declaration" is not the one the lexicon dates to 1996
                candidates = [c for c in candidates if not c.issued or c.issued[:4] == printed[1]]
            side = (
                side_before(text, start)
                or _sole_subject_state(text, taken)
                or self._administration_side(text[:start])
            )
            if self._issued_by_other(text, end, taken):
                continue
            if side == UNKNOWN_SIDE:
                # "the Cameron administration released the National Security Strategy": a
                # leader the lexicon does not know, so none of the states' own documents
                candidates = [c for c in candidates if c.state is None]
            elif side is not None:
                # "the United States' National Security Strategy" is not Japan's
                candidates = [c for c in candidates if c.state in (None, side)]
            if self._third_party(taken):
                candidates = self._third_party_candidates(candidates, taken)
            if not candidates:
                continue
            if dates is None:
                dates = [
                    d
                    for d in self.dates(sentence, context)
                    if d.year and not any(d.start < m.end and m.start < d.end for m in taken)
                ]
            # "the Guidelines" in a sentence about February 2013 are those then in force; "the
            # new Guidelines" are the latest, whatever the sentence recalls.
            before = [d for d in dates if d.end <= start]
            year = before[-1].year if before else dates[0].year if dates else default
            # "the Quadrennial Defense Review (QDR) released in March 2014": its own date
            own = [d for d in dates if d.start >= end and OWN_DATE.fullmatch(text[end : d.start])]
            if own:
                year = own[0].year
            if re.search(r"\bnew\s+$", text[:start], re.IGNORECASE):
                year = default
            if default is not None and year is not None:
                year = min(year, default)
            if year is not None and NEXT_BEFORE.search(text[max(0, start - 40) : start]):
                year += 1  # "the next planning period for its Mid-Term Defense Program"
            entry = choose(candidates, text[end:], year)
            if entry is not None:
                found.append(Mention(start, end, text[start:end], entry))
        return found

    @staticmethod
    def _issued_by_other(text: str, end: int, taken: list[Mention]) -> bool:
        """Whether the name is said to be issued at or by a third body or state right after it
        ("the Joint Declaration issued after the NATO Summit in July 2016"): theirs."""
        issued = ISSUED_AT.match(text, end)
        if issued is None:
            return False
        at = next((m for m in taken if m.start == issued.end()), None)
        return (
            at is not None
            and at.entry.kind in ("organization", "state")
            and at.entry.side not in DEFAULT_STATES
        )

    def _administration_side(self, before: str) -> str | None:
        """The state of the leader whose administration a sentence names before a document's
        name ("the Obama administration released ..."), ``UNKNOWN_SIDE`` for a leader the
        lexicon does not know ("the Cameron administration"), None when it names none."""
        named = ADMINISTRATION.search(before)
        if named is None or self.resolver.gazetteer.find(named["name"], {"state"}):
            return None
        states = {p.state for p in self.resolver.persons_by_surname.get(named["name"].lower(), [])}
        if not states:
            return UNKNOWN_SIDE
        return states.pop() if len(states) == 1 else None

    def _third_party_candidates(self, candidates: list[Entry], taken: list[Mention]) -> list[Entry]:
        """In a sentence about another state, the instrument it is party to: "the ACSA" in a
        sentence about the Japan-U.K. summit is the Japan-U.K. one; "the General Security of
        Military Information Agreement ... between Japan and India" is neither the Japan-U.S.
        nor the Japan-ROK one."""
        named = {m.entry.slug for m in taken if m.entry.kind == "state"} - set(DEFAULT_STATES)

        def partners(entry: Entry) -> set[str]:
            found = self.resolver.gazetteer.find(entry.label, kinds={"state"})
            return {m.entry.slug for m in found} - set(DEFAULT_STATES)

        keep = [c for c in candidates if partners(c) & named]
        if keep:
            return keep
        if len(candidates) > 1:
            candidates = [c for c in candidates if not _bilateral_us(c)]
        return [c for c in candidates if not partners(c)]

    @staticmethod
    def _third_party(taken: list[Mention]) -> bool:
        """Whether a sentence names a state other than Japan and the United States, and not
        the United States."""
        states = {m.entry.slug for m in taken if m.entry.kind == "state"}
        return bool(states - {"japan", "united-states"}) and "united-states" not in states

    def people(self, sentence: Sentence) -> list[PersonMention]:
        cached = self._people.get(sentence.index)
        if cached is None:
            cached = find_people(
                sentence.clean,
                self.resolver,
                self.titles,
                self.common_words,
                self.year,
            )
            self._people[sentence.index] = cached
        return cached

    def opening_person(self, sentence: Sentence, lead: int = 0) -> PersonMention | None:
        """The titled person a sentence opens with ("Defense Minister Iwaya requested ..."):
        its subject, when it is a person. ``lead`` is where the sentence's own words start
        after a run-in heading or a list number ("(2) Minister Kishi explained ...")."""
        first = self.people(sentence)[:1]
        return (
            first[0] if first and first[0].start <= lead + 6 and not first[0].possessive else None
        )

    @cached_property
    def dateline(self) -> tuple[Sentence, DateMention] | None:
        """The date a document prints under or in its title (a statement's "April 27, 2015"):
        the one full date that ends a short sentence among its first three."""
        for sentence in self.document.sentences[:3]:
            text = sentence.clean
            if len(text) > DATELINE_LENGTH:
                continue
            full = [d for d in find_dates(text) if d.datatype == "date"]
            if len(full) == 1 and full[0].end >= len(text.rstrip(" .")):
                return sentence, full[0]
        return None

    def dates(
        self, sentence: Sentence, context: DateMention | None = None, text: str | None = None
    ) -> list[DateMention]:
        """The dates of a sentence, with "on the same day" and an opening "During the
        visit" as the one date of the sentence before it in the paragraph ("In September 2022,
        the Japan-India "2+2" was held in Tokyo. Minister Hamada held a meeting with Minister
        Singh on the same day.") and "today" as the date of a document's dateline ("Today, the
        SCC approved ...")."""
        text = sentence.clean if text is None else text  # the sentence, folded or not
        found = find_dates(text, context)
        today = TODAY.search(text)
        if (
            today is not None
            and self.dateline is not None
            and not any(d.start < today.start() for d in found)
        ):
            date = self.dateline[1]
            found = [DateMention(today.start(), today.end(), date.value, date.datatype), *found]
        same = SAME_DAY.search(text) or DURING_IT.match(text)
        if same is None or any(d.start < same.start() for d in found) or sentence.index == 0:
            return found
        before = self.document.sentences[sentence.index - 1]
        if before.block != sentence.block:
            return found
        values = {d.value: d for d in find_dates(before.clean, context)}
        if len(values) != 1:
            return found
        (date,) = values.values()
        same_day = DateMention(same.start(), same.end(), date.value, date.datatype)
        return sorted([*found, same_day], key=lambda d: d.start)

    def context_date(self, sentence: Sentence) -> DateMention | None:
        """The full date of the innermost enclosing section whose heading gives one: what
        "last December" or "May 9" in that section is relative to. In a table row that opens
        with a full date (a table of consultations), that date."""
        block = self.document.blocks[sentence.block]
        if block.kind == "table_row" and block.cells:
            opening = opening_date(block.cells[0].clean)
            if opening is not None and opening.datatype == "date":
                return opening
        section = block.section
        if section not in self._context_dates:
            found = None
            for s in reversed(self.document.section_path(section)):
                full = [d for d in find_dates(s.title) if d.datatype == "date"]
                if full:
                    found = full[-1]
                    break
            self._context_dates[section] = found
        return self._context_dates[section]

    def reprint_year(self, sentence: Sentence) -> int | None:
        """The year of the Guidelines a white paper reprints as a reference ("Reference 18 The
        Guidelines for Japan-U.S. Defense Cooperation"): their "National Defense Program
        Guidelines" are those of that year, not of the white paper's."""
        section = self.document.blocks[sentence.block].section
        if section not in self._reprint_years:
            found = None
            for s in reversed(self.document.section_path(section)):
                if REPRINT.match(s.title):
                    m = YEAR_IN_NAME.search(s.title)
                    found = int(m.group()) if m else self.current_guidelines_year
                    break
            self._reprint_years[section] = found
        return self._reprint_years[section]

    def sentence_at(self, start: int) -> Sentence | None:
        """The sentence that starts at a raw offset."""
        i = bisect.bisect_left(self._starts, start)
        if i < len(self._starts) and self._starts[i] == start:
            return self.document.sentences[i]
        return None

    def section_sentences(self, section: Section) -> list[Sentence]:
        """The sentences inside a section (its heading included), in order."""
        lo = bisect.bisect_left(self._starts, section.start)
        hi = bisect.bisect_left(self._starts, section.end)
        return list(self.document.sentences[lo:hi])

    def heading_sentence(self, section: Section) -> Sentence | None:
        block = self.document.blocks[section.heading]
        return self.document.sentences[block.sentences[0]] if block.sentences else None

    # -- statements ---------------------------------------------------------------------------
    def evidence(self, sentence: Sentence, rule: str) -> Evidence:
        return Evidence(self.doc_id, sentence.start, sentence.end, sentence.clean, rule)

    @staticmethod
    def ref(entry: Entry) -> Ref:
        return Ref(entry.kind, entry.slug)

    def label(self, ref: Ref, out: Extraction) -> str:
        """What to call an entity in another's label: its lexicon or extracted label."""
        entry = self.lexicon.get(str(ref))
        if entry is not None:
            return entry.label
        return out.labels.get(str(ref)) or ref.slug.replace("-", " ")

    @cached_property
    def named_persons(self) -> dict[str, list[Entry]]:
        """Surname -> the persons of the lexicon the document names (by full name or a title
        that tells them apart), so that a later mention the lexicon alone cannot resolve
        ("Minister Kishi" after "Minister of Defense KISHI Nobuo") is the one it named."""
        found: dict[str, list[Entry]] = {}
        for sentence in self.document.sentences:
            for person in self.people(sentence):
                if person.person is not None:
                    known = found.setdefault(person.surname.lower(), [])
                    if person.person not in known:
                        known.append(person.person)
        return found

    def _title_fits(self, person: PersonMention, entry: Entry) -> bool:
        """Whether a mention's title may name one of the person's posts: a form of address,
        or words of a post's name ("Minister" of the Minister of Defense; not "Chairman" of a
        President)."""
        if person.post is not None:
            return person.post.key in entry.posts
        words = set(normal_title(person.title).split())
        if words <= HONORIFICS:
            return True
        for key in entry.posts:
            post = self.lexicon.get(key)
            forms = (post.label, *post.titles) if post is not None else ()
            if any(words <= set(normal_title(form).split()) for form in forms):
                return True
        return False

    def person_ref(self, person: PersonMention, ev: Evidence, out: Extraction) -> Ref:
        """The person's Ref; declares the person when the lexicon does not know them."""
        if person.person is not None:
            return self.ref(person.person)
        named = [
            entry
            for entry in self.named_persons.get(person.surname.lower(), [])
            if self._title_fits(person, entry)
        ]
        if len(named) == 1 and person.name == person.surname:
            return self.ref(named[0])
        name = person.name if len(person.name.split()) > 1 else person.surname
        # "Vice Admiral Andrei Ryabukhin" ... "Admiral Ryabukhin". A full name printed only
        # further on (a caption before its text) must not name another role: "Prime Minister
        # Khan" is not the "Dr. A.Q. Khan" of a later page.
        # A family name printed first is shared by many ("Chairman Lee" is not the "President
        # Lee Teng-hui" of an earlier page): such a name needs the same title or post.
        roles = _roles(person)
        full = [
            full_name
            for full_name, (first, known) in self.full_names.get(name.lower(), {}).items()
            if (
                roles & known
                if family_name_first(full_name)
                else first <= ev.start or _same_role(roles, known)
            )
        ]
        # A name without a family name is shortened to its first word: "then Minister of
        # Defense Mohamad Sabu" ... "Defense Minister Mohamad", the nearest such full name under
        # that title, not the "Prime Minister Mahathir Mohamad" of an earlier page.
        if person.name == person.surname:
            by_first = self.names_by_first_word.get(name.lower(), {})
            shortened = [
                (first, full_name)
                for full_name, (first, known) in by_first.items()
                if first <= ev.start and _title_within(roles, known)
            ]
            surnamed = [self.full_names[name.lower()][f][0] for f in full]
            if len(shortened) == 1 and all(f < shortened[0][0] for f in surnamed):
                full = [shortened[0][1]]
        if len(full) == 1:
            name = full[0]
        ref = Ref("person", slugify(name))
        out.add(Entity(ref, "Person", name, evidence=ev))
        return ref


def opening_date(text: str) -> DateMention | None:
    """The date a text opens with (a table row's first cell: "Aug. 28, 2013"), if any."""
    dates = find_dates(text)
    return dates[0] if dates and dates[0].start <= 1 else None


def _roles(person: PersonMention) -> set[str]:
    """What a mention calls a person: its title and the post it names, if any."""
    return {normal_title(person.title)} | ({person.post.key} if person.post else set())


def _title_within(roles: set[str], known: set[str]) -> bool:
    """Whether a mention's title says no more than a title a full name came with: "Defense
    Minister" within "Minister of Defense", not within "Prime Minister"."""
    words = [set(r.split()) - HONORIFICS for r in roles if not r.startswith("post/")]
    forms = [set(k.split()) for k in known if not k.startswith("post/")]
    return any(w and any(w <= f for f in forms) for w in words)


def _same_role(a: set[str], b: set[str]) -> bool:
    """Whether two sets of roles may be one person's: no two different posts, and not a mere
    form of address ("Dr.", "Mr.") on one side against an office on the other."""
    posts_a, posts_b = (
        {r for r in a if r.startswith("post/")},
        {r for r in b if r.startswith("post/")},
    )
    if posts_a and posts_b and not posts_a & posts_b:
        return False
    plain_a, plain_b = a - posts_a <= HONORIFICS, b - posts_b <= HONORIFICS
    return plain_a == plain_b


def side_before(text: str, start: int) -> str | None:
    """The side ("japan", "united-states") whose possessive or adjective qualifies the name at
    ``start``, directly or as the head of a list of names; None when none does.

    >>> text = "Japan's new NSS, and the United States' NSS and NPR"
    >>> side_before(text, text.index("NSS")), side_before(text, text.index("NPR"))
    ('japan', 'united-states')
    >>> side_before("U.S. forces support the NDPG", 24) is None
    True
    """
    found = list(SIDE_WORD.finditer(text, max(0, start - 150), start))
    last = found[-1] if found else None
    if last is None or not LIST_GAP.fullmatch(text, last.end(), start):
        return None
    return "japan" if last["japan"] else "united-states"


# "the Joint Declaration issued after the NATO Summit": who issued it.
ISSUED_AT = re.compile(
    r"\s*,?\s*(?:which\s+was\s+)?(?:issued|adopted|released|signed)\s+(?:after|at|by|during)"
    r"\s+(?:the\s+)?"
)
# "the Obama administration", "the Cameron administration": a leader's government.
ADMINISTRATION = re.compile(r"\b(?P<name>[A-Z][a-z]+)\s+[Aa]dministration\b")
UNKNOWN_SIDE = "?"
NEXT_BEFORE = re.compile(r"\bnext\b(?:\s+[\w-]+){0,4}\s+$")
# The two sides of the alliance: the states an event or instrument has when its name gives none.
DEFAULT_STATES = ("japan", "united-states")


def _bilateral_us(entry: Entry) -> bool:
    """A Japan-U.S. instrument, by its canonical name."""
    return entry.label.replace("\u2013", "-").startswith(("Japan-U.S.", "U.S.-Japan"))


def fact(subject: Ref, predicate: str, obj: Ref | Lit, ev: Evidence) -> Fact:
    return Fact(subject, predicate, obj, ev)


def date_lit(date: DateMention) -> Lit:
    return Lit(date.value, date.datatype)


def is_chronology(rows: list[Block]) -> bool:
    """A table whose rows mostly open with a year: a chronology of milestones."""
    years = sum(
        1 for r in rows if r.cells and re.fullmatch(r"(1[89]|20)\d\d", r.cells[0].clean.strip())
    )
    return len(rows) >= 3 and years >= len(rows) / 2


def last_cell(row: Block) -> int | None:
    """The last non-empty cell of a row (a chronology's event column)."""
    for i in range(len(row.cells) - 1, 0, -1):
        if row.cells[i].clean.strip():
            return i
    return None


# Past this many characters a "sentence" is table rows or a diagram's cells run together (prose
# sentences in these texts run to 400 at most): no events, topics or roles are read from it.
LONG_SENTENCE = 600
# Labels stay short of the length at which consumers take a literal for a passage of text.
LABEL_LIMIT = MAX_LABEL - 2
DANGLING = re.compile(
    r"(?:\s+(?:to|of|the|and|or|in|for|a|an|with|on|by|as|at|from|into|against|between|than|that"
    r"|which|where|who|such|its|their|this|these|those|including|in order to))+$"
)


def phrase_slug(text: str) -> str:
    """The slug of a phrase as printed, the same whether or not the PDF kept a word's hyphen
    ("combat-ready" and "combatready" in two editions are one undertaking).

    >>> phrase_slug("deploy combat-ready forces"), phrase_slug("deploy combatready forces")
    ('deploy-combatready-forces', 'deploy-combatready-forces')
    """
    return slugify(re.sub(r"(?<=\w)-(?=\w)", "", text))


def bounded_phrase(text: str, names: list[tuple[int, int]], limit: int) -> str:
    """A phrase as printed (an action, a purpose), cut at a comma (or else a word, never inside
    a name: ``names`` are the spans of the names in it) to fit ``limit``; a cut leaves no
    dangling preposition or article."""
    text = re.sub(r"\.([\"\u201d]?)\s*$", r"\1", text.rstrip(" ,"))
    if len(text) <= limit:
        return text
    cut = text.rfind(",", 0, limit)
    if cut < limit // 2:
        cut = text.rfind(" ", 0, limit)
    cut = min([start for start, end in names if start < cut < end], default=cut)
    return DANGLING.sub("", text[:cut].rstrip(" ,\"'(\u201c")).rstrip(" ,")


def rows_run_together(text: str) -> bool:
    """Whether a "sentence" is the rows of a chronology run together by the layout: past
    LONG_SENTENCE and with four years or more."""
    return len(text) > LONG_SENTENCE and len(YEAR_IN_NAME.findall(text)) >= 4


OWN_DATE = re.compile(
    r"\s*\)?\s*(?:\([^()]{1,20}\)\s*)?,?\s*(?:(?:which\s+)?(?:was|were)\s+)?"
    r"(?:released|published|issued|formulated|announced|adopted|approved|revised|signed)"
    r"\s+(?:in|on)\s+",
    re.IGNORECASE,
)
INDEFINITE = re.compile(r"\b(?:an?|another|any|such)\s+[\"\u201c]?$", re.IGNORECASE)


# A document named after the place it was signed or issued at ("the Tokyo Declaration", "the
# Singapore Declaration"): the place begins the name, it is not what the sentence is about.
DOCUMENT_NOUN = re.compile(
    r"\s+(?:Declaration|Communiqu[eé]|Statement|Agreement|Accords?|Charter|Convention|Protocol"
    r"|Vision|Initiative|Principles|Process|Plan|Consensus|Framework|Document)\b"
)


def _sole_subject_state(text: str, taken: list[Mention]) -> str | None:
    """The state a sentence opens with, after its date if any, when it names no other ("Japan
    will possess defense capability on the basis of the "National Security Strategy"": Japan's
    own; "In December 2015, Russia approved a new National Security Strategy": Russia's)."""
    states = {m.entry.slug for m in taken if m.entry.kind == "state"}
    first = taken[0] if taken else None
    if (
        len(states) == 1
        and first is not None
        and first.entry.kind == "state"
        and (first.start <= 4 or OPENING_DATE.fullmatch(text, 0, first.start))
    ):
        return first.entry.slug
    return None


# A sentence's opening connective, before its date or its subject ("In addition, ...").
CONNECTIVE = (
    r"(?:(?:In addition|Furthermore|Moreover|Subsequently|Then|Later|Also|(?:Most |More )?"
    r"[Rr]ecently|Similarly|Likewise|Meanwhile|However|Thereafter|Afterwards|After that"
    r"|Following (?:this|that)|Against this backdrop|As a result|In this regard|In this context"
    r"|At the same time|For example|On this basis|Based on (?:this|that)|To this end"
    r"|Additionally|Accordingly|Since then|In response|In particular),\s*)?"
)
# The words a sentence opens with before its own date: "In November 2015, ...", "In addition,
# on ...".
DATE_OPENING = r"^\s*" + CONNECTIVE + r"(?:[Oo]n|[Ii]n|By|At\s+the\s+end\s+of)\s+"
OPENING_DATE = re.compile(
    CONNECTIVE + r"(?:In|On|By|At\s+the\s+end\s+of)\s+[^,]{3,30},\s*(?:the\s+)?"
)


# The head nouns an instrument's title ends in, which "the Agreement" alone refers back by.
INSTRUMENT_HEADS = r"(?:Agreement|Memorandum|Declaration|Arrangement|Protocol)"
# A context form that is an instrument's head noun alone: "the Declaration", "the Treaty".
BARE_HEAD = re.compile(rf"[Tt]he\s+(?:{INSTRUMENT_HEADS}|Treaty|Statement)")


def order_states(states: Iterable[str]) -> tuple[str, ...]:
    """Japan, then the United States, then the others in alphabetical order: one IRI for an
    event or a body however a text orders its sides ("Japan-U.S.-Philippines",
    "Japan-Philippines-U.S.", "between Japan, the Philippines, and the United States")."""
    first = ("japan", "united-states")
    states = set(states)
    return tuple(s for s in first if s in states) + tuple(sorted(states - set(first)))


def sides_named(reader: Reader, text: str) -> set[str]:
    """The states a text names, directly or through a body or post of theirs ("between the
    Ministry of Defense of Japan and the Ministry of National Defense of ...")."""
    named = {
        m.entry.side
        for m in reader.resolver.gazetteer.find(fold(text))
        if m.entry.kind in ("state", "organization", "post")
    }
    named.discard(None)
    return named


def state_label(reader: Reader, slug: str) -> str:
    """A state's label, for the labels of things named by their sides."""
    entry = reader.lexicon.get(f"state/{slug}")
    return entry.label if entry else slug.replace("-", " ").title()


def _within(inner: Mention, outer: Mention) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _names_a_document(text: str, mention: Mention) -> bool:
    return mention.entry.kind == "place" and bool(DOCUMENT_NOUN.match(text, mention.end))


# A city printed without what tells it from others of its name ("Washington" for Washington,
# D.C.) is taken only as where someone went or something happened: not "USS George Washington",
# "the Washington Post", "the Washington Treaty".
BARE_CITY = frozenset({"Washington"})
PLACE_PREPOSITION = re.compile(r"\b(?:in|to|at|from|visited|visiting)\s+$")
CAPITAL_NEXT = re.compile(r"\s+[A-Z]")


def _bare_name_elsewhere(text: str, mention: Mention) -> bool:
    return text[mention.start : mention.end] in BARE_CITY and not (
        PLACE_PREPOSITION.search(text, 0, mention.start)
        and not CAPITAL_NEXT.match(text, mention.end)
    )


def _indefinite(text: str, mention: Mention) -> bool:
    """An agreement or a forum named with "a"/"an" is a kind, not the instrument: "the two
    countries agreed to conduct studies on an ACSA" (with New Zealand) is not the Japan-U.S.
    ACSA, nor is "agreed to hold a "2+2" Meeting" (with the U.K.) the Japan-U.S. SCC, unless
    the name itself says so ("a Japan-U.S. "2+2" Meeting")."""
    return (
        mention.entry.kind in ("agreement", "mechanism")
        and bool(INDEFINITE.search(text[: mention.start]))
        and not re.search(r"U\.S\.|United States", text[mention.start : mention.end])
    )
