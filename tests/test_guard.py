"""Query admission: size, read-only, SERVICE, nesting, operator chains, FROM graphs (kennisgraaf.sparql.admission)."""

from __future__ import annotations

import time

import pytest

from kennisgraaf.sparql.admission import GuardError, Limits, admit, first_keyword, is_update, query_form

BASE = "https://w3id.org/kennisgraaf/"
GRAPHS = {BASE + "graph/reference", BASE + "graph/ontology", BASE + "graph/asserted"}
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def refused(text: str, **kwargs) -> GuardError:
    with pytest.raises(GuardError) as info:
        admit(text, graphs=GRAPHS, base=BASE, **kwargs)
    return info.value


@pytest.mark.parametrize("text", [
    "SELECT * { ?s ?p ?o }",
    f"SELECT ?s WHERE {{ ?s {RDF_TYPE} ?o . ?o <http://www.w3.org/2000/01/rdf-schema#label> ?l }}",
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nASK { ?s rdfs:label 'service' }",
    "SELECT * { ?s ?p \"SERVICE <http://example.org/>\" } # SERVICE in a comment",
    "SELECT * { ?s <http://example.org/SERVICE> ?o }",
    "SELECT * { ?s ?p ?o FILTER(?s<'>'&&?o>1) }",
    "SELECT * { ?s ?p ?o FILTER(?o < 3) } ORDER BY DESC(?o) LIMIT 10",
    "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t }",
    "DESCRIBE <id/provincie/drenthe>",
    "SELECT * { VALUES (?x ?y) { (<http://example.org/a#x> <http://example.org/b#y>) } }",
])
def test_ordinary_queries_are_admitted(text):
    assert admit(text, graphs=GRAPHS, base=BASE).text == text


def test_a_query_over_the_size_limit_is_refused_with_413():
    error = refused("SELECT * { ?s ?p ?o } #" + "x" * 2000, limits=Limits(max_bytes=1000))
    assert error.status == 413
    assert "1000" in error.message


def test_size_counts_utf8_bytes_not_characters():
    text = "ASK { ?s ?p 'ë' }" + " " * 481
    assert (len(text), len(text.encode("utf-8"))) == (498, 499)
    admit(text, limits=Limits(max_bytes=499))
    assert refused(text, limits=Limits(max_bytes=498)).status == 413


@pytest.mark.parametrize("text", [
    "INSERT DATA { <http://a> <http://b> <http://c> }",
    "delete where { ?s ?p ?o }",
    "LOAD <file:///etc/passwd>",
    "CLEAR ALL",
    "DROP GRAPH <http://a>",
    "CREATE GRAPH <http://a>",
    "ADD DEFAULT TO <http://a>",
    "MOVE DEFAULT TO <http://a>",
    "COPY DEFAULT TO <http://a>",
    "WITH <http://a> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "PREFIX x: <http://example.org/ns#> # a comment with # and <\n"
    "BASE <http://example.org/>\nDELETE DATA { x:a x:b x:c }",
])
def test_updates_are_refused_as_read_only(text):
    error = refused(text)
    assert error.status == 403
    assert "read-only" in error.message
    assert is_update(text)


@pytest.mark.parametrize("text", [
    "SELECT * { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    "select * { service silent ?endpoint { ?s ?p ?o } VALUES ?endpoint { <http://example.org/> } }",
    "SELECT * { ?s ?p ?o OPTIONAL { SeRvIcE<http://x/>{ ?s ?p ?o } } }",
    # Where '<' is less-than, a ' or # after it starts a string or comment: the lexer follows both readings.
    "SELECT * { ?s ?p ?o FILTER(?s <'> ') SERVICE <http://x/> { ?a ?b ?c } ' }",
    "SELECT * { ?s ?p ?o FILTER(?s<?o#\n) SERVICE <http://x/> { ?a ?b ?c } }",
    "SELECT * { ?s ?p ?o FILTER(?o<urn:x#> SERVICE <http://x/> { } }",
])
def test_service_is_refused_however_it_is_written(text):
    error = refused(text)
    assert error.status == 400
    assert "SERVICE" in error.message


def test_nesting_up_to_the_limit_is_admitted_and_deeper_is_refused():
    admit("SELECT * WHERE " + "{" * 64 + " ?s ?p ?o " + "}" * 64, limits=Limits(max_depth=64))
    error = refused("SELECT * WHERE " + "{" * 65 + " ?s ?p ?o " + "}" * 65, limits=Limits(max_depth=64))
    assert error.status == 400
    assert "65 deep" in error.message


def test_thousands_of_nested_groups_are_refused_quickly():
    started = time.perf_counter()
    error = refused("SELECT * WHERE " + "{" * 5000 + "}" * 5000)
    assert "nests" in error.message
    assert time.perf_counter() - started < 1


def test_brackets_in_strings_and_iris_do_not_count_as_nesting():
    text = "SELECT * { ?s ?p '((((((((((' . ?s ?p <http://example.org/a(b)> }"
    assert admit(text, limits=Limits(max_depth=2)).depth == 1


@pytest.mark.parametrize("text", [
    "SELECT * {" + " UNION ".join(["{ ?s ?p ?o }"] * 2500) + "}",
    "SELECT * { ?s ?p ?o FILTER(" + " || ".join(["?o"] * 2500) + ") }",
    "SELECT * { ?s ?p ?o " + " ".join(f"BIND({i} AS ?b{i})" for i in range(2500)) + " }",
])
def test_long_operator_chains_are_refused(text):
    # pyoxigraph overflows its stack on chains of a few thousand (UNION at 8000, BIND at 4000).
    assert "chains more than" in refused(text).message


def test_from_and_from_named_must_name_graphs_of_the_dataset():
    admitted = admit(
        "PREFIX g: <https://w3id.org/kennisgraaf/graph/>\n"
        "SELECT * FROM g:reference FROM NAMED <graph/ontology> { ?s ?p ?o }",
        graphs=GRAPHS, base=BASE)
    assert admitted.from_graphs == [BASE + "graph/reference"]
    assert admitted.from_named_graphs == [BASE + "graph/ontology"]
    assert admitted.prefixes == {"g": BASE + "graph/"}
    for text in ("SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }",
                 "SELECT * FROM NAMED <http://example.org/data.ttl> { GRAPH ?g { ?s ?p ?o } }"):
        error = refused(text)
        assert error.status == 400
        assert "graphs of this dataset" in error.message


def test_from_resolves_against_the_query_base():
    admitted = admit("BASE <https://w3id.org/kennisgraaf/graph/> SELECT * FROM <reference> {}", graphs=GRAPHS)
    assert admitted.from_graphs == [BASE + "graph/reference"]


def test_a_large_values_block_is_admitted_quickly():
    text = "SELECT * { VALUES ?x { " + " ".join(f"<http://example.org/{i}#x>" for i in range(5000)) + " } }"
    started = time.perf_counter()
    admit(text)
    assert time.perf_counter() - started < 2


def test_query_form_and_first_keyword_skip_the_prologue():
    prologue = "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> # comment\nBASE <http://x/>\n"
    assert query_form(prologue + "select * {}") == "select"
    assert query_form(prologue + "ASK {}") == "ask"
    assert query_form(prologue + "CONSTRUCT WHERE { ?s ?p ?o }") == "graph"
    assert query_form(prologue + "DESCRIBE <x>") == "graph"
    assert query_form("{") is None
    assert first_keyword(prologue + "INSERT DATA {}") == "INSERT"
