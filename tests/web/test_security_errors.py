"""Errors by cause, and graph names that are never fetched (issue 12).

A query's own fault is a 400 with the engine's (or admission's) message; a fault of the store is a
5xx with a short incident id that the server log carries, never internals; a graph name outside
the dataset is an empty graph, never dereferenced (a canary HTTP server sees no request).
"""

from __future__ import annotations

import http.server
import re
import threading

import pytest

from kennisgraaf.config import Settings
from kennisgraaf.store.base import StoreError
from kennisgraaf.web import create_app


@pytest.mark.parametrize(("query", "words"), [
    ("SELECT ?x WHERE { BIND(<urn:x-unknown-function>(1) AS ?x) }", "custom function <urn:x-unknown-function>"),
    ("SELECT * {} ORDER BY <urn:x-f>(1)", "custom function <urn:x-f>"),
    ("SELECT ?x WHERE { BIND(STRLEN(1, 2) AS ?x) }", "syntax error"),  # wrong arity: the parser says so
    ("SELECT ?x WHERE { BIND(CONCAT() AS ?x) }", ""),  # a valid call that needs no argument
    ("BASE <http://[x> SELECT * {}", "not valid"),
    ("SELECT * FROM <http://[::1> {}", "not valid"),
    ("PREFIX p: <http://[::1> SELECT * FROM p:x {}", "not a valid IRI"),
])
def test_a_querys_own_fault_is_400_with_the_message(http, query, words):
    response = http.get("/sparql", params={"query": query})
    if not words:
        assert response.status_code == 200
        return
    assert response.status_code == 400, response.text
    assert response.mimetype == "text/plain"
    assert words in response.text
    assert "Traceback" not in response.text


class _Canary(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        self.seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/turtle")
        self.end_headers()
        self.wfile.write(b"<http://canary/s> <http://canary/p> <http://canary/o> .")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def canary():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Canary)
    _Canary.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/graph", _Canary.seen
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("name", ["default-graph-uri", "named-graph-uri"])
def test_a_malformed_graph_name_in_the_request_is_400(http, name):
    response = http.get("/sparql", params={"query": "ASK {}", name: "http://[x"})
    assert response.status_code == 400
    assert "not a valid IRI" in response.text


def test_graph_names_are_never_dereferenced(http, canary):
    url, seen = canary
    for params in ({"query": f"SELECT * FROM <{url}> {{ ?s ?p ?o }}"},
                   {"query": f"SELECT * FROM NAMED <{url}> {{ GRAPH ?g {{ ?s ?p ?o }} }}"},
                   {"query": "SELECT * { ?s ?p ?o }", "default-graph-uri": url},
                   {"query": "SELECT * { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": url}):
        response = http.get("/sparql", params=params)
        assert response.status_code == 200
        assert response.json()["results"]["bindings"] == []
    assert seen == []


def test_file_graph_names_are_never_read(http):
    response = http.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) FROM <file:///etc/passwd> { ?s ?p ?o }"})
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "0"


class _FailingStore:
    """A store whose engine breaks: what the app shows and logs for a store fault."""

    graphs: frozenset[str] = frozenset()

    def __init__(self, real) -> None:
        self.real = real

    def query(self, text: str, **kwargs):
        if "BREAK" in text:
            from kennisgraaf.store.base import store_fault

            raise store_fault("The query engine failed on this query.", "OSError: disk at /secret/place is gone",
                              query=text)
        return self.real.query(text, **kwargs)


@pytest.fixture
def failing_app(app, settings: Settings, built):
    return create_app(settings, dataset=built, store=_FailingStore(app.extensions["kennisgraaf"].store))


def test_a_store_fault_is_500_with_an_incident_id_in_the_log_and_no_internals(failing_app, caplog):
    client = failing_app.test_client()
    with caplog.at_level("ERROR", logger="kennisgraaf.store"):
        response = client.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o } # BREAK"})
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "/secret/place" not in text and "OSError" not in text
    incident = re.search(r"incident ([0-9a-f]{8})", text).group(1)
    assert any(incident in record.getMessage() and "/secret/place" in record.getMessage() for record in caplog.records)


def test_an_unexpected_error_on_a_page_is_500_with_an_incident_id(failing_app, caplog):
    def broken(*args, **kwargs):
        raise StoreError("a page query the engine refused", 400)

    store = failing_app.extensions["kennisgraaf"].store
    store.query = broken
    with caplog.at_level("ERROR"):
        response = failing_app.test_client().get("/", headers={"Accept": "application/json"})
    assert response.status_code == 500
    incident = re.search(r"incident ([0-9a-f]{8})", response.json["error"]).group(1)
    assert any(incident in record.getMessage() for record in caplog.records)
