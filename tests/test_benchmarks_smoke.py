"""Smoke test of the benchmark suite (benchmarks/suite.py): it runs end to end on a small generated
graph and reports sane figures. Not a timed assertion: the figures only have to exist and be positive."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

import generate  # noqa: E402
import suite  # noqa: E402


def test_generator_is_deterministic(tmp_path: Path) -> None:
    generate.generate(tmp_path / "a", 3, seed=5)
    generate.generate(tmp_path / "b", 3, seed=5)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert (tmp_path / "a" / "data" / "documenten" / "gen-00002.ttl").is_file()


@pytest.mark.timeout(120)
def test_suite_runs_on_a_small_generated_graph(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    began = time.monotonic()
    result = suite.main(["--sizes", "3k", "--quick", "--requests", "5", "--seconds", "0.3",
                         "--work", str(tmp_path / "work"), "--out", str(tmp_path / "results")])
    elapsed = time.monotonic() - began
    printed = capsys.readouterr().out
    assert "| ASK {} |" in printed and "### Build, start and memory" in printed

    [run] = result["sizes"]
    assert run["quads"] > 3000 and run["build_s"] > 0 and run["cold_warm_cache_s"] > 0
    assert run["cold_empty_cache_s"] > 0
    servers = run["servers"]
    assert set(servers) == {"kennisgraaf", "oxigraph", "rdflib-endpoint", "floor-waitress", "floor-granian"}
    for name, server in servers.items():
        assert server["peak_rss_mb"] > 0, name
        for request, figures in server["results"].items():
            assert figures["requests"] > 0, (name, request)
            assert figures["errors"] == 0, (name, request, figures)
            assert 0 < figures["p50_ms"] <= figures["p95_ms"] < 60_000, (name, request, figures)
            assert figures["rps"] > 0, (name, request, figures)
    assert len(servers["kennisgraaf"]["results"]) == len(suite.REQUESTS)
    assert servers["kennisgraaf"]["processes"] >= 2  # the server and its query workers
    assert servers["oxigraph"]["results"].keys() == servers["rdflib-endpoint"]["results"].keys()
    # Every SPARQL class is measured repeated and at first execution; only repeated texts reach the
    # answer cache (the warm-up requests put them there), a first execution never does.
    ours = servers["kennisgraaf"]["results"]
    for request in suite.BASE_REQUESTS:
        if request.kind == "sparql":
            assert ours[request.name]["cache_hits"] == ours[request.name]["requests"], request.name
            assert ours[request.name + "-first"]["cache_hits"] == 0, request.name
            assert ours[request.name + "-first"]["bytes"] > 0, request.name
    assert "ASK {}, first execution |" in printed and "p50 ≤ Oxigraph's" in printed

    assert json.loads((tmp_path / "results.json").read_text())["sizes"][0]["quads"] == run["quads"]
    assert "| ASK {} |" in (tmp_path / "results.md").read_text()
    assert elapsed < 100  # the budget is 60 s on an idle machine; this only catches a runaway loop
