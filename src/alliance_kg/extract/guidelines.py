"""Roles and cooperation areas under the Guidelines for Japan-U.S. Defense Cooperation.

- ``guidelines.responsibility``: "X will have primary responsibility for/to OP", "Primary
  responsibility for OP lies with X", "Y will support and supplement X", "Y will provide
  appropriate support"; in a table whose column headers are the two forces, the column names
  the actor. Each becomes an ``akg:Responsibility`` (actor, operation or situation, type, the
  Guidelines) plus the direct ``akg:primaryResponsibilityFor`` / ``akg:supportsAndSupplements``.
- ``guidelines.undertaking``: what else one side "will" do under the Guidelines ("The United
  States will continue to extend deterrence to Japan through the full range of capabilities",
  "Japan will provide logistic support where appropriate"): an ``akg:Responsibility`` of type
  undertaking, named by the action as printed, about the things the action names, in the
  sentence's or section's situation. Only where the text states the Guidelines, and only for a
  side that opens its clause: "the two governments will" is the cooperation below.
- ``guidelines.cooperation``: the areas of cooperation the Guidelines list for a situation, as
  sub-headings of a situation's section ("A. Cooperative Measures from Peacetime" / "1.
  Intelligence, Surveillance, and Reconnaissance") or as an enumeration "(1) A; (2) B; ...".
"""

from __future__ import annotations

import re

from ..corpus import Section, Sentence
from ..lexicon import Entry
from ..namespaces import bounded_slug
from .context import (
    LABEL_LIMIT,
    LONG_SENTENCE,
    Extraction,
    Reader,
    bounded_phrase,
    fact,
    phrase_slug,
)
from .mentions import TOPIC_KINDS, Mention, fold
from .model import Entity, Evidence, Ref

ACTOR_KINDS = frozenset({"state", "organization"})
PRIMARY = re.compile(
    # "Have primary responsibility ..." opens a table cell whose column names the actor
    r"\b(?:will\s+|also\s+will\s+|shall\s+)?(?:[Hh]ave|[Hh]as|maintain|maintains|retain|retains)\s+"
    r"(?:the\s+)?primary\s+responsibility\s+(?:immediately\s+)?(?P<prep>for|to)\s+"
)
PRIMARY_LIES = re.compile(
    r"\bPrimary\s+responsibility\s+for\s+(?P<op>.+?)\s+lies\s+with\s+", re.IGNORECASE
)
SUPPORT_SUPPLEMENT = re.compile(
    r"\b(?:will\s+|may\s+)?(?:conduct\s+operations\s+(?:involving\s+[\w\s-]+?,?\s*)?to\s+)?"
    r"support\s+and\s+supplement\s+(?:the\s+)?"
    # the 1997 Guidelines: "U.S. Forces will ... conduct operations ... to supplement the
    # capabilities of the Self-Defense Forces"
    r"|\bto\s+supplement\s+the\s+capabilities\s+of\s+(?:the\s+)?"
)
APPROPRIATE_SUPPORT = re.compile(r"\bwill\s+provide\s+appropriate\s+support\b")
ROLE_PATTERNS = (PRIMARY, PRIMARY_LIES, SUPPORT_SUPPLEMENT, APPROPRIATE_SUPPORT)
SITUATION_CLAUSE = re.compile(
    r"^\s*(?:-\s*)?(?:O\s+)?(?:When|If|In\s+the\s+event\s+(?:of|that))\s+(?:an?\s+)?(?P<what>[^,]+?)"
    r"(?:\s+(?:takes\s+place|occurs|happens|arises))?(?P<where>\s+in\s+[A-Z]\w+)?\s*,"
)
SITUATION_NOUN = re.compile(
    r"attack|threat|disaster|situation|contingenc|incident|emergenc|crisis|conflict|"
    r"circumstance|peacetime|war\b|invasion|infiltration|launch",
    re.IGNORECASE,
)
# Where an operation's phrase ends; "... in waters surrounding Japan and for other associated
# operations" ends before its vague second complement.
OP_END = re.compile(
    r"(?:\.|;|,\s+and\s+(?:have|the|will|based|it)\b|\s+and\s+will\b|\s+while\s+"
    r"|,\s+and\s+the\s|,?\s+and\s+for\s+other\s|$)"
)
LEADING_VERB = re.compile(r"^(?:conducting|conduct)\s+(?:operations\s+(?=to\s))?(?:to\s+)?")
ENUMERATION = re.compile(
    r"\((?P<n>\d{1,2})\)\s*(?P<item>[A-Z][^;()]*?(?:\([A-Z]{2,6}\))?[^;()]*?)\s*(?=;|\.|$|,?\s+and\s+\(\d)"
)
# "will [also] [continue to] do": a side's undertaking, when the side opens the clause.
UNDERTAKING = re.compile(r"\s*,?\s*(?:also\s+)?will\s+(?:also\s+)?(?P<action>[a-z].*)")
# The side opens the sentence or a clause of its own: "X and Y will" is a joint undertaking.
CLAUSE_OPENS = re.compile(r"(?:^|[,;:]\s*(?:and\s+)?)\W{0,2}(?:the\s+)?$", re.IGNORECASE)
# Where the action ends: at the sentence's end (a period inside is an abbreviation: "U.S."),
# a semicolon, or the next clause of its own.
ACTION_END = re.compile(
    r"(?:;|\.?\s*$|,\s+and\s+(?:the|will|it|[A-Z])|\s+and\s+will\b|,\s+while\s)"
)
# An action that says nothing of its own: "will be in accordance with ...".
EMPTY_ACTION = re.compile(r"(?:be|become|remain|need|have\s+to)\b")
ABOUT_KINDS = TOPIC_KINDS | {"operation", "situation", "area", "organization"}
AREA_HEADING = re.compile(r"^(?:[A-Za-z]|[ivx]+|\d{1,2})$")


def _actors(reader: Reader, sentence: Sentence) -> list:
    return [m for m in reader.mentions(sentence) if m.entry.kind in ACTOR_KINDS]


def _actor_before(reader: Reader, sentence: Sentence, pos: int):
    before = [m for m in _actors(reader, sentence) if m.end <= pos]
    return before[-1] if before else None


# Between a clause's subject and its role: "The SDF will have", "the United States Armed
# Forces will support", "Japan also will have".
SUBJECT_TO_ROLE = re.compile(r"[^,;.]{0,30}")


def _role_actor(reader: Reader, sentence: Sentence, pos: int, column: Ref | None) -> Ref | None:
    """Who holds the role that starts at ``pos``: the subject the clause names, else the actor
    of the table column the sentence sits in ("Have primary responsibility for ..." under
    "Self-Defense Forces"), else the last actor named before it."""
    mention = _actor_before(reader, sentence, pos)
    if mention is None:
        return column
    if column is None or SUBJECT_TO_ROLE.fullmatch(sentence.clean, mention.end, pos):
        return reader.ref(mention.entry)
    return column


def _clean_op(text: str) -> str:
    text = LEADING_VERB.sub("", text.strip())
    text = re.sub(r"^(?:the|such|this|these|that)\s+", "", text)
    return text.strip(" ,")


def _situation_of(reader: Reader, sentence: Sentence, ev: Evidence, out: Extraction) -> Ref | None:
    m = SITUATION_CLAUSE.match(fold(sentence.clean))
    if not m:
        return None
    phrase = (m["what"] + (m["where"] or "")).strip()
    phrase = re.sub(r",?\s+including\s+.*$", "", phrase)
    if not SITUATION_NOUN.search(phrase):
        return None  # "When the United States Armed Forces conduct such operations": an action
    return situation_ref(reader, phrase, ev, out)


def situation_ref(reader: Reader, phrase: str, ev: Evidence | None, out: Extraction) -> Ref:
    found = [m for m in reader.resolver.gazetteer.find(phrase) if m.entry.kind == "situation"]
    if found:
        return reader.ref(found[0].entry)
    ref = Ref("situation", bounded_slug(phrase, 90))
    out.add(Entity(ref, "Situation", phrase[0].upper() + phrase[1:], evidence=ev))
    return ref


def operation_ref(reader: Reader, phrase: str, ev: Evidence, out: Extraction) -> Ref:
    found = [m for m in reader.resolver.gazetteer.find(phrase) if m.entry.kind == "operation"]
    if found and found[0].start == 0 and found[0].end >= len(phrase) - 1:
        return reader.ref(found[0].entry)
    ref = Ref("operation", bounded_slug(phrase, 90))
    out.add(Entity(ref, "Operation", phrase, evidence=ev))
    return ref


def _responsibility_type(reader: Reader, slug: str, label: str, out: Extraction) -> Ref:
    for e in reader.lexicon:
        if e.cls == "ResponsibilityType" and e.slug == slug:
            return reader.ref(e)
    ref = Ref("responsibility-type", slug)
    out.add(Entity(ref, "ResponsibilityType", label))
    return ref


def _responsibility(
    reader: Reader,
    actor: Ref,
    kind: str,
    label: str,
    ev: Evidence,
    out: Extraction,
    operation: Ref | None,
    situation: Ref | None,
    action: str | None = None,
) -> Ref:
    agreement = reader.guidelines
    parts = [agreement.slug if agreement else "guidelines", actor.slug, kind]
    parts.append(phrase_slug(action) if action else (operation or situation or actor).slug)
    ref = Ref("responsibility", bounded_slug("-".join(parts), 120))
    scope = operation or situation
    if action:
        name = f"{reader.label(actor, out)} will {action}"
    else:
        name = f"{reader.label(actor, out)}: {label.lower()}"
        if scope is not None:
            name += f" ({reader.label(scope, out)})"
    out.add(Entity(ref, "Responsibility", name, evidence=ev))
    out.add(fact(ref, "responsibleActor", actor, ev))
    out.add(fact(ref, "responsibilityType", _responsibility_type(reader, kind, label, out), ev))
    if agreement is not None:
        out.add(fact(ref, "underAgreement", reader.ref(agreement), ev))
    if operation is not None:
        out.add(fact(ref, "operation", operation, ev))
    if situation is not None:
        out.add(fact(ref, "situation", situation, ev))
    return ref


def responsibility_facts(reader: Reader, out: Extraction) -> None:
    # A table row's primary responsibility, for the support another column's cell gives it
    # ("Have primary responsibility for X" | "Conduct operations to support and supplement").
    row_primary: dict[int, tuple] = {}
    for section_situation, sentence, actor_override in _responsibility_sentences(reader):
        text = fold(sentence.clean)
        if not any(p.search(text) for p in ROLE_PATTERNS):
            continue  # its opening situation ("In the event of a major disaster") is not one
        ev = reader.evidence(sentence, "guidelines.responsibility")
        situation = _situation_of(reader, sentence, ev, out) or section_situation
        last_primary: tuple | None = None
        for m in PRIMARY.finditer(text):
            actor = _role_actor(reader, sentence, m.start(), actor_override)
            if actor is None:
                continue
            stop = OP_END.search(text, m.end())
            phrase = _clean_op(text[m.end() : stop.start() if stop else len(text)])
            operation = None
            if phrase and not re.fullmatch(r"(?:respond|act|take action)", phrase):
                operation = operation_ref(reader, phrase, ev, out)
                out.add(fact(actor, "primaryResponsibilityFor", operation, ev))
            _responsibility(
                reader,
                actor,
                "primary-responsibility",
                "Primary responsibility",
                ev,
                out,
                operation,
                situation,
            )
            last_primary = (actor, operation)
            if actor_override is not None:
                row_primary[sentence.block] = last_primary
        lies = PRIMARY_LIES.search(text)
        if lies:
            actor_mention = next(
                (x for x in _actors(reader, sentence) if x.start >= lies.end()), None
            )
            if actor_mention is not None:
                actor = reader.ref(actor_mention.entry)
                operation = operation_ref(reader, _clean_op(lies["op"]), ev, out)
                out.add(fact(actor, "primaryResponsibilityFor", operation, ev))
                _responsibility(
                    reader,
                    actor,
                    "primary-responsibility",
                    "Primary responsibility",
                    ev,
                    out,
                    operation,
                    situation,
                )
        for m in SUPPORT_SUPPLEMENT.finditer(text):
            supporter_ref = _role_actor(reader, sentence, m.start(), actor_override)
            supported = next((x for x in _actors(reader, sentence) if x.start >= m.end() - 1), None)
            supported_ref = reader.ref(supported.entry) if supported else None
            if supporter_ref is None or supported_ref is None or supporter_ref == supported_ref:
                continue
            out.add(fact(supporter_ref, "supportsAndSupplements", supported_ref, ev))
            primary = last_primary
            if primary is None and actor_override is not None:
                carried = row_primary.get(sentence.block)
                primary = carried if carried and carried[0] == supported_ref else None
            operation = primary[1] if primary else None
            _responsibility(
                reader,
                supporter_ref,
                "support-and-supplement",
                "Support and supplement",
                ev,
                out,
                operation,
                situation,
            )
        for m in APPROPRIATE_SUPPORT.finditer(text):
            supporter = _actor_before(reader, sentence, m.start())
            if supporter is None:
                continue
            _responsibility(
                reader,
                reader.ref(supporter.entry),
                "appropriate-support",
                "Appropriate support",
                ev,
                out,
                None,
                situation,
            )


def undertaking_facts(reader: Reader, out: Extraction) -> None:
    agreement = reader.guidelines
    if agreement is None:
        return
    for section_situation, sentence, _ in _responsibility_sentences(reader, (" will ",)):
        block = reader.document.blocks[sentence.block]
        if not _states_guidelines(reader, block.section):
            continue
        text = fold(sentence.clean)
        actors = _actors(reader, sentence)
        for m in actors:
            opened = UNDERTAKING.match(text, m.end)
            if opened is None or not CLAUSE_OPENS.search(text[: m.start]):
                continue
            start = opened.start("action")
            stop = ACTION_END.search(text, start)
            end = stop.start() if stop else len(text)
            names = [x for x in reader.mentions(sentence) if start <= x.start and x.end <= end]
            spans = [(x.start - start, x.end - start) for x in names]
            actor = reader.ref(m.entry)
            limit = LABEL_LIMIT - len(f"{reader.label(actor, out)} will ")
            action = bounded_phrase(text[start:end], spans, limit)
            if not action or EMPTY_ACTION.match(action) or _read_as_role(text[start:end]):
                continue
            ev = reader.evidence(sentence, "guidelines.undertaking")
            situation = _situation_of(reader, sentence, ev, out) or section_situation
            ref = _responsibility(
                reader,
                actor,
                "undertaking",
                "Undertaking",
                ev,
                out,
                None,
                situation,
                action=action,
            )
            side = m.entry.side
            about = {
                reader.ref(x.entry)
                for x in names
                if x.entry.kind in ABOUT_KINDS
                # "Japan will possess defense capability on the basis of the National Security
                # Strategy": a side acts on its own policy papers, not the other's.
                and not (x.entry.kind == "agreement" and side and x.entry.state not in (None, side))
            }
            own = {actor} | ({Ref("state", side)} if side else set())
            for thing in sorted(about - own, key=lambda r: (r.kind, r.slug)):
                out.add(fact(ref, "topic", thing, ev))


def _read_as_role(action: str) -> bool:
    """Whether the responsibility rule reads the action as what it is: primary
    responsibility, support and supplement, appropriate support."""
    return bool(
        PRIMARY.match(action)
        or SUPPORT_SUPPLEMENT.search(action)
        or APPROPRIATE_SUPPORT.match(f"will {action}")
    )


def _states_guidelines(reader: Reader, section: int | None) -> bool:
    """Whether the text is the Guidelines or sits under a heading naming them."""
    subject = reader.subject_agreement
    if subject is not None and subject.cls == "Guidelines":
        return True
    if subject is not None and "Guidelines" in subject.label:
        # Other guidelines' own "the Guidelines" are themselves (the National Defense Program
        # Guidelines' "Objective of the Guidelines").
        return False
    return _under_guidelines_heading(reader, section)


def _responsibility_sentences(
    reader: Reader, words: tuple[str, ...] = ("responsib", "support", "supplement")
):
    """(situation of the section, sentence, actor named by a table column or None) for the
    sentences holding one of ``words``."""
    situations: dict[int, Ref | None] = {}
    for sentence in reader.sentences():
        if not any(w in sentence.clean for w in words):
            continue
        if len(sentence.clean) > LONG_SENTENCE:
            continue  # a diagram's cells run together: whose role is whose is lost
        block = reader.document.blocks[sentence.block]
        section = block.section
        if section not in situations:
            situations[section] = section_situation(reader, section)
        actor = None
        if block.kind == "table_row" and block.table is not None and sentence.cell is not None:
            actor = _column_actor(reader, block.table, sentence.cell)
        yield situations[section], sentence, actor


def _column_actor(reader: Reader, table_index: int, column: int) -> Ref | None:
    table = reader.document.tables[table_index]
    header = list(table.header)
    if column >= len(header):
        return None
    # The header must be the actor's name ("Self-Defense Forces (SDF)", or the lower level of
    # a two-level header: "Outline / United States Armed Forces"), not a title that names one
    # ("Outline of the Guidelines for Japan-U.S. Defense Cooperation").
    name = COLUMN_NOTE.sub("", header[column].split(" / ")[-1]).strip(" :")
    found = [
        m
        for m in reader.resolver.gazetteer.find(name)
        if m.entry.kind in ACTOR_KINDS and m.start == 0 and m.end >= len(name)
    ]
    return reader.ref(found[0].entry) if found else None


# An acronym or side note after a column's actor: "Self-Defense Forces (SDF)".
COLUMN_NOTE = re.compile(r"\s*\([^()]*\)\s*$")


SITUATION_TITLE = re.compile(
    r"(?:Cooperative\s+Measures\s+(?:from|during)\s+Peacetime|Responses?\s+to\s+Emerging\s+Threats|"
    r"Armed\s+Attack\s+against\s+Japan|Armed\s+Attack\s+against\s+a\s+Country\s+other\s+than\s+Japan|"
    r"Large-scale\s+Disaster|International\s+Activities|Regional\s+and\s+Global\s+Peace|"
    r"Trilateral\s+and\s+Multilateral|Space\s+and\s+Cyberspace|Cooperation\s+on\s+Space|"
    r"Cooperation\s+on\s+Cyberspace|Bilateral\s+Enterprise|Operational\s+Support\s+Activities|"
    # the 1997 Guidelines' situations
    r"Normal\s+Circumstances|Situations?\s+in\s+Areas\s+Surrounding\s+Japan)",
    re.IGNORECASE,
)


def section_situation(reader: Reader, section: int | None) -> Ref | None:
    """The situation a section (or an ancestor) is about, from its title."""
    for s in reversed(reader.document.section_path(section)):
        found = [m for m in reader.resolver.gazetteer.find(s.title) if m.entry.kind == "situation"]
        if found:
            return reader.ref(found[0].entry)
    return None


def _situation_sections(reader: Reader, out_sink: Extraction) -> list[tuple[Section, Ref | None]]:
    out = []
    for s in reader.document.sections:
        if SITUATION_TITLE.search(s.title):
            found = [
                m for m in reader.resolver.gazetteer.find(s.title) if m.entry.kind == "situation"
            ]
            if found:
                out.append((s, reader.ref(found[0].entry)))
            else:
                out.append((s, situation_ref(reader, _title_case(s.title), None, out_sink)))
    return out


def area_ref(reader: Reader, phrase: str, ev: Evidence, out: Extraction) -> Ref:
    phrase = re.sub(r"\s+", " ", phrase).strip(" .:")
    known = _known_area(reader, phrase)
    if known is not None:
        return reader.ref(known)
    label = _title_case(phrase)
    ref = Ref("area", bounded_slug(label, 80))
    out.add(Entity(ref, "CooperationArea", label, evidence=ev))
    return ref


SMALL = frozenset(
    ["and", "or", "of", "the", "to", "in", "on", "for", "with", "against", "from", "a", "an", "as"]
)


def _title_case(text: str) -> str:
    """'Air And Missile Defense' -> 'Air and Missile Defense' (headings set in title case)."""
    words = text.split()
    return " ".join(w.lower() if i and w.lower() in SMALL else w for i, w in enumerate(words))


def _provision(
    reader: Reader,
    agreement: Entry,
    situation: Ref | None,
    area: Ref,
    ev: Evidence,
    out: Extraction,
) -> None:
    parts = [agreement.slug, situation.slug if situation else "general", area.slug]
    ref = Ref("provision", bounded_slug("-".join(parts), 120))
    out.add(
        Entity(
            ref,
            "CooperationProvision",
            f"{agreement.label}: {reader.label(area, out)}",
            evidence=ev,
        )
    )
    out.add(fact(reader.ref(agreement), "provides", ref, ev))
    out.add(fact(ref, "area", area, ev))
    out.add(fact(ref, "underAgreement", reader.ref(agreement), ev))
    if situation is not None:
        out.add(fact(ref, "situation", situation, ev))


def cooperation_facts(reader: Reader, out: Extraction) -> None:
    agreement = reader.guidelines
    if agreement is None or agreement.cls != "Guidelines":
        return
    situations = _situation_sections(reader, out)
    own = {section.index for section, _ in situations}
    for section, situation in situations:
        if not _about_guidelines(reader, section.index, ()):
            continue
        for child in _area_sections(reader, section.index, own):
            sentence = reader.heading_sentence(child)
            if sentence is None:
                continue
            ev = reader.evidence(sentence, "guidelines.cooperation")
            _provision(
                reader, agreement, situation, area_ref(reader, child.title, ev, out), ev, out
            )
    for sentence in reader.sentences():
        text = fold(sentence.clean)
        listed = SUCH_AREAS.search(text)
        enumerated = "(1)" in text and "(2)" in text
        if not (listed or enumerated):
            continue
        block = reader.document.blocks[sentence.block]
        nearby = reader.document.sentences[max(0, sentence.index - 3) : sentence.index + 1]
        if not _about_guidelines(reader, block.section, nearby):
            continue
        if listed:
            _listed_areas(reader, agreement, sentence, listed, out)
        if not enumerated:
            continue
        lead = text[: text.find("(1)")][-150:]
        if OTHER_LIST.search(lead) and not re.search(r"\bareas?\b", lead):
            continue  # "the following seven objectives of the review: (1) Ensuring ..."
        if not ENUMERATION_LEAD.search(lead):
            continue  # a table's rows the PDF ran together ("H Other revised matters (1) ...")
        situation = _enumeration_situation(reader, sentence, block)
        if situation is None:
            continue
        ev = reader.evidence(sentence, "guidelines.cooperation")
        for m in ENUMERATION.finditer(text):
            item = re.sub(r"^and\s+", "", m["item"]).strip()
            if 3 <= len(item) <= 80 and not NOT_AREA.match(item):
                _provision(reader, agreement, situation, area_ref(reader, item, ev, out), ev, out)


def _area_sections(reader: Reader, parent: int, situations: set[int]) -> list[Section]:
    """The numbered sections under a situation's section that name areas of cooperation, and
    in the Guidelines' own text the numbered sections under those (the 1997 Guidelines' "(2)
    Japan's Support for U.S. Forces Activities": "a. Use of Facilities", "b. Rear Area
    Support"). A phase of the situation or how it is fought ("When ...", "Concept of
    Operations") is no area, nor is anything under it, and what is under a section that is a
    situation of its own is read as that situation's."""
    # Only in the Guidelines' own text: a white paper's PDF layout nests sections that are
    # not (a "3 Strengthened Alliance Coordination" under "(1) Cooperative Measures ...").
    subject = reader.subject_agreement
    deep = subject is not None and subject.cls == "Guidelines"
    found = []
    todo = [parent]
    while todo:
        current = todo.pop()
        for child in reader.document.sections:
            if child.parent != current:
                continue
            if child.number is None or not AREA_HEADING.match(child.number.strip("().")):
                continue
            if NOT_AREA.match(child.title):
                continue
            if child.index in situations:
                if current == parent:
                    found.append(child)  # "B. Trilateral and Multilateral Cooperation" under V.
                continue
            found.append(child)
            if deep:
                todo.append(child.index)
    return sorted(found, key=lambda s: s.index)


# A phase of a situation or how it is fought, not an area of cooperation.
NOT_AREA = re.compile(r"(?:When|If)\b|Concept\s+of\s+Operations\b", re.IGNORECASE)
# What else a numbered list in the Guidelines' sections enumerates.
OTHER_LIST = re.compile(
    r"\b(?:objectives?|goals?|aims?|purposes?|principles?|pillars?|priorities|reasons?|steps?"
    r"|conditions?|requirements?|criteria|Article)\b"
)
# What introduces an enumeration of areas: "Common areas for cooperation will include: (1)
# Peacekeeping Operations; ...", "Examples of cooperative operations are: (1) ...".
ENUMERATION_LEAD = re.compile(r"(?::|\binclude|\bare|\bas\s+follows)\s*$")
SUCH_AREAS = re.compile(
    r"\b(?:cooperat\w*|work together)\s+(?:in|on)\s+(?:such\s+)?areas\s+"
    r"(?:such\s+as|as|including)\s+(?P<list>[^.;]+)"
)
AREA_KINDS = frozenset({"area", "domain", "operation"})
AREA_ONLY = frozenset({"area"})


def _listed_areas(
    reader: Reader, agreement: Entry, sentence: Sentence, listed: re.Match, out: Extraction
) -> None:
    """Known areas named in "cooperate in such areas as A, B and C" under a situation, or in
    the Guidelines' own text outside any ("A. Cooperation on Space": "... cooperate in such areas
    as early-warning, ISR, ... space situational awareness")."""
    block = reader.document.blocks[sentence.block]
    situation = section_situation(reader, block.section)
    if situation is None and not _states_guidelines(reader, block.section):
        return
    ev = reader.evidence(sentence, "guidelines.cooperation")
    for m in reader.mentions(sentence):
        if (
            m.start >= listed.start("list")
            and m.end <= listed.end("list")
            and m.entry.kind in AREA_KINDS
        ):
            _provision(reader, agreement, situation, reader.ref(_as_area(reader, m)), ev, out)


def _as_area(reader: Reader, mention: Mention) -> Entry:
    """The Guidelines' cooperation area a mention names, when one has its name in any case
    ("air and missile defense" in running text is the area "Air and Missile Defense" here)."""
    if mention.entry.kind == "area":
        return mention.entry
    return _known_area(reader, mention.surface) or mention.entry


def _known_area(reader: Reader, phrase: str) -> Entry | None:
    """The lexicon's cooperation area whose name is the whole phrase (but a trailing mark)."""
    for m in reader.resolver.gazetteer.find(phrase, kinds=AREA_ONLY):
        if m.start == 0 and m.end >= len(phrase) - 1:
            return m.entry
    return None


# A heading naming the Guidelines for Japan-U.S. Defense Cooperation, not other guidelines (the
# National Defense Program Guidelines, "Basic Guidelines for Civil Protection", "Implementation
# Guidelines for Article 95-2", "Guidelines Regarding Off-Base ... Accidents").
GUIDELINES_TITLE = re.compile(
    r"(?<!Program\s)(?<!Basic\s)(?<!Implementation\s)\bGuidelines\b"
    r"(?!\s+(?:for|of|on|Regarding)\s+(?!(?:Japan-U\.?S\.?|U\.?S\.?-Japan)\s+Defense))"
)
SENTENCE_LIKE = re.compile(r"\b(?:was|were|is|are|has|have|had)\b")
BILATERAL = re.compile(
    r"\bGuidelines\b|\btwo governments\b|\bJapan and the United States\b|\bbilateral",
    re.IGNORECASE,
)


def _about_guidelines(reader: Reader, section: int | None, nearby) -> bool:
    """Whether text speaks of the Guidelines' cooperation: in the Guidelines themselves, under
    a heading naming them, or next to sentences about the two governments (a white paper's
    tables of domestic measures list "(1) ... (2) ..." too)."""
    return _states_guidelines(reader, section) or any(BILATERAL.search(s.clean) for s in nearby)


def _under_guidelines_heading(reader: Reader, section: int | None) -> bool:
    """Whether the nearest heading naming guidelines names the Guidelines for Japan-U.S.
    Defense Cooperation: a subsection of the NDPG's outline is not, even when a sentence
    taken for a heading between them mentions the Guidelines."""
    for s in reversed(reader.document.section_path(section)):
        if "Guidelines" in s.title and not SENTENCE_LIKE.search(s.title):
            return bool(GUIDELINES_TITLE.search(s.title))
    return False


def _enumeration_situation(reader: Reader, sentence: Sentence, block) -> Ref | None:
    """The situation an enumeration is listed under: the nearest situation heading before it,
    in the same table cell or section."""
    text = fold(sentence.clean)
    if SITUATION_TITLE.search(text[: text.find("(1)")]):
        found = [m for m in reader.resolver.gazetteer.find(text) if m.entry.kind == "situation"]
        if found:
            return reader.ref(found[0].entry)
    for i in range(sentence.index - 1, max(-1, sentence.index - 8), -1):
        prev = reader.document.sentences[i]
        if SITUATION_TITLE.search(prev.clean):
            found = [
                m for m in reader.resolver.gazetteer.find(prev.clean) if m.entry.kind == "situation"
            ]
            return reader.ref(found[0].entry) if found else None
    return section_situation(reader, block.section)


def extract_guidelines(reader: Reader, out: Extraction) -> None:
    responsibility_facts(reader, out)
    undertaking_facts(reader, out)
    cooperation_facts(reader, out)
