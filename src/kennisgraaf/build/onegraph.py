"""An in-memory rdflib store that holds one graph: what pyshacl reads fastest.

pyshacl answers every constraint through ``Graph.triples`` (about 250,000 calls on the real data).
rdflib's default ``Memory`` store keeps, for every triple, the contexts it belongs to, and checks and
yields them on every match (``__triple_has_context``, ``__contexts``): over half of the time of a
lookup (docs/benchmarks.md, issue 11). ``SimpleMemory`` has no such bookkeeping, but pyshacl wraps
the data graph in an rdflib ``Dataset`` over the graph's own store, which requires a context- and
graph-aware store. :class:`OneGraphStore` is both by declaration and holds exactly one graph: the
``Graph`` it was made for, so every context question has one answer and none needs asking (each
match names that graph as its context, which is all a ``Dataset`` view of the store needs).

The indexes are those of rdflib's stores (dicts in insertion order), so a lookup by a subject,
predicate or object matches the same triples in the same order as ``Memory`` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from rdflib import Graph, URIRef
from rdflib.store import Store
from rdflib.term import Node

Triple = tuple[Node, Node, Node]
Pattern = tuple[Node | None, Node | None, Node | None]


class OneGraphStore(Store):
    """Triples indexed by subject, predicate and object, for one ``Graph``; no contexts kept."""

    # Declared so that pyshacl may wrap the graph in a Dataset (rdflib asserts both); the store holds
    # one graph, so a context argument can only name that graph and is ignored.
    context_aware = True
    graph_aware = True
    formula_aware = False

    def __init__(self, configuration: str | None = None, identifier: Node | None = None) -> None:
        super().__init__(configuration)
        self.identifier = identifier
        self._spo: dict[Node, dict[Node, dict[Node, None]]] = {}
        self._pos: dict[Node, dict[Node, dict[Node, None]]] = {}
        self._osp: dict[Node, dict[Node, dict[Node, None]]] = {}
        self._size = 0
        self._contexts: tuple[Graph, ...] = ()  # the one graph, once known
        self._namespace: dict[str, URIRef] = {}
        self._prefix: dict[URIRef, str] = {}

    def hold(self, graph: Graph) -> None:
        """Name ``graph`` as the one graph of this store (the context of every triple)."""
        self._contexts = (graph,)

    def add(self, triple: Triple, context: Any = None, quoted: bool = False) -> None:
        if not self._contexts and isinstance(context, Graph):
            self._contexts = (context,)
        s, p, o = triple
        objects = self._spo.setdefault(s, {}).setdefault(p, {})
        if o in objects:
            return
        objects[o] = None
        self._pos.setdefault(p, {}).setdefault(o, {})[s] = None
        self._osp.setdefault(o, {}).setdefault(s, {})[p] = None
        self._size += 1

    def addN(self, quads: Iterable[tuple[Node, Node, Node, Any]]) -> None:  # noqa: N802 - rdflib's name
        add = self.add
        for s, p, o, context in quads:
            add((s, p, o), context)

    def remove(self, triple: Pattern, context: Any = None) -> None:
        for (s, p, o), _contexts in list(self.triples(triple)):
            del self._spo[s][p][o]
            del self._pos[p][o][s]
            del self._osp[o][s][p]
            self._size -= 1

    def triples(self, triple_pattern: Pattern, context: Any = None) -> Iterator[tuple[Triple, tuple]]:
        """Every stored triple matching the pattern (None matches anything)."""
        s, p, o = triple_pattern
        contexts = self._contexts
        # Snapshots (list(...)) as rdflib's stores take: a caller may add triples while it iterates.
        if s is not None:
            by_predicate = self._spo.get(s)
            if by_predicate is None:
                return
            if p is not None:
                objects = by_predicate.get(p)
                if objects is None:
                    return
                if o is not None:
                    if o in objects:
                        yield (s, p, o), contexts
                    return
                for each in list(objects):
                    yield (s, p, each), contexts
                return
            for predicate, objects in list(by_predicate.items()):
                if o is not None:
                    if o in objects:
                        yield (s, predicate, o), contexts
                else:
                    for each in list(objects):
                        yield (s, predicate, each), contexts
            return
        if p is not None:
            by_object = self._pos.get(p)
            if by_object is None:
                return
            if o is not None:
                for subject in list(by_object.get(o, ())):
                    yield (subject, p, o), contexts
                return
            for each, subjects in list(by_object.items()):
                for subject in list(subjects):
                    yield (subject, p, each), contexts
            return
        if o is not None:
            for subject, predicates in list(self._osp.get(o, {}).items()):
                for predicate in list(predicates):
                    yield (subject, predicate, o), contexts
            return
        for subject, by_predicate in list(self._spo.items()):
            for predicate, objects in list(by_predicate.items()):
                for each in list(objects):
                    yield (subject, predicate, each), contexts

    def __len__(self, context: Any = None) -> int:
        return self._size

    def contexts(self, triple: Triple | None = None) -> Iterator[Graph]:
        return iter(self._contexts)

    def add_graph(self, graph: Graph) -> None:
        """Nothing to do: the store is the one graph."""

    def remove_graph(self, graph: Graph) -> None:
        """Nothing to do: the store is the one graph."""

    # Namespace bindings as rdflib's SimpleMemory and Memory keep them (the same prefixes result).
    def bind(self, prefix: str, namespace: URIRef, override: bool = True) -> None:
        bound_namespace = self._namespace.get(prefix)
        bound_prefix = self._prefix.get(namespace)
        if bound_prefix is None and bound_namespace is not None:
            bound_prefix = self._prefix.get(bound_namespace)
        if override:
            if bound_prefix is not None:
                del self._namespace[bound_prefix]
            if bound_namespace is not None:
                del self._prefix[bound_namespace]
            self._prefix[namespace] = prefix
            self._namespace[prefix] = namespace
        else:
            self._prefix[bound_namespace if bound_namespace is not None else namespace] = (
                bound_prefix if bound_prefix is not None else prefix)
            self._namespace[bound_prefix if bound_prefix is not None else prefix] = (
                bound_namespace if bound_namespace is not None else namespace)

    def namespace(self, prefix: str) -> URIRef | None:
        return self._namespace.get(prefix)

    def prefix(self, namespace: URIRef) -> str | None:
        return self._prefix.get(namespace)

    def namespaces(self) -> Iterator[tuple[str, URIRef]]:
        yield from list(self._namespace.items())


def one_graph(*sources: Iterable[Triple], graph_class: type[Graph] = Graph) -> Graph:
    """A new graph (of ``graph_class``) on a :class:`OneGraphStore`, holding the triples of every source."""
    store = OneGraphStore()
    graph = graph_class(store=store)
    store.hold(graph)
    add = store.add
    for source in sources:
        for triple in source:
            add(triple)
    return graph
