"""Media types and content negotiation, and our SPARQL result serialisers (checked against pyoxigraph's)."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from kennisgraaf.sparql import results
from kennisgraaf.sparql.mediatypes import (
    CSV,
    GRAPH_TYPES,
    HTML,
    JSON,
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
    prefers,
    resolve,
    split_extension,
    wants_html,
)

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


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
    # The aliases mean the graph formats here (issue 10: they gave 406 on /sparql).
    ("application/json", JSON_LD),
    ("application/xml", RDF_XML),
    ("text/xml", RDF_XML),
    ("application/json;q=0.5, text/turtle;q=0.4", JSON_LD),
    ("application/ld+json;q=0.1, application/json", JSON_LD),
    ("text/turtle;q=0.4, application/xml;q=0.5", RDF_XML),
])
def test_graph_negotiation(accept, expected):
    assert negotiate(accept, GRAPH_TYPES) == expected


def test_an_alias_gives_way_to_its_own_type_when_that_is_offered():
    # Canned queries offer plain JSON rows as application/json beside SPARQL JSON.
    offers = [HTML, JSON, SPARQL_JSON, SPARQL_XML]
    assert negotiate("application/json", offers) == JSON
    assert negotiate("application/xml", offers) == SPARQL_XML
    assert negotiate("application/json", [HTML, *GRAPH_TYPES]) == JSON_LD


def test_an_exact_range_outranks_an_alias_and_a_wildcard():
    assert negotiate("application/sparql-results+json;q=0.2, application/json;q=0.9", RESULT_TYPES) == SPARQL_JSON
    assert negotiate("text/*;q=0.9, text/csv;q=0.1", RESULT_TYPES) == TSV
    assert negotiate("*/*;q=0.5, text/csv;q=0", [CSV, TSV]) == TSV


def test_parsed_and_unparsed_accept_agree():
    for header in ("text/csv;q=0.2, text/tab-separated-values;q=0.9", BROWSER, "application/json"):
        assert negotiate(parse_accept_header(header, MIMEAccept), RESULT_TYPES) == negotiate(header, RESULT_TYPES)
    assert negotiate(MIMEAccept(), GRAPH_TYPES) == TURTLE


@pytest.mark.parametrize(("name", "offers", "expected"), [
    ("json", RESULT_TYPES, SPARQL_JSON),
    ("json", GRAPH_TYPES, JSON_LD),
    ("json", [HTML, JSON, SPARQL_JSON], JSON),
    ("XML", RESULT_TYPES, SPARQL_XML),
    ("xml", GRAPH_TYPES, RDF_XML),
    ("owl", GRAPH_TYPES, RDF_XML),
    ("text/csv", RESULT_TYPES, CSV),
    ("application/json", GRAPH_TYPES, JSON_LD),
    ("ttl", RESULT_TYPES, None),
    ("png", GRAPH_TYPES, None),
])
def test_format_names_resolve_against_what_is_offered(name, offers, expected):
    assert resolve(name, offers) == expected


@pytest.mark.parametrize(("accept", "expected"), [
    (BROWSER, True),
    ("text/html", True),
    ("text/html, application/sparql-results+json", True),
    ("text/html;q=0.5, application/sparql-results+json", False),
    ("text/html;q=0.5, application/xml", False),
    ("text/*", False),
    ("*/*", False),
    ("", False),
    (None, False),
    ("text/html;q=0", False),
    ("text/html; charset=latin1", False),
])
def test_wants_html_when_html_is_named_and_nothing_is_preferred_to_it(accept, expected):
    assert wants_html(accept, (*RESULT_TYPES, *GRAPH_TYPES)) is expected


@pytest.mark.parametrize(("accept", "expected"), [
    ("application/json", True),
    ("application/json; charset=utf-8", True),
    ("application/json, text/plain", True),
    ("text/plain, application/json;q=0.5", False),
    ("*/*", False),
    ("application/*", False),
    ("application/ld+json", False),
    (None, False),
])
def test_prefers_json_only_when_it_is_named(accept, expected):
    assert prefers(accept, JSON, ["text/plain"]) is expected


def test_extensions_of_resource_formats():
    assert split_extension("provincie/drenthe.ttl")[1].media_type == TURTLE
    assert split_extension("provincie/drenthe.jsonld")[1].rdf_format == ox.RdfFormat.JSON_LD
    assert split_extension("provincie/drenthe.rdf")[1].media_type == RDF_XML
    assert split_extension("document/nota.v2") == ("document/nota.v2", None)
    assert split_extension("a.ttl/b") == ("a.ttl/b", None)


@pytest.mark.parametrize("accept", ["image/png", "text/csv;q=0", "application/sparql-results+json; charset=latin1",
                                    "application/ld+json", "*/*;q=0"])
def test_nothing_acceptable_lists_the_supported_types(accept):
    with pytest.raises(NotAcceptable) as info:
        negotiate(accept, RESULT_TYPES)
    assert info.value.supported == list(RESULT_TYPES)
    assert all(t in str(info.value) for t in RESULT_TYPES)


def test_the_format_parameter_wins_over_accept():
    assert negotiate("application/sparql-results+json", RESULT_TYPES, "csv") == CSV
    assert negotiate(None, RESULT_TYPES, "text/tab-separated-values") == TSV
    assert negotiate(None, GRAPH_TYPES, "json") == JSON_LD
    with pytest.raises(NotAcceptable):
        negotiate(None, RESULT_TYPES, "ttl")


XSD = "http://www.w3.org/2001/XMLSchema#"


def _solutions():
    store = ox.Store()
    ex = "http://example.org/"
    rows = [
        (ox.NamedNode(ex + "a"), ox.Literal("gewoon")),
        (ox.NamedNode(ex + "b"), ox.Literal("Provincie", language="nl")),
        (ox.BlankNode("b0"), ox.Literal("42", datatype=ox.NamedNode(XSD + "integer"))),
        (ox.NamedNode(ex + "c"), ox.Literal('tab\there, "quote", comma\nnew line & <tag>')),
        (ox.NamedNode(ex + "e"), ox.Literal(" it's a \\ \r")),
        (ox.NamedNode(ex + "d?x=1&y='2'"), ox.Literal("é ü ’")),
    ]
    # Numbers and booleans: TSV writes a Turtle token bare and anything else quoted with its datatype.
    # (pyoxigraph's store keeps numbers in canonical form: 1e3 comes back as "1000", a double but no
    # DOUBLE token, so it is written quoted.)
    typed = [("integer", "-7"), ("decimal", "1.5"), ("decimal", "-.5"), ("double", "1e3"), ("double", "1.5E-2"),
             ("double", "INF"), ("boolean", "true"), ("boolean", "false"), ("date", "2010-04-09"),
             ("gYear", "2015")]
    rows += [(ox.NamedNode(f"{ex}n{i}"), ox.Literal(value, datatype=ox.NamedNode(XSD + name)))
             for i, (name, value) in enumerate(typed)]
    for s, o in rows:
        store.add(ox.Quad(s, ox.NamedNode(ex + "p"), o))
    return store, "SELECT ?s ?o ?missing WHERE { ?s <http://example.org/p> ?o } ORDER BY STR(?o) STR(?s)"


def _rows(results):
    variables = [v.value for v in results.variables]
    return variables, [tuple(solution) for solution in results]


@pytest.mark.parametrize("media_type", [SPARQL_JSON, SPARQL_XML, CSV, TSV])
def test_our_serialisers_write_the_bytes_pyoxigraphs_write(media_type):
    # The workers write an answer within the limits with pyoxigraph and one that may be over them with
    # ours, the remote store always with ours: one answer must read the same whichever path wrote it.
    store, query = _solutions()
    variables, rows = _rows(store.query(query))
    ours = results.serialise_solutions(variables, rows, media_type)
    theirs = store.query(query).serialize(format=ox.QueryResultsFormat.from_media_type(media_type))
    assert ours.decode("utf-8") == theirs.decode("utf-8")


def test_tsv_writes_numbers_and_booleans_bare_only_as_turtle_tokens():
    store, query = _solutions()
    lines = results.serialise_solutions(*_rows(store.query(query)), TSV).decode("utf-8").splitlines()
    objects = {line.split("\t")[0]: line.split("\t")[1] for line in lines[1:]}
    ex = "<http://example.org/"
    assert (objects[ex + "n0>"], objects[ex + "n1>"], objects[ex + "n2>"]) == ("-7", "1.5", "-0.5")
    assert (objects[ex + "n6>"], objects[ex + "n7>"]) == ("true", "false")
    assert objects[ex + "n3>"] == f'"1000"^^<{XSD}double>'  # without an exponent it is no DOUBLE token
    assert objects[ex + "n5>"] == f'"INF"^^<{XSD}double>'
    assert objects[ex + "n8>"] == f'"2010-04-09"^^<{XSD}date>'


def test_xml_escapes_quotes_and_whitespace_at_either_end_of_a_text():
    assert results._xml_text(" it's \"x\" <a> & b\r\n") == "&#32;it&apos;s &quot;x&quot; &lt;a&gt; &amp; b&#13;&#10;"
    assert results._xml_text("a\tb c") == "a\tb c"


def test_csv_is_rfc4180_with_plain_values():
    store, query = _solutions()
    variables, rows = _rows(store.query(query))
    body = results.serialise_solutions(variables, rows, CSV).decode("utf-8")
    assert body.startswith("s,o,missing\r\n")
    parsed = list(csv.reader(io.StringIO(body, newline="")))
    assert parsed[0] == ["s", "o", "missing"]
    assert ["http://example.org/b", "Provincie", ""] in parsed
    assert ["http://example.org/c", 'tab\there, "quote", comma\nnew line & <tag>', ""] in parsed
    assert any(row[0].startswith("_:") and row[1] == "42" for row in parsed)


def test_json_omits_xsd_string_and_keeps_language_and_datatype():
    store, query = _solutions()
    variables, rows = _rows(store.query(query))
    bindings = json.loads(results.serialise_solutions(variables, rows, SPARQL_JSON))["results"]["bindings"]
    by_value = {b["o"]["value"]: b["o"] for b in bindings}
    assert by_value["gewoon"] == {"type": "literal", "value": "gewoon"}
    assert by_value["Provincie"] == {"type": "literal", "value": "Provincie", "xml:lang": "nl"}
    assert by_value["42"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"
    assert all("missing" not in b for b in bindings)
