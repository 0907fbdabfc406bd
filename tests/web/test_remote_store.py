"""The remote-store path end to end, against a real Oxigraph server process.

``kennisgraaf load --into`` puts the dataset into Oxigraph over the Graph Store Protocol, then
``kennisgraaf serve --store`` answers from it: the same answers as the embedded store, the same
refusals, a 504 when the store does not answer within the time limit, and a 503 with Retry-After
when it cannot be reached. The Virtuoso counterpart, credentials and every canned query are in
tests/stores/.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
import rdflib
import requests
from rdflib.compare import isomorphic
from serving import free_port
from stores.oxigraph import start_oxigraph

from kennisgraaf.config import Settings

HEAVY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server on a free port, with its own server-side time limit; yields its base URL."""
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"), timeout_s=5)
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def loaded(oxigraph: str, settings: Settings, built) -> str:
    """The dataset loaded into Oxigraph by the real ``kennisgraaf load`` command."""
    done = subprocess.run([sys.executable, "-m", "kennisgraaf", "--cache-dir", str(settings.cache_path), "load",
                           "--into", oxigraph + "/store"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "loaded" in done.stdout
    return oxigraph


@pytest.fixture(scope="module")
def remote(loaded: str, serve_process, http_on):
    server = serve_process("--store", loaded + "/query", "--timeout", "2")
    yield http_on(server)
    server.stop()


@pytest.fixture(scope="module")
def embedded(live_server, http_on):
    return http_on(live_server)


def test_load_puts_every_named_graph_in_with_its_triples(loaded, built):
    store = built.open_store()
    for name in built.graph_names:
        iri = built.graph_iri(name)
        answer = requests.get(loaded + "/store", params={"graph": iri}, headers={"Accept": "application/n-triples"},
                              timeout=30)
        assert answer.status_code == 200, iri
        expected = ox.serialize([ox.Triple(q.subject, q.predicate, q.object)
                                 for q in store.quads_for_pattern(None, None, None, ox.NamedNode(iri))],
                                format=ox.RdfFormat.N_TRIPLES)
        graphs = [rdflib.Graph().parse(data=data, format="nt") for data in (expected, answer.content)]
        assert len(graphs[0]) > 0 and isomorphic(*graphs), iri


REQUESTS = [
    {"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"},
    {"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "asserted": "true"},
    {"query": "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"},
    {"query": "SELECT ?doc ?title { ?doc a kg:Document ; dcterms:title ?title } ORDER BY ?doc ?title"},
    {"query": "SELECT ?x ?label { <id/provincie/drenthe> ?p ?x OPTIONAL { ?x rdfs:label ?label } } ORDER BY ?x ?label"},
    {"query": "ASK { ?d a kg:Document }", "asserted": "true"},
    {"query": "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/kennisgraaf/graph/ontology> { ?s ?p ?o }"},
    {"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "default-graph-uri": "https://w3id.org/kennisgraaf/graph/reference"},
    {"query": "SELECT ?g { GRAPH ?g { } }", "named-graph-uri": "https://w3id.org/kennisgraaf/graph/reference"},
]


@pytest.mark.parametrize("params", REQUESTS, ids=lambda p: p["query"][:40])
@pytest.mark.parametrize("accept", ["application/sparql-results+json", "text/csv", "text/tab-separated-values"])
def test_the_remote_store_answers_what_the_embedded_one_does(remote, embedded, params, accept):
    theirs = remote.get("/sparql", params=params, headers={"Accept": accept})
    ours = embedded.get("/sparql", params=params, headers={"Accept": accept})
    assert theirs.status_code == ours.status_code == 200, theirs.text
    assert theirs.mimetype == ours.mimetype == accept
    assert theirs.content == ours.content


@pytest.mark.parametrize("accept", ["text/turtle", "application/ld+json"])
def test_graph_results_are_the_same_graph(remote, embedded, accept):
    query = "CONSTRUCT { ?d ?p ?o } WHERE { ?d a kg:Document ; ?p ?o }"
    fmt = {"text/turtle": "turtle", "application/ld+json": "json-ld"}[accept]
    answers = [side.post("/sparql", data={"query": query}, headers={"Accept": accept}) for side in (remote, embedded)]
    graphs = [rdflib.Graph().parse(data=r.content, format=fmt) for r in answers]
    assert len(graphs[0]) > 10 and isomorphic(*graphs)


@pytest.mark.parametrize(("params", "status"), [
    ({"query": "ASK {"}, 400),
    ({"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}, 400),
    ({"query": "CLEAR ALL"}, 403),
])
def test_the_remote_store_refuses_what_the_embedded_one_refuses(remote, params, status):
    response = remote.get("/sparql", params=params)
    assert response.status_code == status
    assert response.mimetype == "text/plain"


def test_a_graph_outside_the_dataset_is_an_empty_graph_there_too(remote, embedded):
    # Main's rule (SPARQL 1.1 Protocol): a graph name not in the dataset is an empty graph; the store
    # is not asked to read it.
    params = {"query": "SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }"}
    theirs, ours = (side.get("/sparql", params=params) for side in (remote, embedded))
    assert theirs.status_code == ours.status_code == 200
    assert theirs.content == ours.content


def test_a_store_that_does_not_answer_in_time_gives_504(remote):
    started = time.monotonic()
    response = remote.get("/sparql", params={"query": HEAVY})
    assert response.status_code == 504
    assert "time limit of 2 s" in response.text
    assert time.monotonic() - started < 4
    assert remote.get("/sparql", params={"query": "ASK {}"}).status_code == 200


def test_a_store_that_is_down_gives_503_with_retry_after(serve_process, http_on):
    server = serve_process("--store", f"http://127.0.0.1:{free_port()}/query")
    try:
        response = http_on(server).get("/sparql", params={"query": "ASK {}"})
        assert response.status_code == 503
        assert response.headers.get("Retry-After")
        assert "cannot be reached" in response.text
    finally:
        server.stop()
