"""A real ``kennisgraaf serve`` process for the SPARQL client tests (SPARQLWrapper, rdflib, Comunica, YASGUI)."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kennisgraaf.config import Settings
from kennisgraaf.dataset import BuiltDataset


def web_helpers() -> Any:
    """tests/web/conftest.py as a module: its ``start_server`` is the one way to start ``kennisgraaf serve``."""
    name = "kennisgraaf_web_test_helpers"
    if name not in sys.modules:
        path = Path(__file__).resolve().parent.parent / "web" / "conftest.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # its dataclasses look their module up
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="session")
def sparql_server(settings: Settings, built: BuiltDataset) -> Iterator[Any]:
    """A server process on the session's dataset; ``sparql_server("/sparql")`` is the endpoint's URL."""
    helpers = web_helpers()
    server = helpers.start_server(settings)
    yield server
    helpers.stop_server(server)
