"""Every SPARQL file under queries/ is discovered, has its header, parses, and answers as expected.

Adding a query means adding its expected answer under tests/data/queries/ (see the README there).
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from alliance_kg.export.views import asserted_graphs
from alliance_kg.namespaces import Namespaces
from alliance_kg.queries import load_queries
from alliance_kg.store import open_store, query

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "queries"
EXPECTED = Path(__file__).resolve().parent / "data" / "queries"
NS = Namespaces()
ALL = load_queries(QUERIES)


def test_discovery_found_the_queries():
    names = [q.name for q in ALL]
    assert len([n for n in names if n.startswith("examples/")]) >= 12
    assert {"system/stats-graphs", "system/stats-classes", "system/stats-rules"} <= set(names)


@pytest.fixture(scope="module")
def store(default_build):
    return open_store(default_build)


def expand(value: str) -> str:
    return NS.id + value[3:] if value.startswith("id:") else value


def value_of(term) -> str | None:
    return None if term is None else term.value


def matches(row: dict, expected: dict) -> bool:
    return all(row.get(var) == expand(value) for var, value in expected.items())


@pytest.mark.parametrize("q", ALL, ids=[q.name for q in ALL])
def test_query_has_header_and_parses(q):
    assert q.title and q.description and len(q.description) > 20
    ox.Store().query(q.text)  # a syntax error raises here, before any build is needed


@pytest.mark.parametrize("q", ALL, ids=[q.name for q in ALL])
def test_query_answers(store, q):
    path = EXPECTED / f"{q.name}.json"
    assert path.exists(), f"{q.name}.rq has no expected answer at {path.relative_to(ROOT)}"
    expected = json.loads(path.read_text())
    bindings = {k: ox.NamedNode(expand(v)) for k, v in expected.get("bindings", {}).items()}
    assert set(bindings) == set(q.params), f"bind exactly the declared params {q.params}"
    # Views are run as the exports run them: over the asserted graphs, without the entailments.
    graphs = asserted_graphs(store) if q.name.startswith("views/") else None
    result = query(store, q.text, substitutions=bindings, graphs=graphs)
    if isinstance(result, ox.QueryTriples):
        names = ["subject", "predicate", "object"]
        rows = [{n: getattr(t, n).value for n in names} for t in result]
    else:
        names = [v.value for v in result.variables]
        rows = [{n: value_of(s[n]) for n in names} for s in result]
    assert len(rows) >= expected.get("min_rows", 1)
    for want in expected["rows"]:
        assert set(want) <= set(names), f"unknown variable in {want}"
        assert any(matches(r, want) for r in rows), f"missing row {want}"
    for unwanted in expected.get("absent", []):
        assert not any(matches(r, unwanted) for r in rows), f"unexpected row {unwanted}"


def test_a_post_is_found_by_the_title_a_table_prints(store):
    """The forum table lists "Minister for Foreign Affairs"; the post is searchable by it
    (DISTINCT: the lexicon states the SCC's members too, in its own graph)."""
    rows = list(
        query(
            store,
            """PREFIX akg: <https://w3id.org/alliance-kg/ontology#>
            PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
            SELECT DISTINCT ?post WHERE {
              ?m skos:altLabel "SCC"@en ; akg:memberPost ?post .
              ?post skos:hiddenLabel "Minister for Foreign Affairs"@en ;
                    akg:ofState/skos:prefLabel "Japan"@en .
            }""",
        )
    )
    assert [r["post"].value for r in rows] == [NS.id + "post/minister-for-foreign-affairs-of-japan"]
