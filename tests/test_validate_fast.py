"""The fast SHACL path (one-graph store, hashed parameter lookup) against pyshacl as it comes.

The fast path is only an optimisation: on the same data it must give the same findings (focus,
shape, path, value, severity, messages, file and line) and an isomorphic SHACL report graph as a
plain pyshacl run on rdflib's Memory store (``validate(..., fast=False)``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from kennisgraaf.build.checks import parse_inputs
from kennisgraaf.build.inputs import find_inputs
from kennisgraaf.build.onegraph import OneGraphStore, one_graph
from kennisgraaf.build.rdfio import read_turtle
from kennisgraaf.build.validate import load_shapes, validate
from kennisgraaf.config import bundled_root

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "violations"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(REPO / "shapes")


@pytest.fixture(scope="module")
def parsed():
    return parse_inputs(find_inputs(bundled_root()))


def _same(data: Graph | list[Graph], shapes: Graph, ontology: Graph, files: dict[str, Path]) -> int:
    fast = validate(data, shapes, ontology, subject_files=files)
    plain = validate(data, shapes, ontology, subject_files=files, fast=False)
    assert fast.findings == plain.findings
    assert fast.conforms == plain.conforms
    assert isomorphic(fast.report_graph, plain.report_graph)
    return len(fast.findings)


def test_every_violation_fixture_at_once_gives_the_same_report_both_ways(shapes, parsed):
    data = Graph()
    files: dict[str, Path] = {}
    for path in sorted(FIXTURES.glob("*.ttl")):
        graph = read_turtle(path)
        data += graph
        files.update({str(s): path for s in graph.subjects() if isinstance(s, URIRef)})
    found = _same(data, shapes, parsed.ontology, files)
    assert found > 100  # 180-odd fixtures, each breaking a shape: the comparison is not of empty reports


def test_the_real_data_gives_the_same_report_both_ways_also_when_broken(shapes, parsed):
    graphs = [parsed.reference, *parsed.documents.values()]
    assert _same(graphs, shapes, parsed.ontology, dict(parsed.subject_files)) == 0
    broken = Graph()
    for graph in graphs:
        broken += graph
    for document in list(broken.subjects(RDF.type, URIRef("https://w3id.org/kennisgraaf/def#Letter")))[:2]:
        broken.remove((document, None, None))  # the claims now point at untyped documents
        broken.add((document, RDFS.label, BNode()))
    assert _same(broken, shapes, parsed.ontology, dict(parsed.subject_files)) > 0


def test_the_one_graph_store_matches_like_rdflibs_store(parsed):
    plain = Graph()
    plain += parsed.reference
    fast = one_graph(parsed.reference)
    assert isinstance(fast.store, OneGraphStore)
    assert len(fast) == len(plain)
    some = next(iter(plain))
    assert set(fast) == set(plain)  # a whole scan: Memory's order is its own (by context), ours by subject
    for pattern in [(some[0], None, None), (None, some[1], None), (None, None, some[2]),
                    (some[0], some[1], None), (some[0], None, some[2]), (None, some[1], some[2]), some,
                    (URIRef("urn:nothing"), None, None)]:
        assert list(fast.triples(pattern)) == list(plain.triples(pattern)), pattern
    fast.remove((some[0], None, None))
    plain.remove((some[0], None, None))
    assert set(fast) == set(plain) and len(fast) == len(plain)
    fast.bind("x", "urn:x#")
    plain.bind("x", "urn:x#")
    assert dict(fast.namespaces()) == dict(plain.namespaces())
