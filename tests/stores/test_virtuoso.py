"""The remote-store path against a real Virtuoso 7 (Debian's virtuoso-opensource), as users run it.

One Virtuoso per session (tests/stores/conftest.py), Digest authentication on its protected
endpoints: ``kennisgraaf load`` with the loading account's credentials from the environment, the
app serving from it as a read-only account, every canned and page query compared with the
embedded store (allowing only the deviations docs/stores.md lists, see compare.py), pages, status
codes by cause, and no password in any output.
"""

from __future__ import annotations

import time

import pyoxigraph as ox
import pytest
import rdflib
import requests
from flask import Flask
from rdflib.compare import isomorphic
from requests.auth import HTTPDigestAuth
from serving import free_port
from stores.compare import Answer, canned_cases, case_id, is_graph_query
from stores.conftest import (
    LOAD_ENV,
    LOAD_PASSWORD,
    LOAD_USER,
    READ_PASSWORD,
    STORE_ROW_LIMIT,
    STORE_TIME_LIMIT,
    run_cli,
)
from stores.virtuoso import Virtuoso

from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.config import Settings
from kennisgraaf.site.pageindex import read_query
from kennisgraaf.sparql.catalogue import Catalogue
from kennisgraaf.sparql.queryfiles import load_catalogue
from kennisgraaf.store.base import GuardedStore
from kennisgraaf.store.loader import graphs_to_load
from kennisgraaf.vocab import UriStrategy
from kennisgraaf.web import create_app

HEAVY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CASES = list(canned_cases(load_catalogue(UriStrategy("https://w3id.org/kennisgraaf/"))))
PAGE_QUERIES = ["class-counts.rq", "health.rq", "page-documents.rq", "page-evidence.rq", "page-labels.rq",
                "page-layers.rq", "page-locations.rq", "page-task-changes.rq", "void-counts.rq", "void-dates.rq",
                "void-entities.rq", "void-ontology.rq", "void-terms.rq"]
RESOURCE_QUERIES = ["page-exists.rq", "page-incoming.rq", "page-outgoing.rq"]
RESOURCES = ["id/provincie/drenthe", "id/document/alleato-2010-kerntaken", "def#TaskChange", "id/nothing-here"]


def test_virtuoso_starts_within_a_minute(virtuoso: Virtuoso) -> None:
    assert virtuoso.started_in < 60
    print(f"Virtuoso answered {virtuoso.started_in:.1f} s after it was started")


# --- load ---------------------------------------------------------------------------------------

def test_load_puts_every_named_graph_in_and_skips_the_default_graph_virtuoso_refuses(
        virtuoso_loaded, virtuoso: Virtuoso, built: BuiltDataset) -> None:
    output = virtuoso_loaded.stdout + virtuoso_loaded.stderr
    expected = {g: len(t) for g, t in graphs_to_load(built).items() if g is not None}
    for graph, count in expected.items():
        assert f"{graph}: {count} triples loaded" in output
    assert "(default graph): " in output and "skipped — the store does not accept a default graph" in output
    assert f"loaded {sum(expected.values())} triples in {len(expected)} graphs" in virtuoso_loaded.stdout
    # Every graph holds exactly the build's triples (counted by the store).
    answer = requests.post(virtuoso.auth_query_url, auth=HTTPDigestAuth(LOAD_USER, LOAD_PASSWORD), timeout=30,
                           data={"query": "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"},
                           headers={"Accept": "application/sparql-results+json"})
    counts = {b["g"]["value"]: int(b["n"]["value"]) for b in answer.json()["results"]["bindings"]}
    assert {g: counts.get(g) for g in expected} == expected
    assert LOAD_PASSWORD not in output


def test_the_default_graph_loads_where_the_store_maps_one_and_yes_makes_a_refusal_an_error(
        virtuoso_loaded, virtuoso: Virtuoso, settings: Settings, built: BuiltDataset) -> None:
    refused = run_cli(settings, "load", "--into", virtuoso.graph_store_url, "--default-graph", "yes", env=LOAD_ENV)
    assert refused.returncode == 2
    assert "graphs not loaded: (default graph)" in refused.stderr
    assert "Run load again to retry them" in refused.stderr and "kennisgraaf load --graph default" in refused.stderr
    virtuoso.map_default_graph(built.graph_iri("default"))
    try:
        # Finishing the partial load: just the graph that failed.
        loaded = run_cli(settings, "load", "--into", virtuoso.graph_store_url, "--default-graph", "yes",
                         "--graph", "default", env=LOAD_ENV)
        assert loaded.returncode == 0, loaded.stderr
        assert f"(default graph): {len(graphs_to_load(built)[None])} triples loaded" in loaded.stderr
        assert "graph/reference" not in loaded.stderr
        assert f"loaded {len(graphs_to_load(built)[None])} triples in 1 graphs" in loaded.stdout
    finally:
        virtuoso.unmap_default_graph()
        requests.delete(virtuoso.graph_store_url, params={"graph": built.graph_iri("default")},
                        auth=HTTPDigestAuth(LOAD_USER, LOAD_PASSWORD), timeout=30)


def test_refused_credentials_stop_the_load_with_a_clear_message_and_no_password(
        virtuoso: Virtuoso, settings: Settings, built) -> None:
    wrong = {**LOAD_ENV, "KENNISGRAAF_STORE_UPDATE_PASSWORD": "not-" + LOAD_PASSWORD}
    done = run_cli(settings, "load", "--into", virtuoso.graph_store_url, env=wrong)
    assert done.returncode == 2
    assert "The graph store refused the credentials (401 Unauthorized; sent digest as 'kgload')" in done.stderr
    assert LOAD_PASSWORD not in done.stdout + done.stderr
    # A read-only account may not write; userinfo in the URL is taken as the credentials, never shown.
    done = run_cli(settings, "load", "--into",
                   virtuoso.graph_store_url.replace("http://", f"http://kgread:{READ_PASSWORD}@"),
                   env={"KENNISGRAAF_STORE_UPDATE_AUTH": "digest"})
    assert done.returncode == 2
    assert "refused the credentials" in done.stderr
    assert READ_PASSWORD not in done.stdout + done.stderr


def test_without_credentials_the_load_says_the_store_asks_for_them(virtuoso: Virtuoso, settings: Settings,
                                                                   built) -> None:
    done = run_cli(settings, "load", "--into", virtuoso.graph_store_url)
    assert done.returncode == 2
    assert "asks for credentials (401 Unauthorized) and none are set" in done.stderr


# --- answers equal the embedded store's ---------------------------------------------------------

@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_canned_queries_answer_as_on_the_embedded_store(case, catalogue: Catalogue, virtuoso_store: GuardedStore,
                                                        embedded_store: GuardedStore) -> None:
    name, params = case
    query = catalogue.get(name)
    bound = catalogue.bind(query, params)
    if is_graph_query(query):
        answers = [store.query(bound.text, accept="application/n-triples").body
                   for store in (virtuoso_store, embedded_store)]
        graphs = [rdflib.Graph().parse(data=a, format="nt") for a in answers]
        assert len(graphs[1]) > 0 and isomorphic(*graphs)
        return
    theirs = Answer.of(virtuoso_store.query(bound.text), bound.text)
    ours = Answer.of(embedded_store.query(bound.text), bound.text)
    assert sum(ours.rows.values()) > 0 or name == "gedeelde-rollen"
    assert not ours.difference(theirs), ours.difference(theirs)


@pytest.mark.parametrize("param", [p for q in load_catalogue(UriStrategy("https://w3id.org/kennisgraaf/"))
                                   for p in q.parameters if p.type == "iri" and p.cls], ids=lambda p: p.name)
def test_parameter_options_are_the_embedded_stores(param, catalogue: Catalogue, virtuoso_store: GuardedStore,
                                                   embedded_store: GuardedStore) -> None:
    def select(store: GuardedStore):
        def run(text: str) -> list[dict[str, str]]:
            rows = Answer.of(store.query(text), text).rows
            return [{name: term[1] for name, term in row if term is not None} for row in rows.elements()]
        return run
    ours = catalogue.options(param, select(embedded_store))
    assert ours and catalogue.options(param, select(virtuoso_store)) == ours


@pytest.mark.parametrize("asserted", [False, True])
@pytest.mark.parametrize("name", PAGE_QUERIES)
def test_page_queries_answer_as_on_the_embedded_store(name: str, asserted: bool, built: BuiltDataset,
                                                      virtuoso_store: GuardedStore,
                                                      embedded_store: GuardedStore) -> None:
    text = UriStrategy(built.base).sparql_prologue() + read_query(name)
    ours = embedded_store.query(text, asserted=asserted)
    theirs = virtuoso_store.query(text, asserted=asserted)
    if ours.kind == "ask":
        assert ours.body == theirs.body
    else:
        assert not Answer.of(ours, text).difference(Answer.of(theirs, text))


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("name", RESOURCE_QUERIES)
def test_page_queries_with_a_bound_resource_answer_as_on_the_embedded_store(
        name: str, resource: str, built: BuiltDataset, virtuoso_store: GuardedStore,
        embedded_store: GuardedStore) -> None:
    text = UriStrategy(built.base).sparql_prologue() + read_query(name)
    bindings = {"resource": ox.NamedNode(built.base + resource)}
    ours, theirs = (store.query(text, bindings=bindings) for store in (embedded_store, virtuoso_store))
    if ours.kind == "ask":  # an ASK with bindings: Virtuoso refuses them in a trailing VALUES
        assert ours.body == theirs.body
    else:
        assert not Answer.of(ours, text).difference(Answer.of(theirs, text))


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml",
                                    "text/csv", "text/tab-separated-values"])
def test_blank_nodes_come_back_as_blank_nodes(accept: str, virtuoso_store: GuardedStore) -> None:
    # Virtuoso writes them as nodeID://b123 in SPARQL JSON, which is no blank node label.
    result = virtuoso_store.query("SELECT ?x ?m { ?x a owl:AllDisjointClasses ; owl:members ?m }", accept=accept)
    if accept == "text/csv":  # lossy: pyoxigraph does not parse it back
        rows = result.body.decode().splitlines()[1:]
        assert len(rows) == 3 and all(row.startswith("_:") for row in rows)
        return
    parsed = ox.parse_query_results(result.body, format=ox.QueryResultsFormat.from_media_type(accept))
    solutions = list(parsed)
    assert len(solutions) == 3 and all(isinstance(row["x"], ox.BlankNode) for row in solutions)


def test_a_result_virtuoso_cuts_at_its_row_limit_is_marked_truncated(virtuoso_app: Flask) -> None:
    query = "SELECT ?d ?s { ?d a kg:Document . ?s ?p ?o }"  # 6 × 13 000 rows
    response = virtuoso_app.test_client().get("/sparql", query_string={"query": query},
                                              headers={"Accept": "text/csv"})
    assert response.status_code == 200
    assert len(response.get_data(as_text=True).splitlines()) == STORE_ROW_LIMIT + 1
    assert response.headers["X-Result-Truncated"] == "true"


PAGES = ["/", "/queries", "/openapi.json", "/def", "/.well-known/void", "/id/provincie/drenthe",
         "/doc/provincie/drenthe", "/doc/document/alleato-2010-kerntaken", "/id/nothing-here",
         "/queries/taken-provincie?provincie=id/provincie/nowhere", "/sparql?query=ASK%7B%7D"]


@pytest.mark.parametrize("path", PAGES + [f"/queries/{q.name}" for q in
                                          load_catalogue(UriStrategy("https://w3id.org/kennisgraaf/"))])
def test_pages_answer_as_on_the_embedded_store(path: str, virtuoso_app: Flask, embedded_app: Flask) -> None:
    accept = {"Accept": "text/html"} if not path.startswith(("/openapi", "/sparql")) else {}
    ours = embedded_app.test_client().get(path, headers=accept)
    theirs = virtuoso_app.test_client().get(path, headers=accept)
    assert theirs.status_code == ours.status_code, theirs.get_data(as_text=True)[:500]
    assert theirs.headers.get("Location") == ours.headers.get("Location")
    if path == "/openapi.json" or ours.status_code == 400:
        assert theirs.get_data() == ours.get_data()


# --- status codes by cause ----------------------------------------------------------------------

def test_the_stores_own_time_limit_gives_504(virtuoso_app: Flask) -> None:
    started = time.monotonic()
    response = virtuoso_app.test_client().get("/sparql", query_string={"query": HEAVY})
    assert response.status_code == 504
    assert "stopped the query at its own time limit" in response.get_data(as_text=True)
    assert time.monotonic() - started < STORE_TIME_LIMIT + 5


def test_a_hung_store_gives_504_at_our_time_limit_and_the_app_recovers(
        virtuoso: Virtuoso, virtuoso_loaded, virtuoso_settings: Settings, built: BuiltDataset) -> None:
    app = create_app(virtuoso_settings.replace(query_timeout=2.0), dataset=built)
    client = app.test_client()
    assert client.get("/doc/provincie/drenthe").status_code == 200
    virtuoso.pause()
    try:
        # An answer already in the cache is still served; anything that needs the store times out.
        cached = client.get("/doc/provincie/drenthe")
        assert cached.status_code == 200 and cached.headers["X-Cache"] == "hit"
        for path in ("/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", "/doc/provincie/utrecht"):
            started = time.monotonic()
            response = client.get(path)
            assert response.status_code == 504, path
            assert "time limit of 2 s" in response.get_data(as_text=True)
            assert time.monotonic() - started < 5
    finally:
        virtuoso.resume()
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    assert client.get("/doc/provincie/drenthe").status_code == 200
    app.extensions["kennisgraaf"].store.close()


def test_an_unreachable_store_gives_503_with_retry_after_on_pages_as_on_sparql(
        virtuoso_settings: Settings, built: BuiltDataset) -> None:
    down = f"http://127.0.0.1:{free_port()}/sparql-auth"
    client = create_app(virtuoso_settings.replace(store=down), dataset=built).test_client()
    for path in ("/sparql?query=ASK%7B%7D", "/doc/provincie/drenthe", "/queries/taken-provincie", "/health"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert response.headers.get("Retry-After") or path == "/health", path
        assert "cannot be reached" in response.get_data(as_text=True), path


def test_refused_credentials_give_502_naming_the_refusal_on_pages_as_on_sparql(
        virtuoso_loaded, virtuoso_settings: Settings, built: BuiltDataset, caplog: pytest.LogCaptureFixture) -> None:
    wrong = virtuoso_settings.replace(store_password="wrong-" + READ_PASSWORD)
    client = create_app(wrong, dataset=built).test_client()
    for path in ("/sparql?query=ASK%7B%7D", "/doc/provincie/drenthe", "/queries/taken-provincie"):
        response = client.get(path)
        text = response.get_data(as_text=True)
        assert response.status_code == 502, path
        assert "The SPARQL store refused the app's credentials (401 Unauthorized)" in text, path
        assert "incident" in text and "kgread" not in text and READ_PASSWORD not in text
    # The operator's log says which account and which settings, without the password.
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "refused the credentials (401 Unauthorized; sent digest as 'kgread')" in logged
    assert READ_PASSWORD not in logged


# --- no secret anywhere -------------------------------------------------------------------------

@pytest.mark.parametrize("situation", ["store down", "wrong password", "working"])
def test_no_response_or_log_line_contains_the_password(situation: str, virtuoso: Virtuoso, virtuoso_loaded,
                                                       serve_process) -> None:
    password = READ_PASSWORD if situation != "wrong password" else "wrong-" + READ_PASSWORD
    port = free_port() if situation == "store down" else virtuoso.http_port
    # Credentials in the URL, as users write them; Digest from the environment.
    env = {"KENNISGRAAF_STORE": f"http://kgread:{password}@127.0.0.1:{port}/sparql-auth",
           "KENNISGRAAF_STORE_AUTH": "digest"}
    server = serve_process("--timeout", "5", env=env)
    try:
        bodies = []
        for path in ("/sparql?query=ASK%7B%7D", "/sparql?query=SELECT%20*%20%7B", "/doc/provincie/drenthe",
                     "/queries/taken-provincie", "/health", "/"):
            for accept in ("text/html", "application/json"):
                response = requests.get(server(path), headers={"Accept": accept}, timeout=30)
                bodies.append(response.text + str(response.headers))
                if situation == "working":
                    assert response.status_code in (200, 400), path
    finally:
        server.stop()
    everything = "".join(bodies) + "".join(server.output)
    assert password not in everything
    assert f"kgread:{password}" not in everything
