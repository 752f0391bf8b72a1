"""Load, reduced: 2,000 requests at concurrency 32 on kept-alive connections, zero errors,
memory flat. The full run (20,000 requests) is `bench/load.py` in `make bench`; this one
uses the same server wrapper and client loop."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from harness import Server, load, sparql_path

MIX = [
    (sparql_path("ASK { ?s ?p ?o }"), "application/sparql-results+json"),
    (
        sparql_path(
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
            'SELECT ?s WHERE { ?s skos:prefLabel "Takeshi Iwaya"@en }'
        ),
        "text/csv",
    ),
    (sparql_path("CONSTRUCT WHERE { ?s a ?t } LIMIT 20"), "text/turtle"),
    ("/id/person/takeshi-iwaya", "text/turtle"),
    ("/sparql?query=SELECT%20(COUNT(*)%20AS%20%3Fn)%20%7B%3Fs%20%3Fp%20%3Fo%7D", "*/*"),
]


@pytest.mark.slow
def test_2000_requests_at_concurrency_32_without_errors_or_memory_growth(default_build):
    with Server("--build-dir", str(default_build), "--workers", "2") as server:
        warm = load(server.port, MIX, 32, 300, keepalive=True, budget_s=30)
        before = server.memory()
        result = load(server.port, MIX, 32, 2000, keepalive=True, budget_s=30, timeout=10)
        after = server.memory()
    assert warm.errors == 0
    assert result.errors == 0 and result.completed == 2000, result.error_samples
    assert after["rss_mib"] <= before["rss_mib"] * 1.2 + 16, (before, after)
