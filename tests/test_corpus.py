"""The corpus reader: manifests, file checks, and the parse into blocks, sections, tables and
sentences with exact offsets, on small fixtures, the default corpus and the shared corpus."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from alliance_kg.corpus import (
    CorpusError,
    Document,
    DocumentInfo,
    Mapped,
    load_manifest,
    parse_text,
    read_corpus,
    read_document,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "data" / "corpus"
DEFAULT_CORPUS = ROOT / "data" / "corpus"
SHARED = Path(__file__).resolve().parents[2] / "shared"
SHARED_CORPUS = SHARED / "corpus"

# A clean space may stand for any whitespace of the raw text.
_WHITESPACE = str.maketrans({c: " " for c in "\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"})
# What reflowing removes from raw text: markup, footnote markers, line-break hyphens, spaces.
_REFLOW = re.compile(
    r"<sup>[^<>]*</sup>|<[^<>]*>|\[\d{1,2}\]|\*+|-[ \t]*\r?\n\s*|[\s\x00-\x1f\ufeff\ue000-\uf8ff]"
)


def doc(text: str, doc_id: str = "t") -> Document:
    return parse_text(DocumentInfo(doc_id, Path(f"{doc_id}.txt"), doc_id), text)


def sentences(text: str) -> list[str]:
    return [s.clean for s in doc(text).sentences]


# ---- the offset property ----------------------------------------------------------------------


def check_mapped(raw: str, mapped: Mapped, where: str) -> None:
    """Every clean character is the raw character at its mapped offset, offsets strictly
    increase, and the only exceptions are a space standing for whitespace or markup and a
    character decoded from an entity ("&...;")."""
    clean, segments = mapped.clean, mapped.segments
    if not clean:
        assert segments == (), where
        return
    assert segments[0][0] == 0, where
    assert clean == clean.strip() and "  " not in clean, f"{where}: {clean[:80]!r}"
    reached = -1
    for n, (clean_pos, raw_pos) in enumerate(segments):
        stop = segments[n + 1][0] if n + 1 < len(segments) else len(clean)
        assert clean_pos < stop and raw_pos >= reached, f"{where}: segment {n} out of order"
        piece = clean[clean_pos:stop]
        original = raw[raw_pos : raw_pos + len(piece)]
        if piece != original.translate(_WHITESPACE):
            for got, was in zip(piece, original, strict=True):
                assert got == was or (got == " " and not was.isalnum()) or was == "&", (
                    f"{where}: clean {piece!r} against raw {original!r}"
                )
        reached = raw_pos + len(piece)


def check_document(document: Document) -> None:
    raw = document.raw
    assert document.sha256 == hashlib.sha256(raw.encode("utf-8")).hexdigest()
    for s in document.sentences:
        where = f"{document.id} sentence {s.index}"
        assert s.clean, where
        assert raw[s.start : s.end] == s.text, where
        assert s.raw_span(0, len(s.clean)) == (s.start, s.end), where
        check_mapped(raw, s, where)
        block = document.blocks[s.block]
        assert s.index in block.sentences and s.section == block.section, where
        # A capitalised word of the clean text sits at its mapped raw span: the raw slice,
        # reflowed, is the word.
        for m in re.finditer(r"[A-Z][A-Za-z]+", s.clean):
            a, b = s.raw_span(m.start(), m.end())
            assert _REFLOW.sub("", raw[a:b]) == m.group(), f"{where}: {m.group()!r}"
    assert [s.start for s in document.sentences] == sorted(s.start for s in document.sentences)
    for block in document.blocks:
        where = f"{document.id} block {block.index}"
        assert 0 <= block.start < block.end <= len(raw), where
        check_mapped(raw, block.text, where)
        a, b = block.text.raw_span(0, len(block.text.clean))
        assert block.start <= a < b <= block.end, where
        for column, cell in enumerate(block.cells):
            cell_where = f"{where} cell {column}"
            assert block.start <= cell.start <= cell.end <= block.end, cell_where
            check_mapped(raw, cell, cell_where)
            if cell.clean:
                a, b = cell.raw_span(0, len(cell.clean))
                assert cell.start <= a < b <= cell.end, cell_where
            for item in cell.items:
                check_mapped(raw, item, cell_where)
                a, b = item.raw_span(0, len(item.clean))
                assert cell.start <= a < b <= cell.end, cell_where
    for section in document.sections:
        where = f"{document.id} section {section.index}"
        heading = document.blocks[section.heading]
        assert heading.kind == "heading" and heading.start == section.start, where
        assert section.start < section.end <= len(raw), where
        if section.parent is not None:
            parent = document.sections[section.parent]
            assert parent.level == section.level - 1, where
            assert parent.start < section.start and section.end <= parent.end, where
    for table in document.tables:
        for row in table.rows:
            block = document.blocks[row]
            assert block.kind == "table_row" and block.table == table.index
            assert table.start <= block.start < block.end <= table.end


@pytest.fixture(scope="module")
def fixtures() -> dict[str, Document]:
    return {d.id: d for d in read_corpus(FIXTURES / "mini")}


@pytest.fixture(scope="module")
def default_corpus() -> dict[str, Document]:
    return {d.id: d for d in read_corpus(DEFAULT_CORPUS)}


def test_offsets_of_the_fixtures(fixtures):
    assert list(fixtures) == ["white-paper", "pdf-excerpt"]
    for document in fixtures.values():
        check_document(document)


def test_offsets_of_the_default_corpus(default_corpus):
    assert default_corpus
    for document in default_corpus.values():
        assert document.sentences
        check_document(document)


# ---- manifest --------------------------------------------------------------------------------


def write_corpus(folder: Path, manifest: str | None, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if manifest is not None:
        (folder / "manifest.toml").write_text(manifest, encoding="utf-8")
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def manifest_error(tmp_path: Path, manifest: str, files: dict[str, str] | None = None) -> str:
    folder = write_corpus(tmp_path / "c", manifest, files or {"a.txt": "Text."})
    with pytest.raises(CorpusError) as error:
        load_manifest(folder)
    message = str(error.value)
    assert str(folder / "manifest.toml") in message
    assert "\n" not in message
    return message


def test_manifest_is_read_in_order_with_its_metadata():
    infos = load_manifest(FIXTURES / "mini")
    assert [i.id for i in infos] == ["white-paper", "pdf-excerpt"]
    first = infos[0]
    assert first.path == FIXTURES / "mini" / "white_paper.txt"
    assert (first.publisher, first.year) == ("Ministry of Defense, Japan", 2021)
    assert first.language == "en"
    assert infos[1].publisher is None and infos[1].language == "en"


def test_missing_folder_is_an_error(tmp_path):
    with pytest.raises(CorpusError, match="corpus folder not found") as error:
        load_manifest(tmp_path / "nowhere")
    assert str(tmp_path / "nowhere") in str(error.value)


def test_malformed_toml_names_the_line(tmp_path):
    message = manifest_error(tmp_path, '[[document]]\nid = "a"\npath = "a.txt\n')
    assert "malformed TOML" in message and "line 3" in message


@pytest.mark.parametrize("missing", ["id", "path"])
def test_missing_required_key(tmp_path, missing):
    entry = {"id": 'id = "a"', "path": 'path = "a.txt"'}
    del entry[missing]
    message = manifest_error(tmp_path, "[[document]]\n" + "\n".join(entry.values()) + "\n")
    assert f"missing required key '{missing}'" in message and "document 1" in message


def test_duplicate_id(tmp_path):
    entry = '[[document]]\nid = "a"\npath = "a.txt"\n'
    message = manifest_error(tmp_path, entry + entry)
    assert "duplicate id 'a'" in message and "document 2" in message


@pytest.mark.parametrize("bad", ["-a", "a b", "a/b", "é"])
def test_id_must_match_the_pattern(tmp_path, bad):
    message = manifest_error(tmp_path, f'[[document]]\nid = "{bad}"\npath = "a.txt"\n')
    assert f"id {bad!r} does not match" in message


@pytest.mark.parametrize("escape", ["../a.txt", "x/../../a.txt", "/etc/hostname"])
def test_path_must_stay_inside_the_folder(tmp_path, escape):
    message = manifest_error(tmp_path, f'[[document]]\nid = "a"\npath = "{escape}"\n')
    assert "escapes the corpus folder" in message


def test_manifest_without_documents(tmp_path):
    assert "no documents" in manifest_error(tmp_path, "# nothing yet\n")


def test_wrong_type_of_optional_field(tmp_path):
    message = manifest_error(tmp_path, '[[document]]\nid = "a"\npath = "a.txt"\nyear = "2019"\n')
    assert "'year' must be an integer" in message


def test_folder_without_manifest_lists_text_files():
    infos = load_manifest(FIXTURES / "plain")
    assert [(i.id, i.title) for i in infos] == [
        ("joint-statement-2021", "Joint Statement 2021"),
        ("b-notes", "b notes"),
    ]
    documents = list(read_corpus(FIXTURES / "plain"))
    assert [d.id for d in documents] == ["joint-statement-2021", "b-notes"]
    assert documents[1].sentences[1].clean == "They are short."


def test_a_title_without_manifest_is_the_first_heading_or_the_file_name_in_words(tmp_path):
    folder = write_corpus(
        tmp_path / "plain",
        None,
        {
            "japan_2015_GuidelinesForJapanUsDefenseCooperation.txt": (
                "# The Guidelines For Japan-U.S. Defense Cooperation April 27, 2015\n\n"
                "## I. Defense Cooperation\n\nText.\n"
            ),
            "japan_1997_JointDeclaration.txt": "menu\n" * 12 + "## The Regional Outlook\n\nText.\n",
        },
    )
    titles = {i.id: (i.title, i.year) for i in load_manifest(folder)}
    assert titles == {
        # A heading deep inside is no title; the year is the file name's.
        "japan-1997-jointdeclaration": ("japan 1997 Joint Declaration", 1997),
        "japan-2015-guidelinesforjapanusdefensecooperation": (
            "The Guidelines For Japan-U.S. Defense Cooperation April 27, 2015",
            2015,
        ),
    }
    # A heading in another script or letter-spaced names nothing.
    folder = write_corpus(
        tmp_path / "edition",
        None,
        {"japan_2018_DefenseOfJapan.txt": "### 防衛 白書\n\n## D E F E N S E\n\nText.\n"},
    )
    (info,) = load_manifest(folder)
    assert (info.title, info.year) == ("japan 2018 Defense Of Japan", 2018)


def test_folder_without_documents(tmp_path):
    folder = write_corpus(tmp_path / "empty", None, {"readme.md": "no text files"})
    with pytest.raises(CorpusError, match="no documents") as error:
        load_manifest(folder)
    assert str(folder) in str(error.value)


# ---- reading files ---------------------------------------------------------------------------


def read_error(tmp_path: Path, content: bytes | None, name: str = "d.txt") -> str:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CorpusError) as error:
        read_document(DocumentInfo("d", path, "d"))
    assert str(path) in str(error.value)
    return str(error.value)


def test_missing_file(tmp_path):
    assert "file not found" in read_error(tmp_path, None)


def test_folder_instead_of_file(tmp_path):
    (tmp_path / "d.txt").mkdir()
    assert "folder" in read_error(tmp_path, None)


@pytest.mark.parametrize("content", [b"", b" \n\t\r\n", "\ufeff\n".encode()])
def test_empty_file(tmp_path, content):
    assert "empty file" in read_error(tmp_path, content)


def test_binary_file_with_nul(tmp_path):
    assert "binary file (NUL byte at byte offset 4)" in read_error(tmp_path, b"\x89PNG\x00\x01")


def test_binary_file_of_control_characters(tmp_path):
    assert "binary file" in read_error(tmp_path, bytes(range(1, 9)) * 20 + b"text")


def test_not_utf8_names_the_byte_offset(tmp_path):
    message = read_error(tmp_path, "Déjà vu.".encode() + b" caf\xe9.")
    assert "not UTF-8" in message and "0xe9" in message and "byte offset 14" in message


def test_sha256_is_of_the_raw_bytes(tmp_path):
    data = "\ufeffFirst line.\r\nSecond line.\n".encode()
    (tmp_path / "d.txt").write_bytes(data)
    document = read_document(DocumentInfo("d", tmp_path / "d.txt", "d"))
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.raw == data.decode("utf-8")  # the BOM and CRLF stay
    assert [s.clean for s in document.sentences] == ["First line.", "Second line."]
    assert document.sentences[0].start == 1  # after the BOM, which counts as whitespace


# ---- reading a corpus ------------------------------------------------------------------------

TWO_DOCUMENTS = '[[document]]\nid = "a"\npath = "a.txt"\n\n[[document]]\nid = "b"\npath = "b.txt"\n'


def test_read_corpus_filters_in_manifest_order(tmp_path):
    folder = write_corpus(tmp_path / "c", TWO_DOCUMENTS, {"a.txt": "A.", "b.txt": "B."})
    assert [d.id for d in read_corpus(folder, only=["b", "a"])] == ["a", "b"]
    assert [d.id for d in read_corpus(folder, only=["b"])] == ["b"]


def test_unknown_id_is_reported_before_parsing(tmp_path):
    # a.txt is not UTF-8: parsing it would fail, so the id check must come first.
    folder = write_corpus(tmp_path / "c", TWO_DOCUMENTS, {"a.txt": b"\xff", "b.txt": "B."})
    with pytest.raises(CorpusError, match="unknown document id 'zz'") as error:
        read_corpus(folder, only=["a", "zz"])
    assert str(folder / "manifest.toml") in str(error.value)


def test_missing_listed_file_is_reported_before_parsing(tmp_path):
    folder = write_corpus(tmp_path / "c", TWO_DOCUMENTS, {"a.txt": b"\xff"})
    with pytest.raises(CorpusError, match="file not found") as error:
        read_corpus(folder)
    assert str(folder / "b.txt") in str(error.value)


# ---- sentence splitting ----------------------------------------------------------------------


def test_split_after_us_before_a_sentence_starter():
    assert sentences("Japan works with the U.S. In April the two sides met.") == [
        "Japan works with the U.S.",
        "In April the two sides met.",
    ]


def test_no_split_inside_names_after_initials():
    text = "Minister Kishi met Acting U.S. Secretary of Defense Miller at the U.S. Forces base."
    assert sentences(text) == [text]
    assert sentences("They held talks on the Japan-U.S. Alliance.") == [
        "They held talks on the Japan-U.S. Alliance."
    ]


def test_split_after_dc():
    assert sentences("The meeting was held in Washington, D.C. The ministers agreed.") == [
        "The meeting was held in Washington, D.C.",
        "The ministers agreed.",
    ]


def test_no_split_after_abbreviations():
    for text in (
        "They invited partners, e.g. Australia and India, to the talks.",
        "Mr. Sato and Dr. Kim read Art. 5 and No. 2 of Fig. III-2-1-1 in Jan. 2015.",
        "The list includes ships, aircraft, etc. and other assets.",
    ):
        assert sentences(text) == [text]


def test_closing_quotes_stay_and_enumerations_stay_together():
    assert sentences("He said: “The Alliance is strong.” They agreed.") == [
        "He said: “The Alliance is strong.”",
        "They agreed.",
    ]
    text = "The ministers agreed (1) to meet; (2) to train; and (3) to plan."
    assert sentences(text) == [text]


def test_split_after_a_lost_hyphen_only_before_a_starter():
    # PDF extraction writes "JapanU.S."; it still does not end a sentence before "Alliance".
    assert sentences("They strengthen the JapanU.S. Alliance. It works.") == [
        "They strengthen the JapanU.S. Alliance.",
        "It works.",
    ]


def test_list_labels_are_not_sentences():
    assert sentences("a. The ministers met. b. They agreed.") == [
        "a. The ministers met.",
        "b. They agreed.",
    ]


# ---- clean text ------------------------------------------------------------------------------


def test_markup_and_glyphs_are_removed_with_offsets():
    raw = "## **Heading** <u>under</u>\n\n- ● The <b>first</b> item &amp; more.<sup>3</sup>\n"
    document = doc(raw)
    assert [b.text.clean for b in document.blocks] == ["Heading under", "The first item & more."]
    item = document.sentences[1]
    start = item.clean.index("&")
    assert raw[item.raw_offset(start) : item.raw_offset(start) + 5] == "&amp;"


def test_web_page_menus_and_breadcrumbs_are_furniture():
    raw = (
        "About Us | News | Foreign Policy | Countries & Regions | Consular Services\n"
        "Top > Regional Affairs > North America > The United States > Security\n\n"
        "The two leaders met in Tokyo. Their aides ate rice | beans | corn | fish.\n"
    )
    assert [s.clean for s in doc(raw).sentences] == [
        "The two leaders met in Tokyo.",
        "Their aides ate rice | beans | corn | fish.",
    ]


def test_hyphenated_line_breaks(fixtures):
    text = " ".join(s.clean for s in fixtures["pdf-excerpt"].sentences)
    assert "security cooperation" in text  # "secu-" + "rity", spelt "security" elsewhere
    assert "ship-to-ship transfer" in text  # a compound keeps its hyphen
    assert "Japan-U.S. training" in text
    assert "secu-" not in text and "- " not in text


def test_hyphen_joins_a_word_ending():
    assert sentences("The coopera-\ntion was a success.\nIt went on. Then it\nstopped.") == [
        "The cooperation was a success.",
        "It went on.",
        "Then it stopped.",
    ]


# ---- structure of the fixtures ---------------------------------------------------------------


def test_sections_of_the_clean_fixture(fixtures):
    document = fixtures["white-paper"]
    found = [(s.number, s.title, s.level) for s in document.sections]
    assert found == [
        ("Section 2", "Recent Consultations", 1),
        ("1", "Summit Diplomacy", 2),
        ("(1)", "Japan-U.S. Summit Meeting (March 3, 2021)", 3),
        ("a.", "Regional Affairs", 4),
        (
            "(2)",
            "Meeting between Defense Minister Sato and Secretary of Defense Miller "
            "(March 16, 2021)",
            3,
        ),
    ]
    assert document.sections[3].parent == 2 and document.sections[4].parent == 1
    assert document.section_path(3)[0].title == "Recent Consultations"


def test_paragraph_continues_across_caption_and_footnote(fixtures):
    document = fixtures["white-paper"]
    kinds = {b.text.clean[:30]: b.kind for b in document.blocks}
    assert kinds["The Prime Minister and the Pre"] == "caption"
    assert kinds["See Part II, Chapter 1, Sectio"] == "footnote"
    sentence = next(s for s in document.sentences if "challenges posed by" in s.clean)
    assert sentence.clean.endswith(
        "posed by the rapid military build-up in the region, and that "
        "the two countries must respond together."
    )
    assert "Courtesy" in sentence.text and "<sup>2</sup>" in sentence.text
    assert "Courtesy" not in sentence.clean


def test_tsv_tables(fixtures):
    document = fixtures["white-paper"]
    milestones, forums = document.tables[0], document.tables[1]
    assert milestones.title == "Fig. I-1-1-1 Milestones of the Alliance"
    assert milestones.header == ()
    rows = [[c.clean for c in document.blocks[r].cells] for r in milestones.rows]
    assert rows == [
        ["1960", "Revision of the treaty", "The new treaty is signed"],
        ["1972", "", "Okinawa is returned to Japan"],
        ["", "", "A row without a year"],
    ]
    assert forums.header == (
        "Forum",
        "Participants / Japanese Side",
        "Participants / U.S. Side",
        "Purpose",
    )
    assert len(forums.rows) == 2
    last = document.blocks[forums.rows[-1]]
    assert [i.clean for i in last.cells[3].items] == [
        "Consultation on the status of forces.",
        "Coordination of facilities and areas.",
    ]
    cell_sentences = [s for s in document.sentences if s.block == last.index and s.cell == 3]
    assert [s.clean for s in cell_sentences] == [i.clean for i in last.cells[3].items]


def test_pipe_table_keeps_empty_cells(fixtures):
    document = fixtures["white-paper"]
    table = document.tables[2]
    assert table.header == ("Year", "Event")
    last = document.blocks[table.rows[-1]]
    assert [c.clean for c in last.cells] == ["2016", ""]
    assert last.cells[1].start == last.cells[1].end


def test_notes_references_and_list_items(fixtures):
    document = fixtures["white-paper"]
    by_kind: dict[str, list[str]] = {}
    for block in document.blocks:
        by_kind.setdefault(block.kind, []).append(block.text.clean)
    assert by_kind["footnote"][1:] == [
        "Notes: 1. The Committee met twice a year.",
        "2. Working-level meetings are held as needed.",
    ]
    assert by_kind["reference"] == [
        "Reference 12 (Joint Statement of the Security Consultative Committee (March 16, 2021))",
        "See Fig. I-1-1-1 (Milestones of the Alliance)",
    ]
    assert by_kind["list_item"] == [
        "seamless, robust, and effective bilateral responses;",
        "a whole-of-government Alliance approach.",
    ]


def test_wrapped_pdf_text(fixtures):
    document = fixtures["pdf-excerpt"]
    first = document.sections[0]
    assert (first.number, first.title) == (
        "(3)",
        "Meeting between Defense Minister Sato and Acting Secretary of Defense Miller "
        "(January 15, 2021)",
    )
    assert document.sections[1].parent == 0
    across_page = next(s for s in document.sentences if "against growing threats" in s.clean)
    assert "-----" in across_page.text and "Chapter" in across_page.text
    for s in document.sentences:
        assert "-----" not in s.clean and "**" not in s.clean and "Chapter" not in s.clean
    prose = [s for s in document.sentences if document.blocks[s.block].kind == "paragraph"]
    assert all(s.clean.endswith(".") for s in prose)
    assert sum(1 for s in prose if "\n" in s.text) >= 5


def test_parse_never_fails_on_odd_input():
    for raw in ("", "\n\n", "|", "||\n|---|", "\t\t", "## ", "**", "- ", "a-\nb", "&amp;"):
        check_document(doc(raw))


# ---- the seed excerpts of the default corpus -------------------------------------------------

DATED = re.compile(
    r"^\((\d+)\) .*\((?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December) \d{1,2}, ?\d{4}\)(?: \(Security Field\))?$"
)


def seed(default_corpus) -> Document:
    return default_corpus["doj2019-p3c2s1"]


def test_seed_dated_event_headings(default_corpus):
    document = seed(default_corpus)
    dated = [s for s in document.sections if s.number and DATED.match(f"{s.number} {s.title}")]
    assert [s.number for s in dated] == [f"({n})" for n in range(1, 15)]
    assert len({s.parent for s in dated}) == 1
    titles = {s.number: s.title for s in dated}
    assert titles["(4)"] == (
        "Meeting between Defense Minister Iwaya and Acting Secretary of Defense Shanahan "
        "(January 16, 2019)"
    )
    assert titles["(5)"] == "“2+2” Meeting (April 19, 2019)"
    for section in dated:
        heading = document.blocks[section.heading]
        assert [document.sentences[i].clean for i in heading.sentences] == [
            f"{section.number} {section.title}"
        ]


def test_seed_milestone_table(default_corpus):
    document = seed(default_corpus)
    table = next(t for t in document.tables if t.title and "Fig. III-2-1-1" in t.title)
    rows = [document.blocks[r].cells for r in table.rows]
    assert len(rows) > 20
    for cells in rows:
        assert re.fullmatch(r"(19|20)\d\d|", cells[0].clean)
        assert cells[2].clean  # the event column
    assert sum(1 for cells in rows if not cells[0].clean) >= 3  # continuation rows


def test_seed_consultations_table(default_corpus):
    document = seed(default_corpus)
    table = next(t for t in document.tables if t.title and "Fig. III-2-1-5" in t.title)
    assert len(table.rows) == 4
    assert table.header[0] == "Consultative Forum" and len(table.header) == 5
    assert "Japanese Side" in table.header[1] and "U.S. Side" in table.header[2]


def test_seed_list_items_in_cells(default_corpus):
    document = seed(default_corpus)
    table = next(t for t in document.tables if t.title and "Fig. III-2-1-2" in t.title)
    cells = [c for r in table.rows for c in document.blocks[r].cells if c.items]
    assert cells
    for cell in cells:
        for item in cell.items:
            assert "<li>" not in item.clean and not item.clean.startswith(("●", "•"))
            assert item.clean in cell.clean
    assert any(len(c.items) >= 2 for c in cells)


def test_seed_caption_and_footnote(default_corpus):
    document = seed(default_corpus)
    caption = next(b for b in document.blocks if b.text.clean.startswith("President Trump and"))
    assert caption.kind == "caption"
    footnote = next(b for b in document.blocks if "Footnote 7" in b.text.clean)
    assert footnote.kind == "footnote"
    assert document.raw[footnote.start : footnote.end].startswith("<sup>1</sup>")


def test_seed_sentence_continues_across_footnote(default_corpus):
    document = seed(default_corpus)
    found = [s for s in document.sentences if "world's dominant military power" in s.clean]
    assert len(found) == 1
    sentence = found[0]
    assert sentence.clean.startswith("Consequently, Japan has maintained its peace and security")
    assert "centered on the Security Arrangements with the world's dominant" in sentence.clean
    assert "<sup>1</sup>" in sentence.text and "Footnote" not in sentence.clean


# ---- the shared corpus -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared_corpus() -> dict[str, Document]:
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"{SHARED_CORPUS} is absent: the shared corpus sits beside the repository")
    return {d.id: d for d in read_corpus(SHARED_CORPUS)}


def editions(corpus: dict[str, Document]) -> list[Document]:
    found = [d for d in corpus.values() if "editions" in Path(d.info.path).parts]
    assert found
    return found


@pytest.mark.shared
@pytest.mark.slow
def test_offsets_of_the_shared_corpus(shared_corpus):
    assert len(shared_corpus) >= 12
    for document in shared_corpus.values():
        assert document.sentences
        check_document(document)


@pytest.mark.shared
def test_edition_heading_wrapped_over_two_lines(shared_corpus):
    document = next(d for d in editions(shared_corpus) if d.info.year == 2019)
    titles = {(s.number, s.title) for s in document.sections}
    assert (
        "(4)",
        "Meeting between Defense Minister Iwaya and Acting Secretary of Defense Shanahan "
        "(January 16, 2019)",
    ) in titles
    assert ("(5)", "“2+2” Meeting (April 19, 2019)") in titles


@pytest.mark.shared
def test_edition_dated_headings_are_whole(shared_corpus):
    """A bold dated heading, on one line or wrapped over two, is one section with the whole
    title (date included), in every edition that has them."""
    bold = re.compile(r"^\*\*\((\d+)\)[^\n]*\*\*(?:\n\*\*[^\n]*\*\*)?$", re.M)
    date = re.compile(
        r"\((?:January|February|March|April|May|June|July|August|September|"
        r"October|November|December) \d{1,2}, ?\d{4}\)"
    )
    seen = 0
    for document in editions(shared_corpus):
        titles = [(s.number, s.title) for s in document.sections]
        for m in bold.finditer(document.raw):
            found = date.search(m.group())
            if not found:
                continue
            assert any(
                number == f"({m.group(1)})" and found.group() in title for number, title in titles
            ), f"{document.id}: {m.group()!r}"
            seen += 1
    assert seen >= 30


@pytest.mark.shared
def test_edition_sentences_span_line_breaks_and_pages(shared_corpus):
    for document in editions(shared_corpus):
        prose = [s for s in document.sentences if document.blocks[s.block].kind == "paragraph"]
        assert sum(1 for s in prose if "\n" in s.text) > 0.5 * len(prose)
        assert any("-----" in s.text for s in prose)
        for s in document.sentences:
            assert "-----" not in s.clean and "**" not in s.clean, f"{document.id}: {s.clean}"
    document = next(d for d in editions(shared_corpus) if d.info.year == 2019)
    sentence = next(
        s
        for s in document.sentences
        if s.clean
        == "Defense Minister Iwaya and then Acting U.S. Secretary of Defense Shanahan "
        "held a meeting at the U.S. Department of Defense."
        and "\n" in s.text
    )
    assert sentence.text.count("\n") == 2
