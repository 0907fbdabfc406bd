"""Real SPARQL clients against the real server: SPARQLWrapper (GET and POST, every format) and rdflib's SPARQLStore."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, GET, JSON, POST, TSV, TURTLE, XML, SPARQLWrapper

KG = "https://w3id.org/kennisgraaf/def#"
DOCUMENTS = f"""PREFIX kg: <{KG}> PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?doc ?title WHERE {{ ?doc a kg:Document ; dcterms:title ?title }} ORDER BY ?doc ?title"""


@pytest.fixture(scope="module")
def expected(kg: Any) -> list[tuple[str, str]]:
    """The documents and their titles, straight from the built dataset."""
    return [(row["doc"], row["title"]) for row in kg.select(DOCUMENTS)]


def wrapper(server: Any, method: str, fmt: str, query: str) -> SPARQLWrapper:
    client = SPARQLWrapper(server("/sparql"))
    client.setMethod(method)
    client.setReturnFormat(fmt)
    client.setQuery(query)
    return client


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_json(sparql_server, expected, method):
    result = wrapper(sparql_server, method, JSON, DOCUMENTS).queryAndConvert()
    rows = [(b["doc"]["value"], b["title"]["value"]) for b in result["results"]["bindings"]]
    assert rows == expected and len(rows) >= 5


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_xml(sparql_server, expected, method):
    document = wrapper(sparql_server, method, XML, DOCUMENTS).queryAndConvert()
    assert document.documentElement.namespaceURI == "http://www.w3.org/2005/sparql-results#"
    rows = []
    for result in document.getElementsByTagName("result"):
        values = {b.getAttribute("name"): b.firstChild.firstChild.data for b in result.getElementsByTagName("binding")}
        rows.append((values["doc"], values["title"]))
    assert rows == expected


@pytest.mark.parametrize(("method", "fmt", "delimiter"), [(GET, CSV, ","), (POST, CSV, ","), (GET, TSV, "\t")])
def test_sparqlwrapper_csv_and_tsv(sparql_server, expected, method, fmt, delimiter):
    text = wrapper(sparql_server, method, fmt, DOCUMENTS).queryAndConvert().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if fmt == TSV:
        assert rows[0] == ["?doc", "?title"]
        assert [r[0] for r in rows[1:]] == [f"<{doc}>" for doc, _ in expected]
    else:
        assert rows[0] == ["doc", "title"]
        assert [tuple(r) for r in rows[1:]] == expected


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_ask(sparql_server, method):
    assert wrapper(sparql_server, method, JSON, f"ASK {{ ?d a <{KG}Document> }}").queryAndConvert()["boolean"] is True
    answer = wrapper(sparql_server, method, XML, "ASK { <urn:x:nothing> ?p ?o }").queryAndConvert()
    assert answer.getElementsByTagName("boolean")[0].firstChild.data == "false"


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # in SPARQLWrapper
@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_construct(sparql_server, expected, method):
    query = f"""PREFIX kg: <{KG}> PREFIX dcterms: <http://purl.org/dc/terms/>
        CONSTRUCT {{ ?doc dcterms:title ?title }} WHERE {{ ?doc a kg:Document ; dcterms:title ?title }}"""
    for fmt in (TURTLE, XML):
        graph = wrapper(sparql_server, method, fmt, query).queryAndConvert()
        if not isinstance(graph, Graph):
            graph = Graph().parse(data=graph, format="turtle")
        assert {(str(s), str(o)) for s, _, o in graph} == set(expected)


def test_rdflib_sparqlstore(sparql_server, expected):
    store = SPARQLStore(sparql_server("/sparql"), returnFormat="json")
    graph = Graph(store=store)
    rows = [(str(r.doc), str(r.title)) for r in graph.query(DOCUMENTS)]
    assert rows == expected
    first = URIRef(expected[0][0])
    assert expected[0][1] in {str(o) for o in graph.objects(first, DCTERMS.title)}
    assert graph.query(f"ASK {{ ?d a <{KG}Document> }}").askAnswer is True
    assert len(list(graph.triples((first, RDF.type, None)))) >= 1
    store.close()
