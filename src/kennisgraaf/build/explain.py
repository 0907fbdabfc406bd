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
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
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
    IdTriple,
    TermIds,
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


IdStep = tuple[str, tuple[IdTriple, ...]]  # a Step over term ids: (rule, premises)


def derive(asserted: Iterable[Triple]) -> dict[Triple, Step]:
    """Forward-chain the rules over ``asserted`` to a fixpoint; one shallowest derivation of each new triple."""
    terms = TermIds()
    found = derive_ids(terms, terms.encode_all(asserted))
    return {terms.decode(t): Step(rule, tuple(terms.decode(p) for p in premises))
            for t, (rule, premises) in found.items()}


def derive_ids(terms: TermIds, asserted: Iterable[IdTriple]) -> dict[IdTriple, IdStep]:
    """:func:`derive` over term ids (``terms`` interned them; the rules compare ints, not rdflib terms).

    Semi-naive: a round only tries the derivations with at least one premise that is new since the
    round before (every other one was tried then), looked up through the indexes of :class:`Facts`,
    so a round costs what is new rather than everything known. Of the derivations a round finds
    for one triple, the first in ``RULE_ORDER`` with the smallest premises (in rdflib's order of
    the terms) is kept, whatever the order of the sets: the build writes the same explanations every time.
    """
    facts = Facts()
    for triple in asserted:
        facts.add(triple)
    chains = property_chains(facts)
    steps: dict[IdTriple, IdStep] = {}
    delta = set(facts.all)
    while delta:
        found = _round(facts, chains, delta, terms)
        for triple, step in found.items():
            facts.add(triple)
            steps[triple] = step
        delta = set(found)
    return steps


def _round(facts: Facts, chains: Mapping[int, tuple[IdTriple, list[int]]], delta: set[IdTriple],
           terms: TermIds) -> dict[IdTriple, IdStep]:
    """The triples derivable with a premise from ``delta`` that are not known yet, each with its chosen step."""
    found: dict[IdTriple, tuple[int, tuple[IdTriple, ...], str]] = {}
    per_triple = (c for t in delta for rules in (_schema_rules, _class_rules, _property_rules) for c in rules(facts, t))
    known = facts.all
    for triple, rule, premises in chain(per_triple, _chain_rules(facts, chains, delta)):
        if triple in known or triple[0] < 0:  # known, or a literal as subject
            continue
        order = RULE_ORDER[rule]
        best = found.get(triple)
        if best is None or order < best[0] or (order == best[0] and premises != best[1]
                                               and _decoded(terms, premises) < _decoded(terms, best[1])):
            found[triple] = (order, premises, rule)
    return {triple: (rule, premises) for triple, (_, premises, rule) in found.items()}


def _decoded(terms: TermIds, premises: tuple[IdTriple, ...]) -> tuple[Triple, ...]:
    """Premises as rdflib terms, to break a tie between two derivations of one triple in rdflib's order
    (ids follow the order terms were met in, which is not that order)."""
    return tuple(terms.decode(t) for t in premises)


@dataclass
class Explanations:
    """Derivations for the kept inferred triples, and how well they cover owlrl's closure.

    Held as term ids (``terms``, ``derived``, ``kept``); ``steps`` is the same as rdflib triples.
    """

    terms: TermIds
    derived: dict[IdTriple, IdStep]  # every new triple the chainer found, with its derivation
    kept: set[IdTriple]  # the inferred graph (kept by the filter) as ids
    missing: list[Triple] = field(default_factory=list)  # kept by owlrl, not derived here
    extra: list[Triple] = field(default_factory=list)  # derived and kept by the filter here, but not by owlrl
    # The asserted triples (as ids) of each named graph, when the chainer read them graph by graph:
    # the explanations file then need not read the rdflib graphs again to say which graph holds a premise.
    by_graph: dict[str, list[IdTriple]] | None = None

    @cached_property
    def steps(self) -> dict[Triple, Step]:
        decode = self.terms.decode
        return {decode(t): Step(rule, tuple(decode(p) for p in premises))
                for t, (rule, premises) in self.derived.items()}

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


def _derived_and_kept(terms: TermIds, encoded: Iterable[IdTriple],
                      prefixes: tuple[str, ...]) -> tuple[dict[IdTriple, IdStep], set[IdTriple]]:
    """Every derivation from the ``encoded`` asserted triples, and the derived triples the filter keeps."""
    encoded = list(encoded)
    derived = derive_ids(terms, encoded)
    bnodes = {terms.nodes[n] for t in encoded for n in (t[0], t[2]) if n >= 0 and isinstance(terms.nodes[n], BNode)}
    kept = {t for t in derived if keep_inferred(terms.decode(t), prefixes, bnodes)}
    return derived, kept


def explain(asserted: Graph, inferred: Graph, own_prefixes: Iterable[str]) -> Explanations:
    """Derive every triple of ``inferred`` (owlrl's kept closure of ``asserted``) and compare the two."""
    terms = TermIds()
    derived, kept_here = _derived_and_kept(terms, terms.encode_all(asserted), tuple(own_prefixes))
    oracle = {terms.triple(t) for t in inferred}
    return Explanations(terms, derived, oracle,
                        missing=sorted(terms.decode(t) for t in oracle if t not in derived),
                        extra=sorted(terms.decode(t) for t in kept_here - oracle))


def chained_closure(asserted: Mapping[str, Graph] | Iterable[Triple],
                    own_prefixes: Iterable[str]) -> tuple[Graph, Explanations]:
    """The build's closure: the chainer's new triples that the filter keeps, each with its derivation.

    ``asserted``: the named graphs by name (their triples' graphs are remembered for the
    explanations file), or just triples. One pass gives both the inferred graph and its
    explanations; tests check that the graph equals owlrl's filtered closure
    (:func:`kennisgraaf.build.inference.closure`), the oracle.
    """
    terms = TermIds()
    by_graph = None
    if isinstance(asserted, Mapping):
        by_graph = {name: list(terms.encode_all(graph)) for name, graph in asserted.items()}
        encoded: Iterable[IdTriple] = (t for held in by_graph.values() for t in held)
    else:
        encoded = terms.encode_all(asserted)
    derived, kept = _derived_and_kept(terms, encoded, tuple(own_prefixes))
    inferred = Graph()
    for triple in kept:
        inferred.add(terms.decode(triple))
    return inferred, Explanations(terms, derived, kept, by_graph=by_graph)


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
    return " ".join(_term_key(term, lists) for term in triple)


def _term_key(term: Node, lists: Mapping[BNode, list[Node]]) -> str:
    if isinstance(term, BNode) and term in lists:
        return "( " + " ".join(str(to_ox(m, {})) for m in lists[term]) + " )"
    return str(to_ox(term, {}))


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
    names every graph that holds it and, from a document graph, the quotes that state it. The
    derivation trees are walked over term ids; only the triples written are turned back into text.
    """
    terms, derived = explanations.terms, explanations.derived
    # Every triple of the derivation trees once: a subtree already walked is not walked again.
    written: list[IdTriple] = []
    premises: set[IdTriple] = set()  # not derived: asserted (or, with owlrl, a triple the chainer missed)
    seen: set[IdTriple] = set()
    for triple in sorted(explanations.kept):
        stack = [triple]
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            step = derived.get(node)
            if step is None:
                premises.add(node)
            else:
                written.append(node)
                stack.extend(step[1])
    asserted_in: dict[IdTriple, list[str]] = defaultdict(list)
    for name, held in sorted(_graph_ids(explanations, graphs, inferred_name).items()):
        for triple in held:
            if triple in premises:
                asserted_in[triple].append(name)

    labels = rdf_lists(graphs.values())
    term_keys: dict[int, str] = {}
    keys: dict[IdTriple, str] = {}  # one string per triple, however many derivations name it (1M triples: MBs)

    def key_of(triple: IdTriple) -> str:
        key = keys.get(triple)
        if key is None:
            parts = []
            for term_id in triple:
                part = term_keys.get(term_id)
                if part is None:
                    part = term_keys[term_id] = _term_key(terms.term(term_id), labels)
                parts.append(part)
            key = keys[triple] = " ".join(parts)
        return key

    quote = URIRef(base + KG_QUOTE)
    label_index: dict[Node, set[str]] = defaultdict(set)
    for graph in graphs.values():
        for prop in LABELS:
            for s, o in graph.subject_objects(prop):
                label_index[s].add(str(o))
    quoted: dict[tuple[str, Node], list[str]] = {}  # a subject's quotes in a graph: shared by its premises

    def quotes_of(name: str, subject: Node) -> list[str]:
        found = quoted.get((name, subject))
        if found is None:
            found = quoted[(name, subject)] = sorted(str(q) for q in graphs[name].objects(subject, quote))
        return found

    derived_out = {}
    for node in written:
        rule, used = derived[node]
        derived_out[key_of(node)] = {"rule": rule, "premises": [key_of(t) for t in used],
                                     "stored": node in explanations.kept}
    sources: dict[str, dict] = {}
    for node, names in asserted_in.items():
        key = key_of(node)
        if key not in sources:
            triple = terms.decode(node)
            sources[key] = {"graphs": names,
                            "quotes": {g: q for g in names if (q := _quotes(graphs[g], g, triple, quotes_of,
                                                                             label_index))}}
    return {"rules": {name: {"nl": nl, "en": en} for name, (nl, en) in RULES.items()},
            "derived": derived_out, "asserted": sources,
            "missing": [triple_key(t, labels) for t in explanations.missing],
            "extra": [triple_key(t, labels) for t in explanations.extra]}


def _graph_ids(explanations: Explanations, graphs: Mapping[str, Graph], inferred_name: str) -> dict[str, list]:
    """The asserted graphs' triples as ids: remembered by the chainer, else read from ``graphs``."""
    if explanations.by_graph is not None:
        return explanations.by_graph
    ids = explanations.terms.ids  # a term never met is in no premise: None will not match
    return {name: [(ids.get(s), ids.get(p), ids.get(o)) for s, p, o in graph]
            for name, graph in graphs.items() if name != inferred_name}


def _quotes(graph: Graph, name: str, triple: Triple, quotes_of: Callable[[str, Node], list[str]],
            label_index: Mapping[Node, set[str]]) -> list[str]:
    """The quotes by which ``graph`` (named ``name``) states ``triple``, at most three.

    A claim with one to three quotes has those as its evidence. A node with more (a document's
    metadata, a position argued over a page) keeps those that contain the object (its text or a
    label of it); failing that, the object's own quotes when it is a claim of the same graph
    (an argument of a position), else the subject's first quotes.
    """
    s, _, o = triple
    found = quotes_of(name, s)
    if len(found) > MAX_QUOTES:
        words = {str(o)} if isinstance(o, Literal) else label_index.get(o, set())
        matching = [q for q in found if any(w and w.lower() in q.lower() for w in words)]
        own = quotes_of(name, o) if not isinstance(o, Literal) else []
        found = matching or own or found
    return found[:MAX_QUOTES]
