"""The OWL 2 RL rules the build's chainer knows (build/explain.py), in the W3C tables' names.

Each rule set is a function from the facts known so far and one triple to the conclusions that
have that triple as a premise: the chainer (:func:`kennisgraaf.build.explain.derive`) calls them
for the triples new in a round. Also here: what each rule says (nl, en), the order in which one
triple's derivations are preferred, and the indexes the rules join through.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import TypeVar

from rdflib import Literal
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

Triple = tuple[Node, Node, Node]
IdTriple = tuple[int, int, int]
T = TypeVar("T")

# The terms the rules name, interned first so that each has a fixed id: the rules compare ints.
VOCABULARY = (RDFS.subClassOf, RDFS.subPropertyOf, RDF.type, OWL.equivalentClass, OWL.equivalentProperty,
              OWL.inverseOf, RDFS.domain, RDFS.range, OWL.SymmetricProperty, OWL.TransitiveProperty,
              OWL.propertyChainAxiom, RDF.first, RDF.rest)
SCO, SPO, TYPE, EQC, EQP, INV, DOMAIN, RANGE, SYMMETRIC, TRANSITIVE, CHAIN, FIRST, REST = range(len(VOCABULARY))


class TermIds:
    """Every RDF term as an int, so that the chainer's sets and indexes hash and compare ints.

    rdflib terms hash and compare in Python (``Identifier.__eq__``, ``Literal.__hash__``): at 1M
    triples those calls were most of the chainer's time. Ids are dense: IRIs and blank nodes get
    0, 1, 2 … (the rule vocabulary first), literals -1, -2 …, so "is a literal" is ``id < 0``.
    Two ids are equal exactly when rdflib's terms are (``==`` is term equality in rdflib ≥ 6).
    """

    def __init__(self) -> None:
        self.ids: dict[Node, int] = {}
        self.nodes: list[Node] = []
        self.literals: list[Node] = []
        for term in VOCABULARY:
            self.id(term)

    def id(self, term: Node) -> int:
        found = self.ids.get(term)
        if found is None:
            if isinstance(term, Literal):
                self.literals.append(term)
                found = -len(self.literals)
            else:
                found = len(self.nodes)
                self.nodes.append(term)
            self.ids[term] = found
        return found

    def triple(self, triple: Triple) -> IdTriple:
        s, p, o = triple
        return self.id(s), self.id(p), self.id(o)

    def term(self, term_id: int) -> Node:
        return self.nodes[term_id] if term_id >= 0 else self.literals[-term_id - 1]

    def decode(self, triple: IdTriple) -> Triple:
        s, p, o = triple
        return self.term(s), self.term(p), self.term(o)

    def encode_all(self, triples: Iterable[Triple]) -> Iterator[IdTriple]:
        return (self.triple(t) for t in triples)

# The rules this chainer knows, with what each says (nl, en), in the W3C OWL 2 RL tables' names.
RULES: dict[str, tuple[str, str]] = {
    "cax-sco": ("x is een C1 en C1 is een subklasse van C2, dus x is een C2",
                "x is a C1 and C1 is a subclass of C2, so x is a C2"),
    "cax-eqc1": ("x is een C1 en C1 is equivalent aan C2, dus x is een C2",
                 "x is a C1 and C1 is equivalent to C2, so x is a C2"),
    "cax-eqc2": ("x is een C2 en C1 is equivalent aan C2, dus x is een C1",
                 "x is a C2 and C1 is equivalent to C2, so x is a C1"),
    "prp-dom": ("x p y en p heeft domein C, dus x is een C", "x p y and p has domain C, so x is a C"),
    "prp-rng": ("x p y en p heeft bereik C, dus y is een C", "x p y and p has range C, so y is a C"),
    "prp-spo1": ("x p1 y en p1 is een subeigenschap van p2, dus x p2 y",
                 "x p1 y and p1 is a subproperty of p2, so x p2 y"),
    "prp-spo2": ("een keten x p1 … pn y en p is de eigenschapsketen (p1 … pn), dus x p y",
                 "a chain x p1 … pn y and p is the property chain (p1 … pn), so x p y"),
    "prp-inv1": ("x p1 y en p1 is de inverse van p2, dus y p2 x", "x p1 y and p1 is the inverse of p2, so y p2 x"),
    "prp-inv2": ("x p2 y en p1 is de inverse van p2, dus y p1 x", "x p2 y and p1 is the inverse of p2, so y p1 x"),
    "prp-symp": ("x p y en p is symmetrisch, dus y p x", "x p y and p is symmetric, so y p x"),
    "prp-trp": ("x p y, y p z en p is transitief, dus x p z", "x p y, y p z and p is transitive, so x p z"),
    "prp-eqp1": ("x p1 y en p1 is equivalent aan p2, dus x p2 y", "x p1 y and p1 is equivalent to p2, so x p2 y"),
    "prp-eqp2": ("x p2 y en p1 is equivalent aan p2, dus x p1 y", "x p2 y and p1 is equivalent to p2, so x p1 y"),
    "scm-sco": ("C1 ⊑ C2 en C2 ⊑ C3, dus C1 ⊑ C3 (subklassen zijn transitief)",
                "C1 ⊑ C2 and C2 ⊑ C3, so C1 ⊑ C3 (subclasses are transitive)"),
    "scm-spo": ("p1 ⊑ p2 en p2 ⊑ p3, dus p1 ⊑ p3 (subeigenschappen zijn transitief)",
                "p1 ⊑ p2 and p2 ⊑ p3, so p1 ⊑ p3 (subproperties are transitive)"),
    "scm-eqc1": ("C1 ≡ C2, dus C1 ⊑ C2 en C2 ⊑ C1", "C1 ≡ C2, so C1 ⊑ C2 and C2 ⊑ C1"),
    "scm-eqc2": ("C1 ⊑ C2 en C2 ⊑ C1, dus C1 ≡ C2", "C1 ⊑ C2 and C2 ⊑ C1, so C1 ≡ C2"),
    "scm-eqp1": ("p1 ≡ p2, dus p1 ⊑ p2 en p2 ⊑ p1", "p1 ≡ p2, so p1 ⊑ p2 and p2 ⊑ p1"),
    "scm-eqp2": ("p1 ⊑ p2 en p2 ⊑ p1, dus p1 ≡ p2", "p1 ⊑ p2 and p2 ⊑ p1, so p1 ≡ p2"),
    "scm-dom1": ("p heeft domein C1 en C1 ⊑ C2, dus p heeft domein C2",
                 "p has domain C1 and C1 ⊑ C2, so p has domain C2"),
    "scm-dom2": ("p2 heeft domein C en p1 ⊑ p2, dus p1 heeft domein C",
                 "p2 has domain C and p1 ⊑ p2, so p1 has domain C"),
    "scm-rng1": ("p heeft bereik C1 en C1 ⊑ C2, dus p heeft bereik C2",
                 "p has range C1 and C1 ⊑ C2, so p has range C2"),
    "scm-rng2": ("p2 heeft bereik C en p1 ⊑ p2, dus p1 heeft bereik C",
                 "p2 has range C and p1 ⊑ p2, so p1 has range C"),
}


class Facts:
    """Every triple known so far (as ids), indexed by predicate, by (subject, predicate) and by (predicate, object)."""

    def __init__(self) -> None:
        self.all: set[IdTriple] = set()
        self.by_predicate: dict[int, set[tuple[int, int]]] = defaultdict(set)
        self.objects: dict[tuple[int, int], set[int]] = defaultdict(set)
        self.subjects: dict[tuple[int, int], set[int]] = defaultdict(set)

    def add(self, triple: IdTriple) -> None:
        s, p, o = triple
        self.all.add(triple)
        self.by_predicate[p].add((s, o))
        self.objects[(s, p)].add(o)
        self.subjects[(p, o)].add(s)

    def pairs(self, predicate: int) -> set[tuple[int, int]]:
        return self.by_predicate.get(predicate, set())

    def values(self, subject: int, predicate: int) -> set[int]:
        return self.objects.get((subject, predicate), set())

    def subjects_with(self, predicate: int, obj: int) -> set[int]:
        return self.subjects.get((predicate, obj), set())


Conclusion = tuple[IdTriple, str, tuple[IdTriple, ...]]

# Predicates for which a triple can be a schema premise (a set: one lookup per data triple).
_SCHEMA = frozenset((SCO, SPO, EQC, EQP, DOMAIN, RANGE))
_CLASS = frozenset((TYPE, SCO, EQC))
_AXIOMS = frozenset((DOMAIN, RANGE, SPO, EQP, INV, TYPE))

# When one triple has several derivations in the same round, the one kept is the first in this order
# (then the smallest premises): the order in which the earlier, naive chainer tried the rules.
RULE_ORDER = {name: i for i, name in enumerate((
    "scm-sco", "scm-spo", "scm-eqc1", "scm-eqc2", "scm-eqp1", "scm-eqp2", "scm-dom1", "scm-dom2", "scm-rng1",
    "scm-rng2", "cax-sco", "cax-eqc1", "cax-eqc2", "prp-dom", "prp-rng", "prp-spo1", "prp-eqp1", "prp-eqp2",
    "prp-inv1", "prp-inv2", "prp-symp", "prp-trp", "prp-spo2"))}


def _schema_rules(f: Facts, t: IdTriple) -> Iterator[Conclusion]:
    """Conclusions of the scm-* rules with ``t`` as one of their premises."""
    s, p, o = t
    if p not in _SCHEMA:
        return
    if p in (SCO, SPO):
        rule = "scm-sco" if p == SCO else "scm-spo"
        for c in f.values(o, p):
            yield (s, p, c), rule, (t, (o, p, c))
        for a in f.subjects_with(p, s):
            yield (a, p, o), rule, ((a, p, s), t)
        eq, rule2 = (EQC, "scm-eqc2") if p == SCO else (EQP, "scm-eqp2")
        if (o, p, s) in f.all:
            yield (s, eq, o), rule2, (t, (o, p, s))
            yield (o, eq, s), rule2, ((o, p, s), t)
    if p in (EQC, EQP):
        sub, rule = (SCO, "scm-eqc1") if p == EQC else (SPO, "scm-eqp1")
        yield (s, sub, o), rule, (t,)
        yield (o, sub, s), rule, (t,)
    for rel, rule1, rule2 in ((DOMAIN, "scm-dom1", "scm-dom2"), (RANGE, "scm-rng1", "scm-rng2")):
        if p == rel:
            for c2 in f.values(o, SCO):
                yield (s, rel, c2), rule1, (t, (o, SCO, c2))
            for p1 in f.subjects_with(SPO, s):
                yield (p1, rel, o), rule2, (t, (p1, SPO, s))
        elif p == SCO:
            for q in f.subjects_with(rel, s):
                yield (q, rel, o), rule1, ((q, rel, s), t)
        elif p == SPO:
            for c in f.values(o, rel):
                yield (s, rel, c), rule2, ((o, rel, c), t)


def _class_rules(f: Facts, t: IdTriple) -> Iterator[Conclusion]:
    """Conclusions of the cax-* rules with ``t`` as one of their premises."""
    s, p, o = t
    if p not in _CLASS:
        return
    if p == TYPE:
        for c2 in f.values(o, SCO):
            yield (s, TYPE, c2), "cax-sco", (t, (o, SCO, c2))
        for c2 in f.values(o, EQC):
            yield (s, TYPE, c2), "cax-eqc1", (t, (o, EQC, c2))
        for c1 in f.subjects_with(EQC, o):
            yield (s, TYPE, c1), "cax-eqc2", (t, (c1, EQC, o))
    elif p == SCO:
        for x in f.subjects_with(TYPE, s):
            yield (x, TYPE, o), "cax-sco", ((x, TYPE, s), t)
    elif p == EQC:
        for x in f.subjects_with(TYPE, s):
            yield (x, TYPE, o), "cax-eqc1", ((x, TYPE, s), t)
        for x in f.subjects_with(TYPE, o):
            yield (x, TYPE, s), "cax-eqc2", ((x, TYPE, o), t)


def _property_rules(f: Facts, t: IdTriple) -> Iterator[Conclusion]:
    """Conclusions of the prp-* rules (but chains) with ``t`` as one of their premises: first with ``t`` as
    the schema axiom, then with ``t`` as the data triple."""
    s, p, o = t
    if p in _AXIOMS:  # one set lookup: most triples are data
        if p in (DOMAIN, RANGE):
            rule = "prp-dom" if p == DOMAIN else "prp-rng"
            for x, y in f.pairs(s):
                typed = x if p == DOMAIN else y
                if typed >= 0:
                    yield (typed, TYPE, o), rule, (t, (x, s, y))
        elif p == SPO:
            for x, y in f.pairs(s):
                yield (x, o, y), "prp-spo1", (t, (x, s, y))
        elif p == EQP:
            for x, y in f.pairs(s):
                yield (x, o, y), "prp-eqp1", (t, (x, s, y))
            for x, y in f.pairs(o):
                yield (x, s, y), "prp-eqp2", (t, (x, o, y))
        elif p == INV:
            for x, y in f.pairs(s):
                if y >= 0:
                    yield (y, o, x), "prp-inv1", (t, (x, s, y))
            for x, y in f.pairs(o):
                if y >= 0:
                    yield (y, s, x), "prp-inv2", (t, (x, o, y))
        elif p == TYPE and o == SYMMETRIC:
            for x, y in f.pairs(s):
                if y >= 0:
                    yield (y, s, x), "prp-symp", (t, (x, s, y))
        elif p == TYPE and o == TRANSITIVE:
            for x, y in f.pairs(s):
                for z in f.values(y, s):
                    yield (x, s, z), "prp-trp", (t, (x, s, y), (y, s, z))
    # t as the data triple x p y.
    if s >= 0:
        for c in f.values(p, DOMAIN):
            yield (s, TYPE, c), "prp-dom", ((p, DOMAIN, c), t)
    if o >= 0:
        for c in f.values(p, RANGE):
            yield (o, TYPE, c), "prp-rng", ((p, RANGE, c), t)
    for p2 in f.values(p, SPO):
        yield (s, p2, o), "prp-spo1", ((p, SPO, p2), t)
    for p2 in f.values(p, EQP):
        yield (s, p2, o), "prp-eqp1", ((p, EQP, p2), t)
    for p1 in f.subjects_with(EQP, p):
        yield (s, p1, o), "prp-eqp2", ((p1, EQP, p), t)
    if o >= 0:
        for p2 in f.values(p, INV):
            yield (o, p2, s), "prp-inv1", ((p, INV, p2), t)
        for p1 in f.subjects_with(INV, p):
            yield (o, p1, s), "prp-inv2", ((p1, INV, p), t)
        if (p, TYPE, SYMMETRIC) in f.all:
            yield (o, p, s), "prp-symp", ((p, TYPE, SYMMETRIC), t)
    if (p, TYPE, TRANSITIVE) in f.all:
        axiom = (p, TYPE, TRANSITIVE)
        for z in f.values(o, p):
            yield (s, p, z), "prp-trp", (axiom, t, (o, p, z))
        for x in f.subjects_with(p, s):
            yield (x, p, o), "prp-trp", (axiom, (x, p, s), t)


def _chain_rules(f: Facts, chains: Mapping[int, tuple[IdTriple, list[int]]],
                 delta: set[IdTriple]) -> Iterator[Conclusion]:
    """prp-spo2: every chain with at least one link from ``delta`` (the triples new in the last round)."""
    for p, (axiom, links) in chains.items():
        for i, link in enumerate(links):
            for start in [t for t in delta if t[1] == link]:
                # Extend the new link backwards to the chain's start and forwards to its end.
                paths: list[tuple[int, int, tuple[IdTriple, ...]]] = [(start[0], start[2], (start,))]
                for before in reversed(links[:i]):
                    paths = [(w, end, ((w, before, x),) + used) for x, end, used in paths
                             for w in f.subjects_with(before, x)]
                for after in links[i + 1:]:
                    paths = [(first, z, used + ((y, after, z),)) for first, y, used in paths
                             for z in f.values(y, after)]
                for first, end, used in paths:
                    yield (first, p, end), "prp-spo2", (axiom, *used)


def property_chains(facts: Facts) -> dict[int, tuple[IdTriple, list[int]]]:
    """Each property with an ``owl:propertyChainAxiom``: the axiom triple and its list of properties."""
    first = {s: o for s, o in facts.pairs(FIRST)}
    rest = {s: o for s, o in facts.pairs(REST)}
    chains = {}
    for p, head in sorted(facts.pairs(CHAIN)):
        links = _members(head, first, rest)
        if links:
            chains[p] = ((p, CHAIN, head), links)
    return chains


def _members(head: T, first: Mapping[T, T], rest: Mapping[T, T]) -> list[T]:
    """The members of the RDF list at ``head`` (rdflib terms or ids alike)."""
    members: list[T] = []
    node: T | None = head
    seen: set[T] = set()
    while node in first and node not in seen:  # a malformed (cyclic) list ends where it loops; rdf:nil is not in first
        seen.add(node)
        members.append(first[node])
        node = rest.get(node)
    return members
