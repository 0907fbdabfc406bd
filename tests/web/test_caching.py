"""Answers reused while the dataset is unchanged: X-Cache, ETag and 304 before any store call, Cache-Control, Vary."""

from __future__ import annotations

import itertools

import pytest

from kennisgraaf.web.cache import AnswerCache, Kept

_unique = itertools.count()


def fresh_query() -> str:
    """A query no other test has asked (the app is shared: its cache outlives a test)."""
    return f"SELECT ?doc WHERE {{ ?doc a kg:Document }} LIMIT {1000 + next(_unique)}"


@pytest.fixture
def store_calls(app, monkeypatch):
    """Count the queries that reach the app's store."""
    store = app.extensions["kennisgraaf"].store
    calls: list[str] = []
    real = store.query

    def counting(text, **kwargs):
        calls.append(text)
        return real(text, **kwargs)

    monkeypatch.setattr(store, "query", counting)
    return calls


def test_the_second_identical_query_is_a_hit_with_the_same_bytes(http):
    params = {"query": fresh_query(), "format": "json"}
    first = http.get("/sparql", params=params)
    again = http.get("/sparql", params=params)
    assert first.status_code == again.status_code == 200
    assert (first.headers["X-Cache"], again.headers["X-Cache"]) == ("miss", "hit")
    assert again.content == first.content and b'"doc"' in first.content
    assert again.headers["Content-Type"] == first.headers["Content-Type"]
    assert again.headers["Access-Control-Allow-Origin"] == "*"


def test_a_hit_and_a_304_make_no_store_call(http_on, app, store_calls):
    client = http_on(app)
    params = {"query": fresh_query(), "format": "json"}
    first = client.get("/sparql", params=params)
    assert len(store_calls) == 1
    assert client.get("/sparql", params=params).headers["X-Cache"] == "hit"
    conditional = client.get("/sparql", params=params, headers={"If-None-Match": first.headers["ETag"]})
    assert conditional.status_code == 304 and conditional.content == b""
    assert conditional.headers["ETag"] == first.headers["ETag"]
    assert len(store_calls) == 1


def test_a_304_for_a_page_comes_before_the_page_is_built(http_on, app, store_calls):
    client = http_on(app)
    first = client.get("/doc/provincie/utrecht", params={"lang": "en"}, headers={"Accept": "text/html"})
    assert first.status_code == 200
    before = len(store_calls)
    again = client.get("/doc/provincie/utrecht", params={"lang": "en"},
                       headers={"Accept": "text/html", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert len(store_calls) == before


def test_a_new_dataset_version_is_a_miss_with_a_new_etag(http_on, app, store_calls, monkeypatch):
    client = http_on(app)
    params = {"query": fresh_query(), "format": "json"}
    first = client.get("/sparql", params=params)
    monkeypatch.setitem(app.extensions["kennisgraaf"].dataset.meta, "key", "a-new-build")
    again = client.get("/sparql", params=params, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and again.headers["X-Cache"] == "miss"
    assert again.headers["ETag"] != first.headers["ETag"]
    assert len(store_calls) == 2


def test_answers_say_how_long_a_cdn_may_keep_them_and_what_they_vary_on(http, settings):
    answer = http.get("/sparql", params={"query": fresh_query()}, headers={"Accept": "text/csv"})
    assert answer.headers["Cache-Control"] == f"public, max-age={settings.cache_max_age}"
    assert "Accept" in answer.headers["Vary"]
    page = http.get("/doc/provincie/drenthe", headers={"Accept": "text/html"})
    assert page.headers["Cache-Control"].startswith("public, max-age=")
    assert {"Accept", "Accept-Language", "Cookie"} <= {v.strip() for v in page.headers["Vary"].split(",")}
    canned = http.get("/queries/taken-provincie", params={"format": "json"})
    assert canned.headers["X-Cache"] in ("miss", "hit") and "ETag" in canned.headers
    chosen = http.get("/doc/provincie/drenthe", params={"lang": "en"}, headers={"Accept": "text/html"})
    assert chosen.headers["Cache-Control"].startswith("private")  # it sets the language cookie


def test_other_answers_differ_by_format_language_and_asserted(http):
    query = fresh_query()
    csv = http.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    json = http.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert csv.headers["X-Cache"] == json.headers["X-Cache"] == "miss"
    assert csv.content != json.content
    asserted = http.get("/sparql", params={"query": query, "asserted": "true"}, headers={"Accept": "text/csv"})
    assert asserted.headers["X-Cache"] == "miss"
    nl = http.get("/def", params={"lang": "nl"}, headers={"Accept": "text/html"})
    en = http.get("/def", params={"lang": "en"}, headers={"Accept": "text/html"})
    assert nl.headers["ETag"] != en.headers["ETag"] and nl.content != en.content


def test_errors_and_truncated_answers_are_not_kept(http, settings):
    bad = http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert bad.status_code == 400 and bad.headers["X-Cache"] == "miss" and "ETag" not in bad.headers
    assert http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"}).headers["X-Cache"] == "miss"
    params = {"query": "SELECT * WHERE { ?s ?p ?o . ?a ?b ?c }", "format": "csv"}
    cut = http.get("/sparql", params=params)
    assert cut.headers["X-Result-Truncated"] == "true"
    assert cut.headers["Cache-Control"] == "no-store" and "ETag" not in cut.headers
    assert http.get("/sparql", params=params).headers["X-Cache"] == "miss"


def test_the_cache_keeps_within_its_budget_and_drops_the_oldest_first():
    cache = AnswerCache(8000)
    for n in range(20):
        assert cache.put(str(n), Kept(200, (), bytes(900)))
    assert cache.used <= 8000
    assert cache.get("0") is None and cache.get("19") is not None
    assert not cache.put("big", Kept(200, (), bytes(1001)))  # over an eighth of the budget


def test_shared_page_queries_run_once_per_dataset_not_per_page(http_on, app, store_calls):
    """The task-change diagram's whole-dataset query and a canned query's membership check are kept."""
    client = http_on(app)
    variant = f"text/html, */*;q=0.{next(_unique) % 9 + 1}"  # a new request key: a miss, the page is built
    assert client.get("/doc/document/drenthe-2010-pns", headers={"Accept": variant}).status_code == 200
    assert client.get("/", headers={"Accept": variant}).status_code == 200
    store_calls.clear()  # the first pages of the app's life may compute them; no page after them
    variant = "text/html, */*;q=0.01"
    assert client.get("/doc/document/mogroep-2014-transformeren", headers={"Accept": variant}).status_code == 200
    home = client.get("/", headers={"Accept": variant})
    assert home.status_code == 200 and home.headers["X-Cache"] == "miss"
    texts = [text for text in store_calls if "taskChange" in text or "TaskChange" in text]
    assert texts == [], "the task changes were queried again"
    assert not any("COUNT" in text and "?assertedInstances" in text for text in store_calls)
    for fmt in ("json", "csv", "tsv"):  # three misses of one canned query with one IRI value
        before = len(store_calls)
        answer = client.get("/queries/taken-provincie", params={"provincie": "id/provincie/utrecht", "format": fmt},
                            headers={"Accept": variant})
        assert answer.status_code == 200 and answer.headers["X-Cache"] == "miss"
        if fmt != "json":
            assert len(store_calls) - before == 1  # the canned query only: its membership check was kept
