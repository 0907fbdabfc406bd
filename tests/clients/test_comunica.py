"""Comunica (``@comunica/query-sparql`` from npm, run with node) as a client of the real server.

The package and its lock file are in ``tests/clients/js``; ``npm ci`` installs them there when
``node_modules`` is missing (the lead's ``scripts/test`` does this up front).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

JS = Path(__file__).resolve().parent / "js"
KG = "https://w3id.org/kennisgraaf/def#"


@pytest.fixture(scope="module")
def comunica() -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.fail("node and npm are needed for the Comunica client test (apt-get install nodejs npm)")
    if not (JS / "node_modules" / "@comunica" / "query-sparql").is_dir():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=JS, check=True, capture_output=True, timeout=600)
    return Path(node)


def run(node: Path, endpoint: str, kind: str, query: str) -> Any:
    done = subprocess.run([str(node), "query.mjs", endpoint, kind, query], cwd=JS, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_comunica_select(comunica, sparql_server, kg):
    query = f"""SELECT ?doc ?title WHERE {{ ?doc a <{KG}Document> ; <http://purl.org/dc/terms/title> ?title }}"""
    rows = run(comunica, sparql_server("/sparql"), "bindings", query)
    got = sorted((row["doc"]["value"], row["title"]["value"]) for row in rows)
    assert got == sorted((row["doc"], row["title"]) for row in kg.select(query))
    assert len(got) >= 5


def test_comunica_ask_and_construct(comunica, sparql_server, kg):
    endpoint = sparql_server("/sparql")
    assert run(comunica, endpoint, "boolean", f"ASK {{ ?d a <{KG}Document> }}") is True
    assert run(comunica, endpoint, "boolean", "ASK { <urn:x:nothing> ?p ?o }") is False
    triples = run(comunica, endpoint, "quads", f"CONSTRUCT WHERE {{ ?d a <{KG}Document> }}")
    documents = {row["d"] for row in kg.select(f"SELECT ?d WHERE {{ ?d a <{KG}Document> }}")}
    assert {s["value"] for s, _, _ in triples} == documents
