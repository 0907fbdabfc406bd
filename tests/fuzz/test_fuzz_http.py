"""Fuzzing the HTTP surface with hypothesis: never a 5xx other than a deliberate 503/504, never a stack trace.

Generated and mutated SPARQL (unicode, lone surrogates, NUL, huge numbers, odd IRIs, unknown
functions, nesting near the limit) sent as GET, form POST and direct POST; dataset parameters;
``Accept`` / ``Content-Type`` headers with charsets and raw bodies; path segments under ``/id/``,
``/doc/``, ``/dumps/`` and ``/queries/``. In-process (Flask's test client) and against a real
``kennisgraaf serve`` process. Scale with ``KENNISGRAAF_FUZZ_EXAMPLES`` (see conftest.py).
"""

from __future__ import annotations

from urllib.parse import quote, quote_from_bytes

import pytest
import requests
from conftest import TOTAL
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SEEDS = [
    "SELECT * WHERE { ?s ?p ?o } LIMIT 5",
    "ASK { ?s a ?t }",
    "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 3",
    "DESCRIBE <id/provincie/drenthe>",
    "PREFIX kg: <https://w3id.org/kennisgraaf/def#> SELECT ?x (COUNT(*) AS ?n) { ?x a kg:Taak } GROUP BY ?x",
    "SELECT ?x WHERE { BIND(<urn:x-unknown-function>(1) AS ?x) }",
    "BASE <http://[x> SELECT * {}",
    "SELECT * FROM <http://[::1> {}",
    "SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }",
    "SELECT * { GRAPH ?g { ?s ?p ?o } } ORDER BY DESC(STRLEN(STR(?o))) LIMIT 2",
    "SELECT (1e999999 AS ?x) (99999999999999999999999999999 * 9e300 AS ?y) {}",
    "SELECT * { ?s ?p ?o FILTER(REGEX(STR(?o), \"(((a*)*)*)*b\")) } LIMIT 1",
    "SELECT * WHERE " + "{" * 60 + "?s ?p ?o" + "}" * 60,
    "SELECT ?x { VALUES ?x { 1 2 3 } } ORDER BY ?x",
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
]
FRAGMENTS = ["\x00", "\ud800", "\udfff", "\u202e", "\ufeff", "💥", "é", "<", ">", "{", "}", "(", ")", "'", '"',
             "#", "\\", "\\u0000", "<urn:x-f>(?s)", "1e999999", "-0.0e-9999", "99999999999999999999999999",
             "<http://[x>", "<file:///etc/passwd>", "FILTER(", "UNION {", " AS ?v ", "?" * 3, "%00", "\r\n"]


@st.composite
def sparql(draw) -> str:
    """A seed query, edited a few times: insertions of odd fragments or arbitrary text, deletions, repeats."""
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["fragment", "text", "delete", "repeat"]))
        if edit == "fragment":
            text = text[:at] + draw(st.sampled_from(FRAGMENTS)) + text[at:]
        elif edit == "text":
            text = text[:at] + draw(st.text(max_size=12)) + text[at:]
        elif edit == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 8)):]
        else:
            text = text[:at] + text[at:at + 16] * draw(st.integers(2, 40)) + text[at:]
    return text


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")  # a lone surrogate becomes bytes that are not UTF-8


class Target:
    """Raw requests to the in-process app or a server process, the same way."""

    def __init__(self, app=None, server=None) -> None:
        self.client = app.test_client() if app is not None else None
        self.server = server
        self.session = requests.Session()

    def send(self, method: str, path_and_query: str, headers: dict[str, str], body: bytes | None) -> tuple[int, bytes]:
        if self.client is not None:
            reply = self.client.open(path_and_query, method=method, headers=headers, data=body)
            try:
                return reply.status_code, reply.get_data()
            finally:
                reply.close()
        reply = self.session.request(method, self.server.url + path_and_query, headers=headers, data=body,
                                     allow_redirects=False, timeout=60)
        return reply.status_code, reply.content


def check(status: int, body: bytes) -> None:
    assert status < 500 or status in (503, 504), (status, body[:300])
    assert b"Traceback" not in body and b'File "/' not in body, body[:300]


def send_query(target: Target, text: str, how: str, params: list[tuple[str, str]]) -> None:
    extra = "".join(f"&{quote(k)}={quote_from_bytes(_bytes(v))}" for k, v in params)
    if how == "get":
        status, body = target.send("GET", f"/sparql?query={quote_from_bytes(_bytes(text))}{extra}",
                                   {"Accept": "application/sparql-results+json"}, None)
    elif how == "form":
        status, body = target.send("POST", "/sparql?" + extra.lstrip("&"),
                                   {"Content-Type": "application/x-www-form-urlencoded"},
                                   b"query=" + quote_from_bytes(_bytes(text)).encode())
    else:
        status, body = target.send("POST", "/sparql?" + extra.lstrip("&"), {"Content-Type": "application/sparql-query"},
                                   _bytes(text))
    check(status, body)


GRAPH_NAMES = st.one_of(st.sampled_from(["http://kasei.us/2009/09/sparql/data/data0.rdf", "file:///etc/passwd",
                                         "http://[x", "", " ", "urn:x", "https://w3id.org/kennisgraaf/graph/reference",
                                         "\x00", "\ud800", "relative", "http://127.0.0.1:9/"]), st.text(max_size=30))
PARAMS = st.lists(st.tuples(st.sampled_from(["default-graph-uri", "named-graph-uri", "asserted", "format",
                                             "output", "download"]), GRAPH_NAMES), max_size=3)
HOW = st.sampled_from(["get", "form", "direct"])
# TOTAL requests in all: 30 % to each in-process test, 5 % of examples (two requests each) to the server.
FUZZ = settings(max_examples=max(1, TOTAL * 3 // 10), deadline=None, database=None,
                suppress_health_check=list(HealthCheck))
ON_SERVER = settings(FUZZ, max_examples=max(1, TOTAL // 20))


@pytest.fixture(scope="module")
def local(fuzz_app) -> Target:
    return Target(app=fuzz_app)


@pytest.fixture(scope="module")
def remote(fuzz_server) -> Target:
    return Target(server=fuzz_server)


def test_generated_sparql_in_process(local):
    @FUZZ
    @given(text=sparql(), how=HOW, params=PARAMS)
    def run(text, how, params):
        send_query(local, text, how, params)

    run()


ACCEPT = st.one_of(st.sampled_from(["*/*", "text/html", "application/json", "text/csv;q=0.1, image/png",
                                    "application/sparql-results+xml;charset=latin1", "", ";;;", "*/*;q=abc",
                                    "application/ld+json;profile=\"x\"", "text/turtle;q=0"]), st.text(max_size=40))
CONTENT_TYPE = st.one_of(st.sampled_from(["application/sparql-query", "application/sparql-query; charset=latin1",
                                          "application/x-www-form-urlencoded; charset=utf-16",
                                          "application/sparql-update", "multipart/form-data; boundary=x",
                                          "text/plain", "", "application/x-www-form-urlencoded"]),
                         st.text(max_size=40))


def header(value: str) -> str:
    """A value an HTTP client can send: Latin-1, no line breaks or other control characters."""
    value = "".join(c for c in value if c == "\t" or ord(c) >= 0x20 and ord(c) != 0x7F)
    return value.encode("latin-1", "replace").decode("latin-1")


def test_headers_and_bodies_in_process(local):
    @FUZZ
    @given(accept=ACCEPT, content_type=CONTENT_TYPE, body=st.one_of(st.binary(max_size=200), sparql().map(_bytes)),
           method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "OPTIONS", "HEAD", "PATCH"]))
    def run(accept, content_type, body, method):
        headers = {"Accept": header(accept), "Content-Type": header(content_type)}
        status, reply = local.send(method, "/sparql", headers, body if method not in ("GET", "HEAD") else None)
        check(status, reply)

    run()


SEGMENTS = st.one_of(st.text(max_size=40), st.sampled_from(["..", "../..", "%2e%2e", "%00", "a%2Fb", "x.ttl",
                                                            "x.jsonld.nt", "provincie/drenthe", "document/",
                                                            "kennisgraaf.trig.gz", "\u202e", "a" * 3000]))
PREFIXES = st.sampled_from(["/id/", "/doc/", "/dumps/", "/queries/", "/why/", "/def/", "/static/"])


def test_path_segments_in_process(local):
    @FUZZ
    @given(prefix=PREFIXES, segment=SEGMENTS, accept=ACCEPT, raw=st.booleans())
    def run(prefix, segment, accept, raw):
        path = prefix + (segment if raw and segment.isascii() and segment.isprintable()
                         else quote_from_bytes(_bytes(segment), safe="/%"))
        status, body = local.send("GET", path, {"Accept": header(accept)}, None)
        check(status, body)

    run()


def test_generated_sparql_and_paths_against_the_server(remote):
    @ON_SERVER
    @given(text=sparql(), how=HOW, params=PARAMS, prefix=PREFIXES, segment=SEGMENTS)
    def run(text, how, params, prefix, segment):
        send_query(remote, text, how, params)
        status, body = remote.send("GET", prefix + quote_from_bytes(_bytes(segment), safe="/"), {}, None)
        check(status, body)

    run()
