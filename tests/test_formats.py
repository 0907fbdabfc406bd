"""Content negotiation and our SPARQL result serialisers (checked against pyoxigraph's)."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest

from kennisgraaf.sparql import formats
from kennisgraaf.sparql.formats import (
    CSV,
    GRAPH_TYPES,
    JSON_LD,
    N_TRIPLES,
    RDF_XML,
    RESULT_TYPES,
    SPARQL_JSON,
    SPARQL_XML,
    TSV,
    TURTLE,
    NotAcceptable,
    negotiate,
)


@pytest.mark.parametrize(("accept", "expected"), [
    (None, SPARQL_JSON),
    ("", SPARQL_JSON),
    ("*/*", SPARQL_JSON),
    ("text/csv", CSV),
    ("text/tab-separated-values", TSV),
    ("application/sparql-results+xml", SPARQL_XML),
    ("application/sparql-results+json;q=0.5, application/sparql-results+xml", SPARQL_XML),
    ("text/csv;q=0.2, text/tab-separated-values;q=0.9, */*;q=0.1", TSV),
    ("text/*", CSV),
    ("application/json", SPARQL_JSON),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", SPARQL_XML),
    ("application/sparql-results+json; charset=utf-8", SPARQL_JSON),
    ("*/*;q=0.1, text/csv;q=0", SPARQL_JSON),
])
def test_results_negotiation_follows_q_values_and_specificity(accept, expected):
    assert negotiate(accept, RESULT_TYPES) == expected


@pytest.mark.parametrize(("accept", "expected"), [
    (None, TURTLE),
    ("application/n-triples", N_TRIPLES),
    ("application/ld+json", JSON_LD),
    ("application/rdf+xml;q=1, text/turtle;q=0.5", RDF_XML),
    ("text/plain", N_TRIPLES),
])
def test_graph_negotiation(accept, expected):
    assert negotiate(accept, GRAPH_TYPES) == expected


@pytest.mark.parametrize("accept", ["image/png", "text/csv;q=0", "application/sparql-results+json; charset=latin1"])
def test_nothing_acceptable_lists_the_supported_types(accept):
    with pytest.raises(NotAcceptable) as info:
        negotiate(accept, RESULT_TYPES)
    assert info.value.supported == list(RESULT_TYPES)
    assert all(t in str(info.value) for t in RESULT_TYPES)


def test_the_format_parameter_wins_over_accept():
    names = formats.FORMAT_NAMES["results"]
    assert negotiate("application/sparql-results+json", RESULT_TYPES, "csv", names) == CSV
    assert negotiate(None, RESULT_TYPES, "text/tab-separated-values", names) == TSV
    assert negotiate(None, GRAPH_TYPES, "json", formats.FORMAT_NAMES["graph"]) == JSON_LD
    with pytest.raises(NotAcceptable):
        negotiate(None, RESULT_TYPES, "ttl", names)


def _solutions():
    store = ox.Store()
    ex = "http://example.org/"
    rows = [
        (ox.NamedNode(ex + "a"), ox.Literal("gewoon")),
        (ox.NamedNode(ex + "b"), ox.Literal("Provincie", language="nl")),
        (ox.BlankNode("b0"), ox.Literal("42", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
        (ox.NamedNode(ex + "c"), ox.Literal('tab\there, "quote", comma\nnew line & <tag>')),
        (ox.NamedNode(ex + "d?x=1&y=2"), ox.Literal("é ü ’")),
    ]
    for s, o in rows:
        store.add(ox.Quad(s, ox.NamedNode(ex + "p"), o))
    return store, "SELECT ?s ?o ?missing WHERE { ?s <http://example.org/p> ?o } ORDER BY STR(?o)"


def _rows(results):
    variables = [v.value for v in results.variables]
    return variables, [tuple(solution) for solution in results]


def _comparable(results):
    rows = []
    for solution in results:
        rows.append(tuple("_:" if isinstance(t, ox.BlankNode) else (str(t) if t is not None else None)
                          for t in solution))
    return [v.value for v in results.variables], rows


@pytest.mark.parametrize("media_type", [SPARQL_JSON, SPARQL_XML, TSV])
def test_our_serialisers_say_what_pyoxigraphs_say(media_type):
    store, query = _solutions()
    variables, rows = _rows(store.query(query))
    ours = formats.serialise_solutions(variables, rows, media_type)
    fmt = ox.QueryResultsFormat.from_media_type(media_type)
    theirs = store.query(query).serialize(format=fmt)
    assert _comparable(ox.parse_query_results(ours, format=fmt)) == _comparable(
        ox.parse_query_results(theirs, format=fmt))


def test_csv_is_rfc4180_with_plain_values():
    store, query = _solutions()
    variables, rows = _rows(store.query(query))
    body = formats.serialise_solutions(variables, rows, CSV).decode("utf-8")
    assert body.startswith("s,o,missing\r\n")
    parsed = list(csv.reader(io.StringIO(body, newline="")))
    assert parsed[0] == ["s", "o", "missing"]
    assert ["http://example.org/b", "Provincie", ""] in parsed
    assert ["http://example.org/c", 'tab\there, "quote", comma\nnew line & <tag>', ""] in parsed
    assert any(row[0].startswith("_:") and row[1] == "42" for row in parsed)


def test_json_omits_xsd_string_and_keeps_language_and_datatype():
    store, query = _solutions()
    variables, rows = _rows(store.query(query))
    bindings = json.loads(formats.serialise_solutions(variables, rows, SPARQL_JSON))["results"]["bindings"]
    by_value = {b["o"]["value"]: b["o"] for b in bindings}
    assert by_value["gewoon"] == {"type": "literal", "value": "gewoon"}
    assert by_value["Provincie"] == {"type": "literal", "value": "Provincie", "xml:lang": "nl"}
    assert by_value["42"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"
    assert all("missing" not in b for b in bindings)
