"""Missile launches and nuclear tests: what a state launched or tested on a date the text gives.

"North Korea launched a ballistic missile on July 4, 2017", "the ballistic missile launched on
August 3, 2016", "On November 29, 2017, North Korea launched a single missile", "the May 14,
July 4, July 28, and November 29, 2017 launches": one akg:MissileLaunch per state and date,
with the launching state as its participant. The date must belong to the launch, not to what
was said about it ("On January 8, 2016, it released footage of an SLBM test launch"); the state
is the one the sentence says launched (see ``_doer``), or, when it names none ("Another two
SRBMs were launched on ..."), the one the sentences just before or the section's title name.
Japan's own rockets are satellite launches the texts do not date as missile launches, so Japan
is never the launching state. Nuclear tests are read the same way ("North Korea conducted its
sixth nuclear test in September 2017", "the September 2017 nuclear test", "nuclear tests in
October 2006, May 2009, ... and September 2017"): one akg:NuclearTest per state and date.
"""

from __future__ import annotations

import re

from ..corpus import Sentence
from .context import CONNECTIVE, LONG_SENTENCE, Extraction, Reader, date_lit, fact
from .dates import DateMention, date_series, human, shared_month_days
from .mentions import fold
from .model import Entity, EventKey, Ref

# What was launched: a missile or rocket, by class or by name.
MISSILE = re.compile(
    r"\b(?:missiles?|rockets?|[IMS]RBMs?|ICBMs?|SLBMs?|Scuds?|Nodong|Rodong|Musudan"
    r"|Hwasong[-\w]*|Pukguksong[-\w]*|Taepodong[-\w]*|Unha[-\w]*|KN-\d+)\b"
)
# A launch as a verb or a noun; not the launcher, the launch site or a launch vehicle, nor a
# missile's kind ("submarine launched cruise missile") or another compound ("satellite-launch
# rocket launchers", "ground-launched").
LAUNCH = re.compile(
    r"(?<!submarine )(?<!ground )(?<!air )(?<!ship )(?<!sea )(?<!surface )(?<![A-Za-z]-)"
    r"\b(?:(?:test[- ])?(?:[Ll]aunch(?:ed|es)?|fired)|test[- ]fir(?:e|es|ing))\b"
    r"(?!\s+(?:pads?|sites?|vehicles?|platforms?"
    r"|points?|facilit\w+|capabilit\w+|preparations?))"
)
# The date right after the launch: "launched on May 29, 2017", "launch of one Scud and two
# Nodong missiles on July 19, 2016", "launched a single missile ... in March 2017".
AFTER_LAUNCH = re.compile(r"[^.,;:()]{0,60}?\b(?:on|in)\s+(?:the\s+)?$")
# What was launched is named next to the launch: before a passive or a noun ("This ballistic
# missile was launched", "the Musudan launch"), after an active verb or "launch of" ("launched
# a single missile", "launches of the ballistic missile"); "a research project on a new
# air-to-air missile was launched" launched no missile.
MISSILE_BEFORE = re.compile(
    r"(?:"
    + MISSILE.pattern
    + r")[\"\u201d]?\s+(?:(?:was|were|had\s+been|has\s+been|have\s+been)\s+)?"
    r"(?:[\w-]+\s+)?$"
)
MISSILE_AFTER = re.compile(r"\s+(?:[\w\"\u201c\u201d-]+\s+){0,8}?(?:" + MISSILE.pattern + r")")
# The date right before the launch noun: "the June 22, 2016 Musudan launch", "the May 14, ...,
# 2017 launches".
BEFORE_LAUNCH = re.compile(r"^\s*(?:[A-Z][\w-]*\s+){0,3}(?:test[- ])?launch(?:es)?\b")
# A nuclear test; not the test site, ground or ban.
NUCLEAR_TEST = re.compile(
    r"\b(?:nuclear|hydrogen[- ]bomb|atomic)\s+(?:weapons?\s+)?tests?\b"
    r"(?!\s+(?:sites?|ban\w*|grounds?|facilit\w+|fields?|tunnels?|areas?))"
)
BEFORE_TEST = re.compile(r"^\s*(?:[A-Z][\w-]*\s+){0,2}(?:nuclear|hydrogen[- ]bomb|atomic)\s+test")
# "On January 6, 2016, North Korea conducted its fourth nuclear test".
LEAD_TO_TEST = re.compile(
    r"^,?\s*(?:[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2}|[Ii]t)\s+(?:again\s+|also\s+)?"
    r"(?:conducted|carried\s+out)\s+(?:its|a|an|the)\s+(?:[\w-]+\s+)?"
    r"(?:nuclear|hydrogen[- ]bomb|atomic)\s+test"
)
ASIDE = re.compile(r"\s*\([^()]*\)")
# More dates the occurrence lists after its first: "in October 2006, May 2009, and February 2013".
NEXT_IN_LIST = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
# "On November 29, 2017, North Korea launched ...": the lead date when launching is what the
# main clause does.
LEAD_DATE = re.compile(r"^\s*" + CONNECTIVE + r"(?:On|In)\s+$")
LEAD_TO_LAUNCH = re.compile(
    r"^,?\s*(?:[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2}|[Ii]t|the\s+(?:country|North))\s+(?:again\s+|also\s+|"
    r"once again\s+)?(?:test[- ])?(?:launched|fired)\b"
)
# Launches that did not happen, or whose date is not the launch's.
NOT_AN_OCCURRENCE = re.compile(
    r"\b(?:announced|claimed|released|unveiled|publicized|reported|stated|warned|threatened|"
    r"planned|plans?|preparing|could|would|may|might|if)\b"
)
# (class, IRI and label words, rule) of each kind of occurrence.
LAUNCH_KIND = ("MissileLaunch", "missile launch", "event.launch")
TEST_KIND = ("NuclearTest", "nuclear test", "event.nuclear-test")
STATE_KINDS = frozenset({"state"})
NEVER_LAUNCHER = frozenset({"japan"})


def extract_weapons_events(reader: Reader, out: Extraction) -> None:
    """Every dated missile launch and nuclear test the document records, merged per state and
    date."""
    keyed: set[Ref] = set()
    for sentence in reader.sentences():
        for _, ref, kind, state, day in occurrences_in(reader, sentence):
            label = _label(reader, kind, state, day, out)
            _emit(reader, sentence, ref, kind, state, day, label, out)
            if ref not in keyed:
                keyed.add(ref)
                out.events.append(EventKey(ref, kind[0], day.value, (state,), (), label))


def occurrences_in(
    reader: Reader, sentence: Sentence
) -> list[tuple[int, Ref, tuple[str, str, str], str, DateMention]]:
    """The dated launches and tests of a sentence: (where it is named, event, kind, state,
    date)."""
    text = fold(sentence.clean)
    if len(text) > LONG_SENTENCE or not (MISSILE.search(text) or NUCLEAR_TEST.search(text)):
        return []  # most sentences: no dates read for them (this runs for every event's topics)
    found = []
    dates, groups = _dates(text, reader.dates(sentence))
    for kind, named_only, dated in (
        (LAUNCH_KIND, *_launches(text, dates, groups)),
        (TEST_KIND, False, _tests(text, dates, groups)),
    ):
        for anchor, series in dated:
            state = _doer(reader, sentence, anchor, named_only=named_only)
            if state is None:
                continue
            for day in series:
                ref = Ref("event", f"{day.value}-{state}-{kind[1].replace(' ', '-')}")
                found.append((anchor.start(), ref, kind, state, day))
    return found


def _dates(
    text: str, found: list[DateMention]
) -> tuple[list[DateMention], dict[int, list[DateMention]]]:
    """The sentence's dates, where a month's list of days printed with one month name and year
    ("July 4 and 28, 2017") is one entry, its last day, standing for all of them: (dates, the
    days of each such entry by its start)."""
    groups: dict[int, list[DateMention]] = {}
    for day in shared_month_days(text):
        groups.setdefault(day.start, []).append(day)
    spans = [(days[0].start, days[0].end) for days in groups.values()]
    kept = [d for d in found if not any(a <= d.start < b for a, b in spans)]
    kept += [days[-1] for days in groups.values()]
    return sorted(kept, key=lambda d: d.start), groups


def _launches(text: str, dates: list[DateMention], groups: dict) -> tuple[bool, list]:
    """(whether only a rocket is named, the dated launches)."""
    if not MISSILE.search(text):
        return False, []
    launches = [m for m in LAUNCH.finditer(text) if not _unhappened(text, m)]
    # Once one launch names its missile, the sentence's other launches are missile launches
    # too ("... ballistic missile launches, including the launch over Japan in October 2022").
    if not any(
        MISSILE_BEFORE.search(text, 0, m.start()) or MISSILE_AFTER.match(text, m.end())
        for m in launches
    ):
        return False, []
    # A rocket may be a satellite launch vehicle: only a state the sentence names launches it.
    rockets_only = all(m.group().lower().startswith("rocket") for m in MISSILE.finditer(text))
    found = _dated(text, launches, dates, groups, BEFORE_LAUNCH, LEAD_TO_LAUNCH)
    return rockets_only, list(found)


def _tests(text: str, dates: list[DateMention], groups: dict) -> list:
    tests = [m for m in NUCLEAR_TEST.finditer(text) if not _unhappened(text, m)]
    return list(_dated(text, tests, dates, groups, BEFORE_TEST, LEAD_TO_TEST)) if tests else []


def _unhappened(text: str, launch: re.Match) -> bool:
    """Whether a launch or test did not (yet) happen: "to be launched", "can be launched", "may
    launch", "will respond to the launch of" (a modal or condition earlier in its clause), or
    what was launched is an undertaking ("a research project ... was launched")."""
    clause = re.split(r"[,;]", text[: launch.start()])[-1]
    if re.search(r"\b(?:was|were)\s+$", clause) and LAUNCHED_UNDERTAKING.search(clause):
        return True  # "a research project on a new air-to-air missile was launched"
    return bool(re.search(r"\b(?:be|been)\s+$", clause) or NOT_YET.search(clause))


# What else is "launched": a project, a study, a dialogue.
LAUNCHED_UNDERTAKING = re.compile(
    r"\b(?:project|research|program|programme|initiative|stud(?:y|ies)|dialogue|framework"
    r"|consultations?|campaign|operation)\b",
    re.IGNORECASE,
)


# In a launch's clause before it: it did not (yet) happen.
NOT_YET = re.compile(
    r"\b(?:may|might|could|would|will|shall|can|cannot|if|whether|plan(?:s|ned)?\s+to"
    r"|intend\w*|scheduled|postpone\w*|prepar\w+"
    r"|possible|possibility|potential|future|further)\b",
    re.IGNORECASE,
)


def _dated(
    text: str,
    anchors: list[re.Match],
    dates: list[DateMention],
    groups: dict[int, list[DateMention]],
    before: re.Pattern,
    lead: re.Pattern,
):
    """(occurrence, its dates) where the dates are the occurrence's: a date after it ("launched
    on ..."), right before it ("the June 22, 2016 Musudan launch") or opening the sentence whose
    main clause it is ("On ..., North Korea launched"); with the days listed before a full date
    in the same year ("on May 28 and June 9, 2017") and the dates listed after the first ("in
    October 2006, May 2009, and February 2013")."""
    used: set[int] = set()
    for anchor in anchors:
        for date in dates:
            if date.start in used or date.datatype == "gYear":
                continue
            days = groups.get(date.start)
            series = list(days) if days else date_series(text, date)
            first = series[0]
            if first.start >= anchor.end():
                # A parenthesis inside is an aside: "launched ICBM-class ballistic missile
                # (referred to by North Korea as "Hwasong-14") on July 4 and 28, 2017".
                gap = ASIDE.sub("", text[anchor.end() : first.start])
                ok = bool(AFTER_LAUNCH.fullmatch(gap)) and not NOT_AN_OCCURRENCE.search(gap)
            elif date.end <= anchor.start():
                ok = bool(before.match(text[date.end : anchor.end()])) or bool(
                    LEAD_DATE.match(text[: first.start])
                    and lead.match(text[date.end : anchor.end()])
                )
            else:
                ok = False
            if ok:
                used.add(date.start)
                if first.start >= anchor.end():
                    series += _listed_after(text, date, dates, used)
                yield anchor, series
                break


def _listed_after(
    text: str, date: DateMention, dates: list[DateMention], used: set[int]
) -> list[DateMention]:
    """The dates that follow ``date`` in one list, each of the same precision or finer."""
    listed = []
    end = date.end
    for later in dates:
        if later.start < end or later.datatype == "gYear":
            continue
        if not NEXT_IN_LIST.fullmatch(text, end, later.start):
            break
        used.add(later.start)
        listed.append(later)
        end = later.end
    return listed


def _doer(
    reader: Reader,
    sentence: Sentence,
    launch: re.Match,
    named_only: bool = False,
) -> str | None:
    """Who launched or tested: the state after "by" ("the missile launches carried out by
    North Korea in April 2009"); when the clause responds to it, only a state "by" whom it was
    done; else the state named last before it, else the one other state the sentence names
    ("After the launch of Taepodong-1 on August 31, 1998, North Korea announced ...") unless
    that state reacts to it, else (unless ``named_only``) the state the sentences before it in
    its section last named ("North Korea carried out two launches ... Another two SRBMs were
    launched on March 29, 2020") or its section's title."""
    text = fold(sentence.clean)
    states = [
        m
        for m in reader.mentions(sentence)
        if m.entry.kind in STATE_KINDS
        and m.entry.slug not in NEVER_LAUNCHER
        and not _quoted(text, m.start)  # "Jane's Sentinel Security Assessment China ..."
    ]
    for m in states:
        if m.start >= launch.end() and BY_STATE.fullmatch(text, launch.end(), m.start):
            return m.entry.slug
    if RESPONDING.search(text, 0, launch.start()):
        # "... to respond to the nuclear test on September 9, 2016 and the series of ballistic
        # missile launches by North Korea": those named before responded; the one "by" whom
        # it was done may come later.
        agents = [
            m for m in states if m.start > launch.end() and BY_BEFORE.search(text, 0, m.start)
        ]
        return agents[0].entry.slug if agents else None
    before = [m.entry.slug for m in states if m.end <= launch.start()]
    if before:
        return before[-1]
    if len({m.entry.slug for m in states}) == 1:
        # "Following the September 2017 nuclear test, Russia condemned ...": who reacted to it
        # did not do it, and who did goes unnamed.
        return None if REACTION.match(text, states[0].end) else states[0].entry.slug
    if states or named_only:
        return None
    section = reader.document.blocks[sentence.block].section
    earlier = reader.document.sentences[max(0, sentence.index - EARLIER) : sentence.index]
    for other in reversed(earlier):
        if reader.document.blocks[other.block].section != section:
            break
        named = [
            m.entry.slug
            for m in reader.mentions(other)
            if m.entry.kind in STATE_KINDS and m.entry.slug not in NEVER_LAUNCHER
        ]
        if named:
            return named[-1]
    # The section's own title or its parent's ("2 North Korea" > "(1) Ballistic Missiles"); not
    # further out, where a PDF's misread headings put other states.
    for outer in reversed(reader.document.section_path(section)[-TITLE_LEVELS:]):
        titled = _title_states(reader, outer.title)
        if titled:
            return titled[0] if len(titled) == 1 else None
    return None


def _title_states(reader: Reader, title: str) -> list[str]:
    found = reader.resolver.gazetteer.find(fold(title), kinds=STATE_KINDS)
    return list(dict.fromkeys(m.entry.slug for m in found if m.entry.slug not in NEVER_LAUNCHER))


def _quoted(text: str, pos: int) -> bool:
    """Whether ``pos`` lies inside a quotation (a title), after folding quotes to '"'."""
    return text.count('"', 0, pos) % 2 == 1


# The clause responds to what it names next: "in response to the nuclear test ...".
RESPONDING = re.compile(
    r"\b(?:respond(?:ed|ing)?\s+to|in\s+response\s+to|react(?:ed|ing)?\s+to|condemn(?:ed|ing)?"
    r"|protest(?:ed|ing)?\s+against)\s+(?:the\s+|a\s+|its\s+)?(?:[\w-]+\s+){0,3}$"
)
BY_BEFORE = re.compile(r"\bby\s+(?:the\s+)?$")
# A state's reaction to what another did.
REACTION = re.compile(
    r"(?:'s)?\s+(?:\w+ly\s+)?(?:condemn|criticiz|protest|denounc|express|impos|sanction"
    r"|respond|urg|call|demand|lodg|deplor|warn|react)"
)
# "carried out by North Korea", "of a ballistic missile ... by North Korea": the agent.
BY_STATE = re.compile(r"(?:\s+(?:carried\s+out|conducted|made))?\s+by\s+(?:the\s+)?")
# How many sentences back a launch's state may be named, and how many titles up.
EARLIER = 4
TITLE_LEVELS = 2


def _label(
    reader: Reader, kind: tuple[str, str, str], state: str, date: DateMention, out: Extraction
) -> str:
    return f"{reader.label(Ref('state', state), out)} {kind[1]} ({human(date.value)})"


def _emit(
    reader: Reader,
    sentence: Sentence,
    ref: Ref,
    kind: tuple[str, str, str],
    state: str,
    date: DateMention,
    label: str,
    out: Extraction,
) -> None:
    ev = reader.evidence(sentence, kind[2])
    out.add(Entity(ref, kind[0], label, evidence=ev))
    out.add(fact(ref, "date", date_lit(date), ev))
    out.add(fact(ref, "participant", Ref("state", state), ev))
