"""Why an inferred triple holds: one derivation per triple, by the OWL 2 RL rule that gives it.

owlrl computes the closure but keeps no justifications. This module runs its own small forward
chainer over the asserted data with the rules of the OWL 2 RL tables that the ontology uses
(named as in the W3C tables: ``cax-sco``, ``prp-spo1``, ``prp-spo2``, ``prp-inv1`` …), round by
round, and records for each new triple the first rule and premises that produced it. Rounds go
breadth first, so each recorded derivation is one of the shallowest. :func:`explain` then checks
that the chainer reaches exactly owlrl's kept inferred graph (the gap is reported, never hidden)
and turns the derivations into JSON that serving only looks up. Decisions: docs/explanations.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import chain

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from kennisgraaf.build.canonical import to_ox
from kennisgraaf.build.inference import keep_inferred
from kennisgraaf.build.rules import (
    RULE_ORDER,
    RULES,
    Facts,
    Triple,
    _chain_rules,
    _class_rules,
    _members,
    _property_rules,
    _schema_rules,
    property_chains,
)


@dataclass(frozen=True)
class Step:
    """How a triple was derived: the rule and the triples it rests on (asserted or derived)."""

    rule: str
    premises: tuple[Triple, ...]


def derive(asserted: Iterable[Triple]) -> dict[Triple, Step]:
    """Forward-chain the rules over ``asserted`` to a fixpoint; one shallowest derivation of each new triple.

    Semi-naive: a round only tries the derivations with at least one premise that is new since the
    round before (every other one was tried then), looked up through the indexes of :class:`Facts`,
    so a round costs what is new rather than everything known. Of the derivations a round finds
    for one triple, the first in ``RULE_ORDER`` with the smallest premises is kept, whatever the
    order of the sets: the build writes the same explanations every time.
    """
    facts = Facts()
    for triple in asserted:
        facts.add(triple)
    chains = property_chains(facts)
    steps: dict[Triple, Step] = {}
    delta = set(facts.all)
    while delta:
        found = _round(facts, chains, delta)
        for triple, step in found.items():
            facts.add(triple)
            steps[triple] = step
        delta = set(found)
    return steps


def _round(facts: Facts, chains: Mapping[Node, tuple[Triple, list[Node]]], delta: set[Triple]) -> dict[Triple, Step]:
    """The triples derivable with a premise from ``delta`` that are not known yet, each with its chosen step."""
    found: dict[Triple, tuple[int, tuple[Triple, ...], str]] = {}
    per_triple = (c for t in delta for rules in (_schema_rules, _class_rules, _property_rules) for c in rules(facts, t))
    for triple, rule, premises in chain(per_triple, _chain_rules(facts, chains, delta)):
        if triple in facts.all or isinstance(triple[0], Literal):
            continue
        rank = (RULE_ORDER[rule], premises, rule)
        best = found.get(triple)
        if best is None or rank < best:
            found[triple] = rank
    return {triple: Step(rule, premises) for triple, (_, premises, rule) in found.items()}


@dataclass
class Explanations:
    """Derivations for the kept inferred triples, and how well they cover owlrl's closure."""

    steps: dict[Triple, Step]
    missing: list[Triple]  # kept by owlrl, not derived here
    extra: list[Triple]  # derived and kept by the filter here, but not in owlrl's kept closure

    def tree_triples(self, triple: Triple) -> Iterator[Triple]:
        """Every triple in the derivation of ``triple`` (itself included), depth first."""
        stack, seen = [triple], set()
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            yield current
            if current in self.steps:
                stack.extend(self.steps[current].premises)


def explain(asserted: Graph, inferred: Graph, own_prefixes: Iterable[str]) -> Explanations:
    """Derive every triple of ``inferred`` (owlrl's kept closure of ``asserted``) and compare the two."""
    prefixes = tuple(own_prefixes)
    steps = derive(asserted)
    bnodes = {n for t in asserted for n in (t[0], t[2]) if isinstance(n, BNode)}
    kept_here = {t for t in steps if keep_inferred(t, prefixes, bnodes)}
    return Explanations(steps=steps, missing=sorted(t for t in inferred if t not in steps),
                        extra=sorted(kept_here - set(inferred)))


def chained_closure(asserted: Iterable[Triple], own_prefixes: Iterable[str]) -> tuple[Graph, Explanations]:
    """The build's closure: the chainer's new triples that the filter keeps, each with its derivation.

    One pass gives both the inferred graph and its explanations; tests check that the graph equals
    owlrl's filtered closure (:func:`kennisgraaf.build.inference.closure`), the oracle.
    """
    prefixes = tuple(own_prefixes)
    asserted = list(asserted)
    steps = derive(asserted)
    bnodes = {n for t in asserted for n in (t[0], t[2]) if isinstance(n, BNode)}
    inferred = Graph()
    for triple in steps:
        if keep_inferred(triple, prefixes, bnodes):
            inferred.add(triple)
    return inferred, Explanations(steps=steps, missing=[], extra=[])


# -- the cache file --------------------------------------------------------------------------

KG_QUOTE = "def#quote"
LABELS = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)
MAX_QUOTES = 3


def triple_key(triple: Triple, lists: Mapping[BNode, list[Node]]) -> str:
    """The key of a triple in the explanations file: its N-Triples form without the final dot.

    A blank node that heads an RDF list (a property chain) is written as the Turtle collection
    ``( <p1> <p2> )``: graphs.nq labels blank nodes canonically (RDFC-1.0) over the whole
    dataset, so a label chosen here would not match it, and the members are what a reader needs.
    """
    parts = []
    for term in triple:
        if isinstance(term, BNode) and term in lists:
            parts.append("( " + " ".join(str(to_ox(m, {})) for m in lists[term]) + " )")
        else:
            parts.append(str(to_ox(term, {})))
    return " ".join(parts)


def rdf_lists(graphs: Iterable[Graph]) -> dict[BNode, list[Node]]:
    """The members of every RDF list whose head is a blank node (read from the rdf:first/rdf:rest
    triples alone: copying every graph into one union to walk them cost seconds at 100k triples)."""
    first: dict[Node, Node] = {}
    rest: dict[Node, Node] = {}
    for graph in graphs:
        first.update(graph.subject_objects(RDF.first))
        rest.update(graph.subject_objects(RDF.rest))
    return {head: _members(head, first, rest) for head in first if isinstance(head, BNode)}


def to_json(explanations: Explanations, graphs: Mapping[str, Graph], inferred_name: str, base: str) -> dict:
    """The explanations file: every kept inferred triple's derivation and every asserted premise's source.

    ``graphs`` are the build's named graphs by name (as written to graphs.nq); an asserted premise
    names every graph that holds it and, from a document graph, the quotes that state it.
    """
    labels = rdf_lists(graphs.values())
    inferred = graphs[inferred_name]
    asserted_in: dict[Triple, list[str]] = defaultdict(list)
    for name, graph in sorted(graphs.items()):
        if name != inferred_name:
            for triple in graph:
                asserted_in[triple].append(name)
    quote = URIRef(base + KG_QUOTE)
    label_index: dict[Node, set[str]] = defaultdict(set)
    for graph in graphs.values():
        for prop in LABELS:
            for s, o in graph.subject_objects(prop):
                label_index[s].add(str(o))
    derived: dict[str, dict] = {}
    sources: dict[str, dict] = {}
    keys: dict[Triple, str] = {}  # a schema axiom is a premise of thousands of derivations: one key each

    def key_of(node: Triple) -> str:
        if node not in keys:
            keys[node] = triple_key(node, labels)
        return keys[node]

    seen: set[Triple] = set()
    for triple in sorted(inferred):
        # Every triple of the derivation trees once: a subtree already written is not walked again.
        stack = [triple]
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            key = key_of(node)
            if node in explanations.steps and node not in asserted_in:
                step = explanations.steps[node]
                derived[key] = {"rule": step.rule, "premises": [key_of(t) for t in step.premises],
                                "stored": node in inferred}
                stack.extend(step.premises)
            elif node in asserted_in and key not in sources:
                sources[key] = {"graphs": asserted_in[node],
                                "quotes": {g: q for g in asserted_in[node]
                                           if (q := _quotes(graphs[g], node, quote, label_index))}}
    return {"rules": {name: {"nl": nl, "en": en} for name, (nl, en) in RULES.items()},
            "derived": derived, "asserted": sources,
            "missing": [triple_key(t, labels) for t in explanations.missing],
            "extra": [triple_key(t, labels) for t in explanations.extra]}


def _quotes(graph: Graph, triple: Triple, quote: URIRef, label_index: Mapping[Node, set[str]]) -> list[str]:
    """The quotes by which ``graph`` states ``triple``, at most three.

    A claim with one to three quotes has those as its evidence. A node with more (a document's
    metadata, a position argued over a page) keeps those that contain the object (its text or a
    label of it); failing that, the object's own quotes when it is a claim of the same graph
    (an argument of a position), else the subject's first quotes.
    """
    s, _, o = triple
    found = sorted(str(q) for q in graph.objects(s, quote))
    if len(found) > MAX_QUOTES:
        words = {str(o)} if isinstance(o, Literal) else label_index.get(o, set())
        matching = [q for q in found if any(w and w.lower() in q.lower() for w in words)]
        own = sorted(str(q) for q in graph.objects(o, quote)) if not isinstance(o, Literal) else []
        found = matching or own or found
    return found[:MAX_QUOTES]
