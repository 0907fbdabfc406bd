"""Repeated requests answered in front of Flask (web/rawcache.py, ``RawAnswers``): same answer, never another's."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from http.client import HTTPConnection
from urllib.parse import urlencode, urlsplit

import pytest
from flask import Flask, request_started
from serving import Http

from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.config import Settings
from kennisgraaf.web import create_app
from kennisgraaf.web.rawcache import RawIndex

_unique = itertools.count()
# Set per response by the server (Date) or by the layer that answered (X-Cache).
PER_RESPONSE = {"date", "x-cache"}
JSON_RESULTS = "application/sparql-results+json"


def fresh_query() -> str:
    """A query no other test has asked (the app and the server are shared: their caches outlive a test)."""
    return f"SELECT ?doc ?title WHERE {{ ?doc a kg:Document ; dcterms:title ?title }} LIMIT {2000 + next(_unique)}"


def fresh_accept(kind: str = "text/html") -> str:
    """An ``Accept`` header no other test has sent for ``kind``: a new request key, the same answer type."""
    return f"{kind}, */*;q=0.{next(_unique) % 900 + 100}"


def same_answer(first, again) -> None:
    assert (first.status_code, first.content) == (again.status_code, again.content)
    heads = [sorted((k, v) for k, v in r.headers.items() if k.lower() not in PER_RESPONSE) for r in (first, again)]
    assert heads[0] == heads[1]


@pytest.fixture(scope="module")
def counted_app(settings: Settings, built: BuiltDataset) -> Iterator[Flask]:
    """An app of its own whose ``flask_requests`` counts the requests Flask handled (its request_started signal,
    sent before any before_request hook, so a hit of Flask's own cache layer counts too)."""
    app = create_app(settings, dataset=built)
    app.config["flask_requests"] = 0

    def count(sender: Flask, **extra: object) -> None:
        app.config["flask_requests"] += 1

    request_started.connect(count, app)
    yield app
    request_started.disconnect(count, app)
    app.extensions["kennisgraaf"].store.close()


@pytest.mark.parametrize("path, accept", [
    ("/queries/taken-provincie?format=json", "application/json"),
    ("/queries/taken-provincie?provincie=id/provincie/drenthe&handeling=afbouwen&format=csv", "text/csv"),
    ("/doc/provincie/drenthe", "text/html"),
    ("/doc/document/drenthe-2010-pns", "text/html"),
    ("/doc/provincie/drenthe", "text/turtle"),
    ("/sparql?" + urlencode({"query": "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type"}),
     JSON_RESULTS),
])
def test_a_hit_gives_the_status_headers_and_bytes_of_the_miss_before_it(http, path, accept):
    headers = {"Accept": fresh_accept(accept)}
    first, again = http.get(path, headers=headers), http.get(path, headers=headers)
    assert first.status_code == 200 and (first.headers["X-Cache"], again.headers["X-Cache"]) == ("miss", "hit")
    same_answer(first, again)
    assert int(again.headers["Content-Length"]) == len(again.content) > 0


def test_a_head_hit_has_the_length_of_the_body_and_no_body(http):
    headers = {"Accept": fresh_accept("text/html")}
    page = http.get("/doc/provincie/utrecht", headers=headers)
    http.head("/doc/provincie/utrecht", headers=headers)  # learns the raw spelling of the HEAD
    head = http.head("/doc/provincie/utrecht", headers=headers)
    assert head.status_code == 200 and head.headers["X-Cache"] == "hit" and head.content == b""
    assert int(head.headers["Content-Length"]) == len(page.content)
    assert head.headers["ETag"] == page.headers["ETag"]


@pytest.mark.parametrize("body_type", ["form", "direct"])
def test_a_posted_query_is_a_hit_only_for_the_same_body(http, body_type):
    query, other = fresh_query(), fresh_query()

    def post(text: str):
        if body_type == "form":
            return http.post("/sparql", data={"query": text}, headers={"Accept": "text/csv"})
        return http.post("/sparql", data=text.encode(),
                         headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})

    first, again, different = post(query), post(query), post(other)
    assert first.status_code == 200 and first.content.startswith(b"doc,title")
    assert (first.headers["X-Cache"], again.headers["X-Cache"], different.headers["X-Cache"]) == ("miss", "hit", "miss")
    same_answer(first, again)
    assert different.status_code == 200 and different.headers["ETag"] != first.headers["ETag"]


def test_an_accept_or_format_of_its_own_gets_its_own_answer(http):
    query = fresh_query()
    json = http.get("/sparql", params={"query": query}, headers={"Accept": JSON_RESULTS})
    assert http.get("/sparql", params={"query": query}, headers={"Accept": JSON_RESULTS}).headers["X-Cache"] == "hit"
    csv = http.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    by_format = http.get("/sparql", params={"query": query, "format": "csv"}, headers={"Accept": JSON_RESULTS})
    assert csv.headers["X-Cache"] == by_format.headers["X-Cache"] == "miss"
    assert json.mimetype == JSON_RESULTS and csv.mimetype == by_format.mimetype == "text/csv"
    assert csv.content == by_format.content != json.content


def test_a_query_spelled_two_ways_is_kept_and_revalidated_per_spelling(http):
    """On /sparql the kept answer's key is the raw layer's (hashed once per miss): each spelling is a miss
    of its own, then a hit and a 304 for its own ETag; another request's ETag never matches."""
    query, accept = fresh_query(), {"Accept": JSON_RESULTS}
    spellings = [f"/sparql?{urlencode({'query': query, 'format': 'json'})}",
                 f"/sparql?{urlencode({'format': 'json', 'query': query})}"]
    first = [http.get(path, headers=accept) for path in spellings]
    again = [http.get(path, headers=accept) for path in spellings]
    assert [r.headers["X-Cache"] for r in first + again] == ["miss", "miss", "hit", "hit"]
    assert first[0].content == first[1].content == again[0].content and first[0].mimetype == JSON_RESULTS
    for path, answer in zip(spellings, first, strict=True):
        assert http.get(path, headers={**accept, "If-None-Match": answer.headers["ETag"]}).status_code == 304
    other = http.get("/sparql", params={"query": fresh_query(), "format": "json"},
                     headers={**accept, "If-None-Match": first[0].headers["ETag"]})
    assert other.status_code == 200 and other.headers["ETag"] != first[0].headers["ETag"]


def test_a_page_spelled_two_ways_shares_one_kept_answer(http):
    accept = {"Accept": fresh_accept("application/json")}
    first = http.get("/queries/taken-provincie?format=json&lang=nl", headers=accept)
    other = http.get("/queries/taken-provincie?lang=nl&format=json", headers=accept)
    assert first.status_code == 200 and (first.headers["X-Cache"], other.headers["X-Cache"]) == ("miss", "hit")
    assert first.headers["ETag"] == other.headers["ETag"]


def test_the_language_of_a_cookie_or_parameter_gets_its_own_page(http):
    accept = fresh_accept("text/html")
    dutch = http.get("/def", headers={"Accept": accept})
    assert http.get("/def", headers={"Accept": accept}).headers["X-Cache"] == "hit"
    by_cookie = http.get("/def", headers={"Accept": accept, "Cookie": "lang=en"})
    other_cookie = http.get("/def", headers={"Accept": accept, "Cookie": "theme=dark; lang=en"})
    by_param = http.get("/def", params={"lang": "en"}, headers={"Accept": accept})
    assert '<html lang="nl"' in dutch.text
    for english in (by_cookie, other_cookie, by_param):
        assert english.status_code == 200 and '<html lang="en"' in english.text
    assert by_cookie.headers["X-Cache"] == "miss"


def test_another_host_gets_links_to_itself(http):
    path, headers = "/queries/taken-provincie?format=json", {"Accept": fresh_accept("application/json")}
    here = http.get(path, headers=headers)
    assert http.get(path, headers=headers).headers["X-Cache"] == "hit"
    there = http.get(path, headers={**headers, "Host": "elders.example"})
    assert there.status_code == 200 and there.headers["X-Cache"] == "miss"
    assert b"http://elders.example/" in there.content and b"http://elders.example/" not in here.content


def test_an_answer_that_sets_a_cookie_is_never_given_by_the_raw_layer(counted_app, http_on):
    client = http_on(counted_app)
    params, headers = {"lang": "en"}, {"Accept": fresh_accept("text/html")}
    first = client.get("/doc/provincie/drenthe", params=params, headers=headers)
    before = counted_app.config["flask_requests"]
    again = client.get("/doc/provincie/drenthe", params=params, headers=headers)
    assert "lang=en" in first.headers["Set-Cookie"] and "lang=en" in again.headers["Set-Cookie"]
    assert counted_app.config["flask_requests"] == before + 1  # Flask answered it (from its own cache)


def test_a_hit_and_a_304_do_not_run_flask(counted_app, http_on):
    client = http_on(counted_app)
    params = {"query": fresh_query()}
    first = client.get("/sparql", params=params, headers={"Accept": JSON_RESULTS})
    after_miss = counted_app.config["flask_requests"]
    again = client.get("/sparql", params=params, headers={"Accept": JSON_RESULTS})
    conditional = client.get("/sparql", params=params, headers={"Accept": JSON_RESULTS,
                                                                "If-None-Match": first.headers["ETag"]})
    assert again.headers["X-Cache"] == "hit" and again.content == first.content
    assert conditional.status_code == 304 and conditional.content == b""
    assert counted_app.config["flask_requests"] == after_miss
    stale = client.get("/sparql", params=params, headers={"Accept": JSON_RESULTS, "If-None-Match": '"other"'})
    assert stale.status_code == 200 and stale.headers["X-Cache"] == "hit"


def test_a_new_dataset_version_empties_the_raw_layer(counted_app, http_on, monkeypatch):
    client = http_on(counted_app)
    params = {"query": fresh_query(), "format": "json"}
    first = client.get("/sparql", params=params)
    assert client.get("/sparql", params=params).headers["X-Cache"] == "hit"
    monkeypatch.setitem(counted_app.extensions["kennisgraaf"].dataset.meta, "key", "another-build")
    before = counted_app.config["flask_requests"]
    after = client.get("/sparql", params=params)
    assert after.headers["X-Cache"] == "miss" and after.headers["ETag"] != first.headers["ETag"]
    assert counted_app.config["flask_requests"] == before + 1
    assert len(counted_app.wsgi_app.index) == 1 and len(counted_app.extensions["kennisgraaf.answers"]) == 1


def test_a_304_repeats_the_caching_headers_of_its_200(http):
    headers = {"Accept": fresh_accept("application/json")}
    path = "/queries/taken-provincie?format=json"
    first = http.get(path, headers=headers)
    http.get(path, headers=headers)
    conditional = http.get(path, headers={**headers, "If-None-Match": first.headers["ETag"]})
    assert conditional.status_code == 304 and conditional.headers["X-Cache"] == "hit"
    for name in ("ETag", "Cache-Control", "Vary"):
        assert conditional.headers[name] == first.headers[name]
    assert "Content-Type" not in conditional.headers


def test_no_answer_memory_means_every_request_is_a_miss(settings, built, serve_process):
    app = create_app(settings.replace(cache_mb=0), dataset=built)
    server = serve_process("--cache-mb", "0")
    try:
        for http in (Http.on(app), Http.on(server)):
            params = {"query": fresh_query(), "format": "json"}
            assert [http.get("/sparql", params=params).headers["X-Cache"] for _ in range(3)] == ["miss"] * 3
            page = [http.get("/doc/provincie/drenthe", headers={"Accept": "text/html"}) for _ in range(2)]
            assert [p.headers["X-Cache"] for p in page] == ["miss", "miss"] and page[0].content == page[1].content
            http.close()
    finally:
        server.stop()
        app.extensions["kennisgraaf"].store.close()


def test_the_raw_index_keeps_its_bound_and_drops_the_oldest_first():
    index = RawIndex(3)
    for n in range(5):
        index.put(bytes([n]), f"key-{n}")
    assert len(index) == 3 and index.get(bytes([0])) is None
    assert index.get(bytes([2])) == "key-2"
    index.put(bytes([5]), "key-5")  # 2 was used last: 3 goes
    assert index.get(bytes([3])) is None and index.get(bytes([2])) == "key-2"


def test_a_304_keeps_the_connection_open(live_server):
    """waitress closed after every 304 (no Content-Length); a revalidating client then reconnected each time."""
    parts = urlsplit(live_server.url)
    connection = HTTPConnection(parts.hostname, parts.port, timeout=30)
    path, headers = "/doc/provincie/flevoland", {"Accept": fresh_accept("text/html")}
    try:
        connection.request("GET", path, headers=headers)
        first = connection.getresponse()
        first.read()
        opened = connection.sock
        connection.request("GET", path, headers={**headers, "If-None-Match": first.getheader("ETag")})
        conditional = connection.getresponse()
        assert conditional.read() == b"" and conditional.status == 304
        assert conditional.getheader("Connection") is None and connection.sock is opened
        connection.request("GET", path, headers=headers)
        again = connection.getresponse()
        assert again.status == 200 and again.read() and connection.sock is opened
    finally:
        connection.close()
