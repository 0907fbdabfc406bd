"""The query worker's answers: serialised by pyoxigraph, cut at the row and byte limits, in every format.

``execute`` runs in the worker process; here it runs in-process on a small in-memory store, so each
limit can be set exactly. Values full of ``{``, ``<result>`` and line breaks make the cheap row
count of the fast path too high on purpose: the answer must still be whole and not marked cut.
"""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest

from kennisgraaf.sparql.mediatypes import CSV, N_TRIPLES, SPARQL_JSON, SPARQL_XML, TSV, TURTLE
from kennisgraaf.store.workers import Job, WorkerSpec, execute

EX = "http://example.org/"
SPEC = WorkerSpec("", "", "", EX, {"ex": EX})
TRICKY = ['plain', '{"a":{"b":{}}}', "<result></result>", "line\nbreak\r\nand\ttab", "}},{\"s\":{", "Ünïcode ✓"]


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    for index, text in enumerate(TRICKY * 2):  # 12 subjects, one value each
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{index:02}"), ox.NamedNode(f"{EX}p"), ox.Literal(text)))
    return store


def job(text: str, media_type: str, *, rows: int = 1000, size: int = 1 << 20) -> Job:
    return Job(text, media_type, None, [], {}, rows, 5.0, size)


def rows_of(body: bytes, media_type: str) -> list[tuple[str, str]]:
    """(subject IRI, value) of each row, read back with pyoxigraph (CSV with the csv module)."""
    if media_type == CSV:
        return [(row[0], row[1]) for row in csv.reader(io.StringIO(body.decode("utf-8"), newline=""))][1:]
    fmt = ox.QueryResultsFormat.from_media_type(media_type)
    return [(solution["s"].value, solution["o"].value) for solution in ox.parse_query_results(body, format=fmt)]


SELECT = f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?s"
EXPECTED = [(f"{EX}s{index:02}", text) for index, text in enumerate(TRICKY * 2)]


@pytest.mark.parametrize("media_type", [SPARQL_JSON, SPARQL_XML, CSV, TSV])
def test_a_select_answer_within_the_limits_is_whole_and_not_marked_cut(store, media_type):
    status, kind, answered, body, truncated = execute(store, SPEC, job(SELECT, media_type, rows=12))
    assert (status, kind, answered, truncated) == ("ok", "select", media_type, False)
    assert rows_of(body, media_type) == EXPECTED


@pytest.mark.parametrize("media_type", [SPARQL_JSON, SPARQL_XML, CSV, TSV])
def test_a_select_answer_one_row_over_the_limit_is_cut_there_and_says_so(store, media_type):
    status, _, _, body, truncated = execute(store, SPEC, job(SELECT, media_type, rows=11))
    assert status == "ok" and truncated
    assert rows_of(body, media_type) == EXPECTED[:11]


# The byte limit is about the size of the values in N-Triples form (docs/endpoint.md): a serialised
# answer is at least that big in JSON, XML and TSV, so one within the limit in bytes is within it.
def terms_size(store: ox.Store) -> int:
    return sum(len(str(term)) for solution in store.query(SELECT) for term in solution)


@pytest.mark.parametrize("media_type", [SPARQL_JSON, SPARQL_XML, CSV, TSV])
def test_a_select_answer_past_the_byte_limit_is_cut_within_it(store, media_type):
    limit = terms_size(store) // 3
    status, _, _, body, truncated = execute(store, SPEC, job(SELECT, media_type, size=limit))
    assert status == "ok" and truncated
    kept = rows_of(body, media_type)
    assert 0 < len(kept) < 12 and kept == EXPECTED[:len(kept)]
    assert sum(len(str(ox.Literal(value))) + len(subject) + 2 for subject, value in kept) <= limit


@pytest.mark.parametrize("media_type", [SPARQL_JSON, SPARQL_XML, TSV])
def test_an_answer_within_the_byte_limit_in_bytes_is_whole(store, media_type):
    whole = execute(store, SPEC, job(SELECT, media_type))[3]
    assert execute(store, SPEC, job(SELECT, media_type, size=len(whole)))[4] is False


def test_small_answers_are_pyoxigraphs_own_bytes(store):
    """The fast path: pyoxigraph's serialiser, not a Python one (same bytes as the engine writes)."""
    for media_type in (SPARQL_JSON, SPARQL_XML, TSV):
        text = f"SELECT ?o WHERE {{ <{EX}s00> ?p ?o }}"
        fmt = ox.QueryResultsFormat.from_media_type(media_type)
        assert execute(store, SPEC, job(text, media_type))[3] == store.query(text).serialize(format=fmt)


CONSTRUCT = f"CONSTRUCT {{ ?s <{EX}p> ?o }} WHERE {{ ?s <{EX}p> ?o }}"


def test_a_graph_answer_is_cut_at_the_triple_limit_and_keeps_the_prefixes(store):
    status, kind, _, body, truncated = execute(store, SPEC, job(CONSTRUCT, N_TRIPLES, rows=5))
    assert (status, kind, truncated) == ("ok", "graph", True)
    assert len(list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))) == 5
    whole = execute(store, SPEC, job(CONSTRUCT, TURTLE, rows=12))
    assert whole[4] is False
    assert whole[3].startswith(b"@prefix ex: <http://example.org/>")
    assert len(list(ox.parse(whole[3], format=ox.RdfFormat.TURTLE))) == 12


def test_a_graph_answer_past_the_byte_limit_is_cut_within_it(store):
    whole = execute(store, SPEC, job(CONSTRUCT, N_TRIPLES))[3]
    status, _, _, body, truncated = execute(store, SPEC, job(CONSTRUCT, N_TRIPLES, size=len(whole) // 2))
    assert status == "ok" and truncated
    assert 0 < len(list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))) < 12


def test_an_error_during_evaluation_is_the_querys_fault(store):
    reply = execute(store, SPEC, job("SELECT * WHERE { ?s ?p ?o FILTER(<urn:no-such-function>(?o)) }", SPARQL_JSON))
    assert reply[0] == "error" and reply[1] == 400
