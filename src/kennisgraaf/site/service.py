"""The SPARQL 1.1 Service Description of ``/sparql`` (https://www.w3.org/TR/sparql11-service-description/)."""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox

from kennisgraaf.sparql import mediatypes

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
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
COMMENTS = {
    "nl": "Alleen lezen. De standaardgraaf is de vereniging van alle benoemde grafen, inclusief wat OWL-RL "
          "afleidt (graaf inferred); met de parameter asserted=true de vereniging zonder die afleidingen "
          "(graaf asserted). SERVICE, LOAD en updates worden geweigerd; elke query heeft een tijds- en "
          "resultaatlimiet.",
    "en": "Read-only. The default graph is the union of all named graphs, including what OWL-RL infers "
          "(graph inferred); with the parameter asserted=true it is the union without those inferences "
          "(graph asserted). SERVICE, LOAD and updates are refused; every query has a time and a result limit.",
}


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def description(endpoint: str, default_triples: int, graphs: Mapping[str, int], limits: str = "") -> list[ox.Triple]:
    """Triples describing the service at ``endpoint``; ``graphs`` maps graph IRIs to triple counts.

    ``limits`` is an English sentence stating the time, result and size limits.
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
    triples += [ox.Triple(service, RDFS_COMMENT, ox.Literal(text, language=lang)) for lang, text in COMMENTS.items()]
    if limits:
        triples.append(ox.Triple(service, RDFS_COMMENT, ox.Literal(limits, language="en")))
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
    return ox.Literal(str(value), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
