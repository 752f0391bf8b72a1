"""The alliance-kg command: builds, queries, stats, and one-line errors that lose nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from alliance_kg.cli import main

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"


def run(*args: str, env: dict | None = None):
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return result


@pytest.fixture(scope="module")
def built(default_build) -> Path:
    return default_build


def test_build_command_reports_progress_and_result(tmp_path):
    out = tmp_path / "build"
    result = run("build", "--build-dir", str(out))
    assert result.exit_code == 0, result.output
    assert "[1/3] doj2019-p3c2s1" in result.output and "built 3 documents" in result.output


def test_build_writes_dumps_and_manifest(built):
    manifest = json.loads((built / "build.json").read_text())
    assert [d["id"] for d in manifest["documents"]] == [
        "doj2019-p3c2s1",
        "doj2015-p2c3",
        "guidelines-2015",
    ]
    assert (built / "kg.nq").stat().st_size > 100_000
    assert (built / "kg.trig").exists() and (built / "store").is_dir()


def test_two_builds_are_identical(built, tmp_path):
    again = tmp_path / "again"
    assert run("build", "-q", "--build-dir", str(again)).exit_code == 0
    assert (again / "kg.nq").read_bytes() == (built / "kg.nq").read_bytes()
    assert (again / "kg-inferred.nq").read_bytes() == (built / "kg-inferred.nq").read_bytes()


def test_query_formats(built):
    text = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    table = run("query", text, "--build-dir", str(built))
    assert table.exit_code == 0 and "graph/ontology" in table.output and "rows)" in table.output
    as_json = json.loads(run("query", text, "--format", "json", "--build-dir", str(built)).output)
    assert len(as_json["results"]["bindings"]) >= 5
    csv = run("query", text, "--format", "csv", "--build-dir", str(built)).output.splitlines()
    assert csv[0].strip() == "g,n" and len(csv) >= 6
    ask = run("query", "ASK { ?s a akg:Person }", "--build-dir", str(built))
    assert ask.output.strip() == "true"


def test_query_from_file(built):
    result = run(
        "query", "-f", str(ROOT / "queries/system/stats-graphs.rq"), "--build-dir", str(built)
    )
    assert result.exit_code == 0 and "graph/lexicon" in result.output


def test_stats(built):
    result = run("stats", "--build-dir", str(built))
    assert result.exit_code == 0
    for heading in ("Triples per named graph", "Entities per class", "Facts per extraction rule"):
        assert heading in result.output
    assert "akg:Assertion" in result.output and "id:rule/event.heading" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "SELECT WHERE {"], "query syntax"),
        (["query"], "give a query or -f FILE.rq"),
        (["query", "-f", "missing.rq"], "missing.rq: cannot read"),
    ],
)
def test_query_errors(built, args, message):
    result = run(*args, "--build-dir", str(built))
    assert result.exit_code == 1
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_missing_build(tmp_path):
    result = run("stats", "--build-dir", str(tmp_path / "nothing"))
    assert result.exit_code == 1 and "no build here" in result.output


def corpus_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    return folder


BAD_INPUTS = {
    "missing file": (
        lambda c: (c / "doj2015_guidelines_revision.txt").unlink(),
        "doj2015_guidelines_revision.txt",
    ),
    "empty file": (lambda c: (c / "doj2015_guidelines_revision.txt").write_text(""), "empty"),
    "binary file": (
        lambda c: (c / "doj2015_guidelines_revision.txt").write_bytes(b"\x00\x01\x02" * 50),
        "binary",
    ),
    "not UTF-8": (
        lambda c: (c / "doj2015_guidelines_revision.txt").write_bytes(b"caf\xe9 au lait\n" * 5),
        "UTF-8",
    ),
    "malformed manifest": (
        lambda c: (c / "manifest.toml").write_text("[[document]\nid = 1\n"),
        "manifest.toml",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_one_line_and_keeps_the_previous_build(built, tmp_path, case):
    spoil, expected = BAD_INPUTS[case]
    target = tmp_path / "build"
    shutil.copytree(built, target)
    before = (target / "kg.nq").read_bytes()
    corpus = corpus_copy(tmp_path)
    spoil(corpus)
    result = run("build", "-q", "--corpus", str(corpus), "--build-dir", str(target))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("alliance-kg: error:")
    assert expected in lines[0]
    assert (target / "kg.nq").read_bytes() == before


def test_unknown_document_id(tmp_path):
    result = run("build", "--only", "no-such-doc", "--build-dir", str(tmp_path / "b"))
    assert result.exit_code == 1 and "no-such-doc" in result.output


def test_folder_without_manifest(tmp_path):
    folder = tmp_path / "texts"
    folder.mkdir()
    shutil.copy(CORPUS / "doj2019_japan_us_alliance_sec1.txt", folder / "Alliance Chapter.txt")
    result = run("build", "-q", "--corpus", str(folder), "--build-dir", str(tmp_path / "b"))
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "b" / "build.json").read_text())
    assert [d["id"] for d in manifest["documents"]] == ["alliance-chapter"]
