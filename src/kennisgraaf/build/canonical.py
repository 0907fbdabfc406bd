"""Canonical RDF: deterministic blank-node labels, term conversion and sorted serialisation.

Same input, same bytes (DESIGN §1): rdflib's writers are not stable between runs, so the dataset
is written through pyoxigraph from quads that are sorted, with blank nodes labelled by a hash of
what they describe.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node


def blank_node_labels(graphs: Iterable[Graph]) -> dict[BNode, str]:
    """Label every blank node by a hash of its outgoing description (recursively, cycle-safe)."""
    outgoing: dict[BNode, set[tuple[Node, Node]]] = defaultdict(set)
    incoming: dict[BNode, set[tuple[Node, Node]]] = defaultdict(set)
    for graph in graphs:
        for s, p, o in graph:
            if isinstance(s, BNode):
                outgoing[s].add((p, o))
            if isinstance(o, BNode):
                incoming[o].add((s, p))
    labels: dict[BNode, str] = {}

    def describe(node: BNode, seen: frozenset[BNode]) -> str:
        if node in labels:
            return labels[node]
        if node in seen:
            return "_:cycle"
        parts = []
        for p, o in outgoing.get(node, ()):
            obj = describe(o, seen | {node}) if isinstance(o, BNode) else o.n3()
            parts.append(f"{p.n3()} {obj}")
        # A blank node with no outgoing triples is told apart by where it is used.
        if not parts:
            for s, p in incoming.get(node, ()):
                subj = "_:in" if isinstance(s, BNode) else s.n3()
                parts.append(f"^{p.n3()} {subj}")
        digest = hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()[:20]
        labels[node] = "b" + digest
        return labels[node]

    for node in list(outgoing) + list(incoming):
        describe(node, frozenset())
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
    """Sort quads by graph, subject, predicate, object (in N-Quads form), dropping duplicates."""
    unique = {str(q): q for q in quads}
    return [unique[key] for key in sorted(unique, key=_sort_key(unique))]


def _sort_key(unique: Mapping[str, ox.Quad]):
    def key(text: str) -> tuple[str, str, str, str]:
        quad = unique[text]
        graph = "" if isinstance(quad.graph_name, ox.DefaultGraph) else str(quad.graph_name)
        return (graph, str(quad.subject), str(quad.predicate), str(quad.object))

    return key


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
