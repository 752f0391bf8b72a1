"""Read documents: manifest, sections, blocks, tables and sentences with exact offsets.

This is the I/O edge of the pipeline. Every offset is a Unicode code point index into the raw
file as read with ``encoding="utf-8", newline=""`` (end exclusive), so for every sentence
``document.raw[s.start:s.end] == s.text``. Extraction works on ``Sentence.clean``, the reflowed
text (markup, page furniture and hard line breaks removed), and maps its positions back to the
raw file with ``Sentence.raw_span``.

The parser is rule-based and reads line by line. It knows two layouts of the same genre:

* clean text with one paragraph per line: the seed excerpts and the primary texts, with
  markdown headings, bold headings, HTML fragments and tab-separated or pipe tables;
* text extracted from PDF with hard line breaks, page furniture, two-column fragments and the
  labels of figures mixed into the prose: the complete white paper editions.

Which layout a document has is measured, not configured: when most prose lines are followed
directly by another prose line, the text is hard-wrapped. Parsing runs in three passes: lines
become proto blocks (kind and raw spans), paragraphs interrupted by captions, footnotes, tables
or page breaks are joined, and the blocks get their clean text, sentences, sections and tables.
"""

from __future__ import annotations

import bisect
import hashlib
import html
import os
import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

BlockKind = Literal[
    "heading",  # a section heading (possibly merged from several heading lines)
    "paragraph",  # running prose
    "list_item",  # a bullet or numbered item of prose
    "table_row",  # one row of a tab-separated or markdown table
    "caption",  # a photo caption
    "figure_title",  # "Fig. III-2-1-1 Major Milestones ..." and similar
    "footnote",  # "<sup>1</sup> See ..." and other notes
    "reference",  # "See Reference 24 (...)", "See Fig. ...", "Reference 22 (...)"
    "figure_text",  # labels and fragments of a diagram in PDF text; not running prose
]


class CorpusError(Exception):
    """A corpus or document cannot be read; the message names the file and the problem."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = Path(path)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """A manifest entry."""

    id: str
    path: Path
    title: str
    publisher: str | None = None
    year: int | None = None
    language: str = "en"
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Mapped:
    """Clean text with a piecewise map back to raw offsets.

    ``segments`` is a sorted tuple of ``(clean_pos, raw_pos)``: from ``clean_pos`` up to the
    next segment, ``clean[k]`` corresponds to ``raw[raw_pos + (k - clean_pos)]``.
    """

    clean: str
    segments: tuple[tuple[int, int], ...]

    def raw_offset(self, pos: int) -> int:
        """Raw offset of clean position ``pos`` (0 <= pos < len(clean))."""
        i = bisect.bisect_right(self.segments, (pos, float("inf"))) - 1
        clean_pos, raw_pos = self.segments[i]
        return raw_pos + (pos - clean_pos)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw ``(start, end)`` of the clean span ``[start, end)`` (end exclusive, non-empty)."""
        if not 0 <= start < end <= len(self.clean):
            raise ValueError(f"bad clean span {start}..{end} of {len(self.clean)}")
        return self.raw_offset(start), self.raw_offset(end - 1) + 1


@dataclass(frozen=True, slots=True)
class Sentence(Mapped):
    """A sentence (or a heading, caption or table cell read as one sentence)."""

    doc_id: str = ""
    index: int = 0  # position among the document's sentences
    start: int = 0  # raw offsets: raw[start:end] == text
    end: int = 0
    text: str = ""
    block: int = 0  # index into Document.blocks
    section: int | None = None  # index into Document.sections
    cell: int | None = None  # column index when the sentence is in a table row


@dataclass(frozen=True, slots=True)
class Cell(Mapped):
    """One cell of a table row; HTML list items inside it are split into ``items``."""

    start: int = 0
    end: int = 0
    items: tuple[Mapped, ...] = ()


@dataclass(frozen=True, slots=True)
class Block:
    """A unit of layout: heading, paragraph, list item, table row, caption, footnote, ..."""

    index: int
    kind: BlockKind
    start: int
    end: int
    text: Mapped  # the whole block's clean text
    section: int | None
    sentences: tuple[int, ...] = ()  # indexes into Document.sentences
    cells: tuple[Cell, ...] = ()  # table rows only
    table: int | None = None  # index into Document.tables, table rows only


@dataclass(frozen=True, slots=True)
class Section:
    """A section opened by a heading; ``number`` is its label as printed ("1", "(4)", "a.")."""

    index: int
    title: str  # clean heading text without the number
    number: str | None
    level: int  # 1 = outermost
    start: int  # raw offset of the heading
    end: int  # raw offset where the next section at the same or a higher level starts
    parent: int | None
    heading: int  # index into Document.blocks


@dataclass(frozen=True, slots=True)
class Table:
    """A table: consecutive table rows, with the figure title above it when there is one."""

    index: int
    title: str | None
    start: int
    end: int
    header: tuple[str, ...]  # clean header cells; empty when the table has no header row
    rows: tuple[int, ...]  # indexes into Document.blocks (data rows, header excluded)


@dataclass(frozen=True)
class Document:
    """A parsed document."""

    info: DocumentInfo
    raw: str
    sha256: str
    blocks: Sequence[Block] = field(default_factory=tuple)
    sections: Sequence[Section] = field(default_factory=tuple)
    tables: Sequence[Table] = field(default_factory=tuple)
    sentences: Sequence[Sentence] = field(default_factory=tuple)

    @property
    def id(self) -> str:
        return self.info.id

    def section_path(self, section: int | None) -> list[Section]:
        """The chain of sections from the outermost down to ``section``."""
        chain: list[Section] = []
        while section is not None:
            chain.append(self.sections[section])
            section = self.sections[section].parent
        return chain[::-1]


# =============================================================================================
# Manifest and files
# =============================================================================================

MANIFEST_NAME = "manifest.toml"
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

# Control characters other than tab and line breaks. PDF extraction leaves a few (bullet
# glyphs come out as BEL); a binary file is full of them.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_MAX_CONTROL_SHARE = 0.1


def load_manifest(corpus_dir: Path) -> list[DocumentInfo]:
    """Read ``manifest.toml`` of a corpus folder, or list its ``*.txt`` files when it has none."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.exists():
        raise CorpusError(corpus_dir, "corpus folder not found")
    if not corpus_dir.is_dir():
        raise CorpusError(corpus_dir, "not a folder")
    manifest = corpus_dir / MANIFEST_NAME
    if manifest.is_file():
        infos = _read_manifest(corpus_dir, manifest)
        if not infos:
            raise CorpusError(manifest, "no documents: the manifest has no [[document]] entry")
        return infos
    infos = _list_text_files(corpus_dir)
    if not infos:
        raise CorpusError(corpus_dir, f"no documents: neither {MANIFEST_NAME} nor *.txt files")
    return infos


def _read_manifest(corpus_dir: Path, manifest: Path) -> list[DocumentInfo]:
    """The [[document]] entries of a manifest, checked one by one; errors name the entry."""
    try:
        data = tomllib.loads(manifest.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise CorpusError(manifest, f"not UTF-8: invalid byte at byte offset {exc.start}") from None
    except tomllib.TOMLDecodeError as exc:
        # The parser's message carries the line and column; keep the error on one line.
        raise CorpusError(manifest, f"malformed TOML: {' '.join(str(exc).split())}") from None
    except OSError as exc:
        raise CorpusError(manifest, f"cannot read: {exc.strerror or exc}") from None
    entries = data.get("document", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise CorpusError(manifest, "'document' must be an array of tables ([[document]])")
    infos: list[DocumentInfo] = []
    seen: dict[str, int] = {}
    for number, entry in enumerate(entries, 1):
        where = f"document {number}"
        for key in ("id", "path"):
            if key not in entry:
                raise CorpusError(manifest, f"{where}: missing required key '{key}'")
            if not isinstance(entry[key], str) or not entry[key].strip():
                raise CorpusError(manifest, f"{where}: '{key}' must be a non-empty string")
        doc_id = entry["id"]
        if not ID_PATTERN.match(doc_id):
            raise CorpusError(
                manifest, f"{where}: id {doc_id!r} does not match {ID_PATTERN.pattern}"
            )
        if doc_id in seen:
            raise CorpusError(
                manifest, f"{where}: duplicate id {doc_id!r} (also document {seen[doc_id]})"
            )
        seen[doc_id] = number
        relative = entry["path"]
        normal = os.path.normpath(relative)
        if os.path.isabs(relative) or normal == os.pardir or normal.startswith(os.pardir + os.sep):
            raise CorpusError(
                manifest, f"{where} ({doc_id}): path {relative!r} escapes the corpus folder"
            )
        infos.append(
            DocumentInfo(
                id=doc_id,
                path=corpus_dir / normal,
                title=_optional(manifest, where, entry, "title", str) or Path(normal).stem,
                publisher=_optional(manifest, where, entry, "publisher", str),
                year=_optional(manifest, where, entry, "year", int),
                language=_optional(manifest, where, entry, "language", str) or "en",
                source=_optional(manifest, where, entry, "source", str),
            )
        )
    return infos


_TYPE_NAMES = {str: "a string", int: "an integer"}


def _optional(manifest: Path, where: str, entry: dict, key: str, kind: type) -> object:
    """An optional manifest field, None when absent; a value of the wrong type is an error."""
    value = entry.get(key)
    # bool is a subclass of int, but `year = true` is a mistake, not the year 1.
    if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
        raise CorpusError(manifest, f"{where}: '{key}' must be {_TYPE_NAMES[kind]}")
    return value


def _slugify_id(stem: str) -> str:
    """A document id from a file name: lower-case ASCII letters, digits and hyphens."""
    ascii_text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _list_text_files(corpus_dir: Path) -> list[DocumentInfo]:
    """A corpus without a manifest: its *.txt files, sorted by name, ids from the names."""
    infos: list[DocumentInfo] = []
    seen: dict[str, Path] = {}
    for path in sorted(p for p in corpus_dir.glob("*.txt") if p.is_file()):
        doc_id = _slugify_id(path.stem)
        if not doc_id:
            raise CorpusError(path, "cannot derive a document id from the file name")
        if doc_id in seen:
            raise CorpusError(path, f"duplicate id {doc_id!r}: {seen[doc_id].name} gives it too")
        seen[doc_id] = path
        year = YEAR_IN_NAME.search(path.stem)
        infos.append(
            DocumentInfo(
                id=doc_id,
                path=path,
                title=_title_of(path),
                year=int(year.group()) if year else None,
            )
        )
    return infos


# A year, also inside a file name: "japan_2016_DefenseOfJapan.txt" was published in 2016.
YEAR_IN_NAME = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


_MARKDOWN_TITLE = re.compile(r"#{1,2}\s+(?P<title>\S.{2,200}?)\s*")
TITLE_SCAN = 4096  # bytes: a title is printed at the top, within its first lines
TITLE_LINES = 10


def _title_of(path: Path) -> str:
    """A document's title when no manifest gives one: its first top-level heading ("# The
    Guidelines for Japan-U.S. Defense Cooperation April 27, 2015"), else its file name in
    words ("japan_2015_GuidelinesForJapanUsDefenseCooperation" reads "japan 2015 Guidelines For
    Japan Us Defense Cooperation"). Rules that read a title (a statement's, a readout's, the
    Guidelines') need words, not a file name. The year is the one the file name gives."""
    with path.open("rb") as f:
        head = f.read(TITLE_SCAN).decode("utf-8", errors="replace")
    lines = [line.strip() for line in head.splitlines() if line.strip()][:TITLE_LINES]
    headings = (
        m["title"].replace("**", "").strip() for m in map(_MARKDOWN_TITLE.fullmatch, lines) if m
    )
    # A heading in another script ("防衛 白書") or letter-spaced ("D E F E N S E") names nothing.
    title = next((h for h in headings if re.search(r"[A-Za-z]{3}", h)), None)
    if title is not None:
        return title
    words = re.sub(r"(?<=[a-z])(?=[A-Z])|[_\s]+", " ", path.stem)
    return re.sub(r"\s+", " ", words).strip() or path.stem


def _decode(path: Path, data: bytes) -> str:
    """The text of a file's bytes, or a CorpusError saying why it is not a text document."""
    nul = data.find(b"\x00")
    if nul >= 0:
        raise CorpusError(path, f"binary file (NUL byte at byte offset {nul})")
    try:
        # Same string as open(encoding="utf-8", newline=""): no newline translation, and a
        # byte order mark stays in the text (the parser reads it as whitespace).
        raw = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(
            path, f"not UTF-8: invalid byte 0x{data[exc.start]:02x} at byte offset {exc.start}"
        ) from None
    if not raw:
        raise CorpusError(path, "empty file")
    if not _SPACE_RUN.sub("", raw):
        raise CorpusError(path, "empty file (only whitespace)")
    controls = len(_CONTROL.findall(raw))
    if controls > _MAX_CONTROL_SHARE * len(raw):
        raise CorpusError(path, f"binary file ({controls} control characters in {len(raw)})")
    return raw


def read_document(info: DocumentInfo) -> Document:
    """Read and parse one document; CorpusError when missing, empty, binary or not UTF-8."""
    path = Path(info.path)
    if path.is_dir():
        raise CorpusError(path, "is a folder, not a text file")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CorpusError(path, "file not found") from None
    except OSError as exc:
        raise CorpusError(path, f"cannot read: {exc.strerror or exc}") from None
    return parse_text(info, _decode(path, data))


def read_corpus(corpus_dir: Path, only: Sequence[str] | None = None) -> Iterator[Document]:
    """Yield the parsed documents of a corpus folder, in manifest order.

    ``only`` restricts to these document ids; an unknown id is a CorpusError. The ids and the
    existence of every listed file are checked when this is called, before any document is
    parsed, so a broken corpus fails fast instead of after minutes of work.
    """
    corpus_dir = Path(corpus_dir)
    infos = load_manifest(corpus_dir)
    manifest = corpus_dir / MANIFEST_NAME
    origin = manifest if manifest.is_file() else corpus_dir
    for info in infos:
        path = Path(info.path)
        if not path.exists():
            raise CorpusError(path, f"file not found (document {info.id!r} of {origin})")
        if not path.is_file():
            raise CorpusError(path, f"not a file (document {info.id!r} of {origin})")
    if only is not None:
        known = {info.id for info in infos}
        for doc_id in only:
            if doc_id not in known:
                raise CorpusError(origin, f"unknown document id {doc_id!r}")
        wanted = set(only)
        infos = [info for info in infos if info.id in wanted]
    return (read_document(info) for info in infos)


# =============================================================================================
# Character classes and patterns
# =============================================================================================


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Whitespace in the wide sense: Unicode spaces, control characters, BOM, zero-width characters
# and private-use glyphs (PDF fonts put bullets and icons there).
_INVISIBLE = r"\x00-\x08\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff"
_PRIVATE_USE = r"\ue000-\uf8ff"
_SP = rf"\s{_INVISIBLE}{_PRIVATE_USE}"
# The same without the plain space, which clean text keeps as it is.
_SP_NOT_SPACE = (
    r"\t\n\r\x0b\x0c\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
    rf"{_INVISIBLE}{_PRIVATE_USE}"
)
_SPACE_RUN = re.compile(f"[{_SP}]+")
# What a line or a cell loses at its ends: whitespace and invisible characters (not the
# private-use glyphs, which mark bullets there).
_EDGE_STRIP = "".join(
    chr(c) for c in range(0x3001) if chr(c).isspace() or re.match(f"[{_INVISIBLE}]", chr(c))
)

# What clean text drops or rewrites inside a line, tried left to right. The lookahead on the
# first character lets the engine skip ordinary text quickly (five times faster).
_NOISE = re.compile(
    rf"(?=[<&*\[•●❍○◎■□➢►▶◆◇▪◦∙{_SP}])(?:"
    r"(?P<sup><sup>[^<>]{0,12}</sup>)"  # a footnote marker with its number
    r"|(?P<blocktag></?(?:br|p|li|ul|ol|div|tr|td|th|table|tbody|thead|h[1-6]|hr|dl|dt|dd)"
    r"\b[^<>]*>)"
    r"|(?P<tag></?(?:u|b|i|em|strong|sub|sup|span|a|font|small|big|s|strike|del|ins|mark|code)"
    r"\b[^<>]*>)"
    r"|(?P<entity>&(?:[A-Za-z][A-Za-z0-9]{1,9}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});)"
    r"|(?P<emphasis>\*{2,3})"
    r"|(?P<marker>(?<=[^\s\[])\[\d{1,2}\](?![A-Za-z0-9]))"  # "(NDPG)[1]" in PDF text
    r"|(?P<glyph>(?<![^\s>])[•●❍○◎■□➢►▶◆◇▪◦∙](?=\s))"  # a bullet glyph standing alone
    r"|(?P<ligature>(?<=f[il]) (?=[a-z]))"  # "Signifi cance": the space a ligature left
    rf"|(?P<space>[{_SP}]{{2,}}|[{_SP_NOT_SPACE}])"
    r")"
)

_MARKUP = re.compile(
    rf"<sup>[^<>]{{0,12}}</sup>|</?[A-Za-z][^<>]{{0,200}}>|\*{{2,3}}|[{_INVISIBLE}{_PRIVATE_USE}]"
)


def _bare(text: str) -> str:
    """Text without markup, single-spaced: what classification rules look at."""
    return " ".join(_MARKUP.sub(" ", text).split())


# Line patterns, tried on a line's content (leading and trailing space removed).
_PIPE_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")
_MD_HEADING = re.compile(r"^(#{1,6})(?:[ \t]+|$)")
_BOLD_LINE = re.compile(r"^(?:\*\*(?:[^*]|\*(?!\*))+?\*\*[\s\x00-\x08]*)+$")
_BULLET = re.compile(
    r"^(?:[-–—][\s\x00-\x08]+"  # "- text", "–  text"
    rf"|[•●❍○◎■□➢►▶◆◇▪◦∙\x07{_PRIVATE_USE}][\s\x00-\x08]*"  # glyphs, BEL, icon fonts
    r"|O[ \t]+(?=[A-Z“\"(]))+"  # "O The two governments ..." (a circle read as a letter)
)
_SEE_ICON = re.compile(r"^(?:\*\*)?\s*Q\s+(?=See\b)")  # "**Q See**": an icon read as Q
_REFERENCE = re.compile(
    r"^(?:Q\s+)?(?:See\b|\[See\])"
    r"|^(?:Reference|Fig\.|Figure|Table|Section|Chapter|Part)\s*[\w.\-–]*\s*\("
    r"|^(?:Part|Chapter)\s+[\dIVX]+\s*,\s*(?:Chapter|Section)\b"
)
_FIGURE_TITLE = re.compile(r"^Fig(?:ure)?\.?\s*(?:[IVX]+|\d+)(?:\s*[-–]\s*[\dA-Za-z]+)+\b")
_FOOTNOTE = re.compile(r"^(?:\(Notes?\)|Notes?\s*\d*\s*[:：]|\(Sources?\)|Sources?\s*[:：]|※)")
_NOTE_NUMBER = re.compile(r"^\d{1,2}[.)]?\s+\S")
_NUMBERED_PROSE = re.compile(r"^(\d{1,2}) [A-Z“\"]")
_FOOTNOTE_WINDOW = 15000  # raw characters before a note in which its marker "[n]" must occur
_IMAGE = re.compile(r"^!\[[^\]]*\]\([^)]*\)$")
_FURNITURE = re.compile(
    r"^(?:-{3,}|_{3,}|\*{3,}|=+"  # page breaks and rules
    r"|\d{3,4}"  # page numbers, running years ("###### 2019")
    r"|P\.\s*\d{1,4}"  # page references in a digest
    r"|\d{1,2}:\d{2}\s*(?:AM|PM|Am|Pm|am|pm)\b.*"  # print time stamps of saved web pages
    r"|(?:DEFENSE|Defense)\s+(?:OF|of)\s+(?:JAPAN|Japan)(?:\s+\d{4})?"  # running banners
    r")$"
)
_BRACKETED = re.compile(r"^[\[【][^\[\]【】]*[\]】]$")
_CAPTION_END = re.compile(r"(?:\([^()]*\b(?:19|20)\d{2}\)|[\[【][^\[\]【】]{3,}[\]】])\s*$")
_DOT_LEADERS = re.compile(r"[·…]{3,}|\.{5,}|‥{2,}")

# Number labels of headings and list items.
_UPPER_ROMAN = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ"
_LABEL = re.compile(
    r"(?:(?P<word>Section|Chapter|Part|SECTION|CHAPTER|PART)"
    rf"(?:\s+(?P<wnum>\d{{1,2}}|[IVX]{{1,5}}|[{_UPPER_ROMAN}]))?"
    rf"|(?P<upart>[{_UPPER_ROMAN}])\s*(?:Part|PART)?"
    r"|\((?P<pdigit>\d{1,2})\)"
    r"|\((?P<plower>[a-z]|[ivx]{2,5})\)"
    r"|(?P<hdigit>\d{1,2})\)"
    r"|(?P<hlower>[a-z])\)"
    r"|(?P<roman>[IVX][ivxIVX]{0,4})\."
    r"|(?P<upper>[A-Z])\."
    r"|(?P<lower>[a-z]|[ivx]{2,5})\."
    r"|(?P<ddigit>\d{1,2})\.(?!\d)"
    r"|(?P<digit>\d{1,2})"
    r"|(?P<circled>[①-⑳❶-❿➀-➉])"
    r")(?=[\s\x00-\x08]|$)"
)
# Rank of each numbering style when nothing else decides: Part > Chapter > Section > I. >
# A. > 1 > (1) > a. > (a) > 1) > a) > i. > (i) > circled digits. "post" is a number printed
# after its title, as on the title page of a chapter.
_RANK = {
    "part": 0,
    "chapter": 1,
    "post": 1,
    "section": 2,
    "roman": 3,
    "upper": 4,
    "digit": 5,
    "ddigit": 5,
    "pdigit": 6,
    "lower": 7,
    "plower": 8,
    "hdigit": 9,
    "hlower": 10,
    "lroman": 11,
    "proman": 12,
    "circled": 13,
}

# Words a title-cased heading leaves in lower case, and words a heading never ends with.
_FUNCTION_WORDS = _words(
    "a an the and or nor but of to in on at by for with from as into onto over under between "
    "among against within without toward towards through than via vs its their his her our etc"
)
_DANGLING = _words("a an the and or of to in on at by for with from as into than")

# Sentence splitting.
_TERMINAL = re.compile(r"[.!?:;][”’\"')\]]*$")
_SENTENCE_END = re.compile(r"[.!?][”’\"')\]]*$")
_CLOSERS = "”’\"')]"
_OPENERS = "(“\"‘'["
_SPLIT_POINT = re.compile(r"[.!?][”’\"')\]]*(?=\s)")
_NEXT_WORD = re.compile(r"\s*[“\"‘'(\[]*([^\s“\"‘'(\[]*)")
# Abbreviations that do not end a sentence even before a capitalised word ("Mr. Abe",
# "Fig. III-2-1-1", "Jan. 2014").
# A month's abbreviation is one only before the day or year ("Jun. 3, 2017", "Jan. 2014").
_MONTH_ABBREVIATIONS = _words("jan. feb. mar. apr. jun. jul. aug. sep. sept. oct. nov. dec.")
_ABBREVIATIONS = _MONTH_ABBREVIATIONS | _words(
    "mr. mrs. ms. dr. prof. gen. lt. col. maj. capt. cmdr. adm. sgt. cpl. pvt. rep. sen. gov. "
    "amb. st. mt. ft. no. nos. art. arts. fig. figs. vol. vols. p. pp. para. paras. ch. sec. "
    "e.g. i.e. cf. vs. viz. approx. dept. govt. corp. inc. ltd. co. jr. sr. est. ref. refs."
)
# "U.S.", "D.C.", "a.m.", a lone initial "F.", and "JapanU.S." (a hyphen lost in extraction).
_INITIALS = re.compile(r"(?:[A-Za-z]\.){2,}$|^[A-Z]\.$")
# After initials a sentence ends only when one of these follows; any other capitalised word
# continues a name ("U.S. Secretary of Defense", "D.C. Circuit", "Japan-U.S. Alliance").
_SENTENCE_STARTERS = _words(
    "A An The This That These Those It Its They Their There He His She Her We Our I In On At "
    "As By For From With Without Under After Before During Since While When Where Although "
    "Though If Unless However Furthermore Moreover Also Additionally Meanwhile Accordingly "
    "Consequently Therefore Thus Then Besides Nevertheless Nonetheless Instead Similarly "
    "Likewise Specifically Both Each Such Following Based Regarding Concerning Through "
    "Against Among Despite Given Today Currently Recently Finally First Second Third Others "
    "One Some Many Most All Other Not Only What Why How Japan"
)
# Word endings that make "opera-" + "tion" on the next line one word when nothing else tells.
_SUFFIXES = _words(
    "tion tions sion sions ment ments ness ity ities ance ances ence ences ing ings ed er ers "
    "est ly al ally ial ive ives ous ure ures ory ary able ible ism ist ists ize ized ization "
    "ate ated ates ating ical ically"
)
_MAX_CONTINUATION_GAP = 12000  # raw characters a paragraph may skip to find its continuation


# =============================================================================================
# Text rules
# =============================================================================================


def _ends_terminal(text: str) -> bool:
    return bool(_TERMINAL.search(text))


def _ends_sentence(text: str) -> bool:
    """Ends with terminal punctuation that is not an abbreviation ("U.S." may go on)."""
    if not _TERMINAL.search(text):
        return False
    token = text.rsplit(" ", 1)[-1].rstrip(_CLOSERS)
    if token.endswith("."):
        core = token.lstrip(_OPENERS)
        if core.lower() in _ABBREVIATIONS or _INITIALS.search(core):
            return False
    return True


def _split_here(token: str, next_word: str) -> bool:
    """Whether a sentence ends after ``token`` (ending in . ! or ?) before ``next_word``."""
    if not next_word:
        return True
    first = next_word[0]
    if first.islower():
        return False
    core = token.rstrip(_CLOSERS)
    if core.endswith(("!", "?")):
        return True
    core = core.lstrip(_OPENERS)
    if core.lower() in _MONTH_ABBREVIATIONS and not first.isdigit():
        return first.isupper()  # "... Defense Dong Jun. On June 1, ...": a name, not a month
    if core.lower() in _ABBREVIATIONS:
        return False
    if _INITIALS.search(core):
        return next_word.rstrip(".,;:") in _SENTENCE_STARTERS
    return first.isupper() or first.isdigit() or not first.isalnum()


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split clean text into sentences: (start, end) spans, closing quotes included."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SPLIT_POINT.finditer(text):
        end = m.end()
        token_start = max(text.rfind(" ", start, m.start()) + 1, start)
        token = text[token_start:end]
        if _LABEL.fullmatch(token) and (
            token_start == start or text[:token_start].rstrip().endswith(":")
        ):
            continue  # "a. The Chief ...", "Notes: 1. The ...": a list label, not a sentence
        word = _NEXT_WORD.match(text, end)
        if word is None:
            continue
        if not _split_here(token, word.group(1)) and not (
            # "... met. b. They agreed.": a new enumerated item after a full stop.
            _starts_item(text[word.start(1) : word.start(1) + 40]) and _ends_sentence(token)
        ):
            continue
        spans.append((start, end))
        start = end
        while start < len(text) and text[start] == " ":
            start += 1
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _continues(tail: str, head: str) -> bool:
    """Whether text starting with ``head`` continues the sentence that ``tail`` leaves open."""
    tail = tail.rstrip()
    if not tail or not head or _starts_item(head):
        return False
    if not _ends_terminal(tail):
        return True
    if not _SENTENCE_END.search(tail):
        return False  # a colon or semicolon: a list or a new block follows
    word = _NEXT_WORD.match(head)
    return not _split_here(tail.rsplit(" ", 1)[-1], word.group(1) if word else "")


def _match_label(text: str) -> re.Match[str] | None:
    """The number label a text opens with; "Part" or "Section" without a number stands alone."""
    m = _LABEL.match(text)
    if m and m.group("word") and not m.group("wnum") and m.end() < len(text):
        return None
    return m


def _starts_item(text: str) -> bool:
    """Whether text opens an enumerated item: a label, then a capital ("(b) The ...")."""
    m = _match_label(text)
    return bool(m) and text[m.end() :].lstrip()[:1].isupper()


def _heading_like(text: str) -> bool:
    """A line that reads as a heading, numbered or not: "1) Operations to Defend Airspace"."""
    m = _match_label(text)
    if m and m.end() < len(text):
        return _title_like(text[m.end() :].strip(), numbered=True)
    return _title_like(text, numbered=False)


def _title_like(title: str, numbered: bool) -> bool:
    """Whether a short line reads as a heading's title rather than as a piece of prose.

    Headings are short, start with a capital, do not end with a full stop (unless with an
    abbreviation), a comma or a function word, and capitalise most content words; without a
    number the rules are stricter.
    """
    if not title or len(title) > (120 if numbered else 100) or _DOT_LEADERS.search(title):
        return False
    first = title[0]
    if not (first.isupper() or (numbered and (first.isdigit() or first in '“"'))):
        return False
    words = re.findall(r"[A-Za-z][\w'’.\-]*", title)
    if not words or len(words) > (16 if numbered else 12):
        return False
    if sum(ch.isalpha() for ch in title) < 3:
        return False
    if title.endswith(",") or words[-1].lower() in _DANGLING:
        return False
    if _ends_terminal(title) and not (
        numbered and (title.endswith("etc.") or _INITIALS.search(words[-1]))
    ):
        return False
    content = [w for w in words if w.lower() not in _FUNCTION_WORDS]
    if not content:
        return False
    ratio = sum(w[0].isupper() for w in content) / len(content)
    if numbered:
        return ratio >= 0.5 or (len(content) <= 2 and content[0][0].isupper())
    return ratio >= 0.75


def _garbled(text: str) -> bool:
    """Caption text set in a display font loses letters in PDF: "U it d St t (A il 2019)"."""
    tokens = text.split()
    singles = sum(1 for t in tokens if len(t) == 1 and t.isalpha() and t not in "aAI")
    return len(tokens) >= 5 and singles >= 4 and singles >= 0.3 * len(tokens)


def _spaced_banner(bare: str) -> bool:
    """Letter-spaced running heads: "D E F E N S E  O F  J A PA N", "D I G E S T"."""
    tokens = bare.split()
    singles = sum(1 for t in tokens if len(t) == 1 and t.isalpha())
    return len(tokens) >= 4 and singles >= 0.75 * len(tokens)


def _web_navigation(bare: str) -> bool:
    """The menus and breadcrumbs of a saved web page: "About Us | News | Foreign Policy | ...",
    "Top > Regional Affairs > North America > ..."."""
    items = [item.strip() for item in bare.split(" | ")]
    if len(items) >= 4 and all(0 < len(item.split()) <= 4 for item in items[:-1]):
        return True
    return bare.count(" > ") >= 3


def _roman(text: str) -> int:
    values = {"i": 1, "v": 5, "x": 10}
    lower = text.lower()
    total = 0
    for i, ch in enumerate(lower):
        value = values[ch]
        total += -value if i + 1 < len(lower) and values[lower[i + 1]] > value else value
    return total


def _label_candidates(m: re.Match[str]) -> list[tuple[str, int | None]]:
    """The numbering styles a label may belong to, most likely first, with its ordinal.

    "I." is a Roman one or the letter I; "i." a Roman one or the letter i; the ordinal of the
    sections around it decides which (see ``_place``).
    """
    kind = m.lastgroup or "plain"
    text = m.group(kind)
    if kind in ("word", "wnum"):
        style = m.group("word").lower()
        number = m.group("wnum")
        if number is None:
            return [(style, None)]
        if number.isdigit():
            return [(style, int(number))]
        if number in _UPPER_ROMAN:
            return [(style, _UPPER_ROMAN.index(number) + 1)]
        return [(style, _roman(number))]
    if kind == "upart":
        return [("part", _UPPER_ROMAN.index(text) + 1)]
    if kind in ("pdigit", "hdigit", "ddigit", "digit"):
        return [(kind, int(text))]
    if kind == "circled":
        for first in ("①", "❶", "➀"):
            if 0 <= ord(text) - ord(first) < 20:
                return [(kind, ord(text) - ord(first) + 1)]
    if kind == "roman":
        candidates: list[tuple[str, int | None]] = [("roman", _roman(text))]
        if len(text) == 1:
            candidates.append(("upper", ord(text) - ord("A") + 1))
        return candidates
    if kind == "upper":
        return [("upper", ord(text) - ord("A") + 1)]
    if kind in ("lower", "plower"):
        roman_style = "lroman" if kind == "lower" else "proman"
        if len(text) > 1:
            return [(roman_style, _roman(text))]
        letter = (kind, ord(text) - ord("a") + 1)
        return [(roman_style, _roman(text)), letter] if text in "ivx" else [letter]
    if kind == "hlower":
        return [("hlower", ord(text) - ord("a") + 1)]
    return [("plain", None)]


def _header_like(cells: Sequence[str]) -> bool:
    """A table row of short labels ("Consultative Forum | Participants"), not of data."""
    filled = [c for c in cells if c]
    if not filled:
        return False
    for cell in filled:
        if len(cell) > 60 or len(cell.split()) > 8 or _ends_terminal(cell):
            return False
        if re.fullmatch(r"[\d,.\s%()~–-]+", cell) or "<li" in cell:
            return False
    return any(c[:1].isupper() for c in filled)


# =============================================================================================
# Lines
# =============================================================================================


@dataclass(slots=True)
class _Line:
    """One raw line: where its content is and what it looks like."""

    start: int  # raw offset of the line
    end: int  # raw offset of its line break (or of the end of the text)
    cs: int  # content start, after leading space
    ce: int  # content end, before trailing space
    kind: str = "text"  # blank furniture tsv pipe pipesep md bold caption bullet footnote
    #                     reference figtitle text
    body: int = 0  # raw offset where the block's text starts (after "##", a bullet, "Q")
    depth: int = 0  # markdown heading depth
    bare: str = ""  # content without markup, single-spaced
    label_only: bool = False  # the line is a number label and nothing else ("1", "Section")
    labelled: bool = False  # the line opens with a number label followed by a title


def _scan_lines(raw: str) -> list[_Line]:
    """The lines of the raw text with their offsets and kinds; any line break counts."""
    lines: list[_Line] = []
    pos = 0
    for piece in raw.splitlines(keepends=True):
        text = piece.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        start = pos
        pos += len(piece)
        lead = len(text) - len(text.lstrip(_EDGE_STRIP))
        stop = max(lead, len(text.rstrip(_EDGE_STRIP)))
        line = _Line(start, start + len(text), start + lead, start + stop)
        _classify(line, text[lead:stop], "\t" in text)
        lines.append(line)
    return lines


def _classify(line: _Line, content: str, has_tab: bool) -> None:
    """Set a line's kind from its content alone; context decides the rest later."""
    line.body = line.cs
    if not content:
        line.kind = "blank"
        return
    if has_tab:
        line.kind = "tsv"
        return
    if content[0] == "|":
        if _PIPE_SEPARATOR.match(content):
            line.kind = "pipesep"
            return
        if len(content) > 1 and content[-1] == "|":
            line.kind = "pipe"
            return
    if _IMAGE.match(content):
        line.kind = "furniture"
        return
    md = _MD_HEADING.match(content)
    bare = line.bare = _bare(content[md.end() :] if md else content)
    if not bare:
        line.kind = "blank"
        return
    marked = bool(md) or content.startswith("**")
    # A bare number is a page number, but "## 1" and "**1**" are heading numbers.
    if (
        _FURNITURE.match(bare)
        or _spaced_banner(bare)
        or _web_navigation(bare)
        or (not marked and bare.isdigit())
    ):
        line.kind = "furniture"
        return
    label = _match_label(bare)
    line.label_only = label is not None and label.end() == len(bare)
    line.labelled = label is not None and not line.label_only
    if md:
        line.kind = "md"
        line.depth = len(md.group(1))
        line.body = line.cs + md.end()
    elif _BRACKETED.match(bare) and not _REFERENCE.match(bare):
        line.kind = "caption"  # a photo credit: "[Courtesy of ...]"
    elif _FIGURE_TITLE.match(bare) and not _REFERENCE.match(bare):
        line.kind = "figtitle"
    elif _BOLD_LINE.match(content) and (len(bare) <= 160 or not _ends_terminal(bare)):
        line.kind = "bold"
    elif bullet := _BULLET.match(content):
        rest = _bare(content[bullet.end() :])
        line.kind = "bullet" if rest else "blank"
        line.body = line.cs + bullet.end()
        line.bare = rest
        line.labelled = _starts_item(rest)
    elif content.startswith("<sup>") or _FOOTNOTE.match(bare):
        line.kind = "footnote"
    elif _REFERENCE.match(bare):
        line.kind = "reference"
        icon = _SEE_ICON.match(content)
        if icon:
            line.body = line.cs + icon.end()
    else:
        line.kind = "text"


# =============================================================================================
# Parser
# =============================================================================================


@dataclass(slots=True)
class _Proto:
    """A block before its clean text is built: its kind and raw spans (one per line)."""

    kind: BlockKind
    spans: list[tuple[int, int]]
    cells: list[tuple[int, int]] = field(default_factory=list)  # table rows: raw cell spans
    table: int = -1  # table rows: index into _Parser.tables
    header: bool = False  # table rows: a header row
    depth: int = 0  # headings: markdown depth
    trailing: bool = False  # headings: the number is printed after the title

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]


@dataclass(slots=True)
class _TableRun:
    """A run of table rows: one Table."""

    title: str | None
    rows: list[int]  # indexes into _Parser.protos


@dataclass(slots=True)
class _Open:
    """A section still open while headings are read: its numbering style and ordinal."""

    section: int
    style: str
    ordinal: int | None
    rank: int | None


_Built = tuple[_Proto, Mapped, tuple[Cell, ...], list[list[Mapped]]]
_Found = tuple[int, int, int, int | None, str, tuple[tuple[int, int], ...]]


class _Parser:
    """Turns one raw text into a Document; see ``parse_text``."""

    def __init__(self, info: DocumentInfo, raw: str) -> None:
        self.info = info
        self.raw = raw
        self.lines = _scan_lines(raw)
        self.wrapped = self._measure_wrapping()
        self.protos: list[_Proto] = []
        self.tables: list[_TableRun] = []
        self._plain_headings: dict[int, int] = {}
        self._word_counts: Counter[str] | None = None  # for hyphenated line breaks
        self._pair_counts: Counter[str] = Counter()  # "left-right" inside compounds
        self._notes = False  # inside "Notes: 1. ... 2. ..." below a table

    def _measure_wrapping(self) -> bool:
        """Hard-wrapped text has most prose lines followed directly by another prose line."""
        lines = self.lines
        text = followed = 0
        for i, line in enumerate(lines):
            if line.kind == "text":
                text += 1
                if i + 1 < len(lines) and lines[i + 1].kind in ("text", "bold", "bullet"):
                    followed += 1
        return text > 0 and followed >= 0.5 * text

    # ---- pass 1: lines to proto blocks --------------------------------------------------------

    def build(self) -> None:
        """Pass 1: read the lines in order and append one proto block per block found."""
        lines = self.lines
        i = 0
        while i < len(lines):
            kind = lines[i].kind
            if kind in ("blank", "furniture"):
                i += 1
            elif kind in ("pipe", "pipesep", "tsv"):
                i = self._table(i)
            elif kind in ("md", "bold"):
                i = self._heading(i)
            elif kind == "caption":
                self._add("caption", [i])
                i += 1
            elif kind == "bullet" and self._bullet_heading(i):
                self._add("heading", [i])  # "- 1  General Situation" standing alone
                i += 1
            elif kind == "bullet":
                i = self._run(i, "list_item")
            elif kind == "footnote":
                i = self._run(i, "footnote")
            elif kind == "reference":
                i = self._run(i, "reference")
            elif kind == "figtitle":
                i = self._run(i, "figure_title")
            else:
                i = self._text(i)

    def _add(
        self, kind: BlockKind, line_indexes: Sequence[int], depth: int = 0, trailing: bool = False
    ) -> None:
        """Append a proto block made of these lines; note whether a list of notes is open."""
        spans = [(self.lines[k].body, self.lines[k].ce) for k in line_indexes]
        self.protos.append(_Proto(kind, spans, depth=depth, trailing=trailing))
        first = self.lines[line_indexes[0]].bare
        self._notes = kind == "footnote" and (
            self._notes or bool(re.match(r"\(?Notes?\b|\d", first))
        )

    def _heading(self, i: int) -> int:
        """One heading from heading lines that print it; a label without a title is dropped.

        "## Section" + "## 1" + "## Outline ..." (blank lines between), "**Section**" +
        "**1** **Outline ...**", a bold title wrapped over two lines, and a title followed by
        its number ("**Japan-U.S. Alliance**" + "### 2") each make one heading.
        """
        lines = self.lines
        group = [i]
        has_title = not lines[i].label_only
        leading_label = lines[i].label_only or lines[i].labelled
        trailing = False
        j = i + 1
        while j < len(lines):
            k = j
            while k < len(lines) and lines[k].kind == "blank":
                k += 1
            if k >= len(lines) or lines[k].kind not in ("md", "bold"):
                break
            nxt, last = lines[k], lines[group[-1]]
            adjacent = k == j
            if not has_title:
                if not (adjacent or (nxt.kind == "md" and last.kind == "md")):
                    break
                has_title = not nxt.label_only
            elif not adjacent:
                break
            elif nxt.label_only:
                if leading_label or trailing:
                    break
                trailing = True
            elif trailing or nxt.labelled or nxt.kind != last.kind:
                break
            group.append(k)
            j = k + 1
        letters = sum(ch.isalpha() for g in group for ch in lines[g].bare)
        if not has_title or letters < 3:
            return j  # a chapter tab or a page label: furniture
        text = " ".join(lines[g].bare for g in group)
        if self.wrapped and not leading_label and not trailing and not _heading_like(text):
            # Bold labels of a map or chart ("80,000 troops (12) 260 vessels").
            self._add("figure_text", group)
        else:
            self._add("heading", group, depth=lines[i].depth, trailing=trailing)
        return j

    def _bullet_heading(self, i: int) -> bool:
        """In wrapped text a numbered title alone on a bulleted line is a heading."""
        line = self.lines[i]
        alone = i + 1 >= len(self.lines) or self.lines[i + 1].kind in ("blank", "furniture")
        return self.wrapped and alone and line.labelled and _heading_like(line.bare)

    def _run(self, i: int, kind: BlockKind) -> int:
        """A list item, footnote, reference or figure title with its wrapped lines."""
        lines = self.lines
        group = [i]
        depth = lines[i].bare.count("(") - lines[i].bare.count(")")
        width = self._width(i)
        j = i + 1
        while True:
            if kind == "reference" and depth > 0 and j < len(lines) and lines[j].kind == "blank":
                # An open parenthesis goes on past one blank line, into a line that closes
                # it: "See Reference 25 (Japan-U.S. ... Consultations" + "[Since 2016])".
                k = j + 1
                if k < len(lines) and lines[k].kind in ("text", "caption") and ")" in lines[k].bare:
                    j = k
            if j >= len(lines) or lines[j].kind not in ("text", "caption"):
                break
            line = lines[j]
            if line.kind == "caption" and not (kind == "reference" and depth > 0):
                break
            if line.kind == "text" and self._plain_heading(j):
                break
            if kind in ("reference", "figure_title"):
                if depth <= 0 and not line.bare[:1].islower():
                    break
            elif kind == "footnote":
                if _NOTE_NUMBER.match(line.bare) or self._paragraph_break(j - 1, j, width):
                    break
            elif not self.wrapped or self._paragraph_break(j - 1, j, width):
                break
            depth += line.bare.count("(") - line.bare.count(")")
            group.append(j)
            j += 1
        self._add(kind, group)
        return j

    def _width(self, i: int) -> int:
        """The longest line of the chunk from line ``i``: the width of a wrapped column."""
        lines = self.lines
        width = 0
        while i < len(lines) and lines[i].kind in ("text", "bullet", "bold", "footnote"):
            width = max(width, lines[i].ce - lines[i].cs)
            i += 1
        return width

    def _paragraph_break(self, prev: int, cur: int, width: int) -> bool:
        """In wrapped text, a line short of the column width that ends a sentence ends its
        paragraph."""
        if not self.wrapped:
            return False
        line = self.lines[prev]
        if line.ce - line.cs >= 0.85 * width or not _SENTENCE_END.search(line.bare):
            return False
        return not _continues(line.bare, self.lines[cur].bare)

    def _text(self, i: int) -> int:
        """A run of plain text lines: paragraphs, headings, or a caption, note or figure."""
        lines = self.lines
        run = [i]
        j = i + 1
        while j < len(lines):
            if lines[j].kind == "text":
                run.append(j)
                j += 1
            elif self._soft_break(j):
                run.append(j + 1)
                j += 2
            else:
                break
        if not self._plain_heading(i):
            if len(run) <= 3 and run[-1] - i < 3 and self._caption_run(run):
                self._add("caption", run)
                return j
            if self._notes and _NOTE_NUMBER.match(lines[i].bare):
                return self._run(i, "footnote")
            numbered = self._numbered_note(i)
            if numbered:
                return self._run(i, numbered)
            if self.wrapped and not self._prose_run(run):
                self._add("figure_text", run)
                return j
        self._notes = False
        width = max(lines[k].ce - lines[k].cs for k in run)
        start = n = 0
        while n < len(run):
            size = self._plain_heading(run[n])
            if size:
                if start < n:
                    self._add("paragraph", run[start:n])
                self._add("heading", run[n : n + size])
                n += size
                start = n
                continue
            if n > start and self._paragraph_break(run[n - 1], run[n], width):
                self._add("paragraph", run[start:n])
                start = n
            n += 1
        if start < len(run):
            self._add("paragraph", run[start:])
        return j

    def _soft_break(self, j: int) -> bool:
        """Whether blank line ``j`` only double-spaces wrapped text: the line above is cut
        mid-sentence and the line below goes on with it ("... throughout the" / "Chinese
        military and ...", "... engaging" / "in broad, rapid ...")."""
        lines = self.lines
        if not self.wrapped or j == 0 or j + 1 >= len(lines) or lines[j].kind != "blank":
            return False
        above, below = lines[j - 1], lines[j + 1]
        if above.kind != "text" or below.kind != "text" or self._plain_heading(j + 1):
            return False
        text = above.bare
        if len(text) < 35 or _ends_terminal(text) or _CAPTION_END.search(text) or _garbled(text):
            return False
        last = text.rsplit(" ", 1)[-1].lower()
        return below.bare[:1].islower() or last in _DANGLING or text.endswith((",", "-"))

    def _numbered_note(self, i: int) -> BlockKind | None:
        """In wrapped text "44 In December 2017, ..." is a footnote when the text before it
        carries the marker "[44]", and otherwise a numbered item of prose."""
        line = self.lines[i]
        m = _NUMBERED_PROSE.match(line.bare)
        if not self.wrapped or not m or len(line.bare) < 60:
            return None
        window = self.raw[max(0, line.start - _FOOTNOTE_WINDOW) : line.start]
        return "footnote" if f"[{m.group(1)}]" in window else "list_item"

    def _caption_run(self, run: Sequence[int]) -> bool:
        """A photo caption: a short unnumbered run that ends in a date or a bracketed credit."""
        text = " ".join(self.lines[k].bare for k in run)
        if len(text) > 320 or self.lines[run[0]].labelled:
            return False
        if _ends_terminal(text) and not text.endswith((")", "]", "】")):
            return False
        if _CAPTION_END.search(text) or _garbled(text):
            return True
        # The credit on a line of its own below: "... making an address" + "[Cabinet ...]".
        k = run[-1] + 1
        while k < len(self.lines) and self.lines[k].kind == "blank":
            k += 1
        return self.wrapped and k < len(self.lines) and self.lines[k].kind == "caption"

    def _prose_run(self, run: Sequence[int]) -> bool:
        """Whether a run of wrapped lines is running text rather than the labels of a figure."""
        bares = [self.lines[k].bare for k in run]
        if any(_DOT_LEADERS.search(b) for b in bares):
            return False  # a table of contents
        if any(_ends_sentence(b) for b in bares):
            return True
        if bares[0][:1].islower() and self._open_paragraph_unterminated():
            return True
        words = " ".join(bares).split()
        lower = sum(1 for w in words if w[:1].islower())
        mean = sum(len(b) for b in bares) / len(bares)
        if len(bares) >= 2 and mean >= 40 and lower >= 0.3 * len(words):
            return True
        # Double-spaced text (a blank line after every line): a line one blank line below a
        # paragraph goes on with it when the paragraph is unfinished or the line reads as prose.
        last = self.protos[-1] if self.protos else None
        if last is None or last.kind not in ("paragraph", "list_item"):
            return False
        gap = self.raw[last.end : self.lines[run[0]].start]
        if gap.count("\n") != 2 or gap.strip():
            return False
        tail = self.raw[last.spans[-1][0] : last.end]
        return not _ends_terminal(_bare(tail)) or (mean >= 45 and lower >= 0.5 * len(words))

    def _open_paragraph_unterminated(self) -> bool:
        """Whether the last paragraph since the last heading stops mid-sentence."""
        for proto in reversed(self.protos):
            if proto.kind == "heading":
                return False
            if proto.kind in ("paragraph", "list_item"):
                a, b = proto.spans[-1]
                return not _ends_terminal(_bare(self.raw[a:b]))
        return False

    def _plain_heading(self, k: int) -> int:
        """How many lines from ``k`` make a heading without markup (0: none)."""
        size = self._plain_headings.get(k)
        if size is None:
            size = self._plain_headings[k] = self._find_plain_heading(k)
        return size

    def _find_plain_heading(self, k: int) -> int:
        """See ``_plain_heading`` (which caches this)."""
        lines = self.lines
        line = lines[k]
        if line.kind != "text":
            return 0
        prev_text = k > 0 and lines[k - 1].kind == "text"
        next_text = k + 1 < len(lines) and lines[k + 1].kind == "text"
        if line.labelled:
            label = _match_label(line.bare)
            title = line.bare[label.end() :].strip() if label else ""
            if not _title_like(title, numbered=True):
                return 0
            if not self.wrapped:
                return 0 if prev_text or next_text else 1
            # In wrapped text a heading starts a line after a finished sentence and the next
            # line starts anew; "2 Maintenance of ... Region" + "surrounding Japan" standing
            # alone is a heading wrapped over two lines.
            if prev_text and not _SENTENCE_END.search(lines[k - 1].bare):
                return 0
            if not next_text:
                return 1
            following = lines[k + 1]
            if following.bare[:1].isupper() or following.bare[:1] in '“"(' or following.labelled:
                return 1
            alone = not prev_text and (k + 2 >= len(lines) or lines[k + 2].kind != "text")
            if alone and len(following.bare) <= 60 and not _ends_terminal(following.bare):
                return 2
            return 0
        # Without a number only clean text has headings ("Background to the Revision"): a
        # title-like line standing alone, before running text.
        if self.wrapped or prev_text or next_text or not _title_like(line.bare, numbered=False):
            return 0
        if _CAPTION_END.search(line.bare):
            return 0
        return 1 if self._followed_by_prose(k + 1, hops=3) else 0

    def _followed_by_prose(self, k: int, hops: int) -> bool:
        """Whether running text follows line ``k``, after at most ``hops`` more headings."""
        lines = self.lines
        while k < len(lines) and hops >= 0:
            line = lines[k]
            if line.kind in ("blank", "furniture"):
                k += 1
            elif line.kind in ("md", "bold"):
                hops -= 1
                k += 1
            elif line.kind in ("text", "bullet"):
                alone = not (k + 1 < len(lines) and lines[k + 1].kind == "text")
                if line.kind == "text" and alone and _heading_like(line.bare):
                    hops -= 1
                    k += 1
                    continue
                return _ends_terminal(line.bare)
            else:
                return False
        return False

    # ---- tables ------------------------------------------------------------------------------

    def _table(self, i: int) -> int:
        """A run of table lines: one proto row per line, the header rows marked."""
        lines = self.lines
        pipe = lines[i].kind != "tsv"
        kinds = ("pipe", "pipesep") if pipe else ("tsv",)
        rows: list[list[tuple[int, int]]] = []
        row_lines: list[int] = []
        separator: int | None = None
        j = i
        while j < len(lines) and lines[j].kind in kinds:
            if lines[j].kind == "pipesep":
                separator = len(rows) if separator is None else separator
            else:
                cells = self._pipe_cells(lines[j]) if pipe else self._tsv_cells(lines[j])
                if any(a < b for a, b in cells):  # a row of empty cells is layout, not data
                    rows.append(cells)
                    row_lines.append(j)
            j += 1
        if not rows:
            return j
        texts = [[_bare(self.raw[a:b]) for a, b in cells] for cells in rows]
        if separator is not None and 1 <= separator <= 3:
            header = min(separator, len(rows))
        else:
            header = 1 if len(rows) >= 2 and _header_like(texts[0]) else 0
        # A second header row names the sub-columns of a spanning first one: it leaves the
        # first column blank ("| Japanese Side | U.S. Side").
        while (
            0 < header < min(3, len(rows) - 1)
            and not texts[header][0]
            and _header_like(texts[header])
        ):
            header += 1
        title = None
        if self.protos:
            last = self.protos[-1]
            if last.kind == "figure_title":
                title = _bare(self.raw[last.start : last.end])
            elif last.kind == "table_row" and last.table >= 0:
                title = self.tables[last.table].title  # the same figure, after a blank line
        run = _TableRun(title, [])
        self.tables.append(run)
        for n, (cells, k) in enumerate(zip(rows, row_lines, strict=True)):
            line = lines[k]
            # A tab-separated row starts at its line's start: leading tabs are empty cells.
            span = (line.cs, line.ce) if pipe else (line.start, max(line.end, line.ce))
            run.rows.append(len(self.protos))
            self.protos.append(
                _Proto(
                    "table_row",
                    [span],
                    cells=cells,
                    table=len(self.tables) - 1,
                    header=n < header,
                )
            )
        return j

    def _pipe_cells(self, line: _Line) -> list[tuple[int, int]]:
        """Raw spans of the cells of "|a|b|"; an escaped "\\|" stays inside its cell."""
        raw = self.raw
        first, last = line.cs + 1, line.ce - 1  # inside the outer pipes
        cells = []
        a = first
        for p in range(first, last + 1):
            if p == last or (raw[p] == "|" and raw[p - 1] != "\\"):
                cells.append(self._trim(a, p))
                a = p + 1
        return cells

    def _tsv_cells(self, line: _Line) -> list[tuple[int, int]]:
        """Raw spans of the tab-separated cells of a line, empty ones included."""
        cells = []
        a = line.start
        for piece in self.raw[line.start : line.end].split("\t"):
            cells.append(self._trim(a, a + len(piece)))
            a += len(piece) + 1
        return cells

    def _trim(self, a: int, b: int) -> tuple[int, int]:
        """A raw span without space at its ends; an empty span sits at ``a``."""
        text = self.raw[a:b]
        stripped = text.lstrip(_EDGE_STRIP)
        a += len(text) - len(stripped)
        b = a + len(stripped.rstrip(_EDGE_STRIP))
        return a, b

    # ---- pass 2: paragraphs interrupted by captions, footnotes, tables, page breaks ----------

    def merge_continuations(self) -> None:
        """Join a paragraph (or list item) left mid-sentence with the paragraph continuing it.

        Captions, footnotes, references, figures, tables and page furniture between the two
        stay blocks of their own; a heading in between ends the paragraph for good. A list item
        left mid-sentence continues into an item that starts in lower case after a blank line
        ("- ... timely, and" + "- responsive and ..."), never into the next item otherwise.
        """
        merged: list[_Proto] = []
        index: dict[int, int] = {}
        host_at: int | None = None
        for n, proto in enumerate(self.protos):
            if proto.kind == "heading":
                host_at = None
            elif proto.kind in ("paragraph", "list_item") and host_at is not None:
                host = merged[host_at]
                gap = self.raw[host.end : proto.start]
                tail = _bare(self.raw[host.spans[-1][0] : host.end])
                head = _bare(self.raw[proto.start : proto.spans[0][1]])
                if (
                    len(gap) <= _MAX_CONTINUATION_GAP
                    and not (len(host.spans) == 1 and _heading_like(tail))
                    and (
                        proto.kind == "paragraph"
                        or (head[:1].islower() and "\n\n" in gap and not _ends_terminal(tail))
                    )
                    and _continues(tail, head)
                ):
                    host.spans.extend(proto.spans)
                    continue
            index[n] = len(merged)
            merged.append(proto)
            if proto.kind in ("paragraph", "list_item"):
                host_at = len(merged) - 1
        for run in self.tables:
            run.rows = [index[r] for r in run.rows]
        self.protos = merged

    # ---- clean text ----------------------------------------------------------------------------

    def clean(self, spans: Sequence[tuple[int, int]]) -> Mapped:
        """Clean text of raw spans (one per line), with its map back to raw offsets.

        Markup, footnote markers and bullet glyphs are dropped, every run of whitespace (the
        line breaks between spans included) becomes one space, and a word hyphenated across a
        line break is joined when the document spells it joined elsewhere. Every clean
        character is a raw character at its mapped offset, except a space, which may stand for
        any run of whitespace or markup, and a character decoded from an HTML entity.
        """
        raw = self.raw
        parts: list[str] = []
        segments: list[tuple[int, int]] = []
        size = 0  # length of the clean text so far
        follow = -1  # the raw offset that would continue the current segment
        space_at = -1  # the raw offset a pending space maps to; -1 when none is pending

        def put(a: int, b: int, text: str | None = None) -> None:
            """Append raw[a:b], or ``text`` standing for it; a space at either end waits."""
            nonlocal size, follow, space_at
            trailing = False
            if text is None:
                if raw[a] == " ":
                    if size and space_at < 0:
                        space_at = a
                    a += 1
                trailing = b > a and raw[b - 1] == " "
                if trailing:
                    b -= 1
                if a >= b:
                    return
                text = raw[a:b]
            if space_at >= 0:
                if space_at != follow:
                    segments.append((size, space_at))
                parts.append(" ")
                size += 1
                follow = space_at + 1
                space_at = -1
            if a != follow:
                segments.append((size, a))
            parts.append(text)
            size += len(text)
            follow = a + len(text)
            if trailing:
                space_at = b

        glue = False
        for k, (a, b, glue_next) in enumerate(self._resolve_hyphens(spans)):
            if k and size and space_at < 0 and not glue:
                space_at = spans[k - 1][1]
            glue = glue_next
            pos = a
            for m in _NOISE.finditer(raw, a, b):
                s = m.start()
                if s > pos:
                    put(pos, s)
                group = m.lastgroup
                if group in ("space", "blocktag", "glyph"):
                    if size and space_at < 0:
                        space_at = s
                elif group == "entity":
                    char = html.unescape(m.group())
                    if char.isspace():
                        if size and space_at < 0:
                            space_at = s
                    elif len(char) == 1:
                        put(s, s + 1, char)  # the entity's "&" stands for the character
                    else:
                        put(s, m.end())
                pos = m.end()
            if pos < b:
                put(pos, b)
        return Mapped("".join(parts), tuple(segments))

    def _resolve_hyphens(self, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int, bool]]:
        """Spans flagged to glue to the next one without a space: a hyphen at the line end.

        "secu-" + "rity" loses the hyphen when the document spells "security" elsewhere (or,
        with no evidence either way, when "rity" is a word ending); "ship-to-" + "ship",
        "air-" + "launched" (spelt hyphenated elsewhere) and "Japan-" + "U.S." keep it.
        """
        raw = self.raw
        out: list[tuple[int, int, bool]] = []
        for k, (a, b) in enumerate(spans):
            glue = False
            if k + 1 < len(spans) and b - a >= 2 and raw[b - 1] == "-" and raw[b - 2].isalpha():
                c = spans[k + 1][0]
                if c < len(raw) and raw[c].isalpha():
                    glue = True
                    left = re.search(r"[A-Za-z]+$", raw[max(a, b - 40) : b - 1])
                    right = re.match(r"[A-Za-z]+", raw[c : c + 40])
                    if (
                        left
                        and right
                        and left.group().islower()
                        and right.group().islower()
                        and self._one_word(left.group(), right.group())
                    ):
                        b -= 1
            out.append((a, b, glue))
        return out

    def _one_word(self, left: str, right: str) -> bool:
        """Whether "left-" at a line end and "right" on the next line are one broken word."""
        if self._word_counts is None:
            lower = self.raw.lower()
            self._word_counts = Counter(re.findall(r"[a-z]+", lower))
            self._pair_counts = Counter(re.findall(r"(?<![a-z])(?=([a-z]+-[a-z]+))", lower))
        joined = self._word_counts[left + right]
        hyphenated = self._pair_counts[f"{left}-{right}"]
        if joined or hyphenated:
            return joined > hyphenated
        return right in _SUFFIXES

    # ---- pass 3: blocks, sections, tables, sentences -----------------------------------------

    def assemble(self) -> Document:
        """Pass 3: clean text for every block, then sections, tables and sentences."""
        built: list[_Built] = []
        block_of: dict[int, int] = {}
        for n, proto in enumerate(self.protos):
            cells: tuple[Cell, ...] = ()
            pieces: list[list[Mapped]] = []
            if proto.kind == "table_row":
                cells, pieces = self._cells(proto)
                text = self.clean([(c.start, c.end) for c in cells if c.clean])
            else:
                text = self.clean(proto.spans)
            if text.clean:
                block_of[n] = len(built)
                built.append((proto, text, cells, pieces))

        sections, block_sections = self._sections(built)
        tables, block_tables = self._tables(built, block_of)

        found: list[_Found] = []
        for b, (proto, text, _cells, pieces) in enumerate(built):
            if proto.kind == "table_row":
                for column, cell_pieces in enumerate(pieces):
                    for piece in cell_pieces:
                        found.extend(_sentences_of(piece, b, column, split=True))
            else:
                split = proto.kind in ("paragraph", "list_item", "footnote")
                found.extend(_sentences_of(text, b, None, split=split))
        # Reading order; a sentence that spans a caption starts before the caption's.
        found.sort(key=lambda f: (f[0], f[1]))

        raw = self.raw
        sentences: list[Sentence] = []
        per_block: list[list[int]] = [[] for _ in built]
        for index, (start, end, b, column, clean, segments) in enumerate(found):
            per_block[b].append(index)
            sentences.append(
                Sentence(
                    clean=clean,
                    segments=segments,
                    doc_id=self.info.id,
                    index=index,
                    start=start,
                    end=end,
                    text=raw[start:end],
                    block=b,
                    section=block_sections[b],
                    cell=column,
                )
            )
        blocks = tuple(
            Block(
                index=b,
                kind=proto.kind,
                start=proto.start,
                end=proto.end,
                text=text,
                section=block_sections[b],
                sentences=tuple(per_block[b]),
                cells=cells,
                table=block_tables.get(b),
            )
            for b, (proto, text, cells, _pieces) in enumerate(built)
        )
        return Document(
            info=self.info,
            raw=raw,
            sha256=hashlib.sha256(raw.encode("utf-8")).hexdigest(),
            blocks=blocks,
            sections=tuple(sections),
            tables=tuple(tables),
            sentences=tuple(sentences),
        )

    def _cells(self, proto: _Proto) -> tuple[tuple[Cell, ...], list[list[Mapped]]]:
        """The cells of a row, and for each the pieces read as sentences (items apart)."""
        raw = self.raw
        cells: list[Cell] = []
        pieces: list[list[Mapped]] = []
        for a, b in proto.cells:
            if a >= b or (proto.header and re.fullmatch(r"Col\d+", raw[a:b])):
                # An empty cell keeps its column; "Col3" is a converter's name for a blank.
                cells.append(Cell("", (), start=a, end=a))
                pieces.append([])
                continue
            text = self.clean([(a, b)])
            items: list[Mapped] = []
            cell_pieces: list[Mapped] = []
            pos = a
            for m in _LIST_ITEM.finditer(raw, a, b):
                stop = _LIST_ITEM_END.search(raw, m.end(), b)
                end = stop.start() if stop else b
                if pos < m.start():  # text before the list: "<p>...</p> <ul>"
                    before = self.clean([(pos, m.start())])
                    if before.clean:
                        cell_pieces.append(before)
                item = self.clean([(m.end(), end)])
                if item.clean:
                    items.append(item)
                    cell_pieces.append(item)
                if stop is not None and stop.group().lower().startswith("</li"):
                    pos = stop.end()
                else:
                    pos = end
            if items:
                after = self.clean([(pos, b)]) if pos < b else None
                if after is not None and after.clean:
                    cell_pieces.append(after)
            elif text.clean:
                cell_pieces.append(text)
            cells.append(Cell(text.clean, text.segments, start=a, end=b, items=tuple(items)))
            pieces.append(cell_pieces)
        return tuple(cells), pieces

    def _sections(self, built: Sequence[_Built]) -> tuple[list[Section], list[int | None]]:
        """Sections from the heading blocks, nested by numbering style (see ``_place``)."""
        opened: list[tuple[str, str | None, int, int, int | None, int]] = []
        stack: list[_Open] = []
        block_sections: list[int | None] = []
        for b, (proto, text, _cells, _pieces) in enumerate(built):
            if proto.kind == "heading":
                number, title, candidates = self._label(proto, text.clean)
                depth, (style, ordinal) = _place(stack, candidates)
                parent = stack[depth - 1].section if depth else None
                del stack[depth:]
                stack.append(_Open(len(opened), style, ordinal, _RANK.get(style)))
                opened.append((title, number, depth + 1, proto.start, parent, b))
            block_sections.append(stack[-1].section if stack else None)
        ends = [len(self.raw)] * len(opened)
        still_open: list[int] = []
        for n, (_title, _number, level, start, _parent, _b) in enumerate(opened):
            while still_open and opened[still_open[-1]][2] >= level:
                ends[still_open.pop()] = start
            still_open.append(n)
        sections = [
            Section(
                index=n,
                title=title,
                number=number,
                level=level,
                start=start,
                end=ends[n],
                parent=parent,
                heading=b,
            )
            for n, (title, number, level, start, parent, b) in enumerate(opened)
        ]
        return sections, block_sections

    def _label(
        self, proto: _Proto, clean: str
    ) -> tuple[str | None, str, list[tuple[str, int | None]]]:
        """A heading's printed number, its title, and the numbering styles it may belong to."""
        if proto.trailing:
            a, b = proto.spans[-1]
            number = _bare(self.raw[a:b])
            title = clean[: len(clean) - len(number)].rstrip() if clean.endswith(number) else clean
            ordinal: int | None = None
            if number.isdigit():
                ordinal = int(number)
            elif number in _UPPER_ROMAN:
                ordinal = _UPPER_ROMAN.index(number) + 1
            return number, title, [("post", ordinal)]
        m = _match_label(clean)
        if m and m.end() < len(clean):
            return clean[: m.end()], clean[m.end() :].strip(), _label_candidates(m)
        return None, clean, [(f"plain{proto.depth}", None)]

    def _tables(
        self, built: Sequence[_Built], block_of: dict[int, int]
    ) -> tuple[list[Table], dict[int, int]]:
        """Tables from the runs of rows, and the table of each row block."""
        tables: list[Table] = []
        block_tables: dict[int, int] = {}
        for run in self.tables:
            rows = [block_of[r] for r in run.rows if r in block_of]
            if not rows:
                continue
            for b in rows:
                block_tables[b] = len(tables)
            header_rows = [built[b][2] for b in rows if built[b][0].header]
            tables.append(
                Table(
                    index=len(tables),
                    title=run.title,
                    start=built[rows[0]][0].start,
                    end=built[rows[-1]][0].end,
                    header=_combine_header(header_rows),
                    rows=tuple(b for b in rows if not built[b][0].header),
                )
            )
        return tables, block_tables


_LIST_ITEM = re.compile(r"<li\b[^<>]*>", re.I)
_LIST_ITEM_END = re.compile(r"</li\s*>|<li\b|</?[uo]l\b", re.I)


def _combine_header(rows: Sequence[tuple[Cell, ...]]) -> tuple[str, ...]:
    """One label per column from one or more header rows.

    A blank cell right of a filled one spans it when a lower row names the column:
    "Participants | (blank)" over "Japanese Side | U.S. Side" gives "Participants / Japanese
    Side" and "Participants / U.S. Side".
    """
    if not rows:
        return ()
    width = max(len(r) for r in rows)
    grid = [[r[c].clean if c < len(r) else "" for c in range(width)] for r in rows]
    for upper in range(len(grid) - 1):
        for c in range(1, width):
            named_below = any(grid[lower][c] for lower in range(upper + 1, len(grid)))
            if not grid[upper][c] and grid[upper][c - 1] and named_below:
                grid[upper][c] = grid[upper][c - 1]
    return tuple(" / ".join(dict.fromkeys(g[c] for g in grid if g[c])) for c in range(width))


def _place(
    stack: Sequence[_Open], candidates: Sequence[tuple[str, int | None]]
) -> tuple[int, tuple[str, int | None]]:
    """The depth at which a heading opens and its style (see ``_nest``); a Part, Chapter or
    Section never opens inside a numbered heading of a lower rank, whatever went before: in
    PDF text a misread number can leave a "4" open, and every Section after it would nest
    under it (a heading on Iran's nuclear issues above the chapter on the alliance)."""
    depth, chosen = _nest(stack, candidates)
    rank = _RANK.get(chosen[0])
    if chosen[0] in _WORD_STYLES and rank is not None:
        while depth and any(e.rank is not None and e.rank >= rank for e in stack[:depth]):
            depth -= 1
    return depth, chosen


_WORD_STYLES = frozenset({"part", "chapter", "section"})


def _nest(
    stack: Sequence[_Open], candidates: Sequence[tuple[str, int | None]]
) -> tuple[int, tuple[str, int | None]]:
    """The depth at which a heading opens (its parent is ``stack[depth - 1]``), and its style.

    1. It continues an open numbering ("(4)" after "(3)"): a sibling of that section.
    2. An unnumbered heading is a sibling of the nearest unnumbered one of the same markdown
       depth, else a child of the innermost section.
    3. Its style is open already: "1" again, or a number lower than the open one, starts a
       nested list; anything else (a gap, a repeat) is a sibling.
    4. A new style closes the open sections that rank at or below it (Section closes "1",
       "(1)" and "a."), and unnumbered headings nested under such a section.
    """
    for depth in range(len(stack) - 1, -1, -1):
        entry = stack[depth]
        for style, ordinal in candidates:
            if (
                entry.style == style
                and ordinal is not None
                and entry.ordinal is not None
                and ordinal == entry.ordinal + 1
            ):
                return depth, (style, ordinal)
    style, ordinal = candidates[0]
    if style.startswith("plain"):
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth].style == style:
                return depth, candidates[0]
        return len(stack), candidates[0]
    for depth in range(len(stack) - 1, -1, -1):
        entry = stack[depth]
        for candidate in candidates:
            if entry.style == candidate[0]:
                restart = candidate[1] == 1 or (
                    candidate[1] is not None
                    and entry.ordinal is not None
                    and candidate[1] < entry.ordinal
                )
                return (len(stack) if restart else depth), candidate
    rank = _RANK.get(style, len(_RANK))
    depth = len(stack)
    while depth:
        entry = stack[depth - 1]
        if entry.rank is None:
            below = next((e.rank for e in reversed(stack[: depth - 1]) if e.rank is not None), None)
            if below is not None and below < rank:
                break
        elif entry.rank < rank:
            break
        depth -= 1
    return depth, candidates[0]


def _clean_pos(segment: tuple[int, int]) -> int:
    return segment[0]


def _sentences_of(text: Mapped, block: int, column: int | None, split: bool) -> list[_Found]:
    """Sentences of a block's (or a cell's) clean text, each with its own segments."""
    spans = _sentence_spans(text.clean) if split else [(0, len(text.clean))]
    segments = text.segments
    out: list[_Found] = []
    for i, j in spans:
        if i >= j:
            continue
        k = bisect.bisect_right(segments, i, key=_clean_pos) - 1
        clean_pos, raw_pos = segments[k]
        local = [(0, raw_pos + i - clean_pos)]
        k += 1
        while k < len(segments) and segments[k][0] < j:
            local.append((segments[k][0] - i, segments[k][1]))
            k += 1
        last_clean, last_raw = local[-1]
        end = last_raw + (j - i - 1 - last_clean) + 1
        out.append((local[0][1], end, block, column, text.clean[i:j], tuple(local)))
    return out


def parse_text(info: DocumentInfo, raw: str) -> Document:
    """Split raw text into blocks, sections, tables and sentences (pure)."""
    parser = _Parser(info, raw)
    parser.build()
    parser.merge_continuations()
    return parser.assemble()
