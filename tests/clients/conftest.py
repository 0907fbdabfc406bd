"""The SPARQL client tests (SPARQLWrapper, rdflib, Comunica, YASGUI) talk to the session's real server."""

from __future__ import annotations

import pytest
from serving import LiveServer


@pytest.fixture(scope="session")
def sparql_server(live_server: LiveServer) -> LiveServer:
    """The session's ``kennisgraaf serve`` process; ``sparql_server("/sparql")`` is the endpoint's URL."""
    return live_server
