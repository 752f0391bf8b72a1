"""Find lexicon entities and titled persons in clean text.

The gazetteer walks a token trie built from every label, alias, acronym and hidden form of the
lexicon: leftmost-longest, non-overlapping matches. Acronyms and one-word names match only
with their exact case; longer names match in any case. Quotes and dashes are folded first
("“2+2”" matches '"2+2"', "Japan–U.S." matches "Japan-U.S.").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from ..corpus import YEAR_IN_NAME
from ..lexicon import Entry, Lexicon
from .dates import MONTH_NAME

TOKEN_RE = re.compile(r"[A-Za-z0-9]+|[^\sA-Za-z0-9]")
FOLD = str.maketrans(
    {
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
        "\u2018": "'", "\u2019": "'", "\u2032": "'",
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
        "\u00a0": " ",
    }
)  # fmt: skip

#: Single words never matched as a name, even when a concept is labelled with them.
COMMON_WORDS = frozenset(
    [
        "space",
        "air",
        "sea",
        "land",
        "ground",
        "maritime",
        "cyber",
        "logistics",
        "intelligence",
        "alliance",
        "guidelines",
        "treaty",
        "agreement",
        "government",
        "ministry",
        "forces",
        "president",
        "minister",
        "secretary",
    ]
)

#: Kinds that can be an event's topic when mentioned in its section.
TOPIC_KINDS = frozenset(
    {"issue", "domain", "agreement", "article", "place", "state", "mechanism", "event"}
)


def fold(text: str) -> str:
    """Fold quotes and dashes to ASCII, keeping every character's position."""
    return text.translate(FOLD)


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Token]:
    """Word and punctuation tokens with their offsets (whitespace dropped)."""
    return [Token(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(fold(text))]


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of clean text naming a lexicon entry."""

    start: int
    end: int
    surface: str
    entry: Entry

    @property
    def key(self) -> str:
        return self.entry.key


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    # (entry, exact tokens, case-sensitive?)
    terminals: list[tuple[Entry, tuple[str, ...], bool]] = field(default_factory=list)


class _Trie:
    """Token sequences (matched case-insensitively) leading to entries; leftmost-longest scan."""

    def __init__(self) -> None:
        self.root = _Node()

    def add(self, tokens: tuple[str, ...], entry: Entry, case_sensitive: bool) -> None:
        node = self.root
        for tok in tokens:
            node = node.children.setdefault(tok.lower(), _Node())
        node.terminals.append((entry, tokens, case_sensitive))

    def scan(self, text: str, accept) -> list[tuple[int, int, object]]:
        """Non-overlapping matches, leftmost-longest: ``accept(words, terminals)`` says what a
        match at a node yields (None: no match there)."""
        tokens = tokenize(text)
        found = []
        i = 0
        while i < len(tokens):
            best = None
            node = self.root
            j = i
            while j < len(tokens):
                word = tokens[j].text.lower()
                parent = node
                node = parent.children.get(word)
                if node is None:
                    # the plural of a name's last word: "space and cyber domains"
                    single = parent.children.get(word[:-1]) if PLURAL.fullmatch(word) else None
                    if j > i and single is not None and single.terminals:
                        words = (*(t.text for t in tokens[i:j]), tokens[j].text[:-1])
                        value = accept(words, single.terminals)
                        if value is not None:
                            best = (j + 1, value)
                    break
                j += 1
                if node.terminals:
                    value = accept(tuple(t.text for t in tokens[i:j]), node.terminals)
                    if value is not None:
                        best = (j, value)
            if best is None:
                i += 1
                continue
            j, value = best
            found.append((tokens[i].start, tokens[j - 1].end, value))
            i = j
        return found


PLURAL = re.compile(r"[a-z]{3,}[^s]s")


def _is_acronym(tokens: tuple[str, ...]) -> bool:
    words = [t for t in tokens if t[0].isalnum()]
    return len(words) == 1 and sum(c.isupper() for c in words[0]) >= 2


# The first of two names sharing their head, right before the second: "East and " South China
# Sea.
ELIDED_LEAD = re.compile(r"\b(?P<word>[A-Z][a-z]+)\s+and\s+$")


class Gazetteer:
    """Leftmost-longest matching of lexicon names in text."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.trie = _Trie()
        for entry in entries:
            forms = {entry.label, *entry.aliases, *entry.hidden, *entry.acronyms}
            if entry.kind == "post":
                forms.update(entry.titles)
            for form in forms:
                self._add(entry, form, force_case=form in entry.acronyms)

    def _add(self, entry: Entry, form: str, *, force_case: bool) -> None:
        tokens = tuple(t.text for t in tokenize(form))
        words = [t for t in tokens if t[0].isalnum()]
        if not words:
            return
        if len(words) == 1 and words[0].lower() in COMMON_WORDS:
            return
        case_sensitive = force_case or len(words) == 1 or _is_acronym(tokens)
        self.trie.add(tokens, entry, case_sensitive)

    def find(self, text: str, kinds: frozenset[str] | set[str] | None = None) -> list[Mention]:
        """Every non-overlapping mention in text, leftmost-longest, optionally of some kinds."""

        def accept(words: tuple[str, ...], terminals) -> Entry | None:
            # A form two entries share in different case goes to the one printed so: the
            # Guidelines' area "Intelligence, Surveillance, and Reconnaissance" in a heading,
            # the domain "intelligence, surveillance, and reconnaissance" in running text.
            fallback = None
            for entry, exact, case_sensitive in terminals:
                if kinds is not None and entry.kind not in kinds:
                    continue
                if words == exact:
                    return entry
                if not case_sensitive and fallback is None:
                    fallback = entry
            return fallback

        found = [
            Mention(a, b, text[a:b], e)
            for a, b, e in self.trie.scan(text, accept)
            if not text.startswith("$", b)  # "US$4.5 billion" is a currency, not the state
        ]
        return self._elided(text, found, accept) if " and " in text else found

    def _elided(self, text: str, found: list[Mention], accept) -> list[Mention]:
        """Add the first conjunct of a name with a shared head: "the East and South China
        Seas" names the East China Sea too, "Maritime and Air Self-Defense Forces" the MSDF."""
        out = []
        for m in found:
            lead = ELIDED_LEAD.search(text, max(0, m.start - 40), m.start)
            head = m.surface.partition(" ")[2]
            if (
                lead
                and head
                and lead.end() == m.start
                and not any(n.start <= lead.start() < n.end for n in out)
            ):
                whole = f"{lead['word']} {head}"
                hits = self.trie.scan(whole, accept)
                if len(hits) == 1 and hits[0][:2] == (0, len(whole)) and hits[0][2] != m.entry:
                    out.append(
                        Mention(
                            lead.start(), lead.start() + len(lead["word"]), lead["word"], hits[0][2]
                        )
                    )
            out.append(m)
        return out


@dataclass(frozen=True)
class Resolver:
    """Indexes of the lexicon used to resolve persons and posts."""

    lexicon: Lexicon
    gazetteer: Gazetteer
    persons_by_surname: dict[str, list[Entry]]
    posts_by_title: dict[str, list[Entry]]
    context_forms: ContextForms
    # "Russian", "Philippine" -> the state: a side, never a name; and all of them as one
    # pattern of whole words (None when the lexicon has none).
    adjectives: Mapping[str, str] = field(default_factory=dict)
    adjective_re: re.Pattern[str] | None = None
    persons_by_given: Mapping[str, list[Entry]] = field(default_factory=dict)
    # The words after the first of the lexicon's persons' names, lower-cased: only one of them
    # can continue a titled name past a lower-case word ("Kim Jong un").
    name_tails: frozenset[str] = frozenset()

    def by_surname(self, surname: str, year: int | None = None) -> list[Entry]:
        """Lexicon persons of this surname that a text written in ``year`` can mean."""
        return in_office_by(self.persons_by_surname.get(surname.lower(), []), year)

    def by_given_name(self, given: str, year: int | None = None) -> list[Entry]:
        """Lexicon persons of this given name that a text written in ``year`` can mean."""
        return in_office_by(self.persons_by_given.get(given.lower(), []), year)

    @classmethod
    def build(cls, lexicon: Lexicon) -> Resolver:
        by_surname: dict[str, list[Entry]] = {}
        by_given: dict[str, list[Entry]] = {}
        by_title: dict[str, list[Entry]] = {}
        for e in lexicon.of_kind("person"):
            if e.surname:
                by_surname.setdefault(e.surname.lower(), []).append(e)
            if e.given:
                by_given.setdefault(e.given.lower(), []).append(e)
        for e in lexicon.of_kind("post"):
            for form in {e.label, *e.aliases, *e.titles}:
                by_title.setdefault(normal_title(form), []).append(e)
        name_tails = frozenset(
            word
            for e in lexicon.of_kind("person")
            for form in (e.label, *e.aliases, *e.hidden)
            for word in re.findall(r"[a-z]+", form.lower())[1:]
        )
        adjectives = {a: e.slug for e in lexicon.of_kind("state") for a in e.adjectives}
        words = sorted(adjectives, key=len, reverse=True)
        pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b") if words else None
        return cls(
            lexicon,
            Gazetteer(lexicon),
            by_surname,
            by_title,
            ContextForms(lexicon),
            adjectives,
            pattern,
            by_given,
            name_tails,
        )


def normal_title(text: str) -> str:
    """A title reduced for lookup: folded, lower-case, 'U.S.' as 'us', single spaces.

    >>> normal_title("Acting U.S. Secretary  of Defense")
    'acting us secretary of defense'
    """
    text = fold(text).lower().replace("u.s.", "us ").replace("&", " and ")
    text = text.replace("defence", "defense")  # one office, two spellings
    return " ".join(re.sub(r"[^a-z0-9'-]+", " ", text).split())


#: Forms of address and ranks that precede a name without naming a post of the lexicon.
#: Styles of a sovereign, a title of their own before a name or before the office's.
STYLES = frozenset({"his majesty", "her majesty", "his royal highness", "his highness"})
GENERIC_TITLES = (
    "mr",
    "mrs",
    "ms",
    "dr",
    "admiral",
    "chairman",
    "chairwoman",
    "minister",
    "secretary",
    "ambassador",
    "commander",
    "governor",
    "mayor",
    "senator",
    "president",
    "president-elect",
    "premier",
    "chancellor",
    "emperor",
    "king",
    "queen",
    "prince",
    "princess",
    "crown prince",
    "sultan",
    "emir",
    "amir",
    *STYLES,
    "vice admiral",
    "rear admiral",
    "general",
    "lieutenant general",
    "major general",
    "air chief marshal",
    "state councilor",
    "state minister",
    "foreign minister",
    "defense minister",
    "defence minister",
    "prime minister",
    "general secretary",
    "minister for defence",
    "minister of defence",
    "minister of national defense",
    "minister of national defence",
    "minister of foreign affairs",
)
#: A ship named after an officer: "the aircraft carrier Admiral Gorshkov".
VESSEL_BEFORE = re.compile(
    r"\b(?:carrier|destroyer|frigate|cruiser|corvette|submarine|ship|vessel|icebreaker"
    r"|aircraft\s+career|HMS|USS|INS|HMAS|HMCS|JS|ROKS)\s+$",  # "aircraft career", as printed
    re.IGNORECASE,
)
#: Military ranks, and the words of a post held in uniform.
RANK_TITLE = re.compile(
    r"^(?:(?:vice|rear|fleet) admiral|admiral|(?:lieutenant|major|brigadier) general|general"
    r"|(?:lieutenant )?colonel|captain|commodore|air chief marshal)$"
)
MILITARY_POST = re.compile(r"Commander|Command\b|Chief|Staff|Admiral|Forces", re.IGNORECASE)
#: Offices every state has: the title alone does not say whose.
GENERIC_OFFICES = frozenset(
    normal_title(office)
    for office in {
        "president", "vice president", "prime minister", "deputy prime minister",
        "vice prime minister", "premier", "chairman", "king", "queen", "sultan", "emir", "amir",
        "crown prince", "general secretary",
        "minister", "defense minister", "defence minister", "minister of defense",
        "minister of defence", "minister for defence", "minister of national defense",
        "minister of national defence", "foreign minister",
        "minister for foreign affairs", "minister of foreign affairs", "chief of staff",
        "chairman of the joint chiefs of staff",
    }
)  # fmt: skip
WORD_RE = re.compile(r"[^\W\d_](?:[^\W\d_]|[.'-])*[^\W\d_.]\.?|[^\W\d_]\.?|&")
# Words that never belong to a person's name: abbreviated months (chronologies print
# "Minister Mar. 3"), and the nouns of organisations, events and places that follow titles in
# figure text ("Commander Royal Canadian Navy").
NOT_NAME_WORDS = frozenset(
    [
        "representative",
        "representatives",
        "parliamentary",
        "administrative",
        "senior",
        "official",
        "officials",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "navy",
        "army",
        "force",
        "forces",
        "air",
        "royal",
        "international",
        "aerospace",
        "exhibition",
        "university",
        "institute",
        "college",
        "school",
        "center",
        "centre",
        "command",
        "fleet",
        "group",
        "squadron",
        "regiment",
        "division",
        "brigade",
        "battalion",
        "corps",
        "agency",
        "bureau",
        "office",
        "ministry",
        "department",
        "embassy",
        "council",
        "committee",
        "conference",
        "forum",
        "dialogue",
        "summit",
        "meeting",
        "exercise",
        "ship",
        "island",
        "islands",
        "base",
        "camp",
        "prefecture",
        "city",
        "province",
        "region",
        "state",
        "strait",
        "sea",
        "ocean",
        # navigation of a saved web page run into its text ("President of the United States
        # Back to Index")
        "back",
        "index",
        "page",
        "home",
        "menu",
        "print",
    ]
)
NOT_NAME = frozenset(
    {
        "lieutenant",
        "colonel",
        "major",
        "captain",
        "brigadier",
        "marshal",
        "sergeant",
        "rear",
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "in",
        "on",
        "at",
        "for",
        "to",
        "from",
        "with",
        "by",
        "as",
        "meeting",
        "summit",
        "talks",
        "talk",
        "visit",
        "government",
        "governments",
        "forces",
        "force",
        "department",
        "ministry",
        "command",
        "office",
        "council",
        "committee",
        "security",
        "defense",
        "defence",
        "affairs",
        "state",
        "states",
        "secretary",
        "minister",
        "president",
        "japan",
        "united",
        "u.s",
        "japanese",
        "american",
        "both",
        "two",
        "this",
        "that",
        "these",
        "those",
        "who",
        "which",
        "he",
        "she",
        "they",
        "it",
        "his",
        "her",
        "their",
        "its",
        "was",
        "were",
        "is",
        "are",
        "held",
        "had",
        "has",
        "will",
        "would",
        "could",
        "said",
        "also",
        "then",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "cabinet",
        "chief",
        "vice",
        "deputy",
        "director",
        "commander",
        "ambassador",
        "admiral",
        "general",
        "staff",
        "joint",
        "acting",
        "assistant",
        "under",
        "foreign",
        "national",
        "statement",
        "remarks",
        "overview",
    }
)
HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "sir", "dame", "sheikh", "sheikha"})
# Forms of address between a post's state and the name: "Minister of Defense of the Kingdom of
# Saudi Arabia Prince Mohammed bin Salman".
ROYAL_ADDRESS = HONORIFICS | {"prince", "princess"}
# Letters after a name that are no part of it: "the Hon Richard Marles MP".
POST_NOMINALS = frozenset({"MP", "AO", "AC", "QC", "KC", "CBE", "OBE", "MBE", "KBE", "DSC"})
# Generational suffixes end a name but are not its surname: "Lloyd J. Austin III".
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# A given name romanised as two hyphenated syllables, printed after the family name.
SYLLABLE_PAIR = re.compile(r"[A-Z][a-z]{1,5}-[a-z]{1,5}")


def surname_of(name: str) -> str:
    """The family name in a printed name: the word in capitals where the text marks it so
    ("KONO Taro"); the first word of a Korean or Chinese name whose given name is romanised as
    two hyphenated syllables ("Jeong Kyeong-doo", "Tsai Ing-wen"); else the last word before any
    generational suffix.

    >>> surname_of("Lloyd J. Austin III"), surname_of("KONO Taro"), surname_of("Antony J. Blinken")
    ('Austin', 'KONO', 'Blinken')
    >>> surname_of("Jeong Kyeong-doo"), surname_of("Prayut Chan-ocha")
    ('Jeong', 'Chan-ocha')
    >>> surname_of("Qaboos bin Said"), surname_of("Tamim bin Hamad Al Thani")
    ('Qaboos', 'Thani')
    """
    parts = [
        p for p in name.replace(",", " ").split() if p.lower().rstrip(".") not in NAME_SUFFIXES
    ]
    parts = parts or name.split()
    marked = [p for p in parts if p.isupper() and len(p.rstrip(".")) > 1 and not p.endswith(".")]
    if marked:
        return marked[0]
    lower = [p.lower() for p in parts]
    if any(p in ("bin", "ibn") for p in lower[1:]) and not any(
        p in ("al", "el") or p.startswith(("al-", "el-")) for p in lower
    ):
        return parts[0]  # "Qaboos bin Said" is Sultan Qaboos: a patronym is no family name
    return parts[0] if _family_name_first(parts) else parts[-1]


# States whose people print the family name first, in two or three words ("Hu Jintao",
# "Fang Fenghui", "Han Min Goo"), whether or not the given name is hyphenated.
FAMILY_FIRST_STATES = frozenset({"china", "taiwan", "republic-of-korea", "north-korea"})


def sided_surname(name: str, surname: str, state: str | None) -> str:
    """The family name of a person the lexicon does not know, once their side is known: the
    first word for a Chinese or Korean name ("Hu Jintao" is President Hu), else ``surname``.

    >>> sided_surname("Fang Fenghui", "Fenghui", "china")
    'Fang'
    >>> sided_surname("Le Huy Vinh", "Vinh", "vietnam")
    'Vinh'
    """
    parts = name.split()
    if (
        state in FAMILY_FIRST_STATES
        and 2 <= len(parts) <= 3
        and "." not in name
        and len(parts[0]) <= 5
        and not any(p.isupper() for p in parts)
    ):
        return parts[0]
    return surname


def family_name_first(name: str) -> bool:
    """Whether a printed name is a Korean or Chinese one, family name first ("Lee Teng-hui").

    >>> family_name_first("Lee Teng-hui"), family_name_first("Prayut Chan-ocha")
    (True, False)
    """
    return _family_name_first(name.split())


def _family_name_first(parts: list[str]) -> bool:
    return len(parts) == 2 and len(parts[0]) <= 5 and bool(SYLLABLE_PAIR.fullmatch(parts[1]))


ARABIC_ARTICLE = re.compile(r"(?:al|el|ad|as|ash|ar|an)-[A-Z][a-z]+")
MONTH_ABBREVIATIONS = frozenset(
    {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
)
# Month names cut short, as rotated table text in PDF extraction prints them ("Chief of Staff,
# ASDF Febru Ja ur lyy"): no name begins so ("Marc" is a name).
LONG_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTH_FRAGMENTS = frozenset(m[:n] for m in LONG_MONTHS for n in range(4, len(m))) - {"marc"}
MONTH_PARTS = MONTH_ABBREVIATIONS | MONTH_FRAGMENTS
# Regions that complete a command's title ("Supreme Allied Commander Europe Philip Breedlove").
REGION_WORDS = frozenset(
    {"europe", "pacific", "atlantic", "asia", "africa", "americas", "indo-pacific", "asia-pacific"}
)
# Two words run together by PDF extraction ("ShanahanEntering into force ..."): a name and
# the capitalised word after it.
GLUED = re.compile(r"([A-Z][a-z]{2,})([A-Z][a-z]{2,})")
# Words that make a different, lower office of the title they precede ("State Defense
# Minister" is a state minister, not the minister; a "Permanent Secretary of Defense" is a
# civil servant, not the U.S. Secretary of Defense).
TITLE_MODIFIERS = frozenset(
    {"assistant", "deputy", "under", "vice", "principal", "associate", "state", "permanent"}
)


@dataclass(frozen=True, slots=True)
class Word:
    start: int
    end: int
    text: str

    @property
    def norm(self) -> str:
        w = self.text.lower()
        if w in ("u.s.", "u.s"):
            return "us"
        return w.rstrip(".").replace("defence", "defense")


GLUED_THEN = re.compile(r"(?:then|former)(?=[A-Z][a-z])")


def words(text: str) -> list[Word]:
    """Words for title and name scanning ('U.S.', 'Mrs.', 'Jong-Un', "Trump's" stay whole;
    "then-Prime" is two words, and so is "thenPrime", run together by PDF extraction)."""
    out = []
    for m in WORD_RE.finditer(fold(text)):
        head, dash, rest = m.group().partition("-")
        glued = GLUED_THEN.match(m.group())
        if dash and rest and head.lower() in ("then", "former"):
            out.append(Word(m.start(), m.start() + len(head), head))
            out.append(Word(m.start() + len(head) + 1, m.end(), rest))
        elif glued:
            cut = m.start() + glued.end()
            out.append(Word(m.start(), cut, m.group()[: glued.end()]))
            out.append(Word(cut, m.end(), m.group()[glued.end() :]))
        else:
            out.append(Word(m.start(), m.end(), m.group()))
    return out


@dataclass(frozen=True, slots=True)
class PersonMention:
    """A person named after a title ("then Acting U.S. Secretary of Defense Shanahan")."""

    start: int
    end: int
    title: str  # the title as printed, without "then"/"former"
    name: str  # the name as printed
    surname: str
    acting: bool
    former: bool  # "then ..." or "former ..."
    possessive: bool  # "Trump's"
    person: Entry | None
    post: Entry | None
    state: str | None  # slug of the state the person acts for, when known


class TitleIndex:
    """Title forms (lower-case word tuples) -> posts, plus generic forms of address."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.forms: dict[tuple[str, ...], list[Entry]] = {}
        for form, posts in resolver.posts_by_title.items():
            self.forms.setdefault(tuple(form.split()), []).extend(posts)
        for form in GENERIC_TITLES:
            self.forms.setdefault(tuple(normal_title(form).split()), [])
        self.longest = max((len(k) for k in self.forms), default=1)
        # Words the lexicon's names print: a word in none of them, printed only capitalised,
        # at the end of an unlisted post's phrase is a name ("Minister for the Development of
        # Russian Far East Galushka").
        self.name_words = {
            word.lower()
            for entry in resolver.lexicon
            if entry.kind != "person"
            for name in (entry.label, *entry.aliases, *entry.titles)
            for word in re.findall(r"[A-Za-z]+", name)
        }

    def match(self, ws: list[Word], i: int) -> tuple[int, list[Entry]] | None:
        """Longest title starting at word i: (number of words, candidate posts)."""
        for n in range(min(self.longest, len(ws) - i), 0, -1):
            key = tuple(w.norm for w in ws[i : i + n])
            if key in self.forms:
                return n, self.forms[key]
        return None


# Words after "General" that make it part of a body's or a document's name.
GENERAL_NAMES = frozenset(  # and their beginnings, as a line break cuts them ("Accou nt")
    [
        "assembly",
        "account",
        "accounting",
        "armament",
        "staff",
        "political",
        "logistics",
        "secretariat",
        "affairs",
        "headquarters",
        "department",
        "administration",
        "directorate",
        "services",
        "council",
        "conference",
        "agreement",
        "election",
        "hospital",
        "dynamics",
        "atomics",
        "electric",
        "motors",
        "office",
        "bureau",
    ]
)


def _not_rank(ws: list[Word], i: int) -> bool:
    """Whether "General" at word i is no rank: after a capitalised word of the same phrase
    ("Director General", "Secretary General") or an article ("the General Assembly"), or
    before a word of a body's name ("General Staff", "General Armament Department")."""
    before = ws[i - 1] if i > 0 else None
    return (
        (before is not None and before.end + 1 == ws[i].start and before.text[:1].isupper())
        or (before is not None and before.norm in ("the", "a", "an"))
        or (
            i + 1 < len(ws)
            and any(
                w.startswith(ws[i + 1].norm) and len(ws[i + 1].norm) >= 4 for w in GENERAL_NAMES
            )
        )
    )


def _is_name_word(w: Word) -> bool:
    core = w.text.rstrip(".")
    if core.endswith(("'s", "'S")):
        core = core[:-2]
    norm = w.norm.removesuffix("'s")
    if ARABIC_ARTICLE.fullmatch(core):
        return True  # "Abdel-Fattah el-Sisi", "Bashar al-Assad"
    if not core or not core[0].isupper() or norm in NOT_NAME or norm in NOT_NAME_WORDS:
        return False
    if re.search(r"minister|secretar|commander|chief|chairman|president|director|ambassador", norm):
        return False  # a title run on after a title: "... Vice-Minister, Administrative ..."
    parts = [part for part in core.split("-") if part]
    if any(part.rstrip(".").lower() in MONTH_PARTS for part in parts):
        return False  # "Mattis Jan.-Apr." in a chronology: months, not a name
    # Korean and Chinese given names print their second syllable in lower case: "Jong-un",
    # "Jae-in", "Ying-jeou".
    return parts[0][:1].isupper() and all(
        part[:1].isupper() or (i > 0 and len(part) <= 4 and part.isalpha())
        for i, part in enumerate(parts)
    )


def _patronym(particle: Word, w: Word) -> bool:
    """A capitalised word after "bin" or "ibn" is a father's name, even one that is also a
    word: "Qaboos bin Said"."""
    return particle.norm in ("bin", "ibn") and w.text[:1].isupper() and w.text[1:].islower()


VERB_AFTER_NAME = re.compile(
    r"\s+(?:became|visited|held|met|said|stated|expressed|attended|signed|paid|agreed|noted"
    r"|emphasized|announced|of\s+(?:the\s+)?[A-Z])\b"
)


def _surname_like_a_month(text: str, w: Word, name_words: list[Word]) -> bool:
    """ "Prime Minister Theresa May made ...": after a given name, "May" not followed by a day
    or a year is a surname."""
    return w.text == "May" and bool(name_words) and not re.match(r"\s*(?:\d|of\b)", text[w.end :])


def _adjective_side(before: str, resolver: Resolver) -> str | None:
    """The state a title is qualified by, when a state adjective ends ``before``."""
    pattern = resolver.adjective_re
    if pattern is None:
        return None
    # past a first office joined to the title: "Cambodian Deputy Prime Minister and Minister of
    # National Defense Tea Banh"
    before = JOINED_OFFICE.sub("", before.rstrip())
    tail = before.rstrip()[-30:]
    found = [m for m in pattern.finditer(tail) if m.end() == len(tail)]
    return resolver.adjectives[found[-1].group()] if found else None


# A first office a title joins to the one it names: "(Cambodian) Deputy Prime Minister and
# Minister of National Defense Tea Banh".
FIRST_OFFICE = r"(?:Deputy\s+|Vice\s+)?Prime\s+Minister\s+and"
JOINED_OFFICE = re.compile(r"\s+" + FIRST_OFFICE + "$")


def _named_side(before: str, resolver: Resolver) -> str | None:
    """The state whose name qualifies a title, as an attribute or a possessive, when it ends
    ``before`` ("Myanmar Defense Minister", "ROK Minister of National Defense", "Australia's
    Defence Minister"). Read only for people the lexicon does not know: chronology rows run
    together in PDF text put a state's name right before a title that is not its own ("...
    airstrikes on ISIL in Syria Prime Minister Abe attends ...")."""
    tail = POSSESSIVE_END.sub("", before.rstrip()[-60:])
    named = [
        m
        for m in resolver.gazetteer.find(tail, STATE_KIND)
        if m.end == len(tail) and (m.start == 0 or tail[m.start - 1] in " (")
    ]
    return named[-1].entry.slug if named else None


POSSESSIVE_END = re.compile(r"['\u2019]s$")
STATE_KIND = frozenset({"state"})


def _inflected_count(word: str, common: Mapping[str, int]) -> int:
    """How often the document prints a word's inflections in lower case ("approved",
    "approving", "approval" for "Approve")."""
    stem = word[:-1] if word.endswith("e") else word
    forms = {word + "s", word + "d", stem + "ed", stem + "ing", stem + "al", stem + "es"}
    forms.discard(word)
    return sum(common.get(form, 0) for form in forms)


def _names_something_else(name: str, resolver: Resolver) -> bool:
    """True when the would-be name is, or hyphen-joins, a place, state or body the lexicon
    knows ("Canada", "Japan-France" printed after a title in a table)."""
    name = name.removesuffix("'s")
    if name.split(" ")[0] in resolver.adjectives:
        return True
    if any(
        m.start == 0 and m.end >= len(name.rstrip(".")) and m.entry.kind != "person"
        for m in resolver.gazetteer.find(name)
    ):
        return True
    parts = [p for p in re.split(r"[-\s]+", name) if p]
    return (
        len(parts) > 1
        and "-" in name
        and any(
            m.entry.kind in ("state", "place") and m.start == 0 and m.end == len(part.rstrip("."))
            for part in parts
            for m in resolver.gazetteer.find(part)
        )
    )


def _is_person_name_at(text: str, start: int, resolver: Resolver) -> bool:
    """True when a lexicon person's name starts here (so a common word can still be a name:
    "Moon Jae-in")."""
    return any(
        m.start == 0 for m in resolver.gazetteer.find(text[start : start + 60], kinds={"person"})
    )


def _lexicon_name_rest(
    text: str, ws: list[Word], j: int, name_words: list[Word], resolver: Resolver
) -> int:
    """Extend name_words over the lower-case rest of a lexicon person's name printed with it
    ("Chairman Kim Jong un": a PDF's broken "Jong-un" is no person "Kim Jong"); return the
    index of the word after the name."""
    if (
        not name_words
        or j >= len(ws)
        or not ws[j].text[:1].islower()
        or not set(re.findall(r"[a-z]+", ws[j].text)) & resolver.name_tails
    ):
        return j  # a lower-case word no lexicon name goes on with: no lookup
    start, end = name_words[0].start, name_words[-1].end
    ends = {
        start + m.end
        for m in resolver.gazetteer.find(text[start : start + 60], kinds={"person"})
        if m.start == 0 and start + m.end > end
    }
    k = j
    while k < len(ws) and ws[k].start < max(ends, default=end):
        k += 1
    if k > j and ws[k - 1].end in ends:
        name_words.extend(ws[j:k])
        return k
    return j


#: A title is the complement, not the label, of what follows these ("X becomes Minister of
#: State for Defense", a chronology cell followed by the next cell's text).
OF_TO = frozenset({"to", "of", "for"})  # "Special Adviser to the Prime Minister Sonoura"
COMPLEMENT_VERBS = frozenset({"becomes", "become", "became", "becoming", "appointed", "named"})
#: Nouns that make the "name" before them the name of a text or a gathering.
DOCUMENT_NOUNS = frozenset(
    {
        "agreement", "agreements", "accord", "accords", "convention", "treaty", "protocol",
        "declaration", "communique", "conference", "summit", "initiative", "act", "law",
        "cabinet",  # "Brezhnev becomes General Secretary Sato Cabinet established"
    }
)  # fmt: skip
# Particles inside a name do not count towards its four words ("Hamad Mohammed Thani Al
# Rumaithi").
NAME_PARTICLES = frozenset({"al", "el", "bin", "ibn", "abu", "van", "von", "de", "da", "del"})
FIRST_WORD_COMMON = 2
LATER_WORD_COMMON = 5
MONTHS = frozenset(
    {
        "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december",
    }
)  # fmt: skip


# A comma, then a form of address before a name: "Senator the Hon", "H.E. Mr.", "the
# Honourable".
ADDRESSED_AFTER = re.compile(
    r",\s+(?:Senator\s+)?(?:(?:the\s+)?(?:Hon\.?|Honourable|Honorable)|(?:H\.\s?E\.|His\s+"
    r"Excellency|Her\s+Excellency)(?:\s+(?:Mr|Mrs|Ms|Dr)\.?)?)\s+"
)


def _rank_at(ws: list[Word], j: int) -> int:
    """How many words at ``j`` are a military rank printed between a post and its holder's
    name ("Chief of Staff, Joint Staff General Yoshida", "Commander of U.S. Indo-Pacific
    Command Admiral Aquilino"): the post names the office, the rank does not."""
    for n in (3, 2, 1):
        part = ws[j : j + n]
        if (
            len(part) == n
            and j + n < len(ws)
            and all(w.text[:1].isupper() for w in part)
            and RANK_TITLE.match(" ".join(w.norm for w in part))
        ):
            return n
    return 0


COMPOUND_WORD = re.compile(r"-(?:to|and|of|by|in|on|for|the|with)-", re.IGNORECASE)


def find_people(
    text: str,
    resolver: Resolver,
    index: TitleIndex | None = None,
    common: Mapping[str, int] | None = None,
    year: int | None = None,
) -> list[PersonMention]:
    """Titled person mentions in clean text, resolved to lexicon persons and posts (``year``:
    when the text was written, so no one who took office later is meant).

    ``common`` counts the words the document prints in lower case ("approval", "since"): a
    capitalised one after a title is a table cell or heading, not a name ("Prime Minister (2)
    Approval of the Diet"), unless the lexicon knows a person by it. A surname that is also a
    rare word ("Swift", "Sharp") must be commoner to stop a name than a first word must be.
    """
    index = index or TitleIndex(resolver)
    common = common or {}
    ws = words(text)
    out: list[PersonMention] = []
    i = 0
    while i < len(ws):
        start_i = i
        former = acting = False
        if ws[i].norm in ("then", "former"):
            former = True
            i += 1
        if i < len(ws) and ws[i].norm == "acting":
            acting = True
            i += 1
        # A title before a name is capitalised; "serves as president and Mr. Machar as ..."
        # names an office, not Machar's.
        hit = index.match(ws, i) if i < len(ws) and ws[i].text[:1].isupper() else None
        if hit is not None and " ".join(w.norm for w in ws[i : i + hit[0]]) in STYLES:
            # "His Majesty King Abdullah": the office after the style is the title; the style
            # alone titles a name ("His Majesty Qaboos bin Said").
            office = index.match(ws, i + hit[0])
            if office is not None:
                i, hit = i + hit[0], office
        modified = (i > 0 and ws[i - 1].norm in TITLE_MODIFIERS) or (
            # "Deputy Defense Minister Skakov" is not a minister either; but "Secretary of
            # State Rice, Minister ..." names two people.
            i > 1 and ws[i - 2].norm in TITLE_MODIFIERS - {"state"} and ws[i - 1].text[:1].isupper()
        )
        if hit is not None and hit[0] == 1 and ws[i].norm == "general" and _not_rank(ws, i):
            hit = None  # "Secretary General Stoltenberg", "the General Assembly": no rank
        if hit is None or (modified and not acting):
            # "Assistant Secretary of Defense" is not the Secretary of Defense
            i = start_i + 1
            continue
        n, posts = hit
        title_words = ws[i : i + n]
        j = i + n
        if j + 1 < len(ws) and ws[j].text in ("&", "and") and ws[j + 1].norm in ("mrs", "mr"):
            j += 2  # "Prime Minister & Mrs. Abe": the title holder is named; the spouse is not
        while j < len(ws) and ws[j].norm in HONORIFICS and ws[j].text[:1].isupper():
            j += 1  # "Defense Minister Dr Ng", "Minister of Defense Mr. Pinzón"
        while j < len(ws) and ws[j].norm in REGION_WORDS and ws[j].text[:1].isupper():
            j += 1
        # "Minister of Defence of New Zealand Judith Collins": the state the post is of, between
        # the title and the name.
        of_state, j = _state_of_title(text, ws, j, resolver)
        while of_state and j < len(ws) and ws[j].norm in ROYAL_ADDRESS and ws[j].text[:1].isupper():
            j += 1  # "Emir of Qatar Sheikh Tamim bin Hamad Al Thani"
        if (start_i > 0 and ws[start_i - 1].norm in COMPLEMENT_VERBS) or (
            start_i > 1 and ws[start_i - 1].norm == "the" and ws[start_i - 2].norm in OF_TO
        ):
            i = j  # the title is a complement: "X becomes Minister of ...", "Adviser to the PM"
            continue
        if n > 1:  # not "Secretary General Stoltenberg"
            j += _rank_at(ws, j)
        lead_end = ws[j - 1].end  # after the title and any "& Mrs." or "Dr"
        # "Minister for Defence, the Hon Richard Marles MP", "Minister for Foreign Affairs, H.E.
        # Mr. HAYASHI Yoshimasa": the name after a comma and a form of address.
        apposed = ADDRESSED_AFTER.match(text, lead_end)
        if apposed is not None and (after := _word_at(ws, apposed.end())) is not None:
            j, lead_end = after, apposed.end()
        name_words: list[Word] = []
        name_start = ws[j].start if j < len(ws) else len(text)
        while (
            j < len(ws)
            and len([w for w in name_words if w.norm not in NAME_PARTICLES]) < 4
            and (
                _is_name_word(ws[j])
                or _surname_like_a_month(text, ws[j], name_words)
                # "Mohammed bin Zayed Al Nahyan": a particle inside a name
                or (
                    bool(name_words)
                    and ws[j].norm in NAME_PARTICLES
                    and j + 1 < len(ws)
                    and (_is_name_word(ws[j + 1]) or _patronym(ws[j], ws[j + 1]))
                )
                or (bool(name_words) and _patronym(name_words[-1], ws[j]))
            )
        ):
            before = name_words[-1].end if name_words else lead_end
            if text[before : ws[j].start].strip():
                break  # a name does not run across punctuation: "Shanahan (April 19"
            if len(ws[j].text) == 1 or _names_something_else(ws[j].text, resolver):
                break  # "Sharif G", "Iwaya U.S. Secretary ...", "GSDF MSDF ASDF"
            norm = ws[j].norm.removesuffix("'s")
            if norm in DOCUMENT_NOUNS or ws[j].text in POST_NOMINALS:
                break  # "... Treaty", "the Hon Richard Marles MP"
            threshold = LATER_WORD_COMMON if name_words else FIRST_WORD_COMMON
            after_initial = bool(name_words) and re.fullmatch(r"[A-Z]\.", name_words[-1].text)
            # A family name that is also a word ends the name before a full stop or a comma:
            # "Defence Minister Ron Mark." (the text prints "mark" often in lower case).
            # So does one before a verb or "of <State>": "Lieutenant General Sein Win became the
            # first defense minister ...", "Defense Minister Sein Win of Myanmar".
            closes = bool(name_words) and (
                ws[j].text.endswith(".")
                or re.match(r"[.,](?:\s|$)", text[ws[j].end :]) is not None
                or VERB_AFTER_NAME.match(text, ws[j].end) is not None
            )
            if (
                not after_initial
                and not closes
                and not (name_words and _patronym(name_words[-1], ws[j]))
                and common.get(norm, 0) >= threshold
                and norm not in MONTHS
                and not _is_person_name_at(text, name_start, resolver)  # looked up only here
            ):
                break  # "Abe Since ...", "Minister of Defense Enactment of ..."
            glued = GLUED.fullmatch(ws[j].text)
            if glued and common.get(glued[2].lower(), 0):
                name_words.append(Word(ws[j].start, ws[j].start + len(glued[1]), glued[1]))
                break
            name_words.append(ws[j])
            if ws[j].text.endswith(("'s", "'S")):
                break
            j += 1
        j = _lexicon_name_rest(text, ws, j, name_words, resolver)
        first = title_words[0].start
        if (
            not name_words
            or (first > 0 and text[first - 1] in "\"\u201c'\u2018")  # the ship "Admiral Vinogradov"
            or VESSEL_BEFORE.search(text[max(0, first - 25) : first])  # "carrier Admiral Gorshkov"
            or text.startswith("-class", name_words[-1].end)  # "Queen Elizabeth-class carriers"
            or (len(name_words) == 1 and len(name_words[0].text.rstrip(".")) < 2)
            or (  # an acronym alone is a state or body ("Vice-Minister of Defense UAE"), not
                # a lexicon person's family name in capitals ("Minister of Defense HAMADA")
                len(name_words) == 1
                and name_words[0].text.rstrip(".").isupper()
                and not _is_person_name_at(text, name_words[0].start, resolver)
                and not resolver.persons_by_surname.get(name_words[0].text.rstrip(".").lower())
            )
            or (first > 0 and text[first - 1] == "-" and not former)  # "Vice-Minister"
            or _names_something_else(text[name_words[0].start : name_words[-1].end], resolver)
            or (j < len(ws) and ws[j].norm in DOCUMENT_NOUNS)  # "Secretary Geneva Agreement"
            # a compound of words, not a name: "Secretary of State for Defence Unit-to-unit
            # exchange" (a table cell run on)
            or any(COMPOUND_WORD.search(w.text) for w in name_words)
            or (  # "Prime Minister Approve" in a flowchart: a verb the text inflects
                len(name_words) == 1
                and _inflected_count(name_words[0].norm, common) >= LATER_WORD_COMMON
                and not _is_person_name_at(text, name_words[0].start, resolver)
            )
        ):
            i = start_i + 1
            continue
        mention = _person_mention(
            text, ws, start_i, title_words, name_words, acting, former, posts, resolver, year
        )
        if of_state is not None:
            mention = _of_state(mention, of_state)
        if mention.person is None and _given_name_only(mention.name, resolver):
            i = j  # "Minister for Foreign Affairs Taro": a name cut short, no one we can tell
            continue
        out.append(mention)
        i = j + 1 if name_words[-1].text.endswith(("'s", "'S")) else j
    out = [_post_after(text, ws, p, index, resolver) for p in out]
    return out + _appositive_people(text, ws, resolver, index, common, year, out)


# "Valery Gerasimov, Chief of the General Staff of the Russian Armed Forces, visited Japan":
# a name, then a comma and the post it holds, as far as the next comma or verb.
APPOSITIVE_GAP = re.compile(r",\s+(?:then\s+|former\s+)?")
APPOSITIVE_END = re.compile(
    r",|\s*\(|\s+(?:visited|met|held|attended|paid|said|stated|in|on|at|during|was|were|is"
    r"|has|had|who|also|expressed|announced|remarked|noted|emphasized|stressed|called)\b"
    rf"|\s+(?:{MONTH_NAME})\b"
)
# A rank or form of address printed before the name ("Gen. John E. Hyten", "His Excellency
# Salva Kiir Mayardit", "Vice-Marshal Tony Davies"): not part of it.
NAME_LEAD = re.compile(
    r"(?:gen|adm|lt|col|maj|capt|cdr|brig|vice|rear|air|his|her|excellency|general|admiral"
    r"|marshal|lieutenant|colonel|major|captain|commander|commodore|brigadier|dr|mr|mrs|ms"
    r"|prof|sir|rt|hon|right|honourable|honorable|h\.\s?e)\b",
    re.IGNORECASE,
)
# A generation printed after a name, with or without a comma: "Joseph R. Biden, Jr.,",
# "Lloyd J. Austin III,".
NAME_SUFFIX = re.compile(r",?\s+(?:Jr|Sr)\.|\s+(?:II|III|IV)\b")
APPOSITIVE_MAX = 90
APPOSITIVE_TITLE = re.compile(
    r"(?:Deputy\s+|Vice[- ]?|Acting\s+)?(?:Chief|Commander(?:-in-Chief)?|Commanding\s+General"
    r"|Chairman|Director(?:[- ]General)?|Minister|Secretary|President|Head)\b"
)


def _appositive_people(
    text: str,
    ws: list[Word],
    resolver: Resolver,
    index: TitleIndex,
    common: Mapping[str, int],
    year: int | None,
    found: list[PersonMention],
) -> list[PersonMention]:
    """People named before their post ("Melvyn Ong, then Chief of the Singaporean Army,"):
    two to four name words, a comma, a title, and a state the post is of, by its adjective or
    its name ("..., Indian Air Force", "Commander of Air Defense and Air Force, Vietnam"), for
    a post other states have too. The mention spans the name and its post."""
    taken = [(p.start, p.end) for p in found]
    out = []
    k = 0
    while k < len(ws):
        names: list[Word] = []
        j = k
        while j < len(ws) and _is_name_word(ws[j]) and NAME_LEAD.match(ws[j].text):
            j += 1  # "H.E. Ferdinand ...", "The Honorable Lloyd J. Austin III"
        while j < len(ws) and len(names) < 4 and _is_name_word(ws[j]):
            if names and text[names[-1].end : ws[j].start] != " ":
                break
            names.append(ws[j])
            j += 1
        # The mention starts at a form of address ("with the Honorable Joseph R. Biden, Jr.,").
        lead_start = ws[k].start if names and ws[k].start < names[0].start else None
        while names and NAME_SUFFIX.fullmatch(" " + names[-1].text):
            names.pop()  # "Marcos Jr.": the name is the words before the generation
        after = names[-1].end if names else 0
        suffix = NAME_SUFFIX.match(text, after) if len(names) >= 2 else None
        if suffix is not None:
            after = suffix.end()
        gap = APPOSITIVE_GAP.match(text, after) if len(names) >= 2 else None
        post = _post_printed_at(text, ws, gap.end(), index, resolver) if gap else None
        if post is None or not _appositive_name(text, names, resolver, common, taken):
            k = j if names else k + 1
            continue
        title_i, n, posts, (phrase_end, side_end, side) = post
        last = re.findall(r"[A-Za-z]+", text[ws[title_i].start : phrase_end])[-1:]
        if phrase_end - names[0].start > APPOSITIVE_MAX or (
            # nor a title that names the next person of a list ("..., Yury Trutnev, Minister
            # for the Development of Russian Far East Galushka, and ..."): it is Galushka's
            last and last[0].lower() not in index.name_words and not common.get(last[0].lower())
        ):
            k = j
            continue
        former = re.search(r"then|former", text[gap.start() : gap.end()]) is not None
        title_words = ws[title_i : title_i + n]
        mention = _person_mention(
            text, ws, title_i, title_words, names, False, former, posts, resolver, year
        )
        post_entry = mention.post if mention.post and mention.post.state == side else None
        out.append(
            _with_side(
                mention,
                side,
                start=lead_start if lead_start is not None else names[0].start,
                end=side_end,
                title=text[title_words[0].start : phrase_end].strip(),
                post=post_entry,
            )
        )
        k = next((t for t in range(j, len(ws)) if ws[t].start >= side_end), len(ws))
    return out


def _post_printed_at(
    text: str, ws: list[Word], at: int, index: TitleIndex, resolver: Resolver
) -> tuple[int, int, list[Entry], tuple[int, int, str]] | None:
    """The post printed at ``at`` after a name and a comma, with the one state it is of:
    (first title word, number of title words, the lexicon's posts of that title, (end of the
    post, end of its state, the state)). The title is the lexicon's or a chief, commander,
    minister ... it does not list ("Chief of the Air Staff"); the state is named in the post
    or in a part of its own after it ("..., Indian Air Force,", "..., Vietnam, visited")."""
    title_i = _word_at(ws, at)
    if title_i is None:
        return None
    hit = index.match(ws, title_i)
    if hit is None:
        head = APPOSITIVE_TITLE.match(text, at)
        if head is None:
            return None
        hit = (sum(1 for w in ws[title_i:] if w.end <= head.end()), [])
    n, posts = hit
    end = APPOSITIVE_END.search(text, ws[title_i + n - 1].end)
    phrase_end = side_end = end.start() if end else len(text)
    side = _phrase_side(text[at:phrase_end], resolver)
    if side is None and end and end.group() == ",":
        more = APPOSITIVE_END.search(text, end.end())
        part = text[end.end() : more.start()].split() if more else []
        # A part of its own names the state, capitalised: "Indian Air Force", "Vietnam"; not
        # the rest of the clause ("NATO made an official visit to Japan").
        if more and more.start() - end.end() <= 40 and all(w[:1].isupper() for w in part):
            side = _phrase_side(text[end.end() : more.start()], resolver)
            side_end = more.start()
    return (title_i, n, posts, (phrase_end, side_end, side)) if side else None


def _post_after(
    text: str, ws: list[Word], person: PersonMention, index: TitleIndex, resolver: Resolver
) -> PersonMention:
    """A person titled by rank alone takes the side of the post printed after the name
    ("Air Chief Marshal Birender Singh Dhanoa, Chief of the Air Staff, Indian Air Force");
    one addressed only as Mr. or Ms. takes that post too ("Mr. KISHIDA Fumio, Prime Minister
    of Japan")."""
    gap = APPOSITIVE_GAP.match(text, person.end)
    addressed = person.post is None and (
        all(w.rstrip(".").lower() in HONORIFICS for w in person.title.split())
        or RANK_TITLE.match(normal_title(person.title)) is not None
    )
    if person.possessive or gap is None or (person.state is not None and not addressed):
        return person
    post = _post_printed_at(text, ws, gap.end(), index, resolver)
    if post is None:
        return _own_post_after(text, ws, gap.end(), person, index) if addressed else person
    title_i, _, posts, (phrase_end, side_end, side) = post
    if phrase_end - gap.end() > APPOSITIVE_MAX or person.state not in (None, side):
        return person
    entry = next((p for p in posts if p.state == side), None) if addressed else None
    if entry is None:
        return _with_side(person, side, end=side_end)
    title = text[ws[title_i].start : phrase_end].strip()
    return _with_side(person, side, end=side_end, post=entry, title=title)


def _word_at(ws: list[Word], at: int) -> int | None:
    """The index of the word that starts at offset ``at``, if one does."""
    return next((i for i, w in enumerate(ws) if w.start == at), None)


def _own_post_after(
    text: str, ws: list[Word], at: int, person: PersonMention, index: TitleIndex
) -> PersonMention:
    """The post printed after the name of a body rather than a state ("General Petr Pavel,
    Chairman of the Military Committee, NATO"): a known person's own post of that title, or
    the one post of that title the lexicon has."""
    title_i = _word_at(ws, at)
    hit = index.match(ws, title_i) if title_i is not None else None
    if hit is None:
        return person
    n, posts = hit
    if person.person is not None:
        own = set(person.person.posts)
        entry = next((p for p in posts if f"post/{p.slug}" in own), None)
    else:
        entry = posts[0] if len(posts) == 1 and posts[0].state is None else None
    if entry is None:
        return person
    return replace(person, post=entry, title=text[at : ws[title_i + n - 1].end])


TITLE_OF = re.compile(r"\s+of\s+(?:the\s+)?")


FORMAL_STATE = re.compile(
    r"(?:(?:Federal|Democratic|Socialist|Islamic|United|Hashemite)\s+)?"
    r"(?:Republic|Kingdom|Commonwealth|Sultanate|State|Federation)\s+of\s+(?:the\s+)?"
)


def _state_of_title(
    text: str, ws: list[Word], j: int, resolver: Resolver
) -> tuple[str | None, int]:
    """The state named by "of <state>" right after a title when a name follows it, and the
    index of the name's first word; (None, ``j``) otherwise."""
    if j == 0 or j >= len(ws):
        return None, j
    of = TITLE_OF.match(text, ws[j - 1].end)
    if of is None:
        return None, j
    at = of.end()
    named = [m for m in resolver.gazetteer.find(text[at : at + 60], STATE_KIND) if m.start == 0]
    formal = FORMAL_STATE.match(text, at)
    if not named and formal is not None:
        # "Minister of Defense of the Republic of Finland Carl Haglund": a state's formal name
        # the lexicon does not list, by its short name
        at = formal.end()
        named = [m for m in resolver.gazetteer.find(text[at : at + 60], STATE_KIND) if m.start == 0]
    if not named:
        return None, j
    end = at + max(m.end for m in named)
    k = next((k for k in range(j, len(ws)) if ws[k].start >= end), len(ws))
    if (
        k < len(ws)
        and text[end : ws[k].start] == " "
        and _is_name_word(ws[k])
        and ws[k].norm not in REGION_WORDS
        # The state as an attribute of a body: "Commander of the U.S. Pacific Fleet Admiral
        # Swift", "Commander of the U.S. Fifth Fleet".
        and not BODY_AFTER_STATE.match(text, ws[k].start)
    ):
        return max(named, key=lambda m: m.end).entry.slug, k
    return None, j


BODY_AFTER_STATE = re.compile(
    r"(?:[A-Z][\w.-]*\s+){0,3}(?:Fleet|Command|Forces?|Army|Navy|Air\b|Marine|Corps|Coast"
    r"|Ministry|Department|Staff|Government|National|Armed|Defen[cs]e|Joint)\b"
)


def _of_state(mention: PersonMention, state: str) -> PersonMention:
    """A mention whose title says which state's post it is: not another state's post or
    person of that title and surname."""
    post = mention.post if mention.post is not None and mention.post.state == state else None
    person = mention.person
    if person is not None and person.state not in (None, state):
        person = None
    return _with_side(replace(mention, post=post, person=person), state)


def _with_side(mention: PersonMention, side: str, **changes) -> PersonMention:
    """The mention acting for ``side``; a person the lexicon does not know is named by the
    family name that side prints ("Hu Jintao" is Hu)."""
    surname = (
        mention.surname if mention.person else sided_surname(mention.name, mention.surname, side)
    )
    return replace(mention, state=side, surname=surname, **changes)


# What may stand between a titled mention and the rest of its name: a generation ("II").
NAME_REST = re.compile(r"\s*(?:(?:[IVX]+|Jr\.|Sr\.)\s+)*")


def _appositive_name(
    text: str,
    names: list[Word],
    resolver: Resolver,
    common: Mapping[str, int],
    taken: list[tuple[int, int]],
) -> bool:
    """Whether words before ", <title>" are a person's name: not part of a titled mention,
    not a place, state or body (a person the lexicon knows is a name), not words the document
    prints in lower case."""
    start, end = names[0].start, names[-1].end
    # Inside a titled mention, or the rest of its name ("His Majesty King Abdullah II Ibn Al
    # Hussein, King of ...": not a person "Ibn Al Hussein").
    if any(a < end and (start < b or NAME_REST.fullmatch(text, b, start)) for a, b in taken):
        return False
    if _names_something_else(text[start:end], resolver) or any(
        m.entry.kind != "person" for m in resolver.gazetteer.find(text[start:end])
    ):
        return False
    return all(common.get(w.norm, 0) < FIRST_WORD_COMMON for w in names)


def _phrase_side(phrase: str, resolver: Resolver) -> str | None:
    """The one state a post's phrase names, by adjective or by name."""
    sides = set()
    if resolver.adjective_re is not None:
        sides |= {resolver.adjectives[m.group()] for m in resolver.adjective_re.finditer(phrase)}
    sides |= {m.entry.slug for m in resolver.gazetteer.find(phrase, {"state"})}
    return sides.pop() if len(sides) == 1 else None


def _given_name_only(name: str, resolver: Resolver) -> bool:
    """A one-word name that is a lexicon person's given name and nobody's surname."""
    key = name.lower()
    return (
        " " not in name
        and key in resolver.persons_by_given
        and key not in resolver.persons_by_surname
    )


def _person_mention(
    text, ws, start_i, title_words, name_words, acting, former, posts, resolver, year=None
):
    name_start, name_end = name_words[0].start, name_words[-1].end
    name = text[name_start:name_end]
    possessive = name.endswith(("'s", "\u2019s", "'S"))
    if possessive:
        name = name[:-2]
        name_end -= 2
    name = name.rstrip(".") if not name.endswith(("Jr.", "Sr.")) else name
    surname = surname_of(name)
    title = text[title_words[0].start : title_words[-1].end]
    honorific_only = all(w.norm in HONORIFICS for w in title_words)
    state_hint = "united-states" if title_words[0].norm == "us" else None
    generic = normal_title(title) in GENERIC_OFFICES
    person = resolve_person(
        name,
        surname,
        posts,
        state_hint,
        resolver,
        office=normal_title(title) if generic else None,
        rank=bool(RANK_TITLE.match(normal_title(title))),
        title=None if honorific_only else normal_title(title),
        year=year,
    )
    office = normal_title(title)
    post = (
        None  # nor does a "President-elect" hold the office yet
        if honorific_only or office.endswith("-elect")
        else resolve_post(posts, person, state_hint, resolver, office, year)
    )
    side = _adjective_side(text[: ws[start_i].start], resolver)
    if side is None and person is None:
        side = _named_side(text[: ws[start_i].start], resolver)
    if side is not None and post is not None and post.state not in (None, side):
        # "Sri Lankan State Minister of Defence Wijewardene" holds Sri Lanka's office, which
        # the lexicon does not list, not Japan's of the same name; nor does "Qatari Minister of
        # State for Defense Khalid Al-Attiyah", whom the lexicon knows.
        post = None
        state_hint = side
    if (
        post is not None
        and "defence" in title.lower()
        and (post.state == "united-states" or (post.state == "japan" and person is None))
    ):
        # The U.S. and Japan spell their offices "Defense": "Defence Secretary Williamson" is
        # the U.K.'s, and a "State Minister of Defence" the lexicon does not know is not Japan's.
        post = None
    if person is None and generic:
        # Every state has a president and a defense minister: a person the lexicon does not
        # know, under a title that names no state, holds no post we can name.
        post = None
    # Last, "Swedish Defense Minister Hultqvist": a title every state has, of the state
    # printed with it.
    state = (
        (person.state if person else None) or (post.state if post else None) or state_hint or side
    )
    if person is None:
        surname = sided_surname(name, surname, state)
    return PersonMention(
        start=ws[start_i].start,
        end=name_end,
        title=title,
        name=name,
        # The lexicon knows which word is the family name ("Kim" in "Kim Jong-un").
        surname=(person.surname if person is not None and person.surname else None)
        or (surname.capitalize() if surname.isupper() else surname),
        acting=acting,
        former=former,
        possessive=possessive,
        person=person,
        post=post,
        state=state,
    )


def _given_differs(name: str, surname: str, candidate: Entry) -> bool:
    """Whether a printed name gives a given name that cannot be the candidate's: a romanised
    syllable pair must be theirs ("Teng-hui" is not "Myung-bak"); another given name must at
    least share their given name's initial (nicknames the lexicon lists match in full)."""
    if not candidate.given:
        return False
    given = [
        w.strip(".,")
        for w in name.split()
        if w.strip(".,")
        and w.strip(".,").lower() != surname.lower()
        and w.lower().rstrip(".") not in NAME_SUFFIXES
    ]
    if not given:
        return False
    want = candidate.given.lower().replace(" ", "").replace("-", "")
    if any(SYLLABLE_PAIR.fullmatch(g) for g in given):
        return not any(g.lower().replace("-", "") == want for g in given)
    return not any(g[0].lower() == want[0] for g in given)


def resolve_person(
    name: str,
    surname: str,
    posts: list[Entry],
    state: str | None,
    resolver: Resolver,
    *,
    office: str | None = None,
    rank: bool = False,
    title: str | None = None,
    year: int | None = None,
) -> Entry | None:
    """The lexicon person a name refers to, or None when unknown or ambiguous.

    ``office`` is the title when it is an office every state has ("chairman", "president"): a
    surname alone then names the lexicon person only if they held such an office."""
    full = [
        m.entry
        for m in resolver.gazetteer.find(name, kinds={"person"})
        if m.start == 0 and m.end == len(name)
    ]
    if len(full) == 1:
        return full[0]
    candidates = resolver.by_surname(surname, year)
    if not candidates and posts and " " not in name:
        # A line break lost the surname: "Minister for Foreign Affairs Taro" in a caption is
        # the one holder of that post with that given name.
        keys = {p.key for p in posts}
        given = [p for p in resolver.by_given_name(name, year) if keys & set(p.posts)]
        return given[0] if len(given) == 1 else None
    if len(candidates) > 1 and posts:
        keys = {p.key for p in posts}
        narrowed = [c for c in candidates if keys & set(c.posts)]
        candidates = narrowed or candidates
    if len(candidates) > 1 and state:
        candidates = [c for c in candidates if c.state == state] or candidates
    if len(candidates) > 1 and len(name.split()) > 1:
        given = name.split()[0].lower()
        candidates = [c for c in candidates if (c.given or "").lower() == given] or candidates
    if len(candidates) != 1:
        return None
    (candidate,) = candidates
    # A full name whose given name is another's is another person: "President Lee Teng-hui"
    # is not President Lee Myung-bak.
    if _given_differs(name, surname, candidate):
        return None
    # A surname alone is not enough when the title names offices this person never held:
    # "Chief of Staff, Joint Staff Yoshida" is not Prime Minister Shigeru Yoshida.
    if candidate.posts and (posts or office) and not _held(candidate, posts, office, resolver):
        return None
    # Nor under a title that names no post of the lexicon ("Mayor", "Ambassador") when none
    # of their posts is so called: "Iwakuni Mayor Mr. Fukuda" is not Prime Minister Fukuda.
    if (
        title
        and not posts
        and not rank
        and candidate.posts
        # "President-elect Biden" is the President to be
        and not _held(candidate, [], title.removesuffix("-elect"), resolver)
    ):
        return None
    # Nor is it under a military rank when every post they held is civilian: "Rear Admiral
    # Fukuda" is not Prime Minister Fukuda.
    if (
        rank
        and candidate.posts
        and not any(
            (post := resolver.lexicon.get(key)) is not None and MILITARY_POST.search(post.label)
            for key in candidate.posts
        )
    ):
        return None
    return candidate


def in_office_by(persons: list[Entry], year: int | None) -> list[Entry]:
    """The persons a text written in ``year`` can mean: none who first took office later."""
    if year is None:
        return persons
    return [p for p in persons if p.since is None or p.since <= year]


def _held(person: Entry, posts: list[Entry], office: str | None, resolver: Resolver) -> bool:
    """Whether the person held one of the posts a title names or, for an office every state
    has (``office``, e.g. "president"), such an office anywhere ("President of Russia")."""
    if {p.key for p in posts} & set(person.posts):
        return True
    if office is None:
        return False
    held = [resolver.lexicon.get(key) for key in person.posts]
    return any(post is not None and _names_office(post, office) for post in held)


def _names_office(post: Entry, office: str) -> bool:
    """Whether a post is such an office: "president" names the President of Russia."""
    forms = {normal_title(f) for f in (post.label, *post.titles)}
    return any(f" {office} " in f" {form} " for form in forms)


def _posts_naming(resolver: Resolver, keys: Iterable[str], office: str) -> list[Entry]:
    """The posts among ``keys`` that are such an office."""
    posts = (resolver.lexicon.get(key) for key in keys)
    return [post for post in posts if post is not None and _names_office(post, office)]


def _posts_held(person: Entry | None, year: int | None) -> tuple[str, ...]:
    """The posts the lexicon dates the person in at some time of ``year`` (none when it does
    not say)."""
    if person is None or year is None or not person.terms:
        return ()
    first, last = f"{year:04d}-01-01", f"{year:04d}-12-31"
    return tuple(dict.fromkeys(t.post for t in person.terms if t.overlaps(first, last)))


def resolve_post(
    posts: list[Entry],
    person: Entry | None,
    state: str | None,
    resolver: Resolver,
    office: str | None = None,
    year: int | None = None,
) -> Entry | None:
    """The post a title names, narrowed by the person's known posts and side, and by the
    posts the person held in the text's year when the lexicon dates them.

    A known person is never given another state's post: "President Putin" holds the office
    of President of Russia, whatever "President" alone defaults to."""
    candidates = list(dict.fromkeys(posts))
    held_then = _posts_held(person, year)
    if person is not None and person.posts and candidates:
        narrowed = [p for p in candidates if p.key in person.posts]
        if not narrowed and person.state:
            narrowed = [p for p in candidates if p.state == person.state]
        if not narrowed and office:
            narrowed = _posts_naming(resolver, person.posts, office)
        candidates = narrowed
    side = state or (person.state if person else None)
    if person is not None and person.state and candidates:
        # "the late President Kim Il-sung": a known person of a state the lexicon lists no
        # such post for holds none of the candidates (the default is another state's).
        candidates = [p for p in candidates if p.state in (None, person.state)]
    if side and len(candidates) > 1:
        candidates = [p for p in candidates if p.state == side] or candidates
    if len(candidates) > 1 and held_then:
        candidates = [p for p in candidates if p.key in held_then] or candidates
    if len(candidates) > 1:
        defaults = [p for p in candidates if p.titles]
        if len(defaults) == 1:
            return defaults[0]
    own = held_then if len(held_then) == 1 else person.posts if person is not None else ()
    if not candidates and person is not None and len(own) == 1:
        # "Minister Iwaya" in 2019 held the one post the lexicon dates him in then.
        only = resolver.lexicon.get(own[0])
        # "Minister Kono" held his one post; "then Vice President Xi" held another office.
        if only is not None and (
            office not in GENERIC_OFFICES or _names_office(only, office)
        ):  # a rank ("Admiral Davidson") says nothing against his one post
            return only
        return None
    if not candidates and person is not None and office:
        # "Minister for Defence Marles", who is also Deputy Prime Minister: of his posts, the
        # one the title names.
        named = _posts_naming(resolver, own, office)
        return named[0] if len(named) == 1 else None
    return candidates[0] if len(candidates) == 1 else None


YEAR_RE = re.compile(r"(?:FY\s?)?((?:19|20)\d\d)")
PAREN_RE = re.compile(r"\(([^()]*)\)\s*$")


class ContextForms:
    """Names that stand for one of several entries ("the Guidelines", "NDPG", "MTDP"),
    matched leftmost-longest with their exact case, resolved by ``choose``."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.trie = _Trie()
        for entry in entries:
            for form in entry.context_forms:
                tokens = tuple(t.text for t in tokenize(form))
                if tokens:
                    self.trie.add(tokens, entry, True)

    def find(self, text: str) -> list[tuple[int, int, list[Entry]]]:
        """(start, end, candidates) of each context form."""

        def accept(words: tuple[str, ...], terminals) -> list[Entry] | None:
            entries = list(dict.fromkeys(e for e, form, _ in terminals if form == words))
            return entries or None

        return self.trie.scan(text, accept)


# A short form that goes on as a longer title: "the Declaration on the Conduct of Parties".
# Not a date: "... Defense Program on December 18, 2018" is no title.
LONGER_TITLE = re.compile(
    r"\s+(?:on|of|concerning|between|regarding)\s+(?:the\s+)?"
    rf"(?!(?:{MONTH_NAME})\b)(?P<word>[A-Z][\w-]+)"
)


def _letters(text: str) -> str:
    """Letters and digits only, lower case: "JapanU.S." (a hyphen lost in the PDF) is in
    "Japan-U.S. Security Treaty"."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


def choose(candidates: list[Entry], following: str, year: int | None) -> Entry | None:
    """The entry a context form means.

    A form that goes on as a title no candidate has means none of them ("the Declaration on
    the Conduct of Parties ..."). A parenthesis after the form that repeats a candidate's
    qualifier decides ("Medium Term Defense Program (FY2019-FY2023; MTDP)"); otherwise the
    latest candidate dated no later than the text ("the Guidelines" in 2019 are those of
    2015); a lone candidate is taken as is.
    """
    after = following.lstrip()[:60]
    longer = LONGER_TITLE.match(following)
    if longer and not any(
        _letters(longer["word"]) in _letters(name)
        for e in candidates
        for name in (e.label, *e.aliases, *e.context_forms)
    ):
        return None  # "the Declaration on the Conduct of Parties ...": another, longer title
    if after.startswith("("):
        inside = fold(after[1 : after.find(")")] if ")" in after else after[1:]).replace(" ", "")
        for entry in candidates:
            qualifier = PAREN_RE.search(entry.label)
            if qualifier and fold(qualifier.group(1)).replace(" ", "") in inside:
                return entry
        # A year no candidate has: "the first Quadrennial Defense Review (2017QDR) released
        # under the Tsai administration" is Taiwan's, not the U.S. review of 2014.
        years = set(YEAR_IN_NAME.findall(inside))
        if years and not any(y in entry.label for entry in candidates for y in years):
            return None
    if len(candidates) == 1:
        return candidates[0]
    dated = []
    for entry in candidates:
        found = YEAR_RE.finditer(entry.label)
        # A plan "for FY2019" is adopted in the calendar year before its first fiscal year.
        years = [int(m.group(1)) - m.group().startswith("FY") for m in found]
        if years:
            dated.append((min(years), entry))
    if year is not None and dated:
        usable = [d for d in dated if d[0] <= year]
        if usable:
            return max(usable, key=lambda d: d[0])[1]
    return None
