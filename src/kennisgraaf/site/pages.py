"""The content of a resource page: labels, types, properties both ways, identifiers and evidence.

Everything here is plain data for the templates, assembled from two per-resource queries
(``page-outgoing.rq``, ``page-incoming.rq``) and the shared :class:`~kennisgraaf.site.pageindex.PageIndex`.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

import pyoxigraph as ox

from kennisgraaf.site.pageindex import Evidence, Location, PageIndex, PageQueries
from kennisgraaf.site.whylinks import why_href
from kennisgraaf.store.base import Solution, Term
from kennisgraaf.vocab import DCTERMS, FOAF, ORG, OWL, RDF, RDFS, SKOS, XSD, UriStrategy

RDF_TYPE = str(RDF.type)
# Properties whose values identify the resource elsewhere (shown together as external identifiers).
IDENTIFIER_PROPERTIES = tuple(str(p) for p in (SKOS.exactMatch, SKOS.closeMatch, OWL.sameAs, RDFS.seeAlso,
                                               FOAF.homepage, ORG.identifier, DCTERMS.identifier, SKOS.notation))
# Datatypes not shown beside a literal: plain and language-tagged strings.
PLAIN_DATATYPES = frozenset({ox.NamedNode(XSD.string), ox.NamedNode(RDF.langString)})


@cache
def vocabulary_labels() -> dict[str, dict[str, str]]:
    """Display labels of standard-vocabulary terms (templates/resources/vocabulary-labels.ttl).

    Read with pyoxigraph, not rdflib: serving loads no rdflib parser (tests/test_cold_serve.py).
    """
    text = files("kennisgraaf").joinpath("templates", "resources", "vocabulary-labels.ttl").read_bytes()
    label = ox.NamedNode(str(RDFS.label))
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for triple in ox.parse(text, format=ox.RdfFormat.TURTLE):
        if triple.predicate == label and isinstance(triple.object, ox.Literal):
            labels[triple.subject.value][triple.object.language or ""] = triple.object.value
    return dict(labels)


@dataclass(frozen=True)
class Link:
    """A resource as a link: where it goes, what it is called, and whether it leaves the site."""

    iri: str
    href: str
    label: str
    external: bool = False


@dataclass
class Value:
    """One value of a property: a link or a literal, and the graphs that state it."""

    link: Link | None = None
    text: str = ""
    lang: str | None = None
    datatype: str | None = None
    graphs: list[Link] = field(default_factory=list)
    inferred_only: bool = False
    why: str | None = None  # for an inferred value, the link to its explanation (/why)


@dataclass
class PropertyGroup:
    """The values of one property (outgoing) or the subjects pointing here through it (incoming)."""

    property: Link
    values: list[Value]


@dataclass
class QuoteView:
    """A quote as evidence: the text, the claim it supports, its document, and where it is highlighted."""

    quote: str
    node: Link
    document: Link
    anchors: list[str]
    via: Link | None = None  # the property linking the claim to the described resource


@dataclass
class Description:
    """All a resource page shows."""

    iri: str
    label: str
    labels: dict[str, str]
    types: list[Link]
    properties: list[PropertyGroup]
    inferred: list[PropertyGroup]
    incoming: list[PropertyGroup]
    identifiers: list[tuple[Link, Value]]
    own_evidence: list[QuoteView]
    related_evidence: list[QuoteView]
    outgoing_rows: list[Solution]
    incoming_rows: list[Solution]

    @property
    def exists(self) -> bool:
        return bool(self.outgoing_rows or self.incoming_rows)


class Labeller:
    """Turns IRIs into links with labels in one language."""

    def __init__(self, index: PageIndex, uris: UriStrategy, lang: str) -> None:
        self.index, self.uris, self.lang = index, uris, lang
        self._prefixes = sorted(uris.prefixes().items(), key=lambda kv: -len(kv[1]))

    def label(self, iri: str) -> str:
        found = self.index.label(iri, self.lang)
        if found:
            return found
        vocab = vocabulary_labels().get(iri)
        if vocab:
            return vocab.get(self.lang) or next(iter(vocab.values()))
        return self.short(iri)

    def short(self, iri: str) -> str:
        """A prefixed name (``kg:Document``) or, for our own things, the path after the base."""
        for prefix, ns in self._prefixes:
            if iri.startswith(ns) and prefix != "id" and "/" not in iri[len(ns):]:
                return f"{prefix}:{iri[len(ns):]}"
        if iri.startswith(self.uris.base):
            return iri[len(self.uris.base):]
        return iri

    def link(self, iri: str) -> Link:
        path = self.uris.doc_path(iri)
        if path is None:
            return Link(iri, iri, self.label(iri), external=True)
        return Link(iri, path, self.label(iri))

    def graph_link(self, iri: str) -> Link:
        name = iri[len(self.uris.base) + len("graph/"):] if iri.startswith(self.uris.base + "graph/") else iri
        return Link(iri, self.uris.doc_path(iri) or iri, name)


def _value(term: Term, labeller: Labeller) -> Value:
    if isinstance(term, ox.NamedNode):
        return Value(link=labeller.link(term.value))
    if isinstance(term, ox.Literal):
        datatype = None if term.datatype in PLAIN_DATATYPES else labeller.short(term.datatype.value)
        return Value(text=term.value, lang=term.language, datatype=datatype)
    if isinstance(term, ox.BlankNode):
        return Value(text="[" + term.value + "]")
    return Value(text=str(term))  # a triple term


def _group(rows: list[Solution], key: str, labeller: Labeller, inferred_graph: str,
           subject: str | None = None) -> list[PropertyGroup]:
    """Group rows by property; merge the graphs of a value stated in several graphs.

    With ``subject`` (outgoing values), an inferred value links to the explanation of its triple.
    """
    by_prop: dict[str, dict[Term, set[str]]] = defaultdict(dict)
    for row in rows:
        by_prop[row["property"].value].setdefault(row[key], set()).add(row["graph"].value)
    groups = []
    for prop, values in by_prop.items():
        shown = []
        for term, graphs in values.items():
            value = _value(term, labeller)
            value.graphs = [labeller.graph_link(g) for g in sorted(graphs)]
            value.inferred_only = graphs == {inferred_graph}
            if value.inferred_only and subject is not None:
                value.why = why_href(subject, prop, term)
            shown.append(value)
        shown.sort(key=lambda v: ((v.link.label.lower() if v.link else v.text.lower()), v.lang or ""))
        groups.append(PropertyGroup(labeller.link(prop), shown))
    groups.sort(key=lambda g: g.property.label.lower())
    return groups


def quote_views(evidence: list[Evidence], index: PageIndex, labeller: Labeller,
                via: Link | None = None) -> list[QuoteView]:
    views = []
    for ev in evidence:
        locations: list[Location] = index.locations_of(ev)
        views.append(QuoteView(ev.quote, labeller.link(ev.node), labeller.link(ev.document),
                               [loc.anchor for loc in locations], via))
    return views


def describe(iri: str, queries: PageQueries, index: PageIndex, uris: UriStrategy, lang: str,
             inferred_graph: str) -> Description:
    """Everything the page about ``iri`` shows, in ``lang``."""
    labeller = Labeller(index, uris, lang)
    out_rows = queries.select("page-outgoing.rq", {"resource": iri})
    in_rows = queries.select("page-incoming.rq", {"resource": iri})
    types = sorted({r["value"].value for r in out_rows if r["property"].value == RDF_TYPE
                    and r["graph"].value != inferred_graph and isinstance(r["value"], ox.NamedNode)})
    quote = str(uris.kg) + "quote"  # shown with its highlights in the evidence section instead
    shown = [r for r in out_rows if r["property"].value != quote
             and (r["property"].value != RDF_TYPE or r["graph"].value == inferred_graph)]
    groups = _group(shown, "value", labeller, inferred_graph, subject=iri)
    asserted, inferred = _split_inferred(groups)
    identifiers = [(g.property, v) for g in asserted if g.property.iri in IDENTIFIER_PROPERTIES for v in g.values]
    incoming = _group([{**r, "value": r["subject"]} for r in in_rows], "value", labeller, inferred_graph)
    incoming = [g for g in (_split_inferred(incoming)[0]) if g.values]
    related = []
    seen = set()
    for row in in_rows:
        subject = row["subject"].value
        if row["graph"].value == inferred_graph or subject in seen:
            continue
        seen.add(subject)
        evidence = [ev for ev in index.evidence.get(subject, []) if ev.document != iri]
        related += quote_views(evidence, index, labeller, labeller.link(row["property"].value))
    return Description(
        iri=iri,
        label=labeller.label(iri),
        labels=index.labels_of(iri),
        types=[labeller.link(t) for t in types],
        properties=asserted,
        inferred=inferred,
        incoming=incoming,
        identifiers=identifiers,
        own_evidence=quote_views(index.evidence.get(iri, []), index, labeller),
        related_evidence=related,
        outgoing_rows=out_rows,
        incoming_rows=in_rows,
    )


def _split_inferred(groups: list[PropertyGroup]) -> tuple[list[PropertyGroup], list[PropertyGroup]]:
    """Asserted values per property, and the values only OWL-RL inferred, as two lists of groups."""
    asserted, inferred = [], []
    for group in groups:
        own = [v for v in group.values if not v.inferred_only]
        derived = [v for v in group.values if v.inferred_only]
        if own:
            asserted.append(PropertyGroup(group.property, own))
        if derived:
            inferred.append(PropertyGroup(group.property, derived))
    return asserted, inferred


def description_quads(description: Description, inferred_graph: str, *, inferred: bool = True) -> list[ox.Quad]:
    """The triples about the resource, both ways (default graph quads, for serialisation)."""
    subject = ox.NamedNode(description.iri)
    quads = []
    for row in description.outgoing_rows:
        if inferred or row["graph"].value != inferred_graph:
            quads.append(ox.Quad(subject, row["property"], row["value"]))
    for row in description.incoming_rows:
        if inferred or row["graph"].value != inferred_graph:
            quads.append(ox.Quad(row["subject"], row["property"], subject))
    return quads


def suggestions(iri: str, labeller: Labeller, limit: int = 8) -> list[Link]:
    """Known things close to an unknown ``iri``: similar paths, then labels or paths holding every word."""
    base = labeller.uris.base
    paths = {i[len(base):]: i for i in labeller.index.labels if i.startswith(base + "id/")}
    wanted = iri[len(base):] if iri.startswith(base) else iri
    close = difflib.get_close_matches(wanted, list(paths), n=limit, cutoff=0.55)
    words = [w for w in wanted.rsplit("/", 1)[-1].split("-") if len(w) > 2]
    if words:
        close += [p for p in sorted(paths) if p not in close
                  and all(w in (labeller.label(paths[p]) + p).lower() for w in words)][: limit - len(close)]
    return [labeller.link(paths[p]) for p in close]
