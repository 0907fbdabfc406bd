"""The SPARQL 1.1 Service Description of ``/sparql`` (https://www.w3.org/TR/sparql11-service-description/).

Its words are in ``descriptions/service.ttl``; this module adds the dataset, its graphs with
their sizes and the result formats.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from kennisgraaf.config import Settings
from kennisgraaf.sparql import mediatypes
from kennisgraaf.vocab import RDF, RDFS, XSD

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = ox.NamedNode(RDF.type)
RDFS_COMMENT = ox.NamedNode(RDFS.comment)
XSD_INTEGER = ox.NamedNode(XSD.integer)
FORMATS = "http://www.w3.org/ns/formats/"
FORMAT_IRIS = {
    mediatypes.SPARQL_JSON: "SPARQL_Results_JSON",
    mediatypes.SPARQL_XML: "SPARQL_Results_XML",
    mediatypes.CSV: "SPARQL_Results_CSV",
    mediatypes.TSV: "SPARQL_Results_TSV",
    mediatypes.TURTLE: "Turtle",
    mediatypes.N_TRIPLES: "N-Triples",
    mediatypes.JSON_LD: "JSON-LD",
    mediatypes.RDF_XML: "RDF_XML",
}
WORDS = Path(__file__).resolve().parent / "descriptions" / "service.ttl"


@lru_cache(maxsize=1)
def _words() -> str:
    """The Turtle of ``descriptions/service.ttl``, read once."""
    return WORDS.read_text(encoding="utf-8")


def _comments(endpoint: str, settings: Settings | None) -> list[ox.Literal]:
    """The endpoint's comments (nl, en), with the limits filled in from ``settings``."""
    limits = ox.NamedNode(endpoint + "#limits")
    values = dataclasses.asdict(settings) if settings is not None else None
    comments = []
    for triple in ox.parse(_words(), format=ox.RdfFormat.TURTLE, base_iri=endpoint):
        if triple.subject == limits and values is not None:
            comments.append(ox.Literal(triple.object.value.format_map(values), language=triple.object.language))
        elif triple.subject.value == endpoint:
            comments.append(triple.object)
    return comments


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def description(endpoint: str, default_triples: int, graphs: Mapping[str, int],
                settings: Settings | None = None) -> list[ox.Triple]:
    """Triples describing the service at ``endpoint``; ``graphs`` maps graph IRIs to triple counts.

    With ``settings``, the comments state its time, result and size limits.
    """
    service = ox.NamedNode(endpoint)
    triples = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), service),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
    ]
    triples += [ox.Triple(service, _sd("resultFormat"), ox.NamedNode(FORMATS + name))
                for name in FORMAT_IRIS.values()]
    triples += [ox.Triple(service, RDFS_COMMENT, comment) for comment in _comments(endpoint, settings)]
    dataset, default = ox.BlankNode("dataset"), ox.BlankNode("default")
    triples += [
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default),
        ox.Triple(default, RDF_TYPE, _sd("Graph")),
        ox.Triple(default, ox.NamedNode(VOID + "triples"), _integer(default_triples)),
    ]
    for index, (iri, count) in enumerate(sorted(graphs.items())):
        named, graph = ox.BlankNode(f"named{index}"), ox.BlankNode(f"graph{index}")
        triples += [
            ox.Triple(dataset, _sd("namedGraph"), named),
            ox.Triple(named, RDF_TYPE, _sd("NamedGraph")),
            ox.Triple(named, _sd("name"), ox.NamedNode(iri)),
            ox.Triple(named, _sd("graph"), graph),
            ox.Triple(graph, RDF_TYPE, _sd("Graph")),
            ox.Triple(graph, ox.NamedNode(VOID + "triples"), _integer(count)),
        ]
    return triples


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD_INTEGER)
