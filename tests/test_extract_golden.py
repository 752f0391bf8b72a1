"""Golden cases: small texts of the genre and the facts extraction must read from them.

Each folder under tests/data/extract/ holds ``input.txt`` and ``expected.ttl``. The document is
parsed, extracted with the project lexicon and turned into quads; the facts of its graph
(provenance nodes, the document's own description and labels left out) are compared with the
expected graph as sets of triples, so a failure lists exactly what is missing and what is extra.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pyoxigraph as ox
import pytest

from alliance_kg.config import Settings
from alliance_kg.corpus import DocumentInfo, parse_text
from alliance_kg.extract import Extractor
from alliance_kg.namespaces import OA, PROV, RDF, RDFS, SKOS, Namespaces
from alliance_kg.pipeline import load_lexicon
from alliance_kg.rdf import Minter, document_quads, source_text

CASES = Path(__file__).resolve().parent / "data" / "extract"
NS = Namespaces()
SKIP_KINDS = ("assertion", "sentence", "document", "time")
SKIP_PREDICATES = {RDFS + "label", SKOS + "prefLabel", SKOS + "altLabel", RDF + "value"}


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_lexicon(Settings()))


def facts_of(case: Path, extractor: Extractor) -> set[tuple]:
    raw = (case / "input.txt").read_text(encoding="utf-8")
    meta = tomllib.loads((case / "meta.toml").read_text()) if (case / "meta.toml").exists() else {}
    info = DocumentInfo(
        id=case.name,
        path=case / "input.txt",
        title=meta.get("title", case.name),
        year=meta.get("year", 2020),
    )
    document = parse_text(info, raw)
    result = extractor.extract(document)
    quads = document_quads(Minter(NS), source_text(document, result.statements), result.statements)
    facts = set()
    for q in quads:
        s = q.subject.value
        if any(s.startswith(NS.id + kind + "/") for kind in SKIP_KINDS):
            continue
        if q.predicate.value in SKIP_PREDICATES or q.predicate.value.startswith((OA, PROV)):
            continue
        facts.add((q.subject, q.predicate, q.object))
    return facts


def expected_of(case: Path) -> set[tuple]:
    triples = ox.parse(path=str(case / "expected.ttl"), format=ox.RdfFormat.TURTLE)
    return {(t.subject, t.predicate, t.object) for t in triples}


def show(triples: set[tuple]) -> str:
    return "\n".join(sorted(f"  {s} {p} {o}" for s, p, o in triples))


CASE_DIRS = sorted(p for p in CASES.iterdir() if (p / "input.txt").exists())


def test_cases_were_found():
    assert len(CASE_DIRS) >= 6


@pytest.mark.parametrize("case", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_golden_case(case: Path, extractor: Extractor):
    got, want = facts_of(case, extractor), expected_of(case)
    missing, extra = want - got, got - want
    assert not missing and not extra, f"missing:\n{show(missing)}\nextra:\n{show(extra)}"


def test_a_quoted_title_ends_before_the_comma_inside_its_quotes(extractor):
    """American style puts the comma inside the quotes: it is no part of the title."""
    text = (
        "In June 2019, the New Zealand government published \u201cDefence Capability Plan "
        "2019,\u201d which sets out planned investments.\n"
    )
    info = DocumentInfo(id="quoted", path=Path("quoted.txt"), title="quoted", year=2020)
    statements = extractor.extract(parse_text(info, text)).statements
    labels = {st.label for st in statements if getattr(st, "cls", None) == "PolicyPaper"}
    assert labels == {"Defence Capability Plan 2019"}


def test_the_guidelines_are_known_by_a_title_cased_heading(extractor):
    """A Guidelines text without a manifest is titled by its heading, printed in title case
    ("The Guidelines For Japan-U.S. ..."): it is read as the Guidelines all the same (their
    areas of cooperation and operations are linked only inside the Guidelines' own text)."""
    path = Path(__file__).resolve().parents[1] / "data" / "corpus"
    path = path / "japan_2015_GuidelinesForJapanUsDefenseCooperation.txt"
    raw = path.read_text(encoding="utf-8")
    counts = []
    for title in (
        "The Guidelines for Japan-U.S. Defense Cooperation (April 27, 2015)",
        "The Guidelines For Japan-U.S. Defense Cooperation April 27, 2015",
    ):
        info = DocumentInfo(id="g", path=path, title=title, year=None)
        counts.append(len(extractor.extract(parse_text(info, raw)).statements))
    assert counts[1] == counts[0]
