"""Credentials from settings, redaction, and the two read-side helpers of the remote store (no server needed)."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest

from kennisgraaf.config import Settings, load_settings
from kennisgraaf.store.credentials import CredentialsError, Redactor, credentials_for
from kennisgraaf.store.remote import BlankNodeFix, outer_group_start


def test_settings_give_read_and_write_credentials_with_fallbacks() -> None:
    settings = load_settings(environ={"KENNISGRAAF_STORE_USER": "reader", "KENNISGRAAF_STORE_PASSWORD": "r-pw",
                                      "KENNISGRAAF_STORE_AUTH": "digest", "KENNISGRAAF_STORE_UPDATE_USER": "loader",
                                      "KENNISGRAAF_STORE_UPDATE_PASSWORD": "l-pw",
                                      "KENNISGRAAF_STORE_HEADERS": "X-API-Key: k1\n\nX-Tenant: kg"},
                             config_file=None)
    _, read = credentials_for(settings, "http://store/sparql")
    _, write = credentials_for(settings, "http://store/gsp", update=True)
    assert (read.scheme, read.user, read.password) == ("digest", "reader", "r-pw")
    assert (write.scheme, write.user, write.password) == ("digest", "loader", "l-pw")  # auth falls back
    assert write.headers == read.headers == (("X-API-Key", "k1"), ("X-Tenant", "kg"))
    assert "r-pw" not in repr(settings) and "k1" not in repr(settings) and "r-pw" not in repr(read)


def test_userinfo_in_the_url_becomes_the_credentials_and_leaves_the_url() -> None:
    url, creds = credentials_for(Settings(), "http://kg%40user:p%40ss@store:8890/sparql-auth")
    assert url == "http://store:8890/sparql-auth"
    assert (creds.scheme, creds.user, creds.password) == ("basic", "kg@user", "p@ss")
    token_url, token = credentials_for(Settings(store_token="tok"), "http://store/q")
    assert token.scheme == "bearer" and token.auth() is not None and token_url == "http://store/q"


@pytest.mark.parametrize(("settings", "named"), [
    (Settings(store_auth="kerberos", store_user="u"), "store_auth"),
    (Settings(store_auth="digest"), "store_auth"),
    (Settings(store_auth="bearer"), "store_auth"),
    (Settings(store_headers="no colon here"), "store_headers"),
    (Settings(store_update_headers="X-Key:"), "store_update_headers"),
])
def test_unusable_credentials_are_refused_naming_the_setting_not_its_value(settings: Settings, named: str) -> None:
    with pytest.raises(CredentialsError, match=named) as refused:
        credentials_for(settings, "http://store/q", update=True)
    assert "no colon here" not in str(refused.value)


def test_the_redactor_hides_secrets_their_encodings_and_any_userinfo() -> None:
    redact = Redactor(["p@ss word", "tok"])
    text = redact("http://u:p%40ss%20word@h/x failed; sent p@ss word, p%40ss+word? tok; http://a:b@c/ too")
    assert "p@ss" not in text and "p%40ss" not in text and "tok" not in text and "a:b@" not in text
    assert "http://***@h/x" in text and "http://***@c/" in text


@pytest.mark.parametrize(("query", "before"), [
    ("ASK { ?s ?p ?o }", "?s ?p ?o"),
    ("SELECT * WHERE { ?s ?p ?o }", "?s ?p ?o"),
    ("PREFIX x: <http://e/a?b=c> SELECT * { ?s x:p '{' }", "?s x:p"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o . }", "?s ?p ?o ."),
    ("# a { comment\nSELECT ?x WHERE { { SELECT ?x { ?x ?p ?o } } } LIMIT 5", "{ SELECT"),
    ('SELECT ?where WHERE { ?where ?p """x { y""" }', "?where ?p"),
])
def test_bindings_go_at_the_start_of_the_outermost_group(query: str, before: str) -> None:
    at = outer_group_start(query)
    assert at is not None and query[at:].lstrip().startswith(before)
    bound = query[:at] + " VALUES ?z { 1 } " + query[at:]
    ox.Store().query(bound)  # still a valid query


@pytest.mark.parametrize("chunk", [1, 7, 80, 65536])
def test_virtuoso_blank_nodes_are_fixed_as_they_stream_in_and_nothing_else_changes(chunk: int) -> None:
    body = ('{ "head": { "vars": ["x", "l"] }, "results": { "bindings": ['
            + ", ".join(f'{{ "x": {{ "type": "bnode", "value": "nodeID://b{i}" }}, "l": {{ "type": "literal", '
                        f'"value": "\\"type\\": \\"bnode\\", \\"value\\": nodeID://{i}" }} }}'
                        for i in range(300)) + "] } }").encode()

    class Slow(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            return super().read(min(chunk, size) if size and size > 0 else chunk)

    fixed = BlankNodeFix(Slow(body))
    out = b"".join(iter(lambda: fixed.read(chunk), b""))
    solutions = list(ox.parse_query_results(out, format=ox.QueryResultsFormat.JSON))
    assert len(solutions) == 300
    assert all(isinstance(s["x"], ox.BlankNode) for s in solutions)
    assert solutions[5]["l"].value == '"type": "bnode", "value": nodeID://5'
