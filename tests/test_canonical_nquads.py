"""graphs.nq written one graph at a time (canonical.write_sorted_nquads) has the bytes of the whole
dataset canonicalised and sorted at once (sorted_quads), the way it was written before: blank
nodes shared between graphs, blank nodes with the same description, a blank-node list, and two
rdflib literals that are one RDF term."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace
from rdflib.collection import Collection
from rdflib.namespace import XSD

from kennisgraaf.build.canonical import blank_node_labels, graph_quads, sorted_quads, write_sorted_nquads

EX = Namespace("http://example.org/")
GRAPH = "https://w3id.org/kennisgraaf/graph/"


def graphs() -> dict[str, Graph]:
    shared, twin_a, twin_b, head = BNode(), BNode(), BNode(), BNode()
    first, second, third = Graph(), Graph(), Graph()
    first.add((EX.a, EX.p, shared))
    first.add((shared, EX.q, Literal("1")))
    second.add((EX.b, EX.p, shared))  # the same blank node in another graph
    second.add((EX.c, EX.p, twin_a))
    second.add((EX.d, EX.p, twin_b))
    second.add((twin_a, EX.q, Literal("x")))
    second.add((twin_b, EX.q, Literal("x")))  # two nodes with one description: two labels
    Collection(third, head, [EX.p1, EX.p2])
    third.add((EX.chain, EX.list, head))
    third.add((EX.e, EX.label, Literal("same")))
    third.add((EX.e, EX.label, Literal("same", datatype=XSD.string)))  # one RDF term with the line above
    third.add((EX.a, EX.p, EX.z))
    first.add((EX.a, EX.p, EX.z))  # one triple in two graphs: two quads
    return {f"{GRAPH}zeta": first, f"{GRAPH}alpha": second, f"{GRAPH}mid": third}


def test_graph_by_graph_gives_the_bytes_of_the_whole_dataset_sorted_at_once(tmp_path: Path) -> None:
    named = graphs()
    labels = blank_node_labels(named.values())
    write_sorted_nquads(named, labels, tmp_path / "graphs.nq")
    whole = sorted_quads(q for name, graph in named.items() for q in graph_quads(graph, name, labels))
    expected = ox.serialize(whole, format=ox.RdfFormat.N_QUADS)
    written = (tmp_path / "graphs.nq").read_bytes()
    assert written == expected
    lines = written.decode().splitlines()
    assert len(lines) == 15  # 16 rdflib triples, the two literals one quad
    assert [line.rsplit(" ", 2)[-2] for line in lines] == sorted(line.rsplit(" ", 2)[-2] for line in lines)
    assert len({line.split(" ")[0] for line in lines if "example.org/q>" in line}) == 3  # shared + two twins
