"""Namespaces, prefixes and the URI strategy (id/, doc/, def#, graph/)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

DEFAULT_BASE = "https://w3id.org/kennisgraaf/"

ELI = Namespace("http://data.europa.eu/eli/ontology#")
SH = Namespace("http://www.w3.org/ns/shacl#")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

# The ontology is written against the default base; these are its fixed namespaces.
KG = Namespace(DEFAULT_BASE + "def#")
KGSH = Namespace(DEFAULT_BASE + "def/shapes#")

STANDARD_PREFIXES: dict[str, str] = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "org": str(ORG),
    "foaf": str(FOAF),
    "eli": str(ELI),
    "sh": str(SH),
    "void": str(VOID),
    "dcat": str(DCAT),
}

_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class UriStrategy:
    """Builds and parses the IRIs of one deployment (DESIGN §2)."""

    base: str = DEFAULT_BASE

    @property
    def kg(self) -> Namespace:
        return Namespace(self.base + "def#")

    @property
    def id(self) -> Namespace:
        return Namespace(self.base + "id/")

    def graph(self, name: str) -> URIRef:
        """IRI of a named graph of the dataset."""
        return URIRef(f"{self.base}graph/{name}")

    def id_iri(self, kind: str, slug_: str) -> URIRef:
        return URIRef(f"{self.base}id/{kind}/{slug_}")

    def doc_path(self, iri: str) -> str | None:
        """Return the site path of the page about ``iri`` (``/doc/…``), or None if not ours."""
        if not iri.startswith(self.base):
            return None
        rest = iri[len(self.base) :]
        if rest.startswith("id/"):
            return "/doc/" + rest[3:]
        return "/" + rest

    def prefixes(self) -> dict[str, str]:
        """Prefix map for queries and serialisations."""
        return {
            "kg": self.base + "def#",
            "id": self.base + "id/",
            **STANDARD_PREFIXES,
        }

    def sparql_prologue(self) -> str:
        """PREFIX lines for every prefix of :meth:`prefixes`."""
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in self.prefixes().items())


# Named graphs that the build computes (the document graphs are named after their data files).
GRAPH_ONTOLOGY = "ontology"
GRAPH_REFERENCE = "reference"
GRAPH_QUOTES = "quote-locations"
GRAPH_INFERRED = "inferred"
GRAPH_ASSERTED = "asserted"


def slug(text: str) -> str:
    """Lowercase ASCII slug with hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _SLUG.sub("-", ascii_text.lower()).strip("-")
