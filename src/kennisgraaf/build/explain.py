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

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from kennisgraaf.build.canonical import to_ox
from kennisgraaf.build.inference import keep_inferred

Triple = tuple[Node, Node, Node]
SCO, SPO, TYPE = RDFS.subClassOf, RDFS.subPropertyOf, RDF.type

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


@dataclass(frozen=True)
class Step:
    """How a triple was derived: the rule and the triples it rests on (asserted or derived)."""

    rule: str
    premises: tuple[Triple, ...]


@dataclass
class Facts:
    """Every triple known so far, indexed by predicate and by (subject, predicate)."""

    by_predicate: dict[Node, set[tuple[Node, Node]]] = field(default_factory=lambda: defaultdict(set))
    objects: dict[tuple[Node, Node], set[Node]] = field(default_factory=lambda: defaultdict(set))
    all: set[Triple] = field(default_factory=set)

    def add(self, triple: Triple) -> None:
        s, p, o = triple
        self.all.add(triple)
        self.by_predicate[p].add((s, o))
        self.objects[(s, p)].add(o)

    def pairs(self, predicate: Node) -> list[tuple[Node, Node]]:
        return sorted(self.by_predicate.get(predicate, ()))

    def values(self, subject: Node, predicate: Node) -> set[Node]:
        return self.objects.get((subject, predicate), set())

    def subjects_with(self, predicate: Node, obj: Node) -> list[Node]:
        return sorted(s for s, o in self.by_predicate.get(predicate, ()) if o == obj)


Conclusion = tuple[Triple, str, tuple[Triple, ...]]


def _schema_rules(f: Facts) -> Iterator[Conclusion]:
    for rel, rule in ((SCO, "scm-sco"), (SPO, "scm-spo")):
        for a, b in f.pairs(rel):
            for c in sorted(f.values(b, rel)):
                yield (a, rel, c), rule, ((a, rel, b), (b, rel, c))
    for eq, sub, rules in ((OWL.equivalentClass, SCO, ("scm-eqc1", "scm-eqc2")),
                           (OWL.equivalentProperty, SPO, ("scm-eqp1", "scm-eqp2"))):
        for a, b in f.pairs(eq):
            yield (a, sub, b), rules[0], ((a, eq, b),)
            yield (b, sub, a), rules[0], ((a, eq, b),)
        for a, b in f.pairs(sub):
            if a in f.values(b, sub):
                yield (a, eq, b), rules[1], ((a, sub, b), (b, sub, a))
    for rel, rules in ((RDFS.domain, ("scm-dom1", "scm-dom2")), (RDFS.range, ("scm-rng1", "scm-rng2"))):
        for p, c in f.pairs(rel):
            for c2 in sorted(f.values(c, SCO)):
                yield (p, rel, c2), rules[0], ((p, rel, c), (c, SCO, c2))
        for p1, p2 in f.pairs(SPO):
            for c in sorted(f.values(p2, rel)):
                yield (p1, rel, c), rules[1], ((p2, rel, c), (p1, SPO, p2))


def _class_rules(f: Facts) -> Iterator[Conclusion]:
    for x, c1 in f.pairs(TYPE):
        for c2 in sorted(f.values(c1, SCO)):
            yield (x, TYPE, c2), "cax-sco", ((x, TYPE, c1), (c1, SCO, c2))
        for c2 in sorted(f.values(c1, OWL.equivalentClass)):
            yield (x, TYPE, c2), "cax-eqc1", ((x, TYPE, c1), (c1, OWL.equivalentClass, c2))
    for c1, c2 in f.pairs(OWL.equivalentClass):
        for x in f.subjects_with(TYPE, c2):
            yield (x, TYPE, c1), "cax-eqc2", ((x, TYPE, c2), (c1, OWL.equivalentClass, c2))


def _property_rules(f: Facts) -> Iterator[Conclusion]:
    for rel, rule in ((RDFS.domain, "prp-dom"), (RDFS.range, "prp-rng")):
        for p, c in f.pairs(rel):
            for x, y in f.pairs(p):
                typed = x if rule == "prp-dom" else y
                if not isinstance(typed, Literal):
                    yield (typed, TYPE, c), rule, ((p, rel, c), (x, p, y))
    for p1, p2 in f.pairs(SPO):
        for x, y in f.pairs(p1):
            yield (x, p2, y), "prp-spo1", ((p1, SPO, p2), (x, p1, y))
    for p1, p2 in f.pairs(OWL.equivalentProperty):
        for x, y in f.pairs(p1):
            yield (x, p2, y), "prp-eqp1", ((p1, OWL.equivalentProperty, p2), (x, p1, y))
        for x, y in f.pairs(p2):
            yield (x, p1, y), "prp-eqp2", ((p1, OWL.equivalentProperty, p2), (x, p2, y))
    for p1, p2 in f.pairs(OWL.inverseOf):
        for x, y in f.pairs(p1):
            if not isinstance(y, Literal):
                yield (y, p2, x), "prp-inv1", ((p1, OWL.inverseOf, p2), (x, p1, y))
        for x, y in f.pairs(p2):
            if not isinstance(y, Literal):
                yield (y, p1, x), "prp-inv2", ((p1, OWL.inverseOf, p2), (x, p2, y))
    for p in f.subjects_with(TYPE, OWL.SymmetricProperty):
        for x, y in f.pairs(p):
            if not isinstance(y, Literal):
                yield (y, p, x), "prp-symp", ((p, TYPE, OWL.SymmetricProperty), (x, p, y))
    for p in f.subjects_with(TYPE, OWL.TransitiveProperty):
        for x, y in f.pairs(p):
            for z in sorted(f.values(y, p)):
                yield (x, p, z), "prp-trp", ((p, TYPE, OWL.TransitiveProperty), (x, p, y), (y, p, z))


def _chain_rules(f: Facts, chains: Mapping[Node, tuple[Triple, list[Node]]]) -> Iterator[Conclusion]:
    for p, (axiom, links) in sorted(chains.items()):
        # Follow the chain from every start: paths of (node, triples used so far).
        paths: list[tuple[Node, tuple[Triple, ...]]] = [(y, ((x, links[0], y),)) for x, y in f.pairs(links[0])]
        for link in links[1:]:
            paths = [(z, used + ((y, link, z),)) for y, used in paths for z in sorted(f.values(y, link))]
        for end, used in paths:
            yield (used[0][0], p, end), "prp-spo2", (axiom, *used)


def property_chains(facts: Facts, graph: Graph) -> dict[Node, tuple[Triple, list[Node]]]:
    """Each property with an ``owl:propertyChainAxiom``: the axiom triple and its list of properties."""
    chains = {}
    for p, head in facts.pairs(OWL.propertyChainAxiom):
        links = list(Collection(graph, head))
        if links:
            chains[p] = ((p, OWL.propertyChainAxiom, head), links)
    return chains


RuleSet = Callable[[Facts], Iterable[Conclusion]]


def derive(asserted: Graph) -> dict[Triple, Step]:
    """Forward-chain the rules over ``asserted`` to a fixpoint; the first derivation of each new triple."""
    facts = Facts()
    for triple in asserted:
        facts.add(triple)
    chains = property_chains(facts, asserted)
    rule_sets: list[RuleSet] = [_schema_rules, _class_rules, _property_rules,
                                lambda f: _chain_rules(f, chains)]
    steps: dict[Triple, Step] = {}
    while True:
        # One round: every conclusion of the facts so far; the new ones join the facts after it.
        found: dict[Triple, Step] = {}
        for rules in rule_sets:
            for triple, rule, premises in rules(facts):
                if triple not in facts.all and triple not in found and not isinstance(triple[0], Literal):
                    found[triple] = Step(rule, premises)
        if not found:
            return steps
        for triple, step in found.items():
            facts.add(triple)
            steps[triple] = step


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


# -- the cache file --------------------------------------------------------------------------

KG_QUOTE = "def#quote"
LABELS = (RDFS.label, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
          URIRef("http://www.w3.org/2004/02/skos/core#altLabel"))
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
    """The members of every RDF list whose head is a blank node."""
    union = Graph()
    for graph in graphs:
        union += graph
    return {head: list(Collection(union, head)) for head in set(union.subjects(RDF.first))
            if isinstance(head, BNode)}


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
    for triple in sorted(inferred):
        for node in explanations.tree_triples(triple):
            key = triple_key(node, labels)
            if node in explanations.steps and node not in asserted_in:
                step = explanations.steps[node]
                derived[key] = {"rule": step.rule, "premises": [triple_key(t, labels) for t in step.premises],
                                "stored": node in inferred}
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
