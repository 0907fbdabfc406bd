"""The ontology documented for ``/def``: classes, properties, hierarchy, labels, definitions, and
the SHACL shapes that apply to each class (directly or through a superclass).

Built once per language from the ontology graph of the built dataset and the shapes the build
validated with (kept in its cache folder, already on the deployment's base IRI): nothing is read
from the source tree, which may have changed since the build.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from kennisgraaf.vocab import SH

DCTERMS = "http://purl.org/dc/terms/"
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
CHARACTERISTICS = (OWL.SymmetricProperty, OWL.TransitiveProperty, OWL.FunctionalProperty,
                   OWL.InverseFunctionalProperty)


@dataclass(frozen=True)
class TermLink:
    iri: str
    href: str
    label: str


@dataclass
class PropertyRule:
    """One property shape: its path, name, description, message and constraints, in one language."""

    path: str
    name: str
    description: str
    message: str
    constraints: list[str]
    severity: str


@dataclass
class ShapeDoc:
    iri: str
    anchor: str
    label: str
    comment: str
    severity: str
    properties: list[PropertyRule] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)  # messages of SPARQL constraints


@dataclass
class TermDoc:
    iri: str
    anchor: str
    kind: str  # "class" or "property"
    label: str
    labels: dict[str, str]
    comment: str
    supers: list[TermLink] = field(default_factory=list)
    subs: list[TermLink] = field(default_factory=list)
    domain: list[TermLink] = field(default_factory=list)
    range: list[TermLink] = field(default_factory=list)
    inverse: list[TermLink] = field(default_factory=list)
    chains: list[list[TermLink]] = field(default_factory=list)
    characteristics: list[str] = field(default_factory=list)
    properties: list[TermLink] = field(default_factory=list)  # properties with this class as domain
    shapes: list[ShapeDoc] = field(default_factory=list)
    inherited: list[tuple[TermLink, ShapeDoc]] = field(default_factory=list)


@dataclass
class OntologyDoc:
    iri: str
    title: str
    description: str
    metadata: list[tuple[str, str]]
    classes: list[TermDoc]
    properties: list[TermDoc]


def _text(graph: Graph, node: Node, prop: URIRef, lang: str) -> str:
    values = [o for o in graph.objects(node, prop) if isinstance(o, Literal)]
    for wanted in (lang, None, "nl", "en"):
        for value in values:
            if value.language == wanted:
                return str(value)
    return str(values[0]) if values else ""


class _Docs:
    def __init__(self, ontology: Graph, shapes: Graph, namespace: str, lang: str) -> None:
        self.g, self.shapes, self.ns, self.lang = ontology, shapes, namespace, lang
        self.prefixes = {str(ns): p for p, ns in ontology.namespaces()}

    def link(self, node: Node) -> TermLink:
        iri = str(node)
        if iri.startswith(self.ns):
            local = iri[len(self.ns):]
            return TermLink(iri, f"/def#{local}", _text(self.g, node, RDFS.label, self.lang) or local)
        base = self.ns.removesuffix("def#")
        if iri.startswith(base + "id/"):  # a concept of the data (a value list of a shape)
            return TermLink(iri, "/doc/" + iri[len(base) + 3:], iri[len(base):])
        for ns, prefix in sorted(self.prefixes.items(), key=lambda kv: -len(kv[0])):
            if prefix and iri.startswith(ns):
                return TermLink(iri, iri, f"{prefix}:{iri[len(ns):]}")
        return TermLink(iri, iri, iri)

    def links(self, nodes) -> list[TermLink]:
        return sorted((self.link(n) for n in set(nodes) if isinstance(n, URIRef)), key=lambda t: t.label.lower())

    def own(self, types) -> list[URIRef]:
        found = {s for t in types for s in self.g.subjects(RDF.type, t)}
        return sorted(s for s in found if isinstance(s, URIRef) and str(s).startswith(self.ns))

    def term(self, node: URIRef, kind: str) -> TermDoc:
        local = str(node)[len(self.ns):]
        labels = {o.language or "": str(o) for o in self.g.objects(node, RDFS.label) if isinstance(o, Literal)}
        return TermDoc(str(node), local, kind, _text(self.g, node, RDFS.label, self.lang) or local, labels,
                       _text(self.g, node, RDFS.comment, self.lang))

    def shape(self, node: Node) -> ShapeDoc:
        s = self.shapes
        anchor = "shape-" + str(node).rsplit("#", 1)[-1]
        doc = ShapeDoc(str(node), anchor, _text(s, node, RDFS.label, self.lang) or str(node).rsplit("#", 1)[-1],
                       _text(s, node, RDFS.comment, self.lang), self._severity(node))
        for prop in sorted(s.objects(node, SH.property), key=str):
            doc.properties.append(self.property_rule(prop, doc.severity))
        for rule in sorted(s.objects(node, SH.sparql), key=str):
            doc.rules.append(_text(s, rule, SH.message, self.lang) or _text(s, rule, RDFS.comment, self.lang))
        return doc

    def _severity(self, node: Node, default: str = "Violation") -> str:
        severity = self.shapes.value(node, SH.severity)
        return str(severity).rsplit("#", 1)[-1] if severity is not None else default

    def property_rule(self, node: Node, severity: str) -> PropertyRule:
        s = self.shapes
        return PropertyRule(
            path=self.path_text(s.value(node, SH.path)),
            name=_text(s, node, SH.name, self.lang),
            description=_text(s, node, SH.description, self.lang),
            message=_text(s, node, SH.message, self.lang),
            constraints=self.constraints(node),
            severity=self._severity(node, severity),
        )

    def path_text(self, path: Node | None) -> str:
        if path is None:
            return ""
        if isinstance(path, URIRef):
            return self.link(path).label if not str(path).startswith(self.ns) else "kg:" + str(path)[len(self.ns):]
        inverse = self.shapes.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + self.path_text(inverse)
        if (path, RDF.first, None) in self.shapes:
            return " / ".join(self.path_text(p) for p in Collection(self.shapes, path))
        return str(path)

    def constraints(self, node: Node) -> list[str]:
        s, out = self.shapes, []
        for prop, name in ((SH.minCount, "min"), (SH.maxCount, "max"), (SH.qualifiedMinCount, "min"),
                           (SH.qualifiedMaxCount, "max"), (SH.pattern, "pattern"), (SH.minLength, "min length")):
            for value in s.objects(node, prop):
                out.append(f"{name} {value}")
        for prop, name in ((SH.datatype, "datatype"), (SH["class"], "class"), (SH.nodeKind, "node kind")):
            for value in s.objects(node, prop):
                out.append(f"{name} {self.link(value).label}")
        for value in s.objects(node, SH["in"]):
            items = [self.link(v).label if isinstance(v, URIRef) else str(v) for v in Collection(s, value)]
            out.append("in (" + ", ".join(items) + ")")
        if (node, SH.uniqueLang, Literal(True)) in s:
            out.append("unique language")
        return out


def _ancestors(graph: Graph, node: URIRef) -> list[URIRef]:
    seen: list[URIRef] = []
    todo = [node]
    while todo:
        for sup in graph.objects(todo.pop(), RDFS.subClassOf):
            if isinstance(sup, URIRef) and sup not in seen and sup != node:
                seen.append(sup)
                todo.append(sup)
    return seen


def document_ontology(ontology: Graph, shapes: Graph, base: str, lang: str) -> OntologyDoc:
    """The documentation of the ontology in ``lang`` (nl or en)."""
    docs = _Docs(ontology, shapes, base + "def#", lang)
    g = ontology
    shapes_by_class: dict[str, list[ShapeDoc]] = defaultdict(list)
    for shape in sorted(set(shapes.subjects(SH.targetClass, None)), key=str):
        doc = docs.shape(shape)
        for cls in shapes.objects(shape, SH.targetClass):
            shapes_by_class[str(cls)].append(doc)
    classes = []
    for node in docs.own([OWL.Class, RDFS.Class]):
        term = docs.term(node, "class")
        term.supers = docs.links(g.objects(node, RDFS.subClassOf))
        term.subs = docs.links(g.subjects(RDFS.subClassOf, node))
        term.properties = docs.links(g.subjects(RDFS.domain, node))
        term.shapes = shapes_by_class.get(str(node), [])
        term.inherited = [(docs.link(sup), shape) for sup in _ancestors(g, node)
                          for shape in shapes_by_class.get(str(sup), [])]
        classes.append(term)
    properties = []
    for node in docs.own(PROPERTY_TYPES):
        term = docs.term(node, "property")
        term.supers = docs.links(g.objects(node, RDFS.subPropertyOf))
        term.subs = docs.links(g.subjects(RDFS.subPropertyOf, node))
        term.domain = docs.links(g.objects(node, RDFS.domain))
        term.range = docs.links(g.objects(node, RDFS.range))
        term.inverse = docs.links([*g.objects(node, OWL.inverseOf), *g.subjects(OWL.inverseOf, node)])
        term.chains = [[docs.link(p) for p in Collection(g, chain)]
                       for chain in g.objects(node, OWL.propertyChainAxiom) if isinstance(chain, BNode)]
        term.characteristics = [docs.link(t).label for t in CHARACTERISTICS if (node, RDF.type, t) in g]
        properties.append(term)
    onto = next((s for s in g.subjects(RDF.type, OWL.Ontology) if str(s) == base + "def"), None)
    meta = []
    if onto is not None:
        for prop in (OWL.versionInfo, URIRef(DCTERMS + "license"), URIRef(DCTERMS + "creator"),
                     URIRef(DCTERMS + "created"), URIRef(DCTERMS + "modified")):
            for value in g.objects(onto, prop):
                meta.append((docs.link(prop).label, str(value)))
    return OntologyDoc(
        iri=base + "def",
        title=_text(g, onto, URIRef(DCTERMS + "title"), lang) if onto is not None else "",
        description=_text(g, onto, URIRef(DCTERMS + "description"), lang) if onto is not None else "",
        metadata=meta,
        classes=sorted(classes, key=lambda t: t.anchor.lower()),
        properties=sorted(properties, key=lambda t: t.anchor.lower()),
    )


def load_ontology_doc(ontology_nt: bytes, shapes_nt: bytes, base: str, lang: str) -> OntologyDoc:
    """Document the ontology with its shapes (both as N-Triples, on the base IRI ``base``)."""
    ontology = Graph().parse(data=ontology_nt.decode("utf-8"), format="nt")
    shapes = Graph().parse(data=shapes_nt.decode("utf-8"), format="nt")
    return document_ontology(ontology, shapes, base, lang)
