"""Canonical RDF: deterministic blank-node labels, term conversion and sorted serialisation.

Same input, same bytes (DESIGN §1): rdflib's writers are not stable between runs, so the dataset
is written through pyoxigraph from quads that are sorted, with blank nodes labelled canonically
(RDFC-1.0), which keeps distinct blank nodes distinct.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node


def blank_node_labels(graphs: Iterable[Graph]) -> dict[BNode, str]:
    """Give every blank node of ``graphs`` a label of its own (one node, one label, across graphs).

    The labels only keep distinct nodes distinct and shared nodes shared; the bytes do not depend
    on them, because :func:`sorted_quads` relabels every blank node canonically (RDFC-1.0).
    """
    labels: dict[BNode, str] = {}
    for graph in graphs:
        for triple in graph:
            for term in triple:
                if isinstance(term, BNode) and term not in labels:
                    labels[term] = f"n{len(labels)}"
    return labels


def to_ox(term: Node, labels: Mapping[BNode, str]) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term to a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(labels.get(term, str(term)))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r}")


def graph_quads(graph: Graph, name: str | None, labels: Mapping[BNode, str]) -> Iterator[ox.Quad]:
    """Yield the triples of ``graph`` as quads in graph ``name`` (None: the default graph)."""
    graph_name = ox.NamedNode(name) if name else ox.DefaultGraph()
    for s, p, o in graph:
        yield ox.Quad(to_ox(s, labels), to_ox(p, labels), to_ox(o, labels), graph_name)


def sorted_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Label blank nodes canonically, then sort by graph, subject, predicate, object, dropping duplicates.

    RDFC-1.0 (W3C RDF Dataset Canonicalization) labels each blank node by its place in the whole
    dataset, with a tie-break that keeps two nodes with the same description two nodes: an
    earlier hash of each node's description merged them (``:a :p [ :q 1 ] . :b :p [ :q 1 ]``
    lost a triple). Isomorphic input gives identical labels, so the bytes stay stable.
    ``quads`` may be a generator: the dataset is the one copy (a set: duplicates go there); no
    list or string-keyed dict of the quads beside it (at 1M triples each was hundreds of MB).
    """
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(dataset, key=_sort_key)


def write_sorted_nquads(graphs: Mapping[str, Graph], labels: Mapping[BNode, str], path: Path) -> None:
    """Write named graphs (graph IRI → rdflib graph) as N-Quads, the same bytes as serialising
    :func:`sorted_quads` of all their quads, holding one graph's quads at a time.

    Sorting by graph first, each graph is a run of the file: sorted and written on its own, so a
    1M-triple dataset is never one list (with its sort keys, 2 GB at 1M triples). Blank nodes are
    labelled over the whole dataset first, from the quads that mention one: RDFC-1.0 reads only
    those (a blank node's hashes come from the quads it occurs in), so the labels are the same.
    """
    def has_blank(triple: tuple[Node, Node, Node]) -> bool:
        return isinstance(triple[0], BNode) or isinstance(triple[2], BNode)

    blank = ox.Dataset(ox.Quad(to_ox(s, labels), to_ox(p, labels), to_ox(o, labels), ox.NamedNode(name))
                       for name, graph in graphs.items() for s, p, o in graph if has_blank((s, p, o)))
    blank.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    with path.open("wb") as out:
        for name in sorted(graphs, key=lambda iri: str(ox.NamedNode(iri))):
            graph_name = ox.NamedNode(name)
            quads = [ox.Quad(to_ox(s, labels), to_ox(p, labels), to_ox(o, labels), graph_name)
                     for s, p, o in graphs[name] if not has_blank((s, p, o))]
            quads += blank.quads_for_graph_name(graph_name)
            quads.sort(key=_sort_key)
            # Two rdflib terms may be one RDF term (a plain literal, its xsd:string twin): once, as in a dataset.
            unique = [q for i, q in enumerate(quads) if i == 0 or q != quads[i - 1]]
            ox.serialize(unique, out, ox.RdfFormat.N_QUADS)


def _sort_key(quad: ox.Quad) -> tuple[str, str, str, str]:
    graph = "" if isinstance(quad.graph_name, ox.DefaultGraph) else str(quad.graph_name)
    return (graph, str(quad.subject), str(quad.predicate), str(quad.object))


def serialise(quads: Iterable[ox.Quad], fmt: ox.RdfFormat, prefixes: Mapping[str, str] | None = None) -> bytes:
    """Serialise sorted quads (triples for graph formats) in ``fmt``."""
    items: list[ox.Quad] | list[ox.Triple] = sorted_quads(quads)
    if not fmt.supports_datasets:
        items = [ox.Triple(q.subject, q.predicate, q.object) for q in items]
        # Sorting again after dropping the graph keeps the bytes independent of graph names.
        unique = {str(t): t for t in items}
        items = [unique[k] for k in sorted(unique)]
    line_based = fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES)
    kwargs = {"prefixes": dict(prefixes)} if prefixes and not line_based else {}
    return ox.serialize(items, format=fmt, **kwargs)
