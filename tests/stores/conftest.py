"""Fixtures for the remote-store tests: one real Virtuoso per session (Digest auth on its protected
endpoints), the dataset loaded into it by the real ``kennisgraaf load``, apps on it and on the
embedded store, and a catalogue of the canned queries."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Mapping

import pytest
from flask import Flask
from stores.virtuoso import Virtuoso, start_virtuoso

from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.config import Settings
from kennisgraaf.sparql.catalogue import Catalogue
from kennisgraaf.sparql.queryfiles import load_catalogue
from kennisgraaf.store.backend import open_store
from kennisgraaf.store.base import GuardedStore
from kennisgraaf.store.embedded import EmbeddedStore
from kennisgraaf.vocab import UriStrategy
from kennisgraaf.web import create_app

# Distinctive, so that a leak is found by a plain substring search.
READ_USER, READ_PASSWORD = "kgread", "rd-Pw-5f1c9e"
LOAD_USER, LOAD_PASSWORD = "kgload", "ld-Pw-0b7d42"
STORE_TIME_LIMIT = 3  # Virtuoso's MaxQueryExecutionTime in these tests (s)
STORE_ROW_LIMIT = 20000  # Virtuoso's ResultSetMaxRows: above every answer the tests compare

LOAD_ENV = {"KENNISGRAAF_STORE_UPDATE_USER": LOAD_USER, "KENNISGRAAF_STORE_UPDATE_PASSWORD": LOAD_PASSWORD,
            "KENNISGRAAF_STORE_UPDATE_AUTH": "digest"}


def run_cli(settings: Settings, *args: str, env: Mapping[str, str] | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``kennisgraaf --cache-dir … ARGS`` as a real process, with extra environment variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KENNISGRAAF_")}
    return subprocess.run([sys.executable, "-m", "kennisgraaf", "--cache-dir", str(settings.cache_path), *args],
                          capture_output=True, text=True, timeout=timeout, env={**clean, **(env or {})})


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """A real Virtuoso for the session, with a loading account and a read-only account (Digest)."""
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"), execution_time=STORE_TIME_LIMIT,
                            result_rows=STORE_ROW_LIMIT)
    try:
        server.create_user(LOAD_USER, LOAD_PASSWORD, update=True)
        server.create_user(READ_USER, READ_PASSWORD)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def virtuoso_loaded(virtuoso: Virtuoso, settings: Settings,
                    built: BuiltDataset) -> subprocess.CompletedProcess[str]:
    """The dataset loaded into Virtuoso by ``kennisgraaf load``, credentials from the environment."""
    done = run_cli(settings, "load", "--into", virtuoso.graph_store_url, env=LOAD_ENV)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="session")
def virtuoso_settings(settings: Settings, virtuoso: Virtuoso) -> Settings:
    """Settings that serve from Virtuoso's Digest-protected query URL as the read-only account."""
    return settings.replace(store=virtuoso.auth_query_url, store_user=READ_USER, store_password=READ_PASSWORD,
                            store_auth="digest")


@pytest.fixture(scope="session")
def virtuoso_store(virtuoso_loaded: object, virtuoso_settings: Settings,
                   built: BuiltDataset) -> Iterator[GuardedStore]:
    store = open_store(virtuoso_settings, built)
    yield store
    store.close()


@pytest.fixture(scope="session")
def embedded_store(built: BuiltDataset) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(built, workers=1)
    yield store
    store.close()


@pytest.fixture(scope="session")
def catalogue(built: BuiltDataset) -> Catalogue:
    return load_catalogue(UriStrategy(built.base))


@pytest.fixture(scope="session")
def virtuoso_app(virtuoso_loaded: object, virtuoso_settings: Settings, built: BuiltDataset) -> Iterator[Flask]:
    """The app serving from Virtuoso (in-process)."""
    app = create_app(virtuoso_settings, dataset=built)
    app.config["TESTING"] = True
    yield app
    app.extensions["kennisgraaf"].store.close()


@pytest.fixture(scope="session")
def embedded_app(settings: Settings, built: BuiltDataset, embedded_store: EmbeddedStore) -> Flask:
    """The app on the embedded store (in-process), to compare with."""
    app = create_app(settings, dataset=built, store=embedded_store)
    app.config["TESTING"] = True
    return app
