"""Lossless canonical exports: every export format parses back isomorphic to what was built.

The fixture has the shapes that a description hash merges or splits: two distinct blank nodes
with the same description, list nodes shared by two subjects, and a blank node shared by two
named graphs (the closure says something about a blank node of the asserted data).
"""

from __future__ import annotations

import json

import pytest
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.build.export import EXPORT_FORMATS, export
from kennisgraaf.build.pipeline import write_atomically
from kennisgraaf.vocab import GRAPH_INFERRED

BASE = "https://example.org/kg/"
EX = Namespace("http://example.org/")
RDF_FORMATS = {"ttl": "turtle", "trig": "trig", "nq": "nquads", "jsonld": "json-ld"}


def fixture_graphs() -> dict[str, Graph]:
    asserted, inferred = Graph(), Graph()
    # Two blank nodes that say the same thing are still two nodes: 4 triples, not 3.
    first, second = BNode(), BNode()
    asserted.add((EX.a, EX.p, first))
    asserted.add((first, EX.q, Literal(1)))
    asserted.add((EX.b, EX.p, second))
    asserted.add((second, EX.q, Literal(1)))
    # One list, used by two subjects; and a second list with the same members.
    shared = BNode()
    Collection(asserted, shared, [Literal(1), Literal(2)])
    asserted.add((EX.c, EX.r, shared))
    asserted.add((EX.d, EX.r, shared))
    other = BNode()
    Collection(asserted, other, [Literal(1), Literal(2)])
    asserted.add((EX.e, EX.r, other))
    # The closure speaks of a blank node of the asserted data.
    inferred.add((first, RDF.type, EX.Thing))
    return {"documents": asserted, GRAPH_INFERRED: inferred}


@pytest.fixture
def fixture_dataset(tmp_path) -> tuple[BuiltDataset, dict[str, Graph]]:
    graphs = fixture_graphs()
    meta = {"base": BASE, "triples": {name: len(g) for name, g in graphs.items()}}
    write_atomically(tmp_path / "build", graphs, meta)
    return BuiltDataset.open(tmp_path / "build"), graphs


def _parsed(data: bytes, fmt: str) -> Dataset:
    parsed = Dataset()
    parsed.parse(data=data, format=RDF_FORMATS[fmt])
    return parsed


def _union(graphs) -> Graph:
    union = Graph()
    for graph in graphs:
        union += graph
    return union


def test_distinct_blank_nodes_with_one_description_stay_distinct(fixture_dataset):
    dataset, graphs = fixture_dataset
    lines = dataset.quads_file.read_text(encoding="utf-8").splitlines()
    # a, b; the shared list; c, d; the other list; e; the closure
    assert len(lines) == sum(len(g) for g in graphs.values()) == 4 + 4 + 2 + 4 + 1 + 1


@pytest.mark.parametrize("fmt", ["trig", "nq", "jsonld"])
def test_dataset_exports_parse_back_isomorphic_graph_by_graph(fixture_dataset, fmt):
    dataset, graphs = fixture_dataset
    parsed = _parsed(export(dataset, fmt), fmt)
    for name, graph in graphs.items():
        assert isomorphic(parsed.graph(URIRef(f"{BASE}graph/{name}")), graph), name
    # Across graphs too: the blank node the closure speaks of is the asserted one.
    assert isomorphic(_union(parsed.graphs()), _union(graphs.values()))


def test_dataset_formats_are_the_ones_that_carry_named_graphs():
    assert {name for name, spec in EXPORT_FORMATS.items() if spec.is_dataset} == {"trig", "nq", "jsonld"}


@pytest.mark.parametrize("fmt", ["ttl"])
def test_graph_exports_parse_back_isomorphic_to_the_union(fixture_dataset, fmt):
    dataset, graphs = fixture_dataset
    plain = _union(_parsed(export(dataset, fmt), fmt).graphs())
    assert isomorphic(plain, graphs["documents"])
    full = _union(_parsed(export(dataset, fmt, inferred=True), fmt).graphs())
    assert isomorphic(full, _union(graphs.values()))


def test_relabelled_input_gives_the_same_bytes(tmp_path):
    # Fresh BNode objects (other labels, other order) for the same graphs: identical exports.
    exports = []
    for run in range(2):
        graphs = fixture_graphs()
        meta = {"base": BASE, "triples": {name: len(g) for name, g in graphs.items()}}
        write_atomically(tmp_path / f"b{run}", graphs, meta)
        exports.append({fmt: export(BuiltDataset.open(tmp_path / f"b{run}"), fmt) for fmt in EXPORT_FORMATS})
    assert exports[0] == exports[1]


def test_built_dataset_keeps_every_triple_and_every_export_parses_back(built):
    # meta.json counts the pipeline's rdflib graphs; the cache file must hold exactly those triples.
    stored = Dataset()
    stored.parse(source=str(built.quads_file), format="nquads")
    for name, count in json.loads((built.path / "meta.json").read_text())["triples"].items():
        assert len(stored.graph(URIRef(built.graph_iri(name)))) == count, name
    for fmt in ("trig", "nq", "jsonld"):
        parsed = _parsed(export(built, fmt), fmt)
        for name in built.graph_names:
            iri = URIRef(built.graph_iri(name))
            assert isomorphic(parsed.graph(iri), stored.graph(iri)), (fmt, name)
    closure = URIRef(built.inferred_graph_iri())
    asserted = _union(g for g in stored.graphs() if g.identifier != closure)
    assert isomorphic(_union(_parsed(export(built, "ttl"), "ttl").graphs()), asserted)
