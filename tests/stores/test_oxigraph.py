"""The remote-store path against a real Oxigraph server behind authenticating proxies.

Oxigraph has no login of its own, so users put a proxy in front of it: here one that wants a
bearer token and an API-key header (for loading) and one that wants Basic credentials (for
queries), so that separate read and write credentials, each scheme and the extra headers are
exercised with real HTTP. Every canned query is compared with the embedded store.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from stores.compare import Answer, canned_cases, case_id, is_graph_query
from stores.conftest import run_cli
from stores.oxigraph import Oxigraph, start_oxigraph
from stores.proxy import AuthProxy, basic, start_proxy

from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.config import Settings
from kennisgraaf.sparql.catalogue import Catalogue
from kennisgraaf.sparql.queryfiles import load_catalogue
from kennisgraaf.store.backend import open_store
from kennisgraaf.store.base import GuardedStore, StoreError
from kennisgraaf.store.loader import graphs_to_load
from kennisgraaf.vocab import UriStrategy
from kennisgraaf.web import create_app

TOKEN, API_KEY = "tk-5c0ffee1d", "ak-77e1c3"
READ_USER, READ_PASSWORD = "reader", "rp-3d9f0a"
CASES = list(canned_cases(load_catalogue(UriStrategy("https://w3id.org/kennisgraaf/"))))


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oxigraph]:
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def write_proxy(oxigraph: Oxigraph) -> Iterator[AuthProxy]:
    proxy = start_proxy(oxigraph.url, authorization=f"Bearer {TOKEN}", headers={"X-API-Key": API_KEY})
    yield proxy
    proxy.stop()


@pytest.fixture(scope="module")
def read_proxy(oxigraph: Oxigraph) -> Iterator[AuthProxy]:
    proxy = start_proxy(oxigraph.url, authorization=basic(READ_USER, READ_PASSWORD))
    yield proxy
    proxy.stop()


@pytest.fixture(scope="module")
def loaded(write_proxy: AuthProxy, settings: Settings, built: BuiltDataset) -> str:
    done = run_cli(settings, "load", "--into", write_proxy.url + "/store",
                   env={"KENNISGRAAF_STORE_UPDATE_TOKEN": TOKEN,
                        "KENNISGRAAF_STORE_UPDATE_HEADERS": f"X-API-Key: {API_KEY}\n"})
    assert done.returncode == 0, done.stderr
    assert TOKEN not in done.stdout + done.stderr and API_KEY not in done.stdout + done.stderr
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def oxigraph_store(loaded: str, read_proxy: AuthProxy, settings: Settings,
                   built: BuiltDataset) -> Iterator[GuardedStore]:
    # Read credentials apart from the write ones: the store_update_* settings are not used here.
    store = open_store(settings.replace(store=read_proxy.url + "/query", store_user=READ_USER,
                                        store_password=READ_PASSWORD, store_update_token="not-for-reading"), built)
    yield store
    store.close()


def test_load_with_a_bearer_token_and_an_api_key_puts_every_graph_and_the_default_graph_in(
        loaded: str, write_proxy: AuthProxy, built: BuiltDataset) -> None:
    for graph, triples in graphs_to_load(built).items():
        assert f"{graph or '(default graph)'}: {len(triples)} triples loaded" in loaded
    assert all(seen.get("Authorization") == f"Bearer {TOKEN}" and seen.get("X-API-Key") == API_KEY
               for seen in write_proxy.seen)


def test_queries_go_with_the_read_credentials(oxigraph_store: GuardedStore, read_proxy: AuthProxy) -> None:
    assert b"true" in oxigraph_store.query("ASK { ?s ?p ?o }").body
    assert read_proxy.seen[-1]["Authorization"] == basic(READ_USER, READ_PASSWORD)
    assert "X-API-Key" not in read_proxy.seen[-1]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_canned_queries_answer_as_on_the_embedded_store(case, catalogue: Catalogue, oxigraph_store: GuardedStore,
                                                        embedded_store: GuardedStore) -> None:
    name, params = case
    bound = catalogue.bind(catalogue.get(name), params)
    if is_graph_query(catalogue.get(name)):
        return  # CONSTRUCT: compared on Virtuoso (test_virtuoso.py) and in tests/web/test_remote_store.py
    theirs = Answer.of(oxigraph_store.query(bound.text), bound.text)
    ours = Answer.of(embedded_store.query(bound.text), bound.text)
    assert not ours.difference(theirs), ours.difference(theirs)


@pytest.mark.parametrize("change", [{"store_password": "wrong"}, {"store_user": "", "store_password": ""}],
                         ids=["wrong password", "no credentials"])
def test_a_refusal_is_a_502_that_says_so_without_the_secret(change, loaded: str, read_proxy: AuthProxy,
                                                            settings: Settings, built: BuiltDataset) -> None:
    given = settings.replace(store=read_proxy.url + "/query", store_user=READ_USER, store_password=READ_PASSWORD)
    store = open_store(given.replace(**change), built)
    try:
        with pytest.raises(StoreError) as refused:
            store.query("ASK {}")
    finally:
        store.close()
    assert refused.value.status == 502
    assert ("refused the app's credentials (401 Unauthorized)" in refused.value.message
            or "asks for credentials (401 Unauthorized) and the app has none" in refused.value.message)
    assert READ_PASSWORD not in refused.value.message


def test_a_wrong_token_stops_the_load_and_is_not_shown(write_proxy: AuthProxy, settings: Settings,
                                                       built: BuiltDataset) -> None:
    done = run_cli(settings, "load", "--into", write_proxy.url + "/store",
                   env={"KENNISGRAAF_STORE_UPDATE_TOKEN": "bad-" + TOKEN,
                        "KENNISGRAAF_STORE_UPDATE_HEADERS": f"X-API-Key: {API_KEY}"})
    assert done.returncode == 2
    assert "refused the credentials (401 Unauthorized; sent a bearer token and headers X-API-Key)" in done.stderr
    assert TOKEN not in done.stdout + done.stderr and API_KEY not in done.stdout + done.stderr


def test_oxigraphs_own_time_limit_gives_504(tmp_path, settings: Settings, built: BuiltDataset) -> None:
    # oxigraph serve --timeout-s answers 200 and breaks the body off with "… has been cancelled"
    # (it notices its limit late: seconds after it, on this query).
    server = start_oxigraph(tmp_path, timeout_s=1)
    try:
        triples = "".join(f'<http://e/s{i}> <http://e/p> "{i}" .\n' for i in range(3000))
        requests.put(server.graph_store_url, params={"graph": built.graph_iri("union")}, data=triples,
                     headers={"Content-Type": "application/n-triples"}, timeout=30).raise_for_status()
        store = open_store(settings.replace(store=server.query_url, query_timeout=60), built)
        with pytest.raises(StoreError) as stopped:
            store.query("SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
        store.close()
    finally:
        server.stop()
    assert stopped.value.status == 504
    assert "stopped the query at its own time limit" in stopped.value.message
    assert "cancelled" in stopped.value.message


def test_an_outage_gives_503_with_retry_after_and_the_app_recovers_when_the_store_is_back(
        loaded: str, oxigraph: Oxigraph, settings: Settings, built: BuiltDataset) -> None:
    app = create_app(settings.replace(store=oxigraph.query_url), dataset=built)
    client = app.test_client()
    paths = ["/sparql?query=ASK%7B%7D", "/doc/provincie/drenthe", "/queries/taken-provincie"]
    assert [client.get(path).status_code for path in paths] == [200, 200, 200]
    oxigraph.stop()
    try:
        # Answers already in the cache are still served; whatever needs the store says 503.
        assert [client.get(path).headers.get("X-Cache") for path in paths] == ["hit", "hit", "hit"]
        for path in ["/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", "/doc/provincie/utrecht",
                     "/queries/taken-provincie?handeling=overdragen"]:
            response = client.get(path)
            assert response.status_code == 503, path
            assert response.headers["Retry-After"] == "5"
    finally:
        oxigraph.restart()
    assert [client.get(path).status_code for path in paths] == [200, 200, 200]
    app.extensions["kennisgraaf"].store.close()
