"""Why a triple holds, as readers see it: the derivation tree from the build's explanations file.

The build (``build/explain.py``) stores one derivation per inferred triple, keyed by the triple's
N-Triples form; this module only looks it up and dresses it: labels in the reader's language,
the rule's name and meaning, and for each asserted premise its graphs and quotes linked to their
place in the source text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kennisgraaf.site.pageindex import Evidence, PageIndex
from kennisgraaf.site.pages import Labeller, Link

MAX_DEPTH = 32  # derivations are acyclic by construction; this only bounds a damaged file


class NotExplained(LookupError):
    """The triple is neither inferred nor a premise of an inferred triple in this dataset."""


def parse_triple(s: str, p: str, o: str, base: str, prefixes: Mapping[str, str]) -> ox.Triple:
    """The triple asked about: ``s`` and ``p`` IRIs, ``o`` an IRI or a literal in N-Triples form.

    IRIs may be relative to the base (``id/…``) or prefixed names (``kg:Document``); a bad term
    raises ValueError with the parser's message.
    """

    def iri(text: str) -> str:
        text = text.strip().removeprefix("<").removesuffix(">")
        prefix, _, local = text.partition(":")
        if local and prefix in prefixes and not local.startswith("//"):
            return prefixes[prefix] + local
        return text if ":" in text.split("/", 1)[0] else base + text.lstrip("/")

    obj = o.strip()
    obj_text = obj if obj.startswith(('"', "_:")) else f"<{iri(obj)}>"
    text = f"<{iri(s)}> <{iri(p)}> {obj_text} ."
    try:
        found = list(ox.parse(text, format=ox.RdfFormat.N_TRIPLES))
    except SyntaxError as exc:
        raise ValueError(f"not a triple: {text!r}: {exc}") from None
    return ox.Triple(found[0].subject, found[0].predicate, found[0].object)


def key_of(triple: ox.Triple) -> str:
    """The explanations file's key of a triple (its N-Triples form without the dot)."""
    return f"{triple.subject} {triple.predicate} {triple.object}"


@dataclass
class Quote:
    """A quote stating an asserted premise, with its document and place in the source text."""

    quote: str
    document: Link
    href: str


@dataclass
class WhyNode:
    """One triple of a derivation: derived by ``rule`` from ``premises``, or asserted in ``graphs``."""

    key: str
    subject: Link | None
    predicate: Link
    obj: Link | None
    literal: str | None
    language: str | None = None
    members: list[Link] = field(default_factory=list)  # an object that is a list (a property chain)
    rule: str | None = None
    rule_text: str | None = None
    stored: bool = True
    premises: list[WhyNode] = field(default_factory=list)
    graphs: list[Link] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        triple = {"subject": self.subject.iri if self.subject else None, "predicate": self.predicate.iri,
                  "object": self.obj.iri if self.obj else self.literal, "ntriples": self.key + " ."}
        if self.members:  # a property chain: the key is a Turtle collection, not N-Triples
            triple["object"] = [m.iri for m in self.members]
            triple["turtle"] = triple.pop("ntriples")
        if self.language:
            triple["language"] = self.language
        labels = {"subject": self.subject.label if self.subject else None, "predicate": self.predicate.label,
                  "object": self.obj.label if self.obj else self.literal or [m.label for m in self.members]}
        if self.rule:
            return {"triple": triple, "labels": labels, "inferred": True, "stored": self.stored,
                    "rule": self.rule, "ruleText": self.rule_text,
                    "premises": [p.to_json() for p in self.premises]}
        return {"triple": triple, "labels": labels, "inferred": False,
                "graphs": [g.iri for g in self.graphs],
                "quotes": [{"quote": q.quote, "document": q.document.iri, "href": q.href} for q in self.quotes]}


class Explainer:
    """Looks up derivations in a dataset's explanations and builds the tree for one triple."""

    def __init__(self, explanations: dict, index: PageIndex, labeller: Labeller, graph_iri: Any) -> None:
        self.derived: dict[str, dict] = explanations["derived"]
        self.asserted: dict[str, dict] = explanations["asserted"]
        self.rules: dict[str, dict[str, str]] = explanations["rules"]
        self.index, self.labeller, self.graph_iri = index, labeller, graph_iri
        self._documents = {graph: doc for doc, graph in index.document_graph.items()}

    def tree(self, triple: ox.Triple) -> WhyNode:
        key = key_of(triple)
        if key not in self.derived and key not in self.asserted:
            raise NotExplained(f"this dataset neither infers nor uses as a premise the triple {key} .")
        return self._node(key, 0)

    def _node(self, key: str, depth: int) -> WhyNode:
        subject, predicate, obj = _parse_key(key)
        node = self._bare(key, subject, predicate, obj)
        if key in self.derived and depth < MAX_DEPTH:
            entry = self.derived[key]
            node.rule, node.stored = entry["rule"], entry["stored"]
            node.rule_text = self.rules.get(entry["rule"], {}).get(self.labeller.lang)
            for premise in entry["premises"]:
                node.premises.append(self._node(premise, depth + 1))
        elif key in self.asserted:
            entry = self.asserted[key]
            node.graphs = [self.labeller.graph_link(self.graph_iri(g)) for g in entry["graphs"]]
            for graph, quotes in sorted(entry["quotes"].items()):
                node.quotes += self._quotes(graph, subject.value, quotes)
        return node

    def _bare(self, key: str, s: Any, p: Any, o: Any) -> WhyNode:
        node = WhyNode(key=key, subject=self.labeller.link(s.value) if isinstance(s, ox.NamedNode) else None,
                       predicate=self.labeller.link(p.value),
                       obj=self.labeller.link(o.value) if isinstance(o, ox.NamedNode) else None,
                       literal=_literal_text(o) if isinstance(o, ox.Literal) else None,
                       language=o.language if isinstance(o, ox.Literal) else None)
        if isinstance(o, list):
            node.members = [self.labeller.link(m.value) for m in o]
        return node

    def _quotes(self, graph: str, subject: str, quotes: list[str]) -> list[Quote]:
        document = self._documents.get(self.graph_iri(graph))
        if document is None:
            return []
        page = self.labeller.link(document)
        found = []
        for quote in quotes:
            locations = self.index.locations_of(Evidence(subject, quote, document))
            anchor = f"#{locations[0].anchor}" if locations else ""
            found.append(Quote(quote, page, page.href + anchor))
        return found


def _parse_key(key: str) -> tuple[Any, Any, Any]:
    """Subject, predicate and object of a key; an object ``( <a> <b> )`` (a property chain) as a list."""
    if key.endswith(" )") and " ( " in key:
        head, _, members = key[:-2].partition(" ( ")
        terms = next(iter(ox.parse(f"{head} <urn:x> .", format=ox.RdfFormat.N_TRIPLES)))
        chain = [ox.NamedNode(m.strip("<>")) for m in members.split()]
        return terms.subject, terms.predicate, chain
    parsed = next(iter(ox.parse(key + " .", format=ox.RdfFormat.N_TRIPLES)))
    return parsed.subject, parsed.predicate, parsed.object


def _literal_text(term: Any) -> str:
    return term.value if isinstance(term, ox.Literal) else str(term)
