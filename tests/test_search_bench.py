"""`invoke bench-search` keeps working: the whole benchmark on a tiny corpus (the real one is 10,000 documents
per language and is not part of the test suite)."""

from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))

import bench_search


def test_benchmark_measures_both_engines_on_a_tiny_corpus(tmp_path):
    result = bench_search.run(docs=6, count=3, keep=tmp_path)
    assert result["index_seconds"] > 0 and result["build_seconds"] > result["index_seconds"]
    assert result["pagefind_seconds"] > 0
    for lang, data in result["langs"].items():
        assert data["docs"] >= 6, lang
        for engine in ("press", "pagefind"):
            numbers = data[engine]
            assert numbers["runtime_kb"] > 0 and numbers["first_kb"] > numbers["runtime_kb"], (lang, engine)
            assert numbers["first_requests"] >= 2 and numbers["p95_ms"] > 0 and numbers["index_mb"] > 0
        # our runtime is the two theme scripts; the index files load beside the search page
        assert data["press"]["runtime_kb"] <= 12, data["press"]
    text = bench_search.report(result)
    for label, *_ in bench_search.ROWS:
        assert label in text
